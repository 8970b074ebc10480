"""The wheel ships every stage package, and each stage package's __init__ is a docstring only
(start-up imports nothing it does not need; see test_startup)."""

from __future__ import annotations

import ast
import re

import tomllib
from conftest import REPO

PACKAGE = REPO / "explainer"
NOT_STAGES = {"cli", "rules"}  # the command modules and the rule loader live in these __init__s


def test_every_package_folder_is_listed_for_the_wheel():
    # setuptools ships only the packages listed, so a new stage folder missing from the list
    # would work in a checkout and fail with ModuleNotFoundError after `pip install .`.
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {".".join(init.parent.relative_to(REPO).parts)
               for init in PACKAGE.rglob("__init__.py")}
    assert folders - set(setuptools["packages"]) == set()


def test_stage_packages_hold_only_a_docstring():
    for init in PACKAGE.rglob("*/__init__.py"):
        if init.parent.name in NOT_STAGES:
            continue
        body = ast.parse(init.read_text()).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), init
        value = body[0].value
        assert isinstance(value, ast.Constant) and isinstance(value.value, str), init


def test_the_architecture_page_lists_every_stage_module():
    # docs/architecture.md is where a newcomer learns the tree: a module added to a stage
    # and not listed there would be invisible to them.
    page = (REPO / "docs" / "architecture.md").read_text()
    tree = page.split("## The package tree", 1)[1].split("```")[1]
    blocks: dict[str, str] = {}
    current = None
    for line in tree.splitlines():
        head = line[2:].split()[0] if line.startswith("  ") and not line.startswith("   ") \
            else ""
        if head.endswith("/"):
            current = head.rstrip("/")
            blocks[current] = line
        elif current is not None and line.startswith("    "):
            blocks[current] += " " + line
        else:
            current = None
    stages = [d for d in PACKAGE.iterdir() if (d / "__init__.py").is_file()
              and d.name not in NOT_STAGES]
    missing = [f"{d.name}/{m.stem}" for d in stages for m in d.glob("*.py")
               if m.stem != "__init__" and not re.search(rf"\b{m.stem}\b", blocks.get(d.name, ""))]
    assert [d.name for d in stages if d.name not in blocks] == []
    assert missing == []
