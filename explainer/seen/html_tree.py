"""HTML -> a small element tree (xml.etree, which cssselect2 can match against), built the
way browsers' parsers build it where that changes what is seen: implied end tags ("<li>a<li>b"
is two items), stray end tags ignored, and a depth cap. The page's <style> texts are kept for
the cascade, and what the parser reported that the self-contained check reads
(:mod:`explainer.render.selfcontained`): one parse of a page serves every check."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element

from ..textnorm import word_set

_VOID = word_set("area base br col embed hr img input link meta param source track wbr keygen")


# An open element of the key is closed by the start of any element in the value (HTML's
# implied end tags), so that "<li>a<li>b" is two items.
_CLOSED_BY: dict[str, frozenset[str]] = {
    "p": word_set(
        """address article aside blockquote details div dl fieldset figcaption figure
        footer form h1 h2 h3 h4 h5 h6 header hgroup hr main nav ol p pre section table ul"""
    ),
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "option": frozenset({"option"}),
}
# The same, the other way round: tag -> the open elements its start closes.
_CLOSERS: dict[str, frozenset[str]] = {
    tag: frozenset(t for t, by in _CLOSED_BY.items() if tag in by)
    for tag in set().union(*_CLOSED_BY.values())
}
_SCOPES = word_set("ul ol dl table tbody thead tfoot select")


# Deeper elements become siblings of the deepest open one, as in browsers' parsers (Blink
# caps the tree at 512): the tree stays shallow enough for recursive selector matching, and no
# element is lost, so CSS still hides what it hides.
MAX_DEPTH = 256


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack: list[Element] = [self.root]
        self.open: dict[str, int] = {}  # tag -> how many are on the stack: stray end tags in O(1)
        self.styles: list[tuple[str, str | None]] = []  # (css, media attribute)
        self._style_media: str | None = None
        self._in_style = False
        self._text: list[str] = []  # text since the last tag, joined once (no quadratic +=)
        # The parser's reports the self-contained check reads, in order: every start tag with
        # its attributes as written (duplicates included), <style> end tags, and the text
        # inside <style> (its state kept as that check keeps it: a <style/> opens nothing).
        self.events: list[tuple[Any, ...]] = []
        self._scan_style = False

    def _push(self, element: Element) -> None:
        self.stack.append(element)
        self.open[element.tag] = self.open.get(element.tag, 0) + 1

    def _pop_from(self, index: int) -> None:
        for element in self.stack[index:]:
            self.open[element.tag] -= 1
        del self.stack[index:]

    def _flush_text(self) -> None:
        if not self._text:
            return
        data = "".join(self._text)
        self._text = []
        if self._in_style:
            self.styles.append((data, self._style_media))
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, attrs))
        if tag == "style":
            self._scan_style = True
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        closers = _CLOSERS.get(tag)
        if closers:
            for i in range(len(self.stack) - 1, 0, -1):
                name = self.stack[i].tag
                if name in closers:
                    self._pop_from(i)
                    break
                if name in _SCOPES or name in ("div", "section", "article", "body"):
                    break
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs})
        if len(self.stack) > MAX_DEPTH:
            self._pop_from(len(self.stack) - 1)
        self.stack[-1].append(element)
        if tag not in _VOID:
            self._push(element)
        if tag == "style":
            self._in_style = True
            self._style_media = element.get("media")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", tag, attrs))
        if tag == "style":
            self._scan_style = False
        self._start(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self._pop_from(len(self.stack) - 1)

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        if tag == "style":
            self._in_style = False
            self._scan_style = False
            self.events.append(("end", tag))
        if not self.open.get(tag):
            return  # an end tag with no open element: ignored, as browsers do
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._pop_from(i)
                return

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._scan_style:
            self.events.append(("data", data))

    def close(self) -> None:
        super().close()
        self._flush_text()


@dataclass(frozen=True)
class Page:
    """One parse of a page: its tree and style sheets, and the reports (see _TreeBuilder)."""

    root: Element
    styles: list[tuple[str, str | None]]  # (css, media attribute)
    events: tuple[tuple[Any, ...], ...]


# A build checks each page several times (visible text, caveat proof, communication check,
# self-contained check): one parse, keyed on the page's text. Callers read it, never change it.
@lru_cache(maxsize=8)
def parse_page(html: str) -> Page:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root
    elements = [child for child in root if isinstance(child.tag, str)]
    if len(elements) == 1 and elements[0].tag == "html" and not (root.text or "").strip() \
            and not (elements[0].tail or "").strip():
        root = elements[0]
    return Page(root, builder.styles, tuple(builder.events))


def parse_html(html: str) -> tuple[Element, list[tuple[str, str | None]]]:
    page = parse_page(html)
    return page.root, page.styles
