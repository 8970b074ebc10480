"""PDF -> text, as a reader sees it: each glyph mapped to characters through the font's
ToUnicode map. The PDFs WeasyPrint writes are read by their content streams directly (with
or without the artifacts: running footer, page numbers); anything else goes to pypdf."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's log lines ("EOF marker not found", ...) off stderr while reading a PDF
    whose failure the caller reports as one problem. The logger level is process-wide: for
    the commands that read a user's PDF, not for reads inside a threaded build."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_text(data: bytes, furniture: bool = True) -> str:
    """The text a reader sees in a PDF, page by page: each glyph mapped to characters
    through the font's ToUnicode map, as copy-and-paste and screen readers do.
    ``furniture=False`` leaves out content marked as an artifact (running footer, page
    numbers) in the PDFs WeasyPrint writes, as screen readers do: a caveat that crosses a
    page break then reads on without the footer in the middle of it."""
    from .reader import simple_text

    text = simple_text(data, furniture)  # qpdf reads only the objects it needs: fast
    if text is not None:
        return text
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = _text_of_simple_pdf(reader, furniture)
    if text is None:  # something our reader does not handle: pypdf's general extractor
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text


# A reader for the PDFs WeasyPrint writes. pypdf's general extractor parses every operand
# as an object, and WeasyPrint draws each glyph as its own string, so it takes longer than
# the render. Text in WeasyPrint's PDFs is only ever BT, Tm, Tf, TJ (of hex strings), ET,
# in Type0 Identity-H fonts with a ToUnicode map; anything else falls back to pypdf.
_TEXT_OBJECT = re.compile(rb"(?<![^\s\]>])BT(?=\s)(.*?)(?<=\s)ET(?![^\s\[</(])", re.S)
_TEXT_OP = re.compile(rb"""
    \[(?P<array>[^\]]*)\]\s*TJ
  | /(?P<font>[^\s/<>\[\]()]+)\s+(?P<size>[-+.\d]+)\s+Tf
  | (?P<matrix>(?:[-+.\d]+\s+){6})Tm
  | (?P<other>(?<![\w/])(?:Tj|TJ|Td|TD|T\*|Tc|Tw|Tz|TL|Ts|Do)(?!\w)|['"(])
""", re.X)
# The usual text object, matched whole: the general scan above is ten times slower.
_PLAIN_TEXT_OBJECT = re.compile(rb"""\s*(?P<matrix>(?:[-+.\d]+\s+){6})Tm
    \s*/(?P<font>[^\s/<>\[\]()]+)\s+(?P<size>[-+.\d]+)\s+Tf
    \s*\[(?P<array>[^\]]*)\]\s*TJ\s*""", re.X)
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f]*)>")
_GLYPH_CODE = re.compile(rb"[0-9a-f]{4}")  # Identity-H: two bytes per glyph
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_BFRANGE_LINE = re.compile(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(?:<[0-9A-Fa-f]+>|\[[^\]]*\])")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


class _Unsupported(Exception):
    """A PDF construct the simple reader does not handle."""


@dataclass
class _Font:
    # Keyed by the glyph code as it is written in the content stream (four hex digits, lower
    # case), so a whole string of glyphs is decoded with C-level map() calls.
    chars: dict[bytes, str]  # glyph code -> text
    widths: dict[bytes, float]  # glyph code -> advance, in 1/1000 of the font size


def _utf16(digits: bytes) -> str:
    return bytes.fromhex(digits.decode()).decode("utf-16-be", "replace")


def _read_font(font: Any) -> _Font:
    if (font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H"
            or "/ToUnicode" not in font):
        raise _Unsupported
    cid_font = font["/DescendantFonts"][0].get_object()
    return _fonts_from_cmap(font["/ToUnicode"].get_object().get_data(), cid_font.get("/W", []),
                            float(cid_font.get("/DW", 1000)))


def _fonts_from_cmap(cmap: bytes, w: Any, default: float) -> _Font:
    """A font's glyph codes to text (its ToUnicode CMap) and to advances (its /W array)."""
    chars: dict[int, str] = {}
    for block in _BFCHAR.findall(cmap):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=True):
            chars[int(src, 16)] = _utf16(dst)
    for block in _BFRANGE.findall(cmap):
        for line in _BFRANGE_LINE.findall(block):
            lo, hi, *dst = _HEX.findall(line)
            codes = range(int(lo, 16), int(hi, 16) + 1)
            if b"[" in line:
                chars.update((code, _utf16(d)) for code, d in zip(codes, dst, strict=True))
            else:
                first = int(dst[0], 16)
                chars.update((code, chr(first + i)) for i, code in enumerate(codes))
    widths: dict[int, float] = {}
    i = 0
    while i < len(w):  # [first [w1 w2 ...]] or [first last w]
        first = int(w[i])
        if isinstance(w[i + 1], list):
            widths.update((first + k, float(v)) for k, v in enumerate(w[i + 1]))
            i += 2
        else:
            widths.update((code, float(w[i + 2])) for code in range(first, int(w[i + 1]) + 1))
            i += 3
    return _Font({b"%04x" % code: text for code, text in chars.items()},
                 {b"%04x" % code: widths.get(code, default) for code in chars})


