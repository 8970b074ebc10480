"""PDF -> text, as a reader sees it: each glyph mapped to characters through the font's
ToUnicode map. The PDFs WeasyPrint writes are read by their content streams directly (with
or without the artifacts: running footer, page numbers); anything else goes to pypdf."""

from __future__ import annotations

import binascii
import logging
import re
import struct
from collections.abc import Iterator
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
    page break then reads on without the footer in the middle of it.

    The one PDF text reader (explainer.pdf.reader.read_pdf_text), here without limits: the
    build reads back the file it wrote."""
    from .reader import read_pdf_text

    return read_pdf_text(data, furniture)


# A reader for the PDFs WeasyPrint writes. pypdf's general extractor parses every operand
# as an object, and WeasyPrint draws each glyph as its own string, so it takes longer than
# the render. Text in WeasyPrint's PDFs is only ever BT, Tm, Tf, TJ (of hex strings), ET,
# in Type0 Identity-H fonts with a ToUnicode map; anything else falls back to pypdf.
# A text object: BT ... ET as this pattern finds them (``_text_objects`` finds the same ones
# with bytes.find, several times faster than the lazy body here).
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
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_BFRANGE_LINE = re.compile(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(?:<[0-9A-Fa-f]+>|\[[^\]]*\])")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


class _Unsupported(Exception):
    """A PDF construct the simple reader does not handle."""


@dataclass
class _Font:
    # Keyed by the glyph code (Identity-H: the two bytes of each glyph in a string), so a
    # whole string of glyphs is decoded with C-level map() calls.
    chars: dict[int, str]  # glyph code -> text
    widths: dict[int, float]  # glyph code -> advance, in 1/1000 of the font size


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
            span = range(int(lo, 16), int(hi, 16) + 1)
            if b"[" in line:
                chars.update((code, _utf16(d)) for code, d in zip(span, dst, strict=True))
            else:
                first = int(dst[0], 16)
                chars.update((code, chr(first + i)) for i, code in enumerate(span))
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
    return _Font(chars, {code: widths.get(code, default) for code in chars})


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


_SPACE = frozenset(b" \t\n\r\f\v")  # \s of a bytes pattern
_BEFORE_BT = _SPACE | frozenset(b"]>")
_AFTER_ET = _SPACE | frozenset(b"[</(")


def _text_objects(content: bytes) -> Iterator[tuple[int, bytes]]:
    """Each text object's offset and body, exactly as ``_TEXT_OBJECT.finditer`` finds them:
    the first BT that may start one (after a space, ] or >, or at the start; before a space),
    up to the first ET after it that may end one (after a space; before a space, [ < / ( or
    the end)."""
    find, size, at = content.find, len(content), 0
    while (begin := find(b"BT", at)) >= 0:
        if (begin and content[begin - 1] not in _BEFORE_BT) or begin + 2 >= size \
                or content[begin + 2] not in _SPACE:
            at = begin + 1
            continue
        end = begin + 2
        while (end := find(b"ET", end)) >= 0:
            if content[end - 1] in _SPACE and (end + 2 >= size or content[end + 2] in _AFTER_ET):
                break
            end += 1
        if end < 0:
            return  # no ET after this BT, so none after a later one either
        yield begin, content[begin + 2:end]
        at = end + 2


# Marked content that is an artifact; WeasyPrint's never nests other marked content (a span
# that seems to is kept, so no text is lost).
_ARTIFACT = re.compile(rb"/Artifact\s*(?:<<[^<>]*>>\s*BDC|BMC)(?=\s)(.*?)(?<=\s)EMC(?!\w)", re.S)


def _drop_artifact(m: re.Match[bytes]) -> bytes:
    inner = m[1]
    return m[0] if b"BDC" in inner or b"BMC" in inner else b" "


_ARTIFACT_START = re.compile(rb"/Artifact\s*(?:<<[^<>]*>>\s*BDC|BMC)(?=\s)")
_WORD = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")  # \w


def _without_artifacts(content: bytes) -> bytes:
    """``_ARTIFACT.sub(_drop_artifact, content)``, each artifact's end found by bytes.find
    (the first EMC after a space and before no word character) instead of the pattern's
    lazy body, three times faster."""
    kept, at, size = [], 0, len(content)
    while (head := _ARTIFACT_START.search(content, at)) is not None:
        end = head.end()
        while (end := content.find(b"EMC", end)) >= 0:
            if content[end - 1] in _SPACE and (end + 3 >= size or content[end + 3] not in _WORD):
                break
            end += 1
        if end < 0:
            break  # no end after this artifact, so none after a later one either
        inner = content[head.end():end]
        kept.append(content[at:head.start()])
        kept.append(content[head.start():end + 3] if b"BDC" in inner or b"BMC" in inner
                    else b" ")
        at = end + 3
    kept.append(content[at:])
    return b"".join(kept)


_Run = tuple[str, float, float, float, float]  # text, x, y, font size, x after it


class PageText:
    """One page's text, read with or without the artifacts, each text object decoded once
    for both readings (a build asks for both: the caveat proof without the running footer,
    the leak check with it). Decoding depends only on a text object's body and the page's
    fonts, so the runs are kept by body."""

    def __init__(self, content: bytes, fonts: dict[str, _Font]) -> None:
        self.content, self.fonts = content, fonts
        self._runs: dict[bytes, list[_Run]] = {}

    def text(self, furniture: bool = True) -> str:
        return "".join(piece for _, piece in self.pieces(furniture))

    def pieces(self, furniture: bool = True) -> Iterator[tuple[int, str]]:
        """Each run of text, after the space or line break that parts it from the one
        before, with the offset of its text object (in the content read: without the
        artifacts, that is the content with them cut out)."""
        content = self.content
        if b"(" in content:  # a literal string: not WeasyPrint's way of drawing text
            raise _Unsupported
        if not furniture:
            content = _without_artifacts(content)
        last_x, last_y = 0.0, None  # last_x is read only once last_y is set
        after_space = False
        for offset, body in _text_objects(content):
            runs = self._runs.get(body)
            if runs is None:
                runs = self._runs[body] = _block_runs(body, self.fonts)
            for chunk, x, y, size, end in runs:
                # A new line, or a gap on the same line, separates words as a reader
                # sees it (inline: a call per run was a tenth of a reading).
                if last_y is None:
                    yield offset, chunk
                elif abs(y - last_y) > size / 2:
                    yield offset, "\n" + chunk
                elif x - last_x > size * 0.15 and not after_space and not chunk.startswith(" "):
                    yield offset, " " + chunk
                else:
                    yield offset, chunk
                after_space = chunk.endswith(" ")
                last_x, last_y = end, y


def _page_text(content: bytes, fonts: dict[str, _Font], furniture: bool = True) -> str:
    return PageText(content, fonts).text(furniture)


def _page_pieces(content: bytes, fonts: dict[str, _Font]) -> Iterator[tuple[int, str]]:
    """Each run of text on a page, after the space or line break that parts it from the one
    before, with the offset of its text object in ``content`` (the structure reader maps that
    to its marked content)."""
    return PageText(content, fonts).pieces()


def _block_runs(block: bytes, fonts: dict[str, _Font]) -> list[_Run]:
    """The runs of text one text object draws, each with where it starts and ends."""
    plain = _PLAIN_TEXT_OBJECT.fullmatch(block)
    if plain is not None:  # the usual text object: Tm, Tf, one TJ
        matrix, name, size, array = plain.groups()
        scale, _, _, _, x, y = map(float, matrix.split())
        run = _run(array, fonts[name.decode()], float(size), scale, x, y)
        return [] if run is None else [run]
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
        run = _run(array, font, size, scale, x, y)
        if run is not None:
            runs.append(run)
            x = run[4]
    return runs


def _run(array: bytes, font: _Font, size: float, scale: float, x: float, y: float
         ) -> _Run | None:
    """What a TJ array draws from (x, y): its text and the x after it; None for no text."""
    parts = _split_array(array)  # between, hex, between, hex, ..., between
    digits = b"".join(parts[1::2])
    if len(digits) % 4:
        raise _Unsupported
    codes = struct.unpack(f">{len(digits) >> 2}H", binascii.unhexlify(digits))
    chunk = "".join(map(font.chars.__getitem__, codes))  # KeyError: glyph, no text
    if not chunk:
        return None
    # Advance: the glyphs' widths less the TJ adjustments (the numbers between the strings).
    between = b" ".join(parts[::2])
    # Only digits and spaces (WeasyPrint's usual kerning): the numbers are the words.
    numbers = between.split() if not between.translate(None, b"0123456789 ") \
        else _NUMBER.findall(between)
    adjust = sum(map(float, numbers))
    return chunk, x, y, size, x + scale * (sum(map(font.widths.__getitem__, codes)) - adjust
                                           ) * size / 1000


_NOT_ANGLE = bytes(c for c in range(256) if c not in b"<>")
_HEX_DIGIT = b"0123456789ABCDEFabcdef"


def _split_array(array: bytes) -> list[bytes]:
    """``_HEX_STRING.split(array)``: when the array's < and > alternate and only hex digits
    are between them (as WeasyPrint writes it), cut at them with bytes methods."""
    angles = array.translate(None, _NOT_ANGLE)
    if angles == b"<>" * (len(angles) >> 1) and not len(angles) & 1:
        parts = array.replace(b">", b"<").split(b"<")
        if not b"".join(parts[1::2]).translate(None, _HEX_DIGIT):
            return parts
    return _HEX_STRING.split(array)


_DO = re.compile(rb"/([^\s/<>\[\]()]+)\s+Do(?!\w)")


def _add_fonts(resources: Any, used: dict[str, _Font], fonts: dict[Any, _Font]) -> None:
    for name, ref in resources.get("/Font", {}).items():
        key = getattr(ref, "idnum", id(ref))
        if key not in fonts:
            fonts[key] = _read_font(ref.get_object())
        if used.get(name[1:], fonts[key]) is not fonts[key]:
            raise _Unsupported  # one name, two fonts: would need a scope per form
        used[name[1:]] = fonts[key]


def _inline_forms(content: bytes, resources: Any, used: dict[str, _Font],
                  fonts: dict[Any, _Font], depth: int) -> bytes:
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
        _add_fonts(inner, used, fonts)
        return b"\n" + _inline_forms(form.get_data(), inner, used, fonts, depth + 1) + b"\n"

    return _DO.sub(one, content)


def _text_of_simple_pdf(reader: Any, furniture: bool = True) -> str | None:
    fonts: dict[Any, _Font] = {}
    pages = []
    try:
        for page in reader.pages:
            used: dict[str, _Font] = {}
            resources = page["/Resources"].get_object()
            _add_fonts(resources, used, fonts)
            contents = page["/Contents"].get_object()
            parts = contents if isinstance(contents, list) else [contents]
            content = b"\n".join(c.get_object().get_data() for c in parts)
            pages.append(_page_text(_inline_forms(content, resources, used, fonts, 0), used,
                                    furniture))
    except (_Unsupported, KeyError, IndexError, TypeError, ValueError):
        return None
    return "\n".join(pages)
