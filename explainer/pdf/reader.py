"""The objects the PDF read-back needs, taken from the file with pikepdf (qpdf).

pypdf parses every object of the object streams on opening (700-1,100 per document, mostly
the PDF/UA structure tree), which was over half of the read-back. qpdf reads the cross-
reference table and then only the objects asked for: the page tree, each page's fonts
(their ToUnicode map and widths) and content streams. The text itself is then decoded by
explainer.pdf.render's own content-stream reader, from the written file's own glyph-to-text maps,
exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .render import _Font, _fonts_from_cmap, _Unsupported


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


def simple_pages(data: bytes) -> Iterator[tuple[bytes, dict[str, _Font]]]:
    """Each page's content (its streams decoded and joined) and its fonts by resource name.

    Raises _Unsupported for a font the simple reader cannot decode, and pikepdf's own errors
    for a file qpdf cannot read; the caller then falls back to pypdf."""
    import io

    import pikepdf

    fonts: dict[tuple[int, int], _Font] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
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


def simple_text(data: bytes, furniture: bool = True) -> str | None:
    """The text of a PDF WeasyPrint wrote, page by page, as explainer.pdf.render.pdf_text reads it;
    None when the file holds something the simple reader does not handle."""
    import pikepdf

    from .render import _page_text

    try:
        return "\n".join(_page_text(content, fonts, furniture)
                         for content, fonts in simple_pages(data))
    except (_Unsupported, pikepdf.PdfError, KeyError, IndexError, TypeError, ValueError,
            AttributeError):
        return None


def pages_and_bookmarks(data: bytes) -> tuple[list[str], list[tuple[str, int]]] | None:
    """Each page's text (as ``simple_text`` reads it) and each bookmark's title with the
    index of the page it points to; None when the simple reader declines the file."""
    import io

    import pikepdf

    from .render import _page_text

    try:
        texts = [_page_text(content, fonts) for content, fonts in simple_pages(data)]
        marks: list[tuple[str, int]] = []
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
            with pdf.open_outline() as outline:
                stack = list(reversed(outline.root))
                while stack:
                    item = stack.pop()
                    dest = item.destination
                    if not isinstance(dest, pikepdf.Array) or not len(dest):
                        raise _Unsupported  # a named destination or an action: not WeasyPrint's
                    marks.append((str(item.title), pages[dest[0].objgen]))
                    stack.extend(reversed(item.children))
        return texts, marks
    except (_Unsupported, pikepdf.PdfError, KeyError, IndexError, TypeError, ValueError,
            AttributeError):
        return None