def _text_ops(block: bytes) -> Iterator[dict[str, bytes | None]]:
    """The operations of one text object: the usual shape in one match, else one by one."""
    plain = _PLAIN_TEXT_OBJECT.fullmatch(block)
    if plain:
        yield plain.groupdict()
        return
    for m in _TEXT_OP.finditer(block):
        if m["other"]:
            raise _Unsupported
        yield m.groupdict()


# Marked content that is an artifact; WeasyPrint's never nests other marked content (a span
# that seems to is kept, so no text is lost).
_ARTIFACT = re.compile(rb"/Artifact\s*(?:<<[^<>]*>>\s*BDC|BMC)(?=\s)(.*?)(?<=\s)EMC(?!\w)", re.S)


def _drop_artifact(m: re.Match[bytes]) -> bytes:
    inner = m[1]
    return m[0] if b"BDC" in inner or b"BMC" in inner else b" "


def _page_text(content: bytes, fonts: dict[str, _Font], furniture: bool = True) -> str:
    if b"(" in content:  # a literal string: not WeasyPrint's way of drawing text
        raise _Unsupported
    if not furniture:
        content = _ARTIFACT.sub(_drop_artifact, content)
    return _joined(run for block in _TEXT_OBJECT.findall(content)
                   for run in _block_runs(block, fonts))


_Run = tuple[str, float, float, float, float]  # text, x, y, font size, x after it


def _block_runs(block: bytes, fonts: dict[str, _Font]) -> list[_Run]:
    """The pieces of text one text object draws, each where it starts and ends."""
    runs: list[_Run] = []
    font, size, scale, x, y = None, 0.0, 1.0, 0.0, 0.0
    for op in _text_ops(block):
        if op["font"]:
            font, size = fonts[op["font"].decode()], float(op["size"] or 0)
        if op["matrix"]:
            scale, _, _, _, x, y = (float(v) for v in op["matrix"].split())
        array = op["array"]
        if array is None:
            continue
        if font is None:
            raise _Unsupported
        digits = b"".join(_HEX_STRING.findall(array)).lower()
        if len(digits) % 4:
            raise _Unsupported
        codes = _GLYPH_CODE.findall(digits)
        chunk = "".join(map(font.chars.__getitem__, codes))  # KeyError: glyph, no text
        if not chunk:
            continue
        # Advance: the glyphs' widths less the TJ adjustments between them.
        adjust = sum(map(float, _NUMBER.findall(_HEX_STRING.sub(b" ", array))))
        end = x + scale * (sum(map(font.widths.__getitem__, codes)) - adjust) * size / 1000
        runs.append((chunk, x, y, size, end))
        x = end
    return runs


def _joined(runs: Iterable[_Run]) -> str:
    out: list[str] = []
    last_x = last_y = 0.0
    for chunk, x, y, size, end in runs:
        # A new line, or a gap on the same line, separates words as a reader sees it.
        if out:
            if abs(y - last_y) > size / 2:
                out.append("\n")
            elif (x - last_x > size * 0.15 and not out[-1].endswith(" ")
                  and not chunk.startswith(" ")):
                out.append(" ")
        out.append(chunk)
        last_x, last_y = end, y
    return "".join(out)


