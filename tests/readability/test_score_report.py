"""`explainer score FILE --html OUT.html`: a self-contained, accessible highlighted report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import NARROW, describe, run_harness
from typer.testing import CliRunner

from explainer.cli import app

DRAFT = """# Ketamine news

LONDON, 24 July 2025 - Researchers demonstrated that participants who received the intravenous
medication experienced substantially improved outcomes, notwithstanding considerable
interindividual variability in pharmacokinetic parameters.

The drug was given to twenty people. An outcome was measured. The cat sat on the mat.

## What it means

Ketamine is a medicine. Some people feel better within a day, but the effect can fade.
"""


@pytest.fixture
def report(tmp_path: Path) -> Path:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["score", str(draft), "--html", str(out)])
    assert result.exit_code == 1, result.output  # over the patient target
    return out


def test_report_highlights_sentences_and_suggests_inline(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert re.search(r'<span class="s-very_hard" title="Grade [\d.]+">Researchers', html)
    assert '<mark class="w-note">outcomes</mark><span class="note-inline"> (try &#39;results' \
           "&#39;)</span>" in html
    assert '<mark class="w-note">was given</mark>' in html
    assert "line 3, column" in html  # every diagnostic with its position
    assert "Over target" in html and "Scores by section" in html
    assert "LONDON" not in re.sub(r"<[^>]+>", "", html.split("The text, sentence by")[1])


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"(?:src|href)=\"(?!#)", html)  # nothing to fetch, only anchors


@pytest.mark.slow
@pytest.mark.browser
def test_report_passes_axe_in_chromium(browser_ready, report: Path, tmp_path: Path) -> None:
    result = run_harness([report], tmp_path)["results"][0]
    assert not result["violations"], describe(result)
    assert not result["blocked"]
    assert result["scrollWidth"] <= NARROW
