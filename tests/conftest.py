"""Shared fixtures. The network is blocked for every test (pytest-socket, see pyproject)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = REPO / "seeds" / "ketamine-opioid.yaml"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
MIN_TOPIC = FIXTURES / "findings" / "topic_min.yaml"


@pytest.fixture(scope="session")
def built_example(tmp_path_factory):
    """The bundled example built once (HTML + PDF, all audiences) for the read-only tests."""
    from explainer.build.topic import BuildOptions, build_topic

    out = tmp_path_factory.mktemp("out")
    result = build_topic(BUNDLED, BuildOptions(out_dir=out))
    return result, out


@pytest.fixture(scope="session")
def built_min(tmp_path_factory):
    from explainer.build.topic import BuildOptions, build_topic

    out = tmp_path_factory.mktemp("out-min")
    result = build_topic(MIN_TOPIC, BuildOptions(out_dir=out))
    return result, out