_READ_ERRORS = (_Unsupported, KeyError, IndexError, TypeError, ValueError, AttributeError)


def page_texts_both(content: bytes, fonts: dict[str, _Font]) -> dict[bool, str | Exception]:
    """``_page_text`` with and without the furniture, each text object decoded once: the
    text objects left once the artifacts are dropped are those outside them (checked; if
    not, each is read on its own). A value is the exception that reading raised."""
    if b"(" in content:
        return {True: _Unsupported(), False: _Unsupported()}
    from bisect import bisect_right

    dropped = [m.span() for m in _ARTIFACT.finditer(content) if _drop_artifact(m) == b" "]
    starts = [a for a, _ in dropped]  # in order, never overlapping

    def outside(at: int) -> bool:
        i = bisect_right(starts, at) - 1
        return i < 0 or at >= dropped[i][1]

    blocks = [(m[1], outside(m.start())) for m in _TEXT_OBJECT.finditer(content)]
    if [block for block, keep in blocks if keep] != _TEXT_OBJECT.findall(
            _ARTIFACT.sub(_drop_artifact, content)):
        texts: dict[bool, str | Exception] = {}
        for furniture in (True, False):
            try:
                texts[furniture] = _page_text(content, fonts, furniture)
            except _READ_ERRORS as exc:
                texts[furniture] = exc
        return texts
    runs: list[list[_Run] | Exception] = []
    keep = [k for _, k in blocks]
    for block, _ in blocks:
        try:
            runs.append(_block_runs(block, fonts))
        except _READ_ERRORS as exc:
            runs.append(exc)

    def text(parts: list[list[_Run] | Exception]) -> str | Exception:
        failed = next((p for p in parts if isinstance(p, Exception)), None)
        if failed is not None:
            return failed
        return _joined(run for part in parts for run in part)  # type: ignore[union-attr]

    return {True: text(runs), False: text([r for r, k in zip(runs, keep, strict=True) if k])}


_DO = re.compile(rb"/([^\s/<>\[\]()]+)\s+Do(?!\w)")


def _text_of_simple_pdf(reader: Any, furniture: bool = True) -> str | None:
    fonts: dict[Any, _Font] = {}
    pages = []

    def add_fonts(resources: Any, used: dict[str, _Font]) -> None:
        for name, ref in resources.get("/Font", {}).items():
            key = getattr(ref, "idnum", id(ref))
            if key not in fonts:
                fonts[key] = _read_font(ref.get_object())
            if used.get(name[1:], fonts[key]) is not fonts[key]:
                raise _Unsupported  # one name, two fonts: would need a scope per form
            used[name[1:]] = fonts[key]

    def inline_forms(content: bytes, resources: Any, used: dict[str, _Font], depth: int) -> bytes:
        # WeasyPrint draws a translucent box (opacity < 1) as a form XObject: its content
        # goes in where it is drawn, so the text inside it is read in order.
        if b" Do" not in content and b"\nDo" not in content:
            return content
        xobjects = resources.get("/XObject", {})

        def one(m: re.Match[bytes]) -> bytes:
            form = xobjects[f"/{m[1].decode()}"].get_object()
            if form.get("/Subtype") != "/Form" or depth > 8:
                return b" "
            inner = form.get("/Resources")
            inner = inner.get_object() if inner is not None else resources
            add_fonts(inner, used)
            return b"\n" + inline_forms(form.get_data(), inner, used, depth + 1) + b"\n"

        return _DO.sub(one, content)

    try:
        for page in reader.pages:
            used: dict[str, _Font] = {}
            resources = page["/Resources"].get_object()
            add_fonts(resources, used)
            contents = page["/Contents"].get_object()
            parts = contents if isinstance(contents, list) else [contents]
            content = b"\n".join(c.get_object().get_data() for c in parts)
            pages.append(_page_text(inline_forms(content, resources, used, 0), used, furniture))
    except (_Unsupported, KeyError, IndexError, TypeError, ValueError):
        return None
    return "\n".join(pages)
