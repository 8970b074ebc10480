"""The objects the PDF read-back needs, taken from the file with pikepdf (qpdf).

pypdf parses every object of the object streams on opening (700-1,100 per document, mostly
the PDF/UA structure tree), which was over half of the read-back. qpdf reads the cross-
reference table and then only the objects asked for: the page tree, each page's fonts
(their ToUnicode map and widths) and content streams. The text itself is then decoded by
explainer.pdf.content_stream's reader, from the written file's own glyph-to-text maps,
exactly as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .content_stream import _Font, _fonts_from_cmap, _Unsupported


def _font(font: Any) -> _Font:
    import pikepdf

    if (font.get("/Subtype") != pikepdf.Name.Type0
            or font.get("/Encoding") != pikepdf.Name("/Identity-H")
            or "/ToUnicode" not in font):
        raise _Unsupported
    cid_font = font.DescendantFonts[0]
    w = [list(map(float, item)) if isinstance(item, pikepdf.Array) else float(item)
         for item in cid_font.get("/W", [])]
    return _fonts_from_cmap(font.ToUnicode.read_bytes(), w, float(cid_font.get("/DW", 1000)))


def _pages(pdf: Any) -> Iterator[tuple[bytes, dict[str, _Font]]]:
    import pikepdf

    fonts: dict[tuple[int, int], _Font] = {}
    for page in pdf.pages:
        used: dict[str, _Font] = {}
        resources = page.resources  # inherited from the page tree if need be
        for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                raise _Unsupported  # text drawn inside a form (a translucent box): pypdf
        for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
            key = font.objgen if font.is_indirect else (id(font), 0)
            if key not in fonts:
                fonts[key] = _font(font)
            used[name[1:]] = fonts[key]
        contents = page.obj.Contents
        parts = contents if isinstance(contents, pikepdf.Array) else [contents]
        yield b"\n".join(part.read_bytes() for part in parts), used


def _bookmarks(pdf: Any) -> list[tuple[str, int]]:
    import pikepdf

    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    marks: list[tuple[str, int]] = []
    with pdf.open_outline() as outline:
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            dest = item.destination
            if not isinstance(dest, pikepdf.Array) or not len(dest):
                raise _Unsupported  # a named destination or an action: not WeasyPrint's
            marks.append((str(item.title), pages[dest[0].objgen]))
            stack.extend(reversed(item.children))
    return marks


_ERRORS: tuple[type[Exception], ...] = (_Unsupported, KeyError, IndexError, TypeError,
                                         ValueError, AttributeError)


@dataclass
class _ReadBack:
    """One PDF as qpdf read it: each page's content and fonts, and its bookmarks (None when
    the simple reader declines them). Page texts are decoded once per furniture setting."""

    pages: list[tuple[bytes, dict[str, _Font]]]
    bookmarks: list[tuple[str, int]] | None
    texts: list[dict[bool, str | Exception]] | None = None

    def page_texts(self, furniture: bool) -> list[str]:
        # A build asks for both (the caveat proof without the footer, the leak check with
        # it): each page's text objects are decoded once for the two.
        if self.texts is None:
            from .content_stream import page_texts_both

            self.texts = [page_texts_both(content, fonts) for content, fonts in self.pages]
        out = []
        for page in self.texts:
            text = page[furniture]
            if isinstance(text, Exception):
                raise text
            out.append(text)
        return out


# A build reads each PDF it wrote three times (the caveat proof without the footer, the
# leak check with it, the page count with the bookmarks): the last file read is kept, by
# identity of its bytes, so qpdf opens it once and each text is decoded once.
_last = threading.local()


def _read_back(data: bytes) -> _ReadBack | None:
    import io

    import pikepdf

    held = getattr(_last, "held", None)
    if held is not None and held[0] is data:
        return held[1]
    back: _ReadBack | None
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = list(_pages(pdf))
            try:
                bookmarks: list[tuple[str, int]] | None = _bookmarks(pdf)
            except (*_ERRORS, pikepdf.PdfError):
                bookmarks = None
            back = _ReadBack(pages, bookmarks)
    except (*_ERRORS, pikepdf.PdfError):
        back = None
    _last.held = (data, back)
    return back


def simple_text(data: bytes, furniture: bool = True) -> str | None:
    """The text of a PDF WeasyPrint wrote, page by page, as
    explainer.pdf.content_stream.pdf_text reads it; None when the file holds something the
    simple reader does not handle."""
    back = _read_back(data)
    if back is None:
        return None
    try:
        return "\n".join(back.page_texts(furniture))
    except _ERRORS:
        return None


def pages_and_bookmarks(data: bytes) -> tuple[list[str], list[tuple[str, int]]] | None:
    """Each page's text (as ``simple_text`` reads it) and each bookmark's title with the
    index of the page it points to; None when the simple reader declines the file."""
    back = _read_back(data)
    if back is None or back.bookmarks is None:
        return None
    try:
        return back.page_texts(True), back.bookmarks
    except _ERRORS:
        return None
