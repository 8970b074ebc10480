"""The wheel ships every stage package, and each stage package's __init__ is a docstring only
(start-up imports nothing it does not need; see test_startup)."""

from __future__ import annotations

import ast

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
