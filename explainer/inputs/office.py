"""The text a reader sees in a Word (.docx) or OpenDocument (.odt) file, paragraph by paragraph.

Word files are read with python-docx, OpenDocument files with odfpy. What a reader sees:
- headings (a Heading/Title style or an outline level) are kept apart from the body;
- captions (the Caption style) are kept apart too: they label a figure, they are not prose;
- list items and table cells are units of their own, like paragraphs;
- footnotes and endnotes are read after the body, each paragraph a unit;
- tracked changes read as the document shows them with changes accepted: deleted and moved-away
  text is left out, inserted text kept; hidden text, field codes and text-box fallbacks too.

A paragraph's number in document order (body, then notes) is its "line" in diagnostics.

Files are refused, one problem each, when they are not a zip of the expected kind, when the
zip unpacks to more than ``MAX_UNPACKED`` bytes or holds more than ``MAX_MEMBERS`` files, or
when the XML is broken.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..problems import InputError, Problem

ParagraphKind = Literal["body", "heading", "caption", "apart"]
MAX_UNPACKED = 100_000_000  # bytes, all members together: a zip bomb stops here
MAX_MEMBERS = 5_000
MAX_PARAGRAPHS = 200_000


@dataclass(frozen=True)
class Paragraph:
    kind: ParagraphKind
    text: str
    category: str = ""  # for kind "apart": what it is (sources, labels...), from a tagged PDF


def _refuse(path: Path, message: str) -> InputError:
    return InputError([Problem(str(path), None, "", message)])


def _check_zip(path: Path, member: str, what: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(path, f"not a readable {what} file (a zip archive): {exc}") from None
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, f"{what} file holds {len(infos)} parts (limit {MAX_MEMBERS})")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise _refuse(path, f"{what} file unpacks to {unpacked:,} bytes "
                            f"(limit {MAX_UNPACKED:,}): refused")
    if member not in {i.filename for i in infos}:
        raise _refuse(path, f"not a {what} file: it has no {member}")


# ---------------------------------------------------------------------------------------------
# Word


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {  # subtrees a reader does not see
    _W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText", _W + "rPr", _W + "pPr",
    _W + "footnoteReference", _W + "endnoteReference", _W + "commentReference", _MC_FALLBACK,
}


def _docx_run_hidden(run: Any) -> bool:
    props = run.find(_W + "rPr")
    if props is None:
        return False
    vanish = props.find(_W + "vanish")
    return vanish is not None and vanish.get(_W + "val", "true") not in ("0", "false", "off")


def _docx_text(paragraph: Any) -> str:
    pieces: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _W + "r" and _docx_run_hidden(child):
                continue
            if tag == _W + "p":
                continue  # a paragraph inside a text box is read on its own
            if tag == _W + "t":
                pieces.append(child.text or "")
            elif tag == _W + "tab":
                pieces.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                pieces.append(" ")
            elif tag == _W + "noBreakHyphen":
                pieces.append("-")
            else:
                walk(child)

    walk(paragraph)
    return " ".join("".join(pieces).split())


def _docx_kind(paragraph: Any, styles: dict[str, str]) -> ParagraphKind:
    props = paragraph.find(_W + "pPr")
    if props is None:
        return "body"
    style = props.find(_W + "pStyle")
    name = styles.get(style.get(_W + "val", ""), style.get(_W + "val", "")) if style is not None \
        else ""
    lowered = name.lower().replace(" ", "")
    if lowered.startswith(("heading", "title", "subtitle")) or props.find(_W + "outlineLvl") \
            is not None:
        return "heading"
    if lowered.startswith("caption"):
        return "caption"
    return "body"


def _docx_paragraphs(root: Any, styles: dict[str, str]) -> list[Paragraph]:
    found = []
    for p in root.iter(_W + "p"):
        if any(a.tag in _SKIPPED for a in p.iterancestors()):
            continue  # deleted or fallback content
        text = _docx_text(p)
        if text:
            found.append(Paragraph(_docx_kind(p, styles), text))
    return found


def read_docx(path: Path) -> list[Paragraph]:
    """Paragraphs of a .docx file as a reader sees them: the body, then footnotes, endnotes."""
    _check_zip(path, "word/document.xml", "Word (.docx)")
    try:
        import docx
        from docx.oxml.parser import parse_xml

        document = docx.Document(str(path))
        styles = {s.style_id: s.name for s in document.styles if s.style_id and s.name}
        paragraphs = _docx_paragraphs(document.element.body, styles)
        for rel in document.part.rels.values():
            if rel.reltype.endswith(("/footnotes", "/endnotes")) and not rel.is_external:
                notes = parse_xml(rel.target_part.blob)
                for note in notes:
                    if note.get(_W + "type") in ("separator", "continuationSeparator",
                                                 "continuationNotice"):
                        continue
                    paragraphs += _docx_paragraphs(note, styles)
    except InputError:
        raise
    except Exception as exc:
        raise _refuse(path, f"cannot read Word file: {type(exc).__name__}: "
                            f"{str(exc)[:200]}") from None
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise _refuse(path, f"more than {MAX_PARAGRAPHS:,} paragraphs: refused")
    return paragraphs


# ---------------------------------------------------------------------------------------------
# OpenDocument


_ODF_SKIPPED = {  # qnames' local parts of subtrees a reader does not see in the flow
    "tracked-changes", "note-citation", "deletion", "hidden-paragraph", "hidden-text",
    "annotation", "bookmark-ref", "sequence-decls", "variable-decls", "user-field-decls",
}


def _odf_text(node: Any, notes: list[Any]) -> str:
    pieces: list[str] = []

    def walk(n: Any) -> None:
        for child in n.childNodes:
            if child.nodeType == child.TEXT_NODE:
                pieces.append(str(child.data))
                continue
            if child.nodeType != child.ELEMENT_NODE:
                continue
            local = child.qname[1]
            if local in _ODF_SKIPPED:
                continue
            if local == "note":
                notes.append(child)  # read after the body
                continue
            if local in ("p", "h", "list", "table"):
                continue  # nested blocks (in frames) are read on their own
            if local == "s":
                pieces.append(" " * min(int(child.getAttribute("c") or 1), 100))
            elif local in ("tab", "line-break"):
                pieces.append(" ")
            else:
                walk(child)

    walk(node)
    return " ".join("".join(pieces).split())


def _odf_blocks(node: Any, out: list[Paragraph], notes: list[Any], caption_styles: set[str]
                ) -> None:
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        local = child.qname[1]
        if local in _ODF_SKIPPED:
            continue
        if local in ("p", "h"):
            style = str(child.getAttribute("stylename") or "")
            kind: ParagraphKind = "heading" if local == "h" else \
                "caption" if style in caption_styles or style.lower().startswith(
                    ("caption", "illustration", "figure", "table_20_caption")) else "body"
            text = _odf_text(child, notes)
            if text:
                out.append(Paragraph(kind, text))
        _odf_blocks(child, out, notes, caption_styles)  # frames, lists, tables, sections


def read_odt(path: Path) -> list[Paragraph]:
    """Paragraphs of an .odt file as a reader sees them: the body, then its notes."""
    _check_zip(path, "content.xml", "OpenDocument (.odt)")
    try:
        from odf.opendocument import load

        document = load(str(path))
        caption_styles = {
            str(s.getAttribute("name")) for s in document.automaticstyles.childNodes
            if s.nodeType == s.ELEMENT_NODE and "caption" in str(
                s.getAttribute("parentstylename") or "").lower()
        } if document.automaticstyles is not None else set()
        paragraphs: list[Paragraph] = []
        notes: list[Any] = []
        _odf_blocks(document.text, paragraphs, notes, caption_styles)
        done = 0
        while done < len(notes):  # a note's own notes come after it
            body = [c for c in notes[done].childNodes
                    if c.nodeType == c.ELEMENT_NODE and c.qname[1] == "note-body"]
            for b in body:
                _odf_blocks(b, paragraphs, notes, caption_styles)
            done += 1
    except Exception as exc:
        raise _refuse(path, f"cannot read OpenDocument file: {type(exc).__name__}: "
                            f"{str(exc)[:200]}") from None
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise _refuse(path, f"more than {MAX_PARAGRAPHS:,} paragraphs: refused")
    return paragraphs
