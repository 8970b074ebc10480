"""The text of a tagged PDF (PDF/UA) by its structure: paragraphs, list items, cells, headings.

A tagged PDF says what a reader (and a screen reader) gets: page furniture is marked as
artifacts, and every piece of content belongs to a structure element (P, H1, LI, TD...). Reading
the text by those elements, in their logical order, gives the same blocks as the HTML the PDF
was made from: headings apart, running headers, footers and page numbers out, one block per
paragraph or list item however the lines wrapped. So ``explainer score leaflet.pdf`` agrees
with what ``explainer build`` reported for the same output.

An untagged PDF gives None: the caller falls back to plain text extraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..problems import InputError, Problem

if TYPE_CHECKING:  # the office reader only for tagged_paragraphs (drafts), not for a build
    from ..inputs.office import Paragraph, ParagraphKind

_BLOCKS = frozenset({"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LBody", "/TD",
                     "/TH", "/Caption", "/BlockQuote", "/Note", "/TOCI", "/Lbl", "/Title"})
_HEADINGS = frozenset({"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Title"})
_SKIP = frozenset({"/Artifact", "/Figure", "/Formula"})  # no prose to score
MAX_ELEMENTS = 500_000


class _Block:
    __slots__ = ("category", "kind", "pieces")

    def __init__(self, kind: ParagraphKind, category: str = "") -> None:
        self.kind = kind
        self.category = category
        self.pieces: list[str] = []


class _Objects(NamedTuple):
    """What the structure walk needs of a PDF library's objects (pikepdf's or pypdf's)."""

    is_array: Callable[[Any], bool]
    is_dict: Callable[[Any], bool]
    resolve: Callable[[Any], Any]
    page_of: Callable[[Any], int]  # object number of the page in an element's /Pg


def _pikepdf_objects() -> _Objects:
    import pikepdf

    return _Objects(lambda x: isinstance(x, pikepdf.Array),
                    lambda x: isinstance(x, pikepdf.Dictionary), lambda x: x,
                    lambda e: e.Pg.objgen[0])


_PYPDF = _Objects(lambda x: isinstance(x, list), lambda x: isinstance(x, dict),
                  lambda x: x.get_object() if hasattr(x, "get_object") else x,
                  lambda e: e.raw_get("/Pg").idnum)


def _kids(element: Any, objects: _Objects) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if objects.is_array(kids) else [kids]


def _structure(tree: Any, objects: _Objects
               ) -> tuple[list[_Block], dict[tuple[int, int], _Block]]:
    """Blocks in logical order and (page object number, MCID) -> its block."""
    blocks: list[_Block] = []
    owner: dict[tuple[int, int], _Block] = {}
    # (element, page object number, enclosing block, apart category)
    stack: list[tuple[Any, int | None, _Block | None, str]] = [(tree, None, None, "")]
    seen = 0
    while stack:
        element, page, block, apart = stack.pop()
        seen += 1
        if seen > MAX_ELEMENTS:
            raise ValueError(f"more than {MAX_ELEMENTS:,} structure elements")
        kind = str(element.get("/S"))
        if kind in _SKIP:
            continue
        if "/Pg" in element:
            page = objects.page_of(element)
        block, apart = _element_block(element, kind, block, apart, blocks)
        children = _claim_kids(element, page, block, objects, owner)
        stack.extend(reversed([(kid, page, block, apart) for kid in children]))
    return blocks, owner


def _element_block(element: Any, kind: str, block: _Block | None, apart: str,
                   blocks: list[_Block]) -> tuple[_Block | None, str]:
    """The block an element's content goes to and its apart category; a new block is
    appended to ``blocks``."""
    title = str(element.get("/T", ""))
    if title.startswith(APART_TITLE):
        apart = title[len(APART_TITLE):] or "other"
        if block is not None and block.kind != "apart":
            # An inline part scored apart (a press fact's attribution) inside a body
            # paragraph: its text goes to a block of its own, the rest stays put.
            block = _Block("apart", apart)
            blocks.append(block)
    if block is None and kind in _BLOCKS and kind != "/Lbl":
        block = _Block("apart", apart) if apart else _Block(
            "heading" if kind in _HEADINGS else "caption" if kind == "/Caption" else "body")
        blocks.append(block)
    return block, apart


def _claim_kids(element: Any, page: int | None, block: _Block | None, objects: _Objects,
                owner: dict[tuple[int, int], _Block]) -> list[Any]:
    """Record in ``owner`` the marked content among an element's kids as ``block``'s; the
    kids that are structure elements themselves, in order."""
    children = []
    for kid in _kids(element, objects):
        if isinstance(kid, int):
            if page is not None and block is not None:
                owner[(page, kid)] = block
            continue
        kid_object = objects.resolve(kid)
        if not objects.is_dict(kid_object):
            continue
        kid_type = str(kid_object.get("/Type"))
        if kid_type == "/MCR":
            kid_page = objects.page_of(kid_object) if "/Pg" in kid_object else page
            if kid_page is not None and block is not None:
                mcid = int(kid_object["/MCID"])
                owner[(kid_page, mcid)] = block
            continue
        if kid_type == "/OBJR":
            continue
        children.append(kid_object)
    return children


