"""The repository's .pre-commit-hooks.yaml, run by pre-commit itself, offline, from a local
hook repository: the hook fails on a hard Markdown file and passes on an easy one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

HOOKS = REPO / ".pre-commit-hooks.yaml"
EASY = "# Notes\n\nThe cat sat on the mat. We like the cat. It is a good cat.\n"
HARD = ("# Notes\n\nParticipants demonstrated considerably improved neuropsychological "
        "functioning following intravenous administration of subanaesthetic ketamine, "
        "notwithstanding substantial interindividual variability in pharmacokinetic "
        "parameters.\n")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    run = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                         check=True)
    return run.stdout.strip()


def test_hooks_follow_pre_commit_conventions() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"explainer-score", "explainer-score-system"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].startswith("explainer score")
        assert set(hook["types_or"]) == {"markdown", "html"}


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(HOOKS, hooks / ".pre-commit-hooks.yaml")  # the real file, in a local repo
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-qm", "hooks")
    rev = git(hooks, "rev-parse", "HEAD")
    docs = tmp_path / "docs"
    docs.mkdir()
    git(docs, "init", "-q")
    (docs / "easy.md").write_text(EASY, encoding="utf-8")
    (docs / "hard.md").write_text(HARD, encoding="utf-8")
    (docs / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(hooks), "rev": rev,
        "hooks": [{"id": "explainer-score-system", "args": ["--audience", "patient"]}],
    }]}), encoding="utf-8")
    git(docs, "add", ".")
    bin_dir = str(Path(sys.executable).parent)  # where this checkout's explainer is installed
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
           "PRE_COMMIT_COLOR": "never", "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig")}
    return docs, env


def run_hook(docs: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files],
                          cwd=docs, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # runs pre-commit in a git repo
def test_pre_commit_fails_on_a_hard_file_and_passes_on_an_easy_one(project) -> None:
    docs, env = project
    easy = run_hook(docs, env, "easy.md")
    assert easy.returncode == 0, easy.stdout + easy.stderr
    assert "Passed" in easy.stdout
    hard = run_hook(docs, env, "hard.md")
    assert hard.returncode == 1, hard.stdout + hard.stderr
    assert "Failed" in hard.stdout
    assert "hard.md:3:1: error: very hard sentence" in hard.stdout  # positions for the editor
