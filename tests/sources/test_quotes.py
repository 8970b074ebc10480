"""Quote verification: verbatim up to typography, strict about words, helpful when it fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, QUOTES_OK, SHARED_SEEDS, SOURCES

from explainer.document.load import load_document
from explainer.sources.quotes import (
    closest_passage,
    count_verified,
    find_quote,
    load_source_text,
    source_from_text,
    verify_quotes,
)


def write_findings(tmp_path: Path, quotes: list[tuple[str, str]],
                   files: dict[str, str] | None = None, sources_dir: Path = SOURCES) -> Path:
    """A minimal valid findings file whose finding cites ``quotes`` as (source id, quote)."""
    files = files or {"release": "quotes_release.txt"}
    data = {
        "topic": "quotes-test", "title": "Quotes test", "sources_dir": str(sources_dir),
        "background": {"patient": "Background."},
        "press": {"headline": "Headline", "lede": "Lede."},
        "sources": [{"id": sid, "file": name, "kind": "press_release"}
                    for sid, name in files.items()],
        "studies": [{"id": "s", "short_name": "S", "status": "peer_reviewed",
                     "design": "randomized_controlled",
                     "participants": {"n": 64, "condition": "hip arthritis"},
                     "intervention": {"name": "tai chi"}}],
        "findings": [{"id": "f", "study": "s", "kind": "causal", "clinician": "C.", "plain": "P.",
                      "evidence": [{"source": sid, "quote": q} for sid, q in quotes]}],
    }
    path = tmp_path / "findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


SOURCE = source_from_text(
    "Line one of a source.\n"
    "It says \u201cthe opioid system is\ninvolved\u201d and the drug\u2019s effect\u00a0was  large "
    "\u2013 in some people.\n")


@pytest.mark.parametrize("quote", [
    '"the opioid system is involved"',  # straight vs curly double quotes, line break
    "the drug's effect was large - in some people",  # apostrophe, NBSP, double space, en dash
    "The opioid system is involved",  # first letter in the other case
    "it says",  # first letter lower-case where the source has a capital
])
def test_tolerated_differences(quote):
    assert find_quote(quote, SOURCE) is not None


@pytest.mark.parametrize("quote", [
    "the opioid system was involved",  # one word changed
    "the opioid system involved",  # one word dropped
    "the drug's effect was small",  # one word changed at the end
    "THE opioid system is involved",  # case beyond the first letter
    "pioid system is involved",  # a cut word at the start is a different word
    "the opioid system is involve",  # ...and at the end
])
def test_word_changes_are_not_tolerated(quote):
    assert find_quote(quote, SOURCE) is None


def test_offset_maps_back_to_the_source_line():
    offset = find_quote("involved\u201d and the drug", SOURCE)
    assert offset is not None
    assert SOURCE.line_at(offset) == 3
    assert SOURCE.text[offset:].startswith("involved")


def test_closest_passage_names_the_line_and_the_changed_word():
    passage = closest_passage("the opioid system was involved", SOURCE)
    assert passage is not None
    assert passage.line == 2
    assert "opioid system is" in passage.text
    assert passage.differences == ['quote has "was" where the source has "is"']


def test_no_closest_passage_for_unrelated_text():
    assert closest_passage("bananas grow in warm countries", SOURCE) is None


def test_fixture_quotes_all_verify():
    loaded = load_document(QUOTES_OK)
    problems = verify_quotes(loaded)
    assert problems == []
    assert count_verified(loaded, problems) == (5, 5)


def test_one_changed_word_fails_with_line_key_and_closest_passage(tmp_path):
    quote = "reduced evening stiffness in adults over 65 with hip arthritis"
    path = write_findings(tmp_path, [("release", "A twelve-week programme"), ("release", quote)])
    loaded = load_document(path)
    problems = verify_quotes(loaded)
    assert len(problems) == 1
    p = problems[0]
    assert p.level == "error"
    assert p.key == "findings[0].evidence[1].quote"
    assert p.file == str(path)
    assert p.line == loaded.line_of(("findings", 0, "evidence", 1, "quote"))
    assert quote in path.read_text().splitlines()[p.line - 1]
    # The source's line 5 holds the passage; the message shows it and the differing word.
    assert "closest is quotes_release.txt:5:" in p.message
    assert '"reduced morning stiffness in adults over 65 with hip arthritis,"' in p.message
    assert 'quote has "evening" where the source has "morning"' in p.message
    assert "\n" not in str(p)
    assert count_verified(loaded, problems) == (1, 2)


def test_closest_passage_keeps_the_sources_own_typography(tmp_path):
    quote = "The trial - funded by a charity - lasted only six months."
    path = write_findings(tmp_path, [("release", quote)])
    message = verify_quotes(load_document(path))[0].message
    assert "quotes_release.txt:16:" in message
    assert "The trial \u2014 funded by a charity \u2014 lasted only three months." in message


def test_quote_from_another_source_says_so(tmp_path):
    files = {"release": "quotes_release.txt", "other": "screen_clean_news.txt"}
    path = write_findings(tmp_path, [("release", "slept for about forty minutes longer")], files)
    (problem,) = verify_quotes(load_document(path))
    assert "it is in source other (wrong source id?)" in problem.message


def test_missing_source_file_is_one_error_per_source_naming_the_path(tmp_path):
    files = {"release": "quotes_release.txt", "gone": "no_such_file.txt"}
    path = write_findings(tmp_path, [("gone", "anything at all"), ("gone", "more words"),
                                     ("release", "A twelve-week programme")], files)
    loaded = load_document(path)
    problems = verify_quotes(loaded)
    assert len(problems) == 1
    (p,) = problems
    assert p.level == "error" and p.key == "sources[1].file"
    assert p.line == loaded.line_of(("sources", 1, "file"))
    assert str(SOURCES / "no_such_file.txt") in p.message
    assert count_verified(loaded, problems) == (1, 3)

    (warning,) = verify_quotes(loaded, require_sources=False)
    assert warning.level == "warning" and warning.key == "sources[1].file"


def test_sources_dir_argument_overrides_the_file(tmp_path):
    path = write_findings(tmp_path, [("release", "A twelve-week programme")],
                          sources_dir=tmp_path / "elsewhere")
    loaded = load_document(path)
    assert [p.key for p in verify_quotes(loaded)] == ["sources[0].file"]
    assert verify_quotes(loaded, SOURCES) == []


def test_press_quotes_and_caveat_evidence_are_checked(tmp_path):
    data = yaml.safe_load(QUOTES_OK.read_text(encoding="utf-8"))
    data["sources_dir"] = str(SOURCES)
    data["quotes"][0]["text"] = data["quotes"][0]["text"].replace("bed", "chair")
    data["caveats"][0]["evidence"][1]["quote"] = "The trial - funded by a bank - lasted"
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    keys = sorted(p.key for p in verify_quotes(load_document(path)))
    assert keys == ["caveats[0].evidence[1].quote", "quotes[0].text"]


def test_study_evidence_is_checked(tmp_path):
    data = yaml.safe_load(QUOTES_OK.read_text(encoding="utf-8"))
    data["sources_dir"] = str(SOURCES)
    data["studies"][0]["evidence"] = [
        {"source": "release", "quote": "The trial included 64 adults"},
        {"source": "release", "quote": "The trial included 46 adults"},
    ]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_document(path)
    problems = verify_quotes(loaded)
    assert [p.key for p in problems] == ["studies[0].evidence[1].quote"]
    assert 'quote has "46" where the source has "64"' in problems[0].message
    assert count_verified(loaded, problems) == (6, 7)


def test_load_source_text_is_cached_but_sees_edits(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("first version", encoding="utf-8")
    assert load_source_text(source) == "first version"
    assert load_source_text(source) is load_source_text(source)
    source.write_text("second version, longer", encoding="utf-8")
    os.utime(source, ns=(1, 2_000_000_000))
    assert load_source_text(source) == "second version, longer"


@pytest.mark.needs(SHARED_SEEDS)
def test_bundled_example_quotes_verify_and_a_changed_word_is_caught(tmp_path):
    loaded = load_document(BUNDLED)
    problems = verify_quotes(loaded, SHARED_SEEDS)
    assert [str(p) for p in problems] == []
    verified, total = count_verified(loaded, problems)
    assert verified == total > 10

    # Change one word of the first finding's first quote: it must fail and point at the seed.
    text = BUNDLED.read_text(encoding="utf-8")
    quote = loaded.doc.findings[0].evidence[0].quote
    words = quote.split()
    changed = " ".join([*words[:-1], "xylophone"])
    assert text.count(quote) >= 1
    copy = tmp_path / "bundled.yaml"
    copy.write_text(text.replace(quote, changed, 1), encoding="utf-8")
    (p,) = verify_quotes(load_document(copy), SHARED_SEEDS)
    assert p.key == "findings[0].evidence[0].quote"
    source_file = loaded.doc.source(loaded.doc.findings[0].evidence[0].source).file
    assert re.search(rf"closest is {re.escape(source_file)}:\d+:", p.message)
    assert f'where the source has "{words[-1]}"' in p.message
