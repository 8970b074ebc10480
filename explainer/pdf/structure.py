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
from pathlib import Path
from typing import Any

from ..inputs.office import Paragraph, ParagraphKind
from ..problems import InputError, Problem

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


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, list) else [kids]


def _structure(reader: Any) -> tuple[list[_Block], dict[tuple[int, int], _Block]] | None:
    """Blocks in logical order and (page object number, MCID) -> its block."""
    root = reader.trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return None
    blocks: list[_Block] = []
    owner: dict[tuple[int, int], _Block] = {}
    # (element, page object number, enclosing block, apart category)
    stack: list[tuple[Any, int | None, _Block | None, str]] = [(tree.get_object(), None, None,
                                                                 "")]
    seen = 0
    while stack:
        element, page, block, apart = stack.pop()
        seen += 1
        if seen > MAX_ELEMENTS:
            raise ValueError(f"more than {MAX_ELEMENTS:,} structure elements")
        kind = element.get("/S")
        if kind in _SKIP:
            continue
        if "/Pg" in element:
            page = element.raw_get("/Pg").idnum
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
        children = []
        for kid in _kids(element):
            if isinstance(kid, int):
                if page is not None and block is not None:
                    owner[(page, kid)] = block
                continue
            kid_object = kid.get_object() if hasattr(kid, "get_object") else kid
            if not isinstance(kid_object, dict):
                continue
            if kid_object.get("/Type") == "/MCR":
                kid_page = kid_object.raw_get("/Pg").idnum if "/Pg" in kid_object else page
                if kid_page is not None and block is not None:
                    owner[(kid_page, int(kid_object["/MCID"]))] = block
                continue
            if kid_object.get("/Type") == "/OBJR":
                continue
            children.append((kid_object, page, block, apart))
        stack.extend(reversed(children))
    return blocks, owner


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
    """Paragraphs of a tagged PDF in logical order, or None when it has no structure tree."""
    from pypdf import PdfReader

    from ..readability.scoring import _pdf_error, check_streams
    from .render import quiet_pypdf

    try:
        with quiet_pypdf():
            reader = PdfReader(str(path))
            found = _structure(reader)
            if found is None:
                return None
            blocks, owner = found
            if len(reader.pages) > max_pages:
                raise InputError([Problem(str(path), None, "", f"too large to score: "
                                          f"{len(reader.pages)} pages (limit {max_pages})")])
            for page in reader.pages:
                check_streams(page)
                _page_text(page, page.indirect_reference.idnum, owner)
                if sum(len(p) for b in blocks for p in b.pieces) > max_chars:
                    raise InputError([Problem(str(path), None, "", f"too large to score: more "
                                              f"than {max_chars:,} characters of text")])
    except InputError:
        raise
    except Exception as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read PDF: {_pdf_error(exc)}")]
                         ) from None
    paragraphs = []
    for block in blocks:
        text = _BROKEN_WORD.sub(lambda m: m.group(1) or "", "".join(block.pieces))
        text = " ".join(text.split())
        if text:
            paragraphs.append(Paragraph(block.kind, text, block.category))
    return paragraphs or None


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
        category = None
        if element is not None and hasattr(element, "get") \
                and (element.get("data-score") or "").strip().lower() == "apart":
            category = (element.get("data-apart") or "").strip() or "other"
        for made in original(box, *args):
            if category is not None and "T" not in made:
                made["T"] = pydyf.String(APART_TITLE + category)
            yield made

    build_box_tree.explainer_apart = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree
