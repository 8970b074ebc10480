"""The text a reader of an HTML explainer actually sees, block by block and section by section.

Scores must be computed on what a reader sees, and a mandatory caveat only counts if a reader can
see it. So invisible content is left out: ``<script>``, ``<style>``, ``<template>``, ``<head>``,
``<noscript>``, a closed ``<details>`` (all but its summary), a ``<dialog>`` that is not open,
``popover``, the ``hidden`` attribute, ``aria-hidden="true"``, fallback content of video,
canvas, object and the like, and text that the page's own CSS hides or makes illegible on a
screen of any size or in print (:mod:`explainer.seen.css` says which rules, and why). External
stylesheets are not fetched (the page's Content-Security-Policy forbids them anyway).

Text is cut into blocks (paragraphs, list items, headings, table cells) so that the sentence
splitter can treat a heading or a list item as a unit. Headings, navigation and anything marked
``data-score="apart"`` (with its category in ``data-apart="..."``) are reported apart from the
body, per section: ``<section data-section="ID">``; text outside any section is in "other".
The element tree comes from :mod:`.html_tree`, the page's cascade from :mod:`.css`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal
from xml.etree.ElementTree import Element

from ..textnorm import word_set
from .css import (
    MEDIA,
    START,
    cascade_styles,
    enter,
    fill,
    hash_once,
    inline_decls,
    merge,
    movement,
    state_without_hash,
    thick_outline,
    unseen,
)
from .html_tree import parse_html

Kind = Literal["body", "heading", "nav", "apart"]
OUTSIDE = "other"


_INVISIBLE = word_set("script style template head noscript title desc")
_BLOCKS = word_set(
    """address article aside blockquote body button caption dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    main nav ol option p pre section summary table tbody td tfoot th thead tr ul br"""
)
_HEADINGS = word_set("h1 h2 h3 h4 h5 h6")
_UA_SIZED = ("small", "sub", "sup", "h1", "h2", "h3", "h5", "h6")  # smaller by default


# ---------------------------------------------------------------------------------------------
# Which elements CSS hides: explainer.seen.css judges the page's own cascade in three media.

# Fallback content: shown only by a browser that cannot play or draw the element itself; and
# text a browser shows in part, moving, or in a form control's box.
_FALLBACK = word_set("""video audio canvas object iframe meter progress applet noembed noframes
    datalist select textarea marquee""")
# SVG text is painted by fill and stroke, under SVG transforms, none of which is judged here.
_NOT_JUDGED = word_set("svg math")
# Presentational attributes a browser (but not WeasyPrint) still applies.
_HINTS = {("font", "color"): "color", ("body", "text"): "color",
          ("body", "bgcolor"): "background-color", ("table", "bgcolor"): "background-color",
          ("tr", "bgcolor"): "background-color", ("td", "bgcolor"): "background-color",
          ("th", "bgcolor"): "background-color"}
_REPLACED = word_set("img picture video canvas object embed iframe input svg")
# Tags whose look is worked out even without a rule: the UA's own styles, bidi, replaced.
_JUDGED_TAGS = frozenset({"a", "bdo", "html", *_UA_SIZED}) | _NOT_JUDGED | _REPLACED
# Bidi override characters draw the letters after them in reverse order.
_OVERRIDES = re.compile("[\u202d\u202e]")


# ---------------------------------------------------------------------------------------------
# Walking the tree into blocks.


@dataclass(frozen=True)
class Block:
    text: str
    section: str
    kind: Kind
    category: str = ""  # for kind "apart": the data-apart value ("other" when missing)
    legible: str | None = None  # the text without parts not proven legible; None: all of it


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
    # Page-level: boxes that can be drawn over others with a fill (overlays), one line each,
    # and the number of @font-face rules (a template's own font may draw blank glyphs).
    overlays: list[str] = field(default_factory=list)
    font_faces: int = 0
    unseen: list[tuple[str, str]] = field(default_factory=list)  # (text, why) left out
    # The parsed page, for checks that look at its structure (commcheck): one parse per page.
    # Read it, never change it: extract's cache hands the same tree to every caller.
    root: Element | None = field(default=None, compare=False, repr=False)

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

    def legible_text(self) -> str:
        """The text without what is there but not proven legible (low contrast, too small,
        moved, clipped, filtered...): what a mandatory caveat may count on."""
        return "\n".join(b.text if b.legible is None else b.legible for b in self.blocks)


@dataclass(frozen=True)
class _Context:
    __hash__ = hash_once  # the key of the walker's cache of inner contexts
    __getstate__ = state_without_hash

    section: str
    kind: Kind
    category: str
    looks: tuple[Any, ...]  # css.Look per medium: inherited, and a child may change it
    unseen: str | None = None  # why text here cannot be read (css.unseen), or None
    gone: bool = False  # not drawn at all (not only illegible): left out of every text
    moved: str | None = None  # how this element or an ancestor is moved (css.movement)


def _never_seen(tag: str, attrs: Any) -> bool:
    """Elements whose content is never drawn: invisible or fallback elements, a closed
    dialog, aria-hidden or popover content."""
    if tag in _INVISIBLE or tag in _FALLBACK:
        return True
    if tag == "dialog" and "open" not in attrs:
        return True
    return attrs.get("aria-hidden", "").strip().lower() == "true" or "popover" in attrs


def _scored_as(tag: str, attrs: Any, parent: _Context) -> tuple[str, Kind, str]:
    """(section, kind, apart category) inside the element, from its data-* and role."""
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
    return section, kind, category


class _Walker:
    def __init__(self, computed: dict[int, Any]):
        self.computed = computed
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.legible: list[str] = []  # the pieces a caveat may count on (illegible ones out)
        self.context: _Context | None = None
        self.scrambled = False  # the block has a bidi override character
        self.overlays: list[str] = []
        self.unseen: list[tuple[str, str]] = []
        # (tag, attributes, id of the matched rules, parent context) -> inner context; the
        # matched rules live as long as self.computed, so their ids are stable for the page.
        self.entered: dict[tuple[Any, ...], _Context | None] = {}

    def flush(self) -> None:
        if self.pieces and self.context is not None and not self.scrambled:
            text = " ".join("".join(self.pieces).split())
            if text:
                c = self.context
                legible = " ".join("".join(self.legible).split())
                self.blocks.append(Block(text, c.section, c.kind, c.category,
                                         None if legible == text else legible))
        self.pieces = []
        self.legible = []
        self.scrambled = False

    def add(self, text: str | None, context: _Context) -> None:
        if not text:
            return
        if context.unseen is not None:
            if text.strip() and len(self.unseen) < 10_000:
                self.unseen.append((text, context.unseen))
            if context.gone:
                return
        if _OVERRIDES.search(text):
            self.scrambled = True
        current = self.context
        if current is None or (context.section, context.kind, context.category) != (
                current.section, current.kind, current.category):
            if text.strip():
                self.flush()
                self.context = context
            else:
                self.pieces.append(" ")  # whitespace between differently kept parts
                self.legible.append(" ")
                return
        self.pieces.append(text)
        # Text that is there but not proven legible reads as a gap to the caveat proof.
        self.legible.append(text if context.unseen is None else " \u2063 ")

    def walk(self, root: Element) -> None:
        start = _Context(OUTSIDE, "body", "", START)
        # (element, parent's context, own context, leaving?, tail shown?)
        stack: list[tuple[Element, _Context, _Context, bool, bool]] = [
            (root, start, start, False, True)
        ]
        while stack:
            element, parent, _, leaving, tail_shown = stack.pop()
            tag = element.tag if isinstance(element.tag, str) else ""
            inner = None if leaving else self.enter(element, tag, parent)
            if inner is None:  # left, or hidden: skip the subtree, keep the text after it
                self._leave(element, tag, parent, tail_shown)
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

    def _leave(self, element: Element, tag: str, parent: _Context, tail_shown: bool) -> None:
        if tag in _BLOCKS:
            self.flush()
        if tail_shown:
            self.add(element.tail, parent)

    def enter(self, element: Element, tag: str, parent: _Context) -> _Context | None:
        """The context inside ``element``, or None when nothing inside it can be seen.

        A page repeats elements (list items, table cells, paragraphs) that have the same tag,
        attributes and matching rules in the same context: their inner context is the same,
        worked out once per page. (The overlays a repeat would note are noted already.)"""
        attrs = element.attrib
        matched = self.computed.get(id(element))
        key = (tag, tuple(attrs.items()), id(matched) if matched is not None else 0, parent)
        try:
            return self.entered[key]
        except KeyError:
            inner = self.entered[key] = self._enter(element, tag, attrs, matched, parent)
            return inner

    def _enter(self, element: Element, tag: str, attrs: Any, matched: Any,
               parent: _Context) -> _Context | None:
        if _never_seen(tag, attrs):
            return None
        inline = inline_decls(attrs["style"]) if "style" in attrs else {}
        hints = {prop: (attrs[name].strip().lower(), False) for (t, name), prop in _HINTS.items()
                 if t == tag and name in attrs}
        looks = parent.looks
        moved = parent.moved
        if matched is not None or inline or hints or tag in _JUDGED_TAGS or "hidden" in attrs:
            found = self._looks(element, tag, parent, matched, inline, hints)
            if found is None:
                return None
            looks, moved = found
        why, gone = (None, False) if looks is parent.looks and parent.unseen is None else next(
            ((w, g) for w, g in map(unseen, dict.fromkeys(looks)) if w is not None),
            (None, False))
        section, kind, category = _scored_as(tag, attrs, parent)
        return _Context(section, kind, category, looks, why, gone, moved)

    def _looks(self, element: Element, tag: str, parent: _Context, matched: Any,
               inline: dict, hints: dict) -> tuple[tuple[Any, ...], str | None] | None:
        """The element's look in each medium and how it is moved (or None); None when it is
        not displayed at all."""
        attrs = element.attrib
        moved = parent.moved
        new_looks: list[Any] = []
        last: tuple[Any, ...] | None = None  # (decls, parent look, pseudo) of the last medium
        for i in range(len(MEDIA)):
            decls = merge(matched.own[i] if matched is not None else {}, inline)
            if hints:
                decls = {**hints, **decls}  # below every author rule
            pseudo_decls = matched.pseudo[i] if matched is not None else None
            if last is not None and last == (decls, parent.looks[i], pseudo_decls):
                new_looks.append(new_looks[-1])  # the same rules as the medium before
                continue
            last = (decls, parent.looks[i], pseudo_decls)
            if "hidden" in attrs and decls.get("display", ("none", False))[0] == "none":
                return None  # the hidden attribute is display:none unless CSS says otherwise
            look = enter(parent.looks[i], decls, tag)
            if look.hidden is not None and look.hidden.startswith("display"):
                return None
            moved = moved or movement(decls, parent.looks[i].variables)
            self._note_overlay(element, tag, decls, parent, moved)
            if pseudo_decls:
                self._note_overlay(element, f"{tag}::before/after", pseudo_decls, parent,
                                   moved or movement(pseudo_decls, parent.looks[i].variables),
                                   pseudo=True)
            if tag in _NOT_JUDGED and look.hidden is None:
                look = replace(look, hidden=f"text inside <{tag}> (its painting is not judged)")
            new_looks.append(look)
        return tuple(new_looks), moved

    def _note_overlay(self, element: Element, what: str, decls: dict, parent: _Context,
                      moved: str | None, pseudo: bool = False) -> None:
        """An element, or its ::before/::after, that is moved (or inside a moved box) and
        paints a fill: it can be drawn over a caveat."""
        how = thick_outline(decls, parent.looks[0].variables)
        if how is None and moved:
            paints = fill(decls, parent.looks[0].variables, pseudo)
            if paints is None and not pseudo and element.tag in _REPLACED:
                paints = f"<{element.tag}> content"
            how = f"{moved} with {paints}" if paints else None
        if how:
            classes = ".".join(element.get("class", "").split())
            name = what.replace(element.tag, element.tag + ("." + classes if classes else ""), 1)
            line = f"<{name}>: {how}"
            if line not in self.overlays:
                self.overlays.append(line)


@lru_cache(maxsize=8)  # a build extracts the same page for the caveat proof and for scoring
def extract(html: str) -> Extracted:
    """Visible text of an HTML document as blocks, with headings, navigation and parts marked
    ``data-score="apart"`` kept apart from the body, per ``<section data-section>``."""
    root, styles = parse_html(html)
    computed, rules = cascade_styles(root, styles) if styles else ({}, None)
    walker = _Walker(computed)
    walker.walk(root)
    walker.flush()
    # Freed now, before the sections are built: left to the end of the call, its many keys
    # tipped the cyclic collector into a generation-1 pass inside nearly every extract.
    walker.entered.clear()
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
    return Extracted(walker.blocks, sections, walker.overlays,
                     rules.font_faces if rules is not None else 0, walker.unseen, root)


def visible_text(html: str) -> str:
    """Everything a reader can see, apart parts included, one block per line."""
    return extract(html).text()
