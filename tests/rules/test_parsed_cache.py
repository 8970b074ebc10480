"""The shipped rule files' parses are kept between runs (explainer.rules.parsed_cache): a
second run loads them instead of parsing, a changed file is parsed again, and a folder that
is unsafe, refuses writes or holds a damaged entry only means parsing as before."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from explainer import rules
from explainer.document.load import read_yaml
from explainer.problems import InputError
from explainer.rules.parsed_cache import cache_dir, cached_parse


def read_counted(path: Path, folder: Path | None) -> tuple[tuple, int]:
    """``path`` read as the rule loader reads it, with the cache in ``folder``; the parse
    and how many times the YAML was actually parsed."""
    parses = []

    def cache(text, parse):
        def counted():
            parses.append(1)
            return parse()

        return cached_parse(path, text, counted, folder)

    return read_yaml(path, "rule file", cache=cache), len(parses)


@pytest.fixture
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "words.yaml"
    path.write_text("sources:\n  a: A book\nwords:\n  - word: utilise\n    plain: use\n")
    return path


def test_a_second_run_loads_the_parse_instead_of_parsing(rule_file, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    first, parsed = read_counted(rule_file, folder)
    assert parsed == 1 and len(list(folder.iterdir())) == 1

    again, parsed_again = read_counted(rule_file, folder)
    assert parsed_again == 0
    assert again == first == read_yaml(rule_file, "rule file")
    assert again[1][("words", 0, "plain")] == 5  # the line map comes back too


def test_a_changed_file_is_parsed_again(rule_file, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    read_counted(rule_file, folder)
    rule_file.write_text(rule_file.read_text().replace("plain: use", "plain: make use of"))

    (data, _), parsed = read_counted(rule_file, folder)
    assert parsed == 1
    assert data["words"][0]["plain"] == "make use of"
    assert len(list(folder.iterdir())) == 1  # the file's one entry, replaced
    assert read_counted(rule_file, folder) == ((data, _), 0)


def test_a_folder_that_refuses_writes_means_parsing_not_failing(rule_file, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    for _ in range(2):
        (data, _), parsed = read_counted(rule_file, blocker)
        assert parsed == 1 and data["words"][0]["word"] == "utilise"


def test_a_damaged_entry_is_parsed_again(rule_file, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    first, _ = read_counted(rule_file, folder)
    for entry in folder.iterdir():
        entry.write_bytes(entry.read_bytes()[:20])  # cut short

    again, parsed = read_counted(rule_file, folder)
    assert parsed == 1 and again == first


def test_a_bad_file_is_reported_each_time_and_never_kept(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text("words: []\nwords: []\n")
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            read_counted(bad, folder)
        assert [str(p) for p in caught.value.problems] == [
            f"{bad}:2: words: duplicate key (first given on line 1)"]
    assert list(folder.iterdir()) == []


def test_data_marshal_cannot_hold_is_parsed_each_time(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    dated = tmp_path / "dated.yaml"
    dated.write_text("reviewed: 2024-05-01\n")
    for _ in range(2):
        (data, _), parsed = read_counted(dated, folder)
        assert parsed == 1 and str(data["reviewed"]) == "2024-05-01"
    assert list(folder.iterdir()) == []


def test_the_folder_is_this_users_own_and_nobody_elses(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = cache_dir()
    assert folder == tmp_path / f"explainer-cache-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    folder.chmod(0o777)  # opened up: anyone could have planted an entry
    assert cache_dir() is None

    folder.rmdir()
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    folder.symlink_to(planted)  # someone's symlink in the shared temp folder
    assert cache_dir() is None


def test_only_the_shipped_rule_files_are_kept(tmp_path, monkeypatch):
    assert rules._cache(rules.SHIPPED / "claims.yaml") is not None
    copy = tmp_path / "rules"
    shutil.copytree(rules.SHIPPED, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(rules, "RULES_DIR", copy)  # as the tests of broken rule files do
    assert rules._cache(copy / "claims.yaml") is None


def test_the_shipped_rules_load_the_same_from_the_cache():
    uncached = read_yaml(rules.SHIPPED / "claims.yaml", "rule file")
    for _ in range(2):  # the second time from the cache the first one filled
        rules.clear_cache()
        assert rules.load_rules("claims") == uncached[0]
        assert rules.rule_problem("claims", ("rules", 3, "id"), "x").line == \
            uncached[1][("rules", 3, "id")]
    rules.clear_cache()
