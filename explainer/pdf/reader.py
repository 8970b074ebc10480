"""The one PDF text reader, for the build's read-back, ``score``, ``sources`` and ``check``.

pypdf parses every object of the object streams on opening (700-1,100 per document, mostly
the PDF/UA structure tree), which was over half of the read-back. qpdf (pikepdf) reads the
cross-reference table and then only the objects asked for: the page tree, each page's fonts
(their ToUnicode map and widths) and content streams. The text itself is then decoded by
explainer.pdf.content_stream's reader, from the file's own glyph-to-text maps. A PDF
that holds something that reader does not handle (another producer's fonts, literal strings)
falls back to pypdf, as before.

A PDF from a user (``score``, a source text) is read within limits: pages, characters of
text, and every stream unpacked at most to pypdf's own limit, so a decompression bomb is
refused by either path instead of filling memory.
"""

from __future__ import annotations

import bisect
import re
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .content_stream import (
    PageText,
    _Font,
    _fonts_from_cmap,
    _page_pieces,
    _page_text,
    _Unsupported,
)

MAX_STREAM_BYTES = 75_000_000  # pypdf's ZLIB_MAX_OUTPUT_LENGTH: the same limit on both paths
_BOMB = "a stream unpacks to more than pypdf's limit (a decompression bomb?): refused"


class PdfUnreadable(Exception):
    """A PDF that cannot be read; ``str()`` is the one-line reason."""


class PdfTooLarge(PdfUnreadable):
    """More pages or text than the caller's limit."""

    def __init__(self, size: str, limit: str) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"{size} (limit {limit})")


def _stream_bytes(stream: Any) -> bytes:
    """A stream's data unpacked, at most MAX_STREAM_BYTES of it (qpdf has no such limit)."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters is None:
        data = stream.read_raw_bytes()
    elif filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        unpack = zlib.decompressobj()
        try:
            data = unpack.decompress(stream.read_raw_bytes(), MAX_STREAM_BYTES + 1)
        except zlib.error:
            raise _Unsupported from None  # pypdf's reading may recover what is left
    else:
        raise _Unsupported  # another filter: pypdf, which limits its own
    if len(data) > MAX_STREAM_BYTES:
        raise PdfUnreadable(_BOMB)
    return bytes(data)


def _font(font: Any) -> _Font:
    import pikepdf

    if (font.get("/Subtype") != pikepdf.Name.Type0
            or font.get("/Encoding") != pikepdf.Name("/Identity-H")
            or "/ToUnicode" not in font):
        raise _Unsupported
    cid_font = font.DescendantFonts[0]
    w = [list(map(float, item)) if isinstance(item, pikepdf.Array) else float(item)
         for item in cid_font.get("/W", [])]
    return _fonts_from_cmap(_stream_bytes(font.ToUnicode), w, float(cid_font.get("/DW", 1000)))


def _pages(pdf: Any, max_pages: int | None = None
           ) -> Iterator[tuple[int, bytes, dict[str, _Font]]]:
    import pikepdf

    fonts: dict[tuple[int, int], _Font] = {}
    if max_pages is not None and len(pdf.pages) > max_pages:
        raise PdfTooLarge(f"{len(pdf.pages)} pages", f"{max_pages} pages")
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
        yield (page.obj.objgen[0], b"\n".join(_stream_bytes(part) for part in parts),
               used)


def simple_pages(data: bytes, max_pages: int | None = None
                 ) -> Iterator[tuple[int, bytes, dict[str, _Font]]]:
    """Each page's object number, content (its streams decoded and joined) and fonts by
    resource name.

    Raises _Unsupported for a font the simple reader cannot decode, PdfUnreadable for a
    stream over the limit or more than ``max_pages``, and pikepdf's own errors for a file
    qpdf cannot read; the callers then fall back to pypdf."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        yield from _pages(pdf, max_pages)


def _declined() -> tuple[type[Exception], ...]:
    import pikepdf

    return (_Unsupported, pikepdf.PdfError, KeyError, IndexError, TypeError, ValueError,
            AttributeError)


def _bookmarks(pdf: Any) -> list[tuple[str, int]]:
    import pikepdf

    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    marks: list[tuple[str, int]] = []
    # Read, not edited: outside a ``with`` block the outline is not written back into the
    # (never saved) file on the way out, which was a third of reading it.
    stack = list(reversed(pdf.open_outline().root))
    while stack:
        item = stack.pop()
        dest = item.destination
        if not isinstance(dest, pikepdf.Array) or not len(dest):
            raise _Unsupported  # a named destination or an action: not WeasyPrint's
        marks.append((str(item.title), pages[dest[0].objgen]))
        stack.extend(reversed(item.children))
    return marks


@dataclass
class _ReadBack:
    """One PDF as qpdf read it: each page's content and fonts, and its bookmarks (None when
    the simple reader declines them). Each page's text objects are decoded once, for the
    readings with and without the furniture."""

    pages: list[tuple[int, bytes, dict[str, _Font]]]
    bookmarks: list[tuple[str, int]] | None
    texts: dict[bool, list[str]] = field(default_factory=dict)
    decoded: list[PageText] = field(default_factory=list)  # each text object decoded once

    def page_texts(self, furniture: bool) -> list[str]:
        if furniture not in self.texts:
            if not self.decoded:
                self.decoded = [PageText(content, fonts) for _, content, fonts in self.pages]
            self.texts[furniture] = [page.text(furniture) for page in self.decoded]
        return self.texts[furniture]


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
            except _declined():
                bookmarks = None
            back = _ReadBack(pages, bookmarks)
    except _declined():
        back = None
    _last.held = (data, back)
    return back


