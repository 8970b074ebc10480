"""WCAG 2.2 AA in a real browser: axe-core in headless Debian Chromium over every bundled output.

The harness (tests/a11y/run_axe.mjs) is a node script: playwright-core launches
/usr/bin/chromium and talks to it over --remote-debugging-pipe, so neither this process nor
node opens a network socket (pytest-socket stays on here); pages load from file:// and any
other request is blocked and reported. Without Chromium or node_modules the test is skipped
on a developer machine, but fails in CI (CI set), where .ci/run installs both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIN_TOPIC
from helpers import NARROW, describe, run_harness

from explainer.document.model import AUDIENCES

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def check_results(report: dict) -> None:
    failures = []
    for r in report["results"]:
        name = Path(r["file"]).name
        if r["violations"]:
            failures.append(describe(r))
        if r["blocked"]:
            failures.append(f"{name}: tried to load {r['blocked']}")
        if r["csp"]:
            failures.append(f"{name}: breaks its Content-Security-Policy: {r['csp']}")
        if "Content-Security-Policy" not in Path(r["file"]).read_text():
            failures.append(f"{name}: has no Content-Security-Policy")
        if name == "report.html":
            continue  # a wide data table: WCAG 1.4.10 exempts two-dimensional layouts
        failures += layout_failures(name, r)
    assert not failures, "\n".join(failures)


def layout_failures(name: str, r: dict) -> list[str]:
    """A page that scrolls sideways on a narrow screen, or whose print layout is off."""
    failures = []
    if r["scrollWidth"] > NARROW:
        failures.append(f"{name}: scrolls sideways at {NARROW} px ({r['scrollWidth']} px wide)")
    p = r["print"]
    if p["scrollWidth"] > p["clientWidth"]:
        failures.append(f"{name}: print layout is wider than the page ({p})")
    size = float(p["bodyFontSize"].removesuffix("px"))
    # 12 pt = 16 CSS px: the print stylesheet reached the browser.
    if size < 16:
        failures.append(f"{name}: print body text {p['bodyFontSize']} is under 12 pt")
    if float(p["lineHeight"].removesuffix("px")) / size < 1.4:
        failures.append(f"{name}: print line spacing under 1.4 ({p})")
    if set(p["textAlign"]) - {"left", "start"}:
        failures.append(f"{name}: body text is not left-aligned in print ({p['textAlign']})")
    return failures


def text_positions(page) -> list[tuple[str, float]]:
    """(text, baseline y in points from the page bottom) for each piece of text drawn."""
    out: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return out


def check_browser_print(report: dict, paper_pt: tuple[float, float]) -> None:
    """The browser's own print: right paper, page numbers and footer in the bottom margin,
    and the page's content (not the furniture) at the top of page 1."""
    from pypdf import PdfReader

    for r in report["results"]:
        if Path(r["file"]).name == "report.html":
            continue
        reader = PdfReader(r["pdf"])
        box = reader.pages[0].mediabox
        height = float(box.height)
        assert (round(float(box.width)), round(height)) == paper_pt, r["pdf"]
        pieces = text_positions(reader.pages[0])
        text = " ".join(t for t, _ in pieces)
        assert f"Page 1 of {len(reader.pages)}" in text, f"{r['pdf']}: no page numbers"
        assert "Version " in text, f"{r['pdf']}: no version in the footer"
        footer = [y for t, y in pieces if "Page 1 of" in t or t.startswith("Version ")]
        assert footer and max(footer) < 0.08 * height, (r["pdf"], footer)
        first = r["print"]["firstText"]
        # The title may repeat in the running footer: look for it above the footer only.
        top = [y for t, y in pieces if (first.startswith(t) or t.startswith(first))
               and y > 0.08 * height]
        assert top and min(top) > 0.75 * height, (r["pdf"], first, top)
        assert max(y for _, y in pieces) == max(top), f"{r['pdf']}: text drawn above {first!r}"


def test_bundled_outputs_pass_axe_in_chromium(browser_ready, built_example, tmp_path):
    result, out = built_example
    topic = out / result.topic
    files = [topic / f"{a}.html" for a in AUDIENCES]
    assert all(f.is_file() for f in files), [str(p) for o in result.outputs for p in o.problems]
    if (topic / "report.html").is_file():
        files.append(topic / "report.html")
    report = run_harness(files, tmp_path)
    assert len(report["results"]) == len(files)
    check_results(report)
    check_browser_print(report, (595, 842))


def test_branded_large_print_a5_outputs_pass_axe(browser_ready, tmp_path):
    """Other paths through the templates: brand logo and colours, large print, A5."""
    import base64

    from explainer.document.config import load_config
    from explainer.document.load import load_document
    from explainer.render.html import RenderOptions, render_html

    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="120" height="40" fill="#004d40"/></svg>')
    (tmp_path / "explainer.yaml").write_text(
        "brand:\n  organisation: Example Health Trust\n  logo: logo.svg\n"
        "  logo_alt: Example Health Trust\n  colours: {accent: '#6a1b9a', ink: '#111111'}\n"
        "  contact: ['Advice line: 0300 000 0000']\n  footer: Example Health Trust leaflet\n")
    brand = load_config(tmp_path / "explainer.yaml").render_brand()
    assert brand["logo"].startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(brand["logo"].split(",", 1)[1]).startswith(b"<svg")
    doc = load_document(MIN_TOPIC).doc
    files = []
    for audience in AUDIENCES:
        html = render_html(doc, audience, RenderOptions(paper="a5", large_print=True, brand=brand))
        path = tmp_path / f"{audience}.html"
        path.write_text(html)
        files.append(path)
    report = run_harness(files, tmp_path)
    check_results(report)
    check_browser_print(report, (420, 595))


def test_the_policy_stops_a_fetch_before_it_is_made(browser_ready, tmp_path):
    """Had a reference slipped past the build's check, the page's own policy stops it in the
    browser: no request leaves, and the breach is reported (so check_results can fail)."""
    from explainer.render.selfcontained import with_csp

    page = tmp_path / "slipped.html"
    page.write_text(with_csp(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<img src="http://127.0.0.1:1/pixel.png" alt="x"><p style="background: '
        'url(http://127.0.0.1:1/bg.png)">text</p><script>document.title = "ran"</script>'
        "</main></body></html>"))
    [result] = run_harness([page], tmp_path)["results"]
    assert result["blocked"] == []  # the browser never asked for them
    breaches = " ".join(result["csp"])
    assert "http://127.0.0.1:1/pixel.png" in breaches and "http://127.0.0.1:1/bg.png" in breaches
    assert "script-src" in breaches
