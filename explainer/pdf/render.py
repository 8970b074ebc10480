"""HTML -> accessible PDF with WeasyPrint (the text is read back by :mod:`.content_stream`).

WeasyPrint tags the PDF (PDF/UA-1 by default) but only *logs* what breaks accessibility:
a missing ``lang``, an image without ``alt``, a resource it could not load. We collect
those log records and every URL the locked fetcher refused, and fail the render with
them. It also leaves the text of page margin boxes (running footer, page numbers) as
marked content outside the structure tree; :mod:`.tagging` turns that into artifacts, as
PDF/UA asks.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
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


# How every match of the two patterns above starts, but for the bare characters: an entity
# (re.I: "s" is also U+017F). Scanning for it is a hundredth of running the two patterns.
_MAY_HYPHEN_OR_ZWSP = re.compile(r"&(?:#[18xX]|[sSzZ\u017f])")


def _print_ready(html: str) -> str:
    if "\u00ad" not in html and "\u200b" not in html and not _MAY_HYPHEN_OR_ZWSP.search(html):
        return html  # nothing either pattern could take out
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
    from .tagging import furniture_as_artifacts

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
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)  # what _style_elements finds
# Any of these keeps the styles in the document: !important, <link, <svg, <style with
# attributes, @import, url( of anything but data:. Each pattern starts with a character
# that has no case, so re scans for it quickly (one pattern of all of them: 15 times slower).
_NOT_SPLIT = (re.compile(r"!important|@import", re.I),
              re.compile(r"<(?:link\b|svg\b|style\s)", re.I),
              re.compile(r"\((?<=url\()(?!\s*['\"]?data:)", re.I))


def _style_elements(html: str) -> list[tuple[int, int, str]]:
    """Each <style>...</style> as ``_STYLE.finditer`` finds them: start, end, text."""
    found, at = [], 0
    while (start := html.find("<style>", at)) >= 0:
        end = html.find("</style>", start + 7)
        if end < 0:
            break  # no closing tag after this one, so none after a later one either
        found.append((start, end + 8, html[start + 7:end]))
        at = end + 8
    return found


def _split_styles(html: str) -> tuple[str, list[str]] | None:
    """``html`` without its <style> elements, and their texts in order; None when moving
    them to the user origin could change the result."""
    styles = _style_elements(html)
    if not styles or html.count("<style") != len(styles) \
            or any(pattern.search(html) for pattern in _NOT_SPLIT):
        return None
    kept, at = [], 0
    for start, end, _ in styles:
        kept.append(html[at:start])
        at = end
    kept.append(html[at:])
    return "".join(kept), [text for _, _, text in styles]


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