def simple_text(data: bytes, furniture: bool = True, max_pages: int | None = None,
                max_chars: int | None = None) -> str | None:
    """The text of a PDF WeasyPrint wrote, page by page, as
    explainer.pdf.content_stream.pdf_text reads it; None when the file holds something the
    simple reader does not handle."""
    if max_pages is None and max_chars is None:  # the build reading back what it wrote
        back = _read_back(data)
        if back is None:
            return None
        try:
            return "\n".join(back.page_texts(furniture))
        except _declined():
            return None
    try:
        pages: list[str] = []
        size = 0
        for _, content, fonts in simple_pages(data, max_pages):
            pages.append(_page_text(content, fonts, furniture))
            size += len(pages[-1])
            if max_chars is not None and size > max_chars:
                raise PdfTooLarge("more text", f"{max_chars:,} characters")
        return "\n".join(pages)
    except _declined():
        return None


def read_pdf_text(data: bytes, furniture: bool = True, *, max_pages: int | None = None,
                  max_chars: int | None = None, quiet: bool = False) -> str:
    """The text a reader sees in a PDF, page by page (explainer.pdf.content_stream.pdf_text
    says how).

    Raises PdfUnreadable (PdfTooLarge over ``max_pages`` or ``max_chars``) with a one-line
    reason for a PDF that cannot be read or is a decompression bomb. ``quiet`` keeps pypdf's
    log lines off stderr (process-wide: for a command reading a user's file, not a build)."""
    text = simple_text(data, furniture, max_pages, max_chars)  # qpdf: only what it needs
    if text is not None:
        return text
    from contextlib import nullcontext

    from .content_stream import quiet_pypdf

    with quiet_pypdf() if quiet else nullcontext():
        return _pypdf_text(data, furniture, max_pages, max_chars)


def _pypdf_text(data: bytes, furniture: bool, max_pages: int | None,
                max_chars: int | None) -> str:
    import io

    from pypdf import PdfReader

    from .content_stream import _text_of_simple_pdf

    try:
        reader = PdfReader(io.BytesIO(data))
        if max_pages is not None and len(reader.pages) > max_pages:
            raise PdfTooLarge(f"{len(reader.pages)} pages", f"{max_pages} pages")
        for page in reader.pages:
            check_streams(page)
        text = _text_of_simple_pdf(reader, furniture)
        if text is not None:
            if max_chars is not None and len(text) > max_chars:
                raise PdfTooLarge("more text", f"{max_chars:,} characters")
            return text
        # Something our reader does not handle: pypdf's general extractor.
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if max_chars is not None and size > max_chars:
                raise PdfTooLarge("more text", f"{max_chars:,} characters")
        return "\n".join(pages)
    except PdfUnreadable:
        raise
    except Exception as exc:
        raise PdfUnreadable(pdf_error(exc)) from None


def check_streams(page: Any) -> None:
    """Decode a page's content streams once, so that a decompression bomb raises pypdf's
    LimitReachedError here (its text extraction swallows it and returns nothing)."""
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()


def pdf_error(exc: Exception) -> str:
    """pypdf's failure as one short line."""
    from pypdf.errors import LimitReachedError

    if isinstance(exc, LimitReachedError):
        return _BOMB
    if isinstance(exc, RecursionError):
        return "objects nested too deep"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


# ---------------------------------------------------------------------------------------------
# Text by marked content, for the structure reader (explainer.pdf.structure).

# A marked-content sequence as WeasyPrint writes it: /Tag <<props>> BDC ... EMC or /Tag BMC
# ... EMC, never nested (one that is makes the reader decline the file).
_MARKED = re.compile(rb"/(?P<tag>[^\s/<>\[\]()]+)\s*(?:<<(?P<props>[^<>]*)>>\s*BDC|BMC)(?=\s)"
                     rb"(?P<body>.*?)(?<=\s)EMC(?!\w)", re.S)
_MARK_OPERATOR = re.compile(rb"(?<![\w/])(?:BDC|BMC)(?!\w)")
_MCID = re.compile(rb"/MCID\s+(\d+)")


def marked_text(data: bytes, max_pages: int | None = None, max_chars: int | None = None
                ) -> dict[tuple[int, int], list[str]] | None:
    """(page object number, MCID) -> the runs of text of that marked content, in content
    order; artifacts and unmarked text left out. None when the simple reader declines the
    file (the structure reader then asks pypdf)."""
    found: dict[tuple[int, int], list[str]] = {}
    size = 0
    try:
        for number, content, fonts in simple_pages(data, max_pages):
            marks = list(_MARKED.finditer(content))
            if len(_MARK_OPERATOR.findall(content)) != len(marks) or any(
                    _MARK_OPERATOR.search(m["body"]) for m in marks):
                raise _Unsupported  # nested, or a form this scan does not know
            starts = [m.start("body") for m in marks]
            for offset, piece in _page_pieces(content, fonts):
                i = bisect.bisect_right(starts, offset) - 1
                if i < 0 or offset >= marks[i].end("body"):
                    continue  # text outside marked content: in no structure element
                mcid = _MCID.search(marks[i]["props"] or b"")
                if marks[i]["tag"] == b"Artifact" or mcid is None:
                    continue
                found.setdefault((number, int(mcid[1])), []).append(piece)
                size += len(piece)
                if max_chars is not None and size > max_chars:
                    raise PdfTooLarge("more text", f"{max_chars:,} characters")
        return found
    except _declined():
        return None


def pages_and_bookmarks(data: bytes) -> tuple[list[str], list[tuple[str, int]]] | None:
    """Each page's text (as ``simple_text`` reads it) and each bookmark's title with the
    index of the page it points to; None when the simple reader declines the file."""
    back = _read_back(data)
    if back is None or back.bookmarks is None:
        return None
    try:
        return back.page_texts(True), back.bookmarks
    except _declined():
        return None
