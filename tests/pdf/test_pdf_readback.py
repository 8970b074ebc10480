"""The faster PDF path gives the same results: text read back, and PDFs rendered with
stylesheets parsed once."""

from __future__ import annotations

import io

import pikepdf
import pytest
from conftest import MIN_TOPIC
from pypdf import PdfReader

from explainer.build.topic import BuildOptions, asset_dirs
from explainer.document.load import load_document
from explainer.document.model import AUDIENCES
from explainer.guards.caveats import comparable_words
from explainer.pdf import content_stream as stream
from explainer.pdf import render as pdf
from explainer.render.html import RenderOptions, render_html

pytestmark = pytest.mark.slow  # PDF builds


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_reading_back_our_pdfs_gives_the_words_pypdf_gives(built_min, audience):
    result, out = built_min
    data = (out / result.topic / f"{audience}.pdf").read_bytes()

    assert stream._text_of_simple_pdf(PdfReader(io.BytesIO(data))) is not None  # the fast path
    text = stream.pdf_text(data)

    assert comparable_words(text) == comparable_words(pypdf_text(data))
    if audience != "clinician":  # its not-medical-advice caveat is mandatory for these two
        assert "is not medical advice" in " ".join(comparable_words(text))


def test_a_pdf_the_fast_reader_does_not_know_falls_back_to_pypdf():
    doc = pikepdf.new()
    font = doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 300, 200],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=doc.make_stream(b"BT /F1 12 Tf 20 100 Td (Drawn as a literal string) Tj ET")))
    doc.pages.append(page)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()

    assert stream._text_of_simple_pdf(PdfReader(io.BytesIO(data))) is None
    assert "Drawn as a literal string" in stream.pdf_text(data)


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(
    paper="a5", large_print=True, brand={"colours": {"accent": "#7a1f5c"}, "footer": "Trust"})],
    ids=["a4", "a5-large-brand"])
def test_stylesheets_parsed_once_render_the_same_bytes(options, monkeypatch):
    doc = load_document(MIN_TOPIC).doc
    dirs = asset_dirs(BuildOptions())
    for audience in AUDIENCES:
        html = render_html(doc, audience, options)
        assert pdf._split_styles(html) is not None
        cached = pdf.render_pdf(html, dirs)
        with monkeypatch.context() as m:
            m.setattr(pdf, "_split_styles", lambda html: None)
            plain = pdf.render_pdf(html, dirs)
        assert cached == plain, audience


@pytest.mark.parametrize("extra", [
    "<style>p { color: red !important; }</style>",
    '<link rel="stylesheet" href="more.css">',
    '<style media="print">p { color: red; }</style>',
    "<style>@import url(more.css);</style>",
    "<style>body { background: url(paper.png); }</style>",
])
def test_styles_stay_in_the_document_when_moving_them_could_change_the_cascade(extra):
    html = "<html><head><style>p { color: blue; }</style>" + extra + "</head><body></body></html>"
    assert pdf._split_styles(html) is None
    assert pdf._split_styles(html.replace(extra, "")) is not None


@pytest.mark.parametrize("audience", AUDIENCES)
def test_qpdf_reads_back_the_text_the_pypdf_objects_give(built_min, audience):
    from explainer.pdf import reader as pdf_reader

    result, out = built_min
    data = (out / result.topic / f"{audience}.pdf").read_bytes()

    text = pdf_reader.simple_text(data)  # the path pdf_text takes first

    assert text is not None
    assert text == stream._text_of_simple_pdf(PdfReader(io.BytesIO(data))) == stream.pdf_text(data)


def test_qpdf_reader_declines_what_it_cannot_decode_and_pdf_text_falls_back():
    from explainer.pdf import reader as pdf_reader

    doc = pikepdf.new()
    font = doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    doc.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 300, 200],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=doc.make_stream(b"BT /F1 12 Tf 20 100 Td (A Type1 font) Tj ET"))))
    buffer = io.BytesIO()
    doc.save(buffer)

    assert pdf_reader.simple_text(buffer.getvalue()) is None
    assert pdf_reader.simple_text(b"%PDF-1.7 not really") is None
    assert "A Type1 font" in stream.pdf_text(buffer.getvalue())


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pages_counted_through_qpdf_match_pypdf_page_for_page(built_min, audience):
    from explainer.guards import pages
    from explainer.pdf import reader as pdf_reader

    result, out = built_min
    data = (out / result.topic / f"{audience}.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    appendix = [reader.get_destination_page_number(item) for item in pages._flat(reader.outline)
                if str(item.title).startswith(pages.APPENDIX_PREFIX)]

    assert pdf_reader.pages_and_bookmarks(data) is not None  # the path count_pages takes
    count = pages.count_pages(data)

    assert count.total == len(reader.pages)
    assert count.main == min(appendix, default=len(reader.pages))
    assert [" ".join(t.split()) for t in count.page_texts] == [
        " ".join((p.extract_text() or "").split()) for p in reader.pages]


def test_a_built_pdf_is_opened_once_for_its_three_readings_and_reads_as_a_fresh_copy(
        built_min, monkeypatch):
    """The build reads each PDF three times (caveats without the footer, leaks with it, the
    page count): qpdf opens the bytes once, and each reading equals that of a fresh copy."""
    from explainer.guards.pages import count_pages
    from explainer.pdf import reader as pdf_reader

    result, out = built_min
    data = (out / result.topic / "patient.pdf").read_bytes()
    fresh = [stream.pdf_text(bytes(bytearray(data)), furniture=False),
             stream.pdf_text(bytes(bytearray(data))), count_pages(bytes(bytearray(data)))]
    opened = []
    real_open = pikepdf.open
    monkeypatch.setattr(pikepdf, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))

    shared = [stream.pdf_text(data, furniture=False), stream.pdf_text(data), count_pages(data)]

    assert shared == fresh and len(opened) == 1
    assert fresh[0] != fresh[1]  # the running footer is left out of the first
    assert pdf_reader.simple_text(data) == fresh[1]
