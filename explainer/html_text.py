"""The text a reader of an HTML explainer actually sees, block by block and section by section.

Scores must be computed on what a reader sees, and a mandatory caveat only counts if a reader can
see it. So invisible content is left out: ``<script>``, ``<style>``, ``<template>``, ``<head>``,
``<noscript>``, a closed ``<details>`` (all but its summary), a ``<dialog>`` that is not open,
the ``hidden`` attribute, ``aria-hidden="true"``, and elements that the inline ``style`` or the
document's own ``<style>`` blocks hide with ``display:none``, ``visibility:hidden``,
``opacity:0``, ``font-size:0`` or the clip pattern of screen-reader-only text. External
stylesheets are not fetched. Rules inside ``@media`` count when the media query names screen,
print or all without features: text must be visible both on screen and in the PDF.

Text is cut into blocks (paragraphs, list items, headings, table cells) so that the sentence
splitter can treat a heading or a list item as a unit. Headings, navigation and anything marked
``data-score="apart"`` (with its category in ``data-apart="..."``) are reported apart from the
body, per section: ``<section data-section="ID">``; text outside any section is in "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Literal
from xml.etree.ElementTree import Element

Kind = Literal["body", "heading", "nav", "apart"]
OUTSIDE = "other"




def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VOID = _words("area base br col embed hr img input link meta param source track wbr keygen")
_INVISIBLE = _words("script style template head noscript title desc")
_BLOCKS = _words(
    """address article aside blockquote body button caption dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    main nav ol option p pre section summary table tbody td tfoot th thead tr ul br"""
)
_HEADINGS = _words("h1 h2 h3 h4 h5 h6")
# An open element of the key is closed by the start of any element in the value (HTML's
# implied end tags), so that "<li>a<li>b" is two items.
_CLOSED_BY: dict[str, frozenset[str]] = {
    "p": _words(
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
_SCOPES = _words("ul ol dl table tbody thead tfoot select")
_HIDING_PROPERTIES = ("display", "visibility", "opacity", "font-size", "clip", "clip-path",
                      "content-visibility")
_MAYBE_HIDING = re.compile(r"display|visibility|opacity|font-size|clip|content-visibility", re.I)


# ---------------------------------------------------------------------------------------------
# HTML -> a small element tree (xml.etree, which cssselect2 can match against).


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
        self._flush_text()
        closers = {t for t, by in _CLOSED_BY.items() if tag in by}
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
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self._pop_from(len(self.stack) - 1)

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        if tag == "style":
            self._in_style = False
        if not self.open.get(tag):
            return  # an end tag with no open element: ignored, as browsers do
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self._pop_from(i)
                return

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()


def _parse(html: str) -> tuple[Element, list[tuple[str, str | None]]]:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root
    elements = [child for child in root if isinstance(child.tag, str)]
    if len(elements) == 1 and elements[0].tag == "html" and not (root.text or "").strip() \
            and not (elements[0].tail or "").strip():
        root = elements[0]
    return root, builder.styles


# ---------------------------------------------------------------------------------------------
# Which elements CSS hides.

_Decl = tuple[str, bool]  # (value, important)


def _inline_style(style: str) -> dict[str, _Decl]:
    found: dict[str, _Decl] = {}
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        name = name.strip().lower()
        if not sep or name not in _HIDING_PROPERTIES:
            continue
        value = value.strip().lower()
        important = value.endswith("!important")
        if important:
            value = value[: -len("!important")].strip()
        found[name] = (" ".join(value.split()), important)
    return found


def _media_applies(query: str | None) -> bool:
    if not query or not query.strip():
        return True
    for medium in query.lower().split(","):
        words = medium.split()
        if "(" in medium or not words:
            continue  # feature queries (width, orientation...) depend on the device
        if words[0] == "only":
            words = words[1:]
        if words and words[0] in ("all", "screen", "print"):
            return True
    return False


def _stylesheet_rules(css: str) -> list[tuple[Any, dict[str, _Decl]]]:
    """(compiled selectors, hiding declarations) for each style rule that can hide something."""
    import cssselect2
    import tinycss2

    rules: list[tuple[Any, dict[str, _Decl]]] = []

    def walk(nodes: list[Any]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                decls = {}
                for d in tinycss2.parse_declaration_list(
                    node.content, skip_whitespace=True, skip_comments=True
                ):
                    if d.type == "declaration" and d.lower_name in _HIDING_PROPERTIES:
                        value = " ".join(tinycss2.serialize(d.value).lower().split())
                        decls[d.lower_name] = (value, d.important)
                if not decls:
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(node.prelude)
                except cssselect2.SelectorError:
                    continue  # a selector we cannot match: browsers drop the whole rule too
                rules.append((selectors, decls))
            elif node.type == "at-rule" and node.content is not None:
                keyword = node.lower_at_keyword
                if keyword == "media" and not _media_applies(tinycss2.serialize(node.prelude)):
                    continue
                if keyword in ("media", "supports", "layer", "scope", "container"):
                    walk(tinycss2.parse_rule_list(node.content, skip_whitespace=True,
                                                  skip_comments=True))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return rules


@lru_cache(maxsize=16)  # every document of a build carries the same <style>: parse it once
def _matcher(css: str) -> Any:
    """A cssselect2 Matcher of the hiding rules in ``css`` (read-only once built), or None."""
    import cssselect2

    rules = _stylesheet_rules(css)
    if not rules:
        return None
    matcher = cssselect2.Matcher()
    for selectors, decls in rules:
        for selector in selectors:
            matcher.add_selector(selector, decls)
    return matcher


def _cascade(root: Element, styles: list[tuple[str, str | None]]) -> dict[int, dict[str, _Decl]]:
    """Element id -> winning hiding declarations from the document's <style> blocks."""
    css = "\n".join(text for text, media in styles if _media_applies(media))
    if not _MAYBE_HIDING.search(css):
        return {}
    import cssselect2

    matcher = _matcher(css)
    if matcher is None:
        return {}
    computed: dict[int, dict[str, _Decl]] = {}
    for wrapper in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
        matches = matcher.match(wrapper)
        if not matches:
            continue
        winning: dict[str, tuple[tuple[bool, Any, int], _Decl]] = {}
        for specificity, order, pseudo, decls in matches:
            if pseudo:
                continue  # ::before and friends style generated content, not the element
            for name, (value, important) in decls.items():
                rank = (important, specificity, order)
                if name not in winning or rank >= winning[name][0]:
                    winning[name] = (rank, (value, important))
        if winning:
            computed[id(wrapper.etree_element)] = {k: v for k, (_, v) in winning.items()}
    return computed


