"""The readability report: chart with text alternatives, highlighted sentences, escaping,
contrast, and no outside resources."""

from __future__ import annotations

import re

import pytest

from explainer.build.report import NON_TEXT_PAIRS, PAIRS, PALETTE, ReportEntry, render_report
from explainer.readability.scoring import score_html
from explainer.readability.targets import load_targets
from explainer.render.contrast import contrast_ratio

VERY_HARD = ("Participants demonstrated considerably improved neuropsychological functioning "
             "following intravenous administration of subanaesthetic ketamine.")
HARD = "The researchers compared the effect of ketamine with a dummy medicine in a small trial."
EASY = "The cat sat on the mat."
HTML = f"""<html><body>
<section data-section="summary"><h2>Summary</h2><p>{EASY} {HARD}</p></section>
<section data-section="detail"><p>{VERY_HARD}</p>
<p>Doses were &lt;script&gt;alert(1)&lt;/script&gt; low &amp; safe for most people.</p></section>
</body></html>"""


@pytest.fixture(scope="module")
def report() -> str:
    targets = load_targets()
    entries = [ReportEntry("ketamine-test", audience, score_html(HTML, audience, targets), targets)
               for audience in ("patient", "clinician")]
    return render_report(entries)


def test_chart_is_inline_svg_with_text_alternatives(report: str) -> None:
    svgs = re.findall(r"<svg\b.*?</svg>", report, re.S)
    assert len(svgs) >= 3  # patient: FK and SMOG; clinician (no limits): FK and SMOG
    first = svgs[0]
    assert 'role="img"' in first and "aria-labelledby=" in first
    assert "<title" in first and "<desc" in first
    assert "Flesch-Kincaid grade by section, patient explainer" in first
    assert re.search(r"<desc[^>]*>Flesch-Kincaid grade, target at most 6\. summary [\d.]+; "
                     r"detail [\d.]+ \(over target\)\.</desc>", first)
    assert "target 6" in first and 'class="target"' in first
    # the same figures as a table
    assert "<caption>Scores by section (the same figures as the charts)</caption>" in report


def test_hard_sentences_are_highlighted_and_tagged_in_words(report: str) -> None:
    hard = re.findall(r'<span class="s-hard" title="Grade [\d.]+">([^<]*)</span>'
                      r'<span class="tag">hard, grade [\d.]+</span>', report)
    very = re.findall(r'<span class="s-very_hard" title="Grade [\d.]+">([^<]*)</span>'
                      r'<span class="tag">very hard, grade [\d.]+</span>', report)
    assert HARD in hard  # hard for patients
    assert VERY_HARD in very
    assert f"<p>{EASY} <span" in report  # the easy sentence is not marked
    assert "How to read this report" in report  # the legend


def test_text_is_escaped(report: str) -> None:
    assert "<script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "low &amp; safe" in report


def test_self_contained(report: str) -> None:
    assert not re.search(r"<(link|script|img|iframe)\b", report)
    assert not re.search(r"(src|href)=\"(https?:)?//", report)
    assert "url(" not in report


def test_colours_meet_wcag_aa(report: str) -> None:
    for fg, bg, where in PAIRS:
        assert contrast_ratio(PALETTE[fg], PALETTE[bg]) >= 4.5, where
    for fg, bg, where in NON_TEXT_PAIRS:
        assert contrast_ratio(PALETTE[fg], PALETTE[bg]) >= 3.0, where
    # every colour in the page comes from the palette, declared once in :root
    style = re.search(r"<style>(.*?)</style>", report, re.S).group(1)
    _root, rest = style.split("}", 1)
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(|hsl\(", rest)
    used = set(re.findall(r"var\(--([a-z-]+)\)", rest))
    assert used <= set(PALETTE)
    pairs_cover = {name for pair in PAIRS + NON_TEXT_PAIRS for name in pair[:2]}
    assert used <= pairs_cover


def test_verdicts_and_entries(report: str) -> None:
    assert report.count('class="verdict over"') == 1  # patient is over target
    assert "✗ Over target: Flesch-Kincaid grade" in report
    assert '<p class="verdict ok">✓ Meets target</p>' in report  # clinician: no limits
    assert 'href="#ketamine-test-patient-0"' in report
