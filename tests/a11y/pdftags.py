"""Read a tagged PDF back: its structure tree, the text each structure element holds, and
the text drawn as artifacts. pikepdf walks the objects; pypdf decodes the text."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pypdf import PdfReader


@dataclass
class Elem:
    tag: str
    obj: pikepdf.Dictionary
    depth: int
    parts: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID) in order
    kids: list[Elem] = field(default_factory=list)

    def text(self, texts: dict[tuple[int, int], str]) -> str:
        own = "".join(texts.get(p, "") for p in self.parts)
        return " ".join((own + "".join(k.text(texts) for k in self.kids)).split())


@dataclass
class TaggedPdf:
    pdf: pikepdf.Pdf
    elems: list[Elem]  # every structure element, in tree (reading) order
    texts: dict[tuple[int, int], str]  # (page, MCID) -> text drawn in that marked content
    artifact_text: list[str]  # text drawn inside /Artifact marked content, per page
    untagged_text: list[str]  # text drawn outside any marked content, per page
    mcids: set[tuple[int, int]]  # every MCID used in the content streams

    def tags(self) -> list[str]:
        return [e.tag for e in self.elems]

    def text_of(self, elem: Elem) -> str:
        return elem.text(self.texts)

    def headings(self) -> list[tuple[str, str]]:
        return [(e.tag, self.text_of(e)) for e in self.elems if e.tag in HEADINGS]

    def reachable(self) -> set[tuple[int, int]]:
        return {p for e in self.elems for p in e.parts}


HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}


def read(data: bytes) -> TaggedPdf:
    pdf = pikepdf.open(io.BytesIO(data))
    elems = _structure_elements(pdf)
    texts: dict[tuple[int, int], str] = {}
    artifact_text, untagged_text = [], []
    mcids: set[tuple[int, int]] = set()
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        marked = _MarkedContent(index, texts, mcids)
        page.extract_text(visitor_operand_before=marked.before, visitor_text=marked.text)
        artifact_text.append("".join(marked.artifacts))
        untagged_text.append("".join(marked.untagged))
    return TaggedPdf(pdf, elems, texts, artifact_text, untagged_text, mcids)


def _structure_elements(pdf: pikepdf.Pdf) -> list[Elem]:
    """The structure tree's elements in pre-order, each with its marked-content parts."""
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    elems: list[Elem] = []

    def walk(node, depth: int, page: int | None) -> Elem | None:
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return None
        pg = node.get("/Pg")
        if pg is not None:
            page = pages.get(pg.objgen, page)
        elem = Elem(str(node.S)[1:], node, depth)
        elems.append(elem)
        kids = node.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, int) and page is not None:
                elem.parts.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                elem.parts.append((pages.get(kid.Pg.objgen, page), int(kid.MCID)))
            else:
                child = walk(kid, depth + 1, page)
                if child is not None:
                    elem.kids.append(child)
        return elem

    root = pdf.Root.StructTreeRoot.K
    for top in (list(root) if isinstance(root, pikepdf.Array) else [root]):
        walk(top, 0, None)
    return elems


class _MarkedContent:
    """pypdf text visitors for one page: text by (page, MCID), artifact and untagged text."""

    def __init__(self, index: int, texts: dict[tuple[int, int], str],
                 mcids: set[tuple[int, int]]):
        self.index, self.texts, self.mcids = index, texts, mcids
        self.stack: list[object] = []  # MCID (int), "artifact" or None per open marked content
        self.artifacts: list[str] = []
        self.untagged: list[str] = []

    def before(self, op, args, cm, tm) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else {}
            if args[0] == "/Artifact":
                self.stack.append("artifact")
            elif hasattr(props, "get") and props.get("/MCID") is not None:
                self.mcids.add((self.index, int(props["/MCID"])))
                self.stack.append(int(props["/MCID"]))
            else:
                self.stack.append(None)
        elif op == b"BMC":
            self.stack.append("artifact" if args[0] == "/Artifact" else None)
        elif op == b"EMC" and self.stack:
            self.stack.pop()

    def text(self, t, cm, tm, font, size) -> None:
        if not t:
            return
        if "artifact" in self.stack:
            self.artifacts.append(t)
        elif any(isinstance(s, int) for s in self.stack):
            mcid = next(s for s in reversed(self.stack) if isinstance(s, int))
            key = (self.index, mcid)
            self.texts[key] = self.texts.get(key, "") + t
        elif t.strip():
            self.untagged.append(t)
