"""HTML -> accessible PDF with WeasyPrint, and PDF -> text for reading the result back.

WeasyPrint tags the PDF (PDF/UA-1 by default) but only *logs* what breaks accessibility:
a missing ``lang``, an image without ``alt``, a resource it could not load. We collect
those log records and every URL the locked fetcher refused, and fail the render with
them. It also leaves the text of page margin boxes (running footer, page numbers) as
marked content outside the structure tree; we turn that into artifacts, as PDF/UA asks.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..seen.pdf import Seen

from .weasyprint_import import load_weasyprint

DEFAULT_VARIANT = "pdf/ua-1"
NO_VARIANT = "none"


class PdfRenderError(Exception):
    """The PDF could not be made accessible or locked down; ``messages`` say why, one each."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@cache
def font_config():
    """One FontConfiguration per process: building it is the slow part of a first render."""
    load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def warm_up() -> None:
    """Import WeasyPrint and load fonts now, so the first render is as fast as the rest
    (batch workers call this once when they start)."""
    load_weasyprint()
    font_config()


@cache
def pdf_variants() -> tuple[str, ...]:
    """The variants this WeasyPrint can write (``debug`` is a WeasyPrint development aid)."""
    load_weasyprint()
    from weasyprint.pdf import VARIANTS

    return tuple(sorted(v for v in VARIANTS if v != "debug"))


def check_variant(variant: str | None) -> str | None:
    """'none' -> None; a known variant -> itself; otherwise ValueError naming the choices."""
    if variant is None or variant == NO_VARIANT:
        return None
    if variant == DEFAULT_VARIANT:  # every WeasyPrint we support has it; skip a 1 s import
        return variant
    if variant not in pdf_variants():
        raise ValueError(f"{variant!r} is not a PDF variant WeasyPrint can write; "
                         f"use one of {', '.join(pdf_variants())} or {NO_VARIANT}")
    return variant


class _Collect(logging.Handler):
    """WeasyPrint's error log records from this thread only (builds may run in threads)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage().splitlines()[0])


def render_pdf(html: str, asset_dirs: list[Path], variant: str | None = DEFAULT_VARIANT) -> bytes:
    """Render ``html`` to PDF bytes. Raises PdfRenderError when WeasyPrint reported an error."""
    data, _ = render_pdf_seen(html, asset_dirs, variant)
    assert data is not None
    return data


# WeasyPrint draws a hyphen where a line breaks at the space after a soft hyphen (browsers do
# not), and breaks lines at a zero-width space inside a word, so the printed word is cut in
# two. Neither character does anything a reader wants there; both go before layout.
_SOFT_HYPHEN_BEFORE_SPACE = re.compile(r"(?:\u00ad|&shy;|&#173;|&#x0*ad;)+(?=\s|&nbsp;|&#160;)",
                                       re.I)
_ZWSP_IN_WORD = re.compile(r"(?<=\w)(?:\u200b|&#8203;|&#x0*200b;|&ZeroWidthSpace;)+(?=\w)",
                           re.I)


_FONT_FACE = re.compile(r"@font-face\b", re.I)


class _CountingFonts:
    """The process's FontConfiguration, counting the @font-face rules one render adds (from
    linked style sheets too, which the page's text does not show)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.faces = 0

    def add_font_face(self, *args: Any, **kwargs: Any) -> Any:
        self.faces += 1
        return self._inner.add_font_face(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _print_ready(html: str) -> str:
    return _ZWSP_IN_WORD.sub("", _SOFT_HYPHEN_BEFORE_SPACE.sub("", html))


def render_pdf_seen(html: str, asset_dirs: list[Path], variant: str | None = DEFAULT_VARIANT,
                    check: Callable[[Seen], list[Any]] | None = None,
                    ) -> tuple[bytes | None, list[Any]]:
    """Render ``html`` once; ``check`` gets what a person sees on the laid-out pages
    (:func:`explainer.seen.pdf.seen_text`) before the PDF is written. Returns the PDF bytes
    and the problems ``check`` found; with problems, no PDF is written (None).
    Raises PdfRenderError when WeasyPrint reported an error."""
    load_weasyprint()
    from weasyprint import HTML

    from .fetcher import LockedFetcher
    from .structure import install_apart_titles

    variant = check_variant(variant)
    html = _print_ready(html)
    font_faces = len(_FONT_FACE.findall(html))
    problems: list[Any] = []
    fetcher = LockedFetcher(asset_dirs)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        base_url = str(asset_dirs[0]) + "/"
        styles = _split_styles(html)
        if styles is None:
            fonts = _CountingFonts(font_config())  # linked style sheets may bring @font-face
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=fonts)
            font_faces += fonts.faces
        else:
            html, texts = styles
            sheets = [_parsed_style(text, base_url, tuple(asset_dirs)) for text in texts]
            collect.messages += [m for sheet in sheets for m in sheet.messages]
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=font_config(), counter_style=_counter_style(),
                stylesheets=[sheet.css for sheet in sheets])
        # No attachments, ever: not from <link rel=attachment>, not from <a rel=attachment>.
        document.metadata.attachments = []
        for page in document.pages:
            page.links[:] = [link for link in page.links if link[0] != "attachment"]
        if check is not None:
            from ..seen.pdf import seen_text

            seen = seen_text(document)
            problems = check(replace(seen, font_faces=font_faces) if font_faces else seen)
        data = None
        if not problems:
            options = {"pdf_variant": variant} if variant else {}
            install_apart_titles()  # apart parts are titled in the PDF's tags, for `score`
            data = document.write_pdf(pdf_tags=True, attachments=None,
                                      finisher=furniture_as_artifacts, **options)
    finally:
        logger.removeHandler(collect)
    messages = [f"refused to fetch {url}" for url in dict.fromkeys(fetcher.refused)]
    messages += [m for m in dict.fromkeys(collect.messages) if "refuses to fetch" not in m]
    if messages:
        raise PdfRenderError(messages)
    return data, problems


# Parsing the stylesheet is a tenth of a render, and most of it is the same every time.
# WeasyPrint can take parsed stylesheets (CSS objects) but only as *user* stylesheets, so
# the <style> elements are taken out and passed that way, each parsed once per process.
# Moving every author stylesheet to the user origin changes no cascade result as long as
# there are no other author styles to lose against them and no !important (which the
# user origin would turn around); otherwise the document is rendered as it is.
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_NOT_SPLIT = re.compile(r"!important|<link\b|<svg\b|<style\s|@import|url\((?!\s*['\"]?data:)",
                        re.I)


def _split_styles(html: str) -> tuple[str, list[str]] | None:
    """``html`` without its <style> elements, and their texts in order; None when moving
    them to the user origin could change the result."""
    texts = _STYLE.findall(html)
    if not texts or _NOT_SPLIT.search(html) or html.count("<style") != len(texts):
        return None
    return _STYLE.sub("", html), texts


@dataclass(frozen=True)
class _Sheet:
    css: Any
    messages: tuple[str, ...]  # errors WeasyPrint logged while parsing, reported on every use


@lru_cache(maxsize=32)
def _parsed_style(text: str, base_url: str, roots: tuple[Path, ...]) -> _Sheet:
    from weasyprint import CSS

    from .fetcher import LockedFetcher

    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        css = CSS(string=text, base_url=base_url, url_fetcher=LockedFetcher(list(roots)),
                  font_config=font_config(), counter_style=_counter_style())
    finally:
        logger.removeHandler(collect)
    return _Sheet(css, tuple(collect.messages))


@cache
def _counter_style() -> Any:
    """The counter styles the cached stylesheets were parsed with (their @counter-style)."""
    from weasyprint.css.counters import CounterStyle

    return CounterStyle()


def furniture_as_artifacts(document: Any, pdf: Any) -> None:
    """Re-mark content that no structure element reaches as /Artifact (page furniture).

    WeasyPrint 70 builds structure elements for margin boxes but leaves them out of the
    tree (it could only put artifacts in the tree for PDF 2.0). Screen readers would then
    meet orphaned content; PDF/UA wants it marked as pagination artifacts instead.

    A ``write_pdf`` finisher: it edits WeasyPrint's objects before they are written, which
    is far cheaper than parsing the written file's content streams again.
    """
    import pydyf

    objects = pdf.objects

    def deref(value: Any) -> Any:
        if isinstance(value, bytes) and value.endswith(b" R"):
            return objects[int(value.split()[0])]
        return value

    tree = deref(pdf.catalog.get("StructTreeRoot"))
    if tree is None:
        return
    reachable: set[bytes] = set()
    stack = [tree.get("K")]
    while stack:
        node = stack.pop()
        if isinstance(node, bytes) and node.endswith(b" R"):
            if node in reachable:
                continue
            reachable.add(node)
            node = deref(node)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "K" in node:
            stack.append(node["K"])

    nums = deref(tree["ParentTree"])["Nums"]
    parents = {nums[i]: deref(nums[i + 1]) for i in range(0, len(nums), 2)}
    for number in pdf.pages["Kids"][::3]:  # pydyf keeps Kids flat: number, 0, "R", ...
        page = objects[number]
        refs = parents.get(page.get("StructParents"))
        if not isinstance(refs, list):
            continue
        orphans = {mcid for mcid, ref in enumerate(refs)
                   if isinstance(ref, bytes) and ref not in reachable}
        if not orphans:
            continue
        ops = deref(page["Contents"]).stream  # "/Tag", {"MCID": n}, b"BDC", ...
        for i in range(1, len(ops) - 1):
            item = ops[i]
            if isinstance(item, dict) and item.get("MCID") in orphans and ops[i + 1] == b"BDC":
                ops[i - 1] = "/Artifact"
                ops[i] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in orphans:
            refs[mcid] = "null"


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
    out: list[str] = []
    last_x = last_y = None
    for block in _TEXT_OBJECT.findall(content):
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
            # A new line, or a gap on the same line, separates words as a reader sees it.
            if last_y is not None:
                if abs(y - last_y) > size / 2:
                    out.append("\n")
                elif (x - last_x > size * 0.15 and not out[-1].endswith(" ")
                      and not chunk.startswith(" ")):
                    out.append(" ")
            out.append(chunk)
            # Advance: the glyphs' widths less the TJ adjustments between them.
            adjust = sum(map(float, _NUMBER.findall(_HEX_STRING.sub(b" ", array))))
            x += scale * (sum(map(font.widths.__getitem__, codes)) - adjust) * size / 1000
            last_x, last_y = x, y
    return "".join(out)


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
