"""Print layout after leaflet guidance, measured in the PDFs WeasyPrint writes.

Paper sizes, page counts, embedded fonts, text size (12 pt, 16 pt large print), line
spacing, line length, the footer on every page, and no heading left at a page's foot.
"""

from __future__ import annotations

import io
import itertools
import statistics
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from a11y.pdftags import HEADINGS, read
from conftest import BUNDLED, MIN_TOPIC
from pypdf import PdfReader

from explainer.document.load import load_document
from explainer.document.model import AUDIENCES
from explainer.pdf.content_stream import pdf_text
from explainer.pdf.render import render_pdf
from explainer.render.html import RenderOptions, render_html
from explainer.render.templates_dir import builtin_templates
from explainer.render.view import date_in_words

pytestmark = pytest.mark.slow  # PDF builds

PAPER_PT = {"a4": (595, 842), "a5": (420, 595), "letter": (612, 792)}
TOPICS = {"bundled": BUNDLED, "synthetic": MIN_TOPIC}
# Generous bounds: they catch a blank page per element or a lost section, not a new sentence.
MAX_PAGES = {("bundled", "a4"): 16, ("bundled", "letter"): 16, ("bundled", "a5"): 30,
             ("synthetic", "a4"): 3, ("synthetic", "letter"): 3, ("synthetic", "a5"): 5}


@cache
def pdf(topic: str, audience: str, paper: str = "a4", large: bool = False) -> bytes:
    doc = load_document(TOPICS[topic]).doc
    html = render_html(doc, audience, RenderOptions(paper=paper, large_print=large))  # type: ignore[arg-type]
    return render_pdf(html, [builtin_templates()])


def text_sizes(data: bytes) -> dict[bool, list[float]]:
    """Effective font sizes (pt) of drawn text, split into page furniture (True) and content."""
    sizes: dict[bool, list[float]] = {True: [], False: []}
    for page in PdfReader(io.BytesIO(data)).pages:
        stack: list[bool] = []

        def before(op, args, cm, tm, stack=stack):
            if op in (b"BDC", b"BMC"):
                stack.append(args[0] == "/Artifact")
            elif op == b"EMC" and stack:
                stack.pop()

        def visit(text, cm, tm, font, size, stack=stack):
            if text.strip():
                sizes[any(stack)].append(size * abs(tm[3]) * abs(cm[3]))

        page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return sizes


def baselines(data: bytes) -> list[float]:
    """Gaps between successive baselines of 12 pt content text on each page."""
    gaps = []
    for page in PdfReader(io.BytesIO(data)).pages:
        ys: list[float] = []

        def visit(text, cm, tm, font, size, ys=ys):
            if text.strip() and abs(size * abs(tm[3]) * abs(cm[3]) - 12) < 0.01:
                y = tm[5] * cm[3] + cm[5]
                if not ys or abs(ys[-1] - y) > 0.5:
                    ys.append(y)

        page.extract_text(visitor_text=visit)
        gaps += [a - b for a, b in itertools.pairwise(ys) if 0 < a - b < 30]
    return gaps


def line_lengths(data: bytes) -> list[int]:
    """Characters in each full-looking line of content (furniture lines left out)."""
    lines = pdf_text(data).splitlines()
    return [len(ln) for ln in lines if len(ln) >= 40 and "|" not in ln and "Page " not in ln]


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("paper", PAPER_PT)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_paper_size_page_count_and_embedded_fonts(topic, paper, audience):
    data = pdf(topic, audience, paper)
    doc = pikepdf.open(io.BytesIO(data))
    assert 1 <= len(doc.pages) <= MAX_PAGES[(topic, paper)], len(doc.pages)
    for page in doc.pages:
        box = [float(v) for v in page.MediaBox]
        assert (round(box[2] - box[0]), round(box[3] - box[1])) == PAPER_PT[paper]
        for font in page.Resources.get("/Font", {}).values():
            cid = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert any(k in cid.FontDescriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_smaller_paper_and_large_print_take_more_pages():
    for audience in AUDIENCES:
        a4 = len(PdfReader(io.BytesIO(pdf("bundled", audience, "a4"))).pages)
        a5 = len(PdfReader(io.BytesIO(pdf("bundled", audience, "a5"))).pages)
        large = len(PdfReader(io.BytesIO(pdf("bundled", audience, "a4", True))).pages)
        assert a5 > a4 and large > a4, (audience, a4, a5, large)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("large", [False, True], ids=["12pt", "large-print"])
def test_text_size_and_line_spacing(audience, large):
    data = pdf("bundled", audience, "a4", large)
    sizes = text_sizes(data)
    floor = 16 if large else 12
    assert min(sizes[False]) >= floor - 0.01, f"content text under {floor} pt"
    assert statistics.mode(round(s, 1) for s in sizes[False]) == floor  # body text size
    assert sizes[True], "no page furniture drawn"
    if not large:
        gap = statistics.median(baselines(data))
        assert gap / 12 >= 1.4, f"line spacing {gap / 12:.2f} is under 1.4"


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize(("paper", "large", "low", "high"), [
    ("a4", False, 60, 75), ("letter", False, 60, 75),
    # A5 at 12 pt, and 16 pt on A4, cannot reach 60 characters with sane margins.
    ("a5", False, 50, 75), ("a4", True, 45, 75),
])
def test_line_length(audience, paper, large, low, high):
    lengths = line_lengths(pdf("bundled", audience, paper, large))
    full = sorted(lengths)[int(len(lengths) * 0.9)]  # a full line, not a paragraph's last
    assert low <= full <= high, f"{paper}{' large' if large else ''}: {full} characters a line"


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_footer_on_every_page_and_no_stranded_headings(audience, paper):
    data = pdf("bundled", audience, paper)
    doc = load_document(BUNDLED).doc
    tagged = read(data)
    pages = len(tagged.pdf.pages)
    for i, furniture in enumerate(tagged.artifact_text):
        assert f"Page {i + 1} of {pages}" in furniture
        assert f"Version {doc.version}" in furniture and date_in_words(str(doc.date)) in furniture
    # The last thing drawn on a page (highest MCID) must not belong to a heading.
    owner: dict[tuple[int, int], str] = {}

    def own(elem, heading: str | None) -> None:
        here = elem.tag if elem.tag in HEADINGS else heading
        for part in elem.parts:
            owner[part] = here or elem.tag
        for kid in elem.kids:
            own(kid, here)

    for elem in tagged.elems:
        if elem.depth == 0:
            own(elem, None)
    for page in range(pages - 1):
        last = max(m for p, m in owner if p == page)
        assert owner[(page, last)] not in HEADINGS, (
            f"{paper} {audience}: page {page + 1} ends with a heading: "
            f"{tagged.texts.get((page, last))!r}")


def test_print_css_keeps_the_rules_the_tests_rely_on():
    """Guard against a silent edit: the leaflet rules live in style.css, not in the tests."""
    css = Path(builtin_templates() / "style.css").read_text()
    assert "text-align: left" in css
    assert "break-after: avoid" in css
    assert "body.large-print { font-size: 16pt; }" in css