def _page_text(page: Any, page_number: int, owner: dict[tuple[int, int], _Block]) -> None:
    """Text of one page, each piece added to the block its marked content belongs to."""
    marks: list[int | None] = []  # MCID per open marked-content sequence (None: none or artifact)
    artifact = [0]

    def before(operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator == b"BDC" or operator == b"BMC":
            tag = operands[0] if operands else None
            if tag == "/Artifact":
                artifact[0] += 1
                marks.append(-1)
                return
            mcid = None
            if operator == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get"):
                value = operands[1].get("/MCID")
                mcid = int(value) if value is not None else None
            marks.append(mcid)
        elif operator == b"EMC" and marks and marks.pop() == -1:
            artifact[0] -= 1

    def text(piece: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not piece or artifact[0]:
            return
        mcid = next((m for m in reversed(marks) if m is not None), None)
        block = owner.get((page_number, mcid)) if mcid is not None else None
        if block is not None:
            block.pieces.append(piece)

    page.extract_text(visitor_operand_before=before, visitor_text=text)


# A line broken after a hyphen keeps it ("ketamine-|induced"); after a soft hyphen it goes.
_BROKEN_WORD = re.compile(r"(?<=\w)(?:([-\u2010])|\u00ad)[ \t]*\n\s*(?=\w)")


def tagged_paragraphs(path: Path, max_pages: int, max_chars: int) -> list[Paragraph] | None:
    """Paragraphs of a tagged PDF in logical order, or None when it has no structure tree.

    The structure tree is read with qpdf and the text by the one PDF text reader
    (explainer.pdf.reader), as the build reads its own PDFs back; a file that reader declines
    is read with pypdf."""
    from ..inputs.office import Paragraph
    from .reader import PdfTooLarge, PdfUnreadable

    try:
        data = path.read_bytes()  # the caller has checked its size
        found = _read_fast(data, max_pages, max_chars)
        if found is _DECLINED:
            found = _read_with_pypdf(data, max_pages, max_chars)
    except PdfTooLarge as exc:
        raise InputError([Problem(str(path), None, "", f"too large to score: {exc}")]) from None
    except PdfUnreadable as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read PDF: {exc}")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read: {exc.strerror}")]
                         ) from None
    if found is None:
        return None
    paragraphs = []
    for block in found:
        text = _BROKEN_WORD.sub(lambda m: m.group(1) or "", "".join(block.pieces))
        text = " ".join(text.split())
        if text:
            paragraphs.append(Paragraph(block.kind, text, block.category))
    return paragraphs or None


_DECLINED: Any = object()


def _read_fast(data: bytes, max_pages: int, max_chars: int) -> list[_Block] | None:
    """Blocks with their text by qpdf and the one reader; _DECLINED for a file they decline."""
    import io

    import pikepdf

    from .reader import marked_text

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            tree = pdf.Root.get("/StructTreeRoot")
            if tree is None:
                return None
            blocks, owner = _structure(tree, _pikepdf_objects())
    except (pikepdf.PdfError, KeyError, IndexError, TypeError, ValueError, AttributeError,
            RecursionError):
        return _DECLINED
    marked = marked_text(data, max_pages, max_chars)
    if marked is None:
        return _DECLINED
    for key, pieces in marked.items():
        block = owner.get(key)
        if block is not None:
            block.pieces += pieces
    return blocks


def _read_with_pypdf(data: bytes, max_pages: int, max_chars: int) -> list[_Block] | None:
    import io

    from pypdf import PdfReader

    from .content_stream import quiet_pypdf
    from .reader import PdfTooLarge, PdfUnreadable, check_streams, pdf_error

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            root: Any = reader.trailer["/Root"]  # pypdf types it as a bare PdfObject
            tree = root.get("/StructTreeRoot")
            if tree is None:
                return None
            blocks, owner = _structure(tree.get_object(), _PYPDF)
            if len(reader.pages) > max_pages:
                raise PdfTooLarge(f"{len(reader.pages)} pages", f"{max_pages} pages")
            for page in reader.pages:
                check_streams(page)
                ref = page.indirect_reference  # None only for a page made in memory
                if ref is not None:
                    _page_text(page, ref.idnum, owner)
                if sum(len(p) for b in blocks for p in b.pieces) > max_chars:
                    raise PdfTooLarge("more text", f"{max_chars:,} characters")
    except PdfUnreadable:
        raise
    except Exception as exc:
        raise PdfUnreadable(pdf_error(exc)) from None
    return blocks


# ---------------------------------------------------------------------------------------------
# The build's side: parts scored apart carry that in the PDF's structure.

APART_TITLE = "Scored apart: "


def install_apart_titles() -> None:
    """Give each structure element WeasyPrint makes for a ``data-score="apart"`` element a
    title (the standard /T entry) "Scored apart: CATEGORY", so that a reader of the PDF knows
    what the HTML's reader-facing scores left out. Idempotent; call before ``write_pdf``."""
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "explainer_apart", False):
        return  # another WeasyPrint: no titles, so `score` counts apart parts as body

    def build_box_tree(box: Any, *args: Any) -> Any:
        element = getattr(box, "element", None)
        if element is None or not hasattr(element, "get") \
                or (element.get("data-score") or "").strip().lower() != "apart":
            yield from original(box, *args)  # the usual box: passed through untouched
            return
        category = (element.get("data-apart") or "").strip() or "other"
        for made in original(box, *args):
            if "T" not in made:
                made["T"] = pydyf.String(APART_TITLE + category)
            yield made

    # A mark on the function object (a function's attributes are not typed): patched once.
    build_box_tree.explainer_apart = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree
