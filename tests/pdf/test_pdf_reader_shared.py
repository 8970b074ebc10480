"""The one PDF text reader: score's structure reading goes through the reader the build reads
its PDFs back with, gives what pypdf gives, and keeps its limits on the fast path too."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pytest

from explainer.document.model import AUDIENCES
from explainer.pdf import reader as pdf_reader
from explainer.pdf import structure as pdf_structure
from explainer.pdf.reader import PdfTooLarge, PdfUnreadable, read_pdf_text


def _paragraphs(blocks: list) -> list[tuple[str, str, str]]:
    out = []
    for block in blocks:
        text = " ".join(pdf_structure._BROKEN_WORD.sub(lambda m: m.group(1) or "",
                                                       "".join(block.pieces)).split())
        if text:
            out.append((block.kind, text, block.category))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("audience", AUDIENCES)
def test_score_reads_a_built_pdf_by_the_fast_reader_as_pypdf_does(built_min, audience):
    result, out = built_min
    data = (out / result.topic / f"{audience}.pdf").read_bytes()

    fast = pdf_structure._read_fast(data, 2000, 5_000_000)
    assert fast is not pdf_structure._DECLINED and fast  # the path score takes
    assert _paragraphs(fast) == _paragraphs(pdf_structure._read_with_pypdf(data, 2000,
                                                                           5_000_000))
    assert any(kind == "heading" for kind, _, _ in _paragraphs(fast))


def _one_page(content: bytes, pages: int = 1) -> bytes:
    doc = pikepdf.new()
    for _ in range(pages):
        stream = pikepdf.Stream(doc, zlib.compress(content))
        stream.Filter = pikepdf.Name.FlateDecode
        doc.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 300, 200], Contents=stream,
            Resources=pikepdf.Dictionary())))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_stream_over_the_limit_is_refused_by_the_fast_path(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 10_000)
    data = _one_page(b"0 0 m " * 5_000)  # 30 kB unpacked from a few hundred bytes
    with pytest.raises(PdfUnreadable, match="decompression bomb"):
        read_pdf_text(data)
    assert read_pdf_text(_one_page(b"0 0 m " * 100)) == ""  # under the limit: read


def test_page_limit_holds_on_the_fast_path():
    with pytest.raises(PdfTooLarge) as caught:
        read_pdf_text(_one_page(b"0 0 m", pages=3), max_pages=2)
    assert str(caught.value) == "3 pages (limit 2 pages)"