_ZERO = re.compile(r"^[+-]?0*(\.0*)?(px|em|rem|%|pt)?$")


def _is_zero(value: str) -> bool:
    return bool(_ZERO.match(value.strip()))


def _hides(decls: dict[str, _Decl]) -> bool:
    """True if these declarations hide the element and everything inside it."""
    value = lambda name: decls.get(name, ("", False))[0]  # noqa: E731
    if value("display") == "none" or value("content-visibility") == "hidden":
        return True
    if "opacity" in decls and _is_zero(value("opacity")):
        return True
    if "font-size" in decls and _is_zero(value("font-size")):
        return True
    clip = value("clip")
    if clip.startswith("rect("):
        sizes = re.findall(r"[\d.]+", clip)
        if sizes and all(float(s) <= 1 for s in sizes):
            return True  # screen-reader-only text: not on screen, not in print
    clip_path = value("clip-path")
    return bool(re.match(r"inset\(\s*(50|100)%", clip_path))


# ---------------------------------------------------------------------------------------------
# Walking the tree into blocks.


@dataclass(frozen=True)
class Block:
    text: str
    section: str
    kind: Kind
    category: str = ""  # for kind "apart": the data-apart value ("other" when missing)


@dataclass
class Section:
    id: str
    body: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    apart: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Extracted:
    blocks: list[Block]
    sections: dict[str, Section]

    def body(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "body"]

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading"]

    def nav(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "nav"]

    def apart(self) -> dict[str, list[str]]:
        parts: dict[str, list[str]] = {}
        for b in self.blocks:
            if b.kind == "apart":
                parts.setdefault(b.category, []).append(b.text)
        return parts

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class _Context:
    section: str
    kind: Kind
    category: str
    visibility: str  # "visible" or "hidden"; inherited, and a child may override it


class _Walker:
    def __init__(self, computed: dict[int, dict[str, _Decl]]):
        self.computed = computed
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.context: _Context | None = None

    def flush(self) -> None:
        if self.pieces and self.context is not None:
            text = " ".join("".join(self.pieces).split())
            if text:
                c = self.context
                self.blocks.append(Block(text, c.section, c.kind, c.category))
        self.pieces = []

    def add(self, text: str | None, context: _Context) -> None:
        if not text or context.visibility != "visible":
            return
        if context != self.context:
            if text.strip():
                self.flush()
                self.context = context
            else:
                self.pieces.append(" ")  # whitespace between differently kept parts
                return
        self.pieces.append(text)

    def walk(self, root: Element) -> None:
        start = _Context(OUTSIDE, "body", "", "visible")
        # (element, parent's context, own context, leaving?, tail shown?)
        stack: list[tuple[Element, _Context, _Context, bool, bool]] = [
            (root, start, start, False, True)
        ]
        while stack:
            element, parent, _, leaving, tail_shown = stack.pop()
            tag = element.tag if isinstance(element.tag, str) else ""
            if leaving:
                if tag in _BLOCKS:
                    self.flush()
                if tail_shown:
                    self.add(element.tail, parent)
                continue
            inner = self.enter(element, tag, parent)
            if inner is None:  # hidden: skip the subtree, keep the text after it
                if tag in _BLOCKS:
                    self.flush()
                if tail_shown:
                    self.add(element.tail, parent)
                continue
            if tag in _BLOCKS:
                self.flush()
            stack.append((element, parent, inner, True, tail_shown))
            children = [c for c in element if isinstance(c.tag, str)]
            closed = tag == "details" and "open" not in element.attrib
            if closed:
                # a closed <details> shows its summary only, none of its other text
                summary = next((c for c in children if c.tag == "summary"), None)
                children = [summary] if summary is not None else []
            else:
                self.add(element.text, inner)
            for child in reversed(children):
                stack.append((child, inner, inner, False, not closed))

    def enter(self, element: Element, tag: str, parent: _Context) -> _Context | None:
        """The context inside ``element``, or None when nothing inside it can be seen."""
        attrs = element.attrib
        if tag in _INVISIBLE:
            return None
        if tag == "dialog" and "open" not in attrs:
            return None
        if attrs.get("aria-hidden", "").strip().lower() == "true":
            return None
        decls = dict(self.computed.get(id(element), {}))
        inline = _inline_style(attrs.get("style", "")) if "style" in attrs else {}
        for name, (value, important) in inline.items():
            if name not in decls or important or not decls[name][1]:
                decls[name] = (value, important)
        if "hidden" in attrs and decls.get("display", ("none", False))[0] == "none":
            return None  # the hidden attribute is display:none unless CSS says otherwise
        if _hides(decls):
            return None
        visibility = parent.visibility
        own = decls.get("visibility", ("", False))[0]
        if own in ("hidden", "collapse"):
            visibility = "hidden"
        elif own == "visible":
            visibility = "visible"
        section, kind, category = parent.section, parent.kind, parent.category
        if tag == "section" and attrs.get("data-section"):
            section = attrs["data-section"].strip() or section
        if attrs.get("data-score", "").strip().lower() == "apart":
            kind = "apart"
            category = attrs.get("data-apart", "").strip() or category or "other"
        elif kind == "apart" and attrs.get("data-apart"):
            category = attrs["data-apart"].strip()
        elif kind != "apart":
            if tag == "nav" or attrs.get("role", "").lower() == "navigation":
                kind = "nav"
            elif kind != "nav" and (tag in _HEADINGS or attrs.get("role", "").lower() == "heading"):
                kind = "heading"
        return _Context(section, kind, category, visibility)


@lru_cache(maxsize=8)  # a build extracts the same page for the caveat proof and for scoring
def extract(html: str) -> Extracted:
    """Visible text of an HTML document as blocks, with headings, navigation and parts marked
    ``data-score="apart"`` kept apart from the body, per ``<section data-section>``."""
    root, styles = _parse(html)
    walker = _Walker(_cascade(root, styles) if styles else {})
    walker.walk(root)
    walker.flush()
    sections: dict[str, Section] = {}
    for b in walker.blocks:
        s = sections.setdefault(b.section, Section(b.section))
        if b.kind == "body":
            s.body.append(b.text)
        elif b.kind == "heading":
            s.headings.append(b.text)
        elif b.kind == "nav":
            s.nav.append(b.text)
        else:
            s.apart.setdefault(b.category, []).append(b.text)
    return Extracted(walker.blocks, sections)


def visible_text(html: str) -> str:
    """Everything a reader can see, apart parts included, one block per line."""
    return extract(html).text()
