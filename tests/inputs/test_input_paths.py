"""One path expander for build, score and sources: folders recurse, hidden names and links out
of the folder are skipped unless named outright, patterns that match nothing are one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explainer.build.batch import discover
from explainer.inputs.paths import expand_paths
from explainer.readability.drafts import collect_inputs
from explainer.sources.texts import find_source_files

FINDINGS = "topic: {name}\nfindings: []\n"


def txt(path: Path) -> bool:
    return path.suffix == ".txt"


def expand(*args: str | Path, stdin: bool = False):
    return expand_paths(args, txt, empty=lambda arg, pattern: "pattern" if pattern else "folder",
                        explicit=lambda p: None if os.path.lexists(p) else "missing",
                        stdin=stdin)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """docs/ with files at two depths, hidden files and folders, and folders never searched."""
    docs = tmp_path / "docs"
    for rel in ("b.txt", "a.txt", "notes.png", "sub/c.txt", "sub/deeper/d.txt", ".hidden.txt",
                ".drafts/e.txt", "node_modules/f.txt", "__pycache__/g.txt"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("words", encoding="utf-8")
    return docs


def names(paths: list[Path], root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in paths]


def test_a_folder_recurses_sorted_and_skips_hidden_and_tool_folders(tree: Path) -> None:
    found, problems = expand(tree)
    assert problems == []
    # the folder's own files first, sorted; then each sub-folder's
    assert names(found, tree) == ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]


def test_hidden_names_are_taken_when_named_outright(tree: Path) -> None:
    found, problems = expand(tree / ".hidden.txt", tree / ".drafts")
    assert problems == []
    assert names(found, tree) == [".hidden.txt", ".drafts/e.txt"]
    found, _ = expand(str(tree / ".drafts" / "*.txt"))  # the pattern spells the dot
    assert names(found, tree) == [".drafts/e.txt"]


def test_patterns_match_as_the_shell_would_and_search_matched_folders(tree: Path) -> None:
    found, problems = expand(str(tree / "*"))  # hidden names unmatched, other folders named
    assert problems == []
    assert names(found, tree) == ["__pycache__/g.txt", "a.txt", "b.txt", "node_modules/f.txt",
                                  "sub/c.txt", "sub/deeper/d.txt"]
    found, _ = expand(str(tree / "**" / "*.txt"))
    assert names(found, tree) == ["__pycache__/g.txt", "a.txt", "b.txt", "node_modules/f.txt",
                                  "sub/c.txt", "sub/deeper/d.txt"]
    found, _ = expand(str(tree / "s*"))
    assert names(found, tree) == ["sub/c.txt", "sub/deeper/d.txt"]


def test_nothing_found_is_one_problem_per_argument_in_order(tree: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found, problems = expand(tree / "a.txt", tmp_path / "missing.txt", tmp_path / "empty",
                             str(tmp_path / "*.xyz"))
    assert names(found, tree) == ["a.txt"]
    assert [(p.file, p.message) for p in problems] == [
        (str(tmp_path / "missing.txt"), "missing"), (str(tmp_path / "empty"), "folder"),
        (str(tmp_path / "*.xyz"), "pattern")]


def test_a_file_reached_twice_is_listed_once_where_first_met(tree: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.chdir(tree)
    found, problems = expand("sub/c.txt", ".", "./sub/c.txt", str(tree / "a.txt"), "*.txt")
    assert problems == []
    assert [str(p) for p in found] == ["sub/c.txt", "a.txt", "b.txt", "sub/deeper/d.txt"]


def test_links_inside_a_folder_stay_inside_it(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("not for this folder", encoding="utf-8")
    (tree / "out.txt").symlink_to(outside)
    (tree / "in.txt").symlink_to(tree / "sub" / "c.txt")
    (tree / "linked").symlink_to(tmp_path, target_is_directory=True)  # would loop
    (tree / "broken.txt").symlink_to(tmp_path / "gone.txt")
    found, problems = expand(tree)
    assert problems == []
    # in.txt is the same file as sub/c.txt: listed once, under the name met first
    assert names(found, tree) == ["a.txt", "b.txt", "in.txt", "sub/deeper/d.txt"]
    found, _ = expand(tree / "out.txt")  # named outright: the command's reader decides
    assert found == [tree / "out.txt"]


def test_stdin_only_where_the_command_reads_it() -> None:
    assert expand("-", stdin=True) == ([Path("-")], [])
    assert [p.message for p in expand("-")[1]] == ["missing"]


def test_build_score_and_sources_follow_the_same_rules(tmp_path: Path) -> None:
    root = tmp_path / "topics"
    for rel in ("a.yaml", "sub/b.yaml", ".drafts/c.yaml", "sub/.d.yaml", "node_modules/e.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(FINDINGS.format(name=Path(rel).stem.strip(".")))
        (root / rel).with_suffix(".txt").write_text("Some words to score.")
    want = ["a", "sub/b"]

    built, problems = discover([root])
    assert problems == [] and [str(p.relative_to(root).with_suffix("")) for p in built] == want
    scored, problems = collect_inputs([str(root)])
    assert problems == []
    assert [str(Path(i.name).relative_to(root)) for i in scored] == ["a.txt", "sub/b.txt"]
    screened, problems = find_source_files([root])
    assert problems == [] and [str(p.relative_to(root)) for p in screened] == ["a.txt", "sub/b.txt"]


def test_score_names_its_own_problems_for_what_it_cannot_take(tmp_path: Path) -> None:
    (tmp_path / "a.rtf").write_text("{\\rtf1}")
    os.mkfifo(tmp_path / "pipe.txt")
    inputs, problems = collect_inputs([str(tmp_path / "a.rtf"), str(tmp_path / "pipe.txt"),
                                       "-", "-"])
    assert [i.name for i in inputs] == ["-"]  # standard input, once
    assert [p.message.split(" (")[0] for p in problems] == [
        "unknown suffix '.rtf'", "not a regular file"]
