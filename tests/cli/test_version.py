"""The version is defined once, in explainer/__init__.py: the installed package's metadata
(what pip and `importlib.metadata` report) is read from it, not written a second time."""

from __future__ import annotations

import re
from importlib.metadata import version

from conftest import REPO

import explainer


def test_the_installed_version_is_the_one_in_the_code():
    project = (REPO / "pyproject.toml").read_text(encoding="utf-8").split("[project]", 1)[1]
    project = project.split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M)
    assert re.search(r'^dynamic\s*=\s*\[[^]]*"version"', project, re.M)
    assert version("explainer") == explainer.__version__
