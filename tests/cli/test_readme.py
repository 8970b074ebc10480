"""The README's two commands are the ones a new user runs, so CI must run the test one."""

from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_a_build_command_and_a_test_command():
    build, tests = readme_commands()[:2]
    assert build.endswith("explainer build")
    assert "'.[test]'" in tests and tests.endswith("pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    tests = readme_commands()[1]
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert tests in ci


def test_ci_and_pre_commit_lint_and_type_check_with_the_venv_tools():
    # After the test command, CI runs ruff and mypy from the venv it made; the pre-commit
    # hooks run the same tools, so a contributor sees what CI will say before pushing.
    import yaml

    ci = [line.split("#")[0].strip() for line in
          (REPO / ".ci" / "run").read_text().splitlines()]
    after = ci[ci.index(readme_commands()[1]) + 1:]
    assert ".venv/bin/ruff check explainer tests bench" in after
    assert ".venv/bin/mypy" in after
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    entries = {h["id"]: h["entry"] for repo in config["repos"] for h in repo["hooks"]}
    assert entries["ruff"].startswith(".venv/bin/ruff check")
    assert entries["mypy"] == ".venv/bin/mypy"
