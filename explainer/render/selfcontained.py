"""HTML outputs that fetch nothing: a Content-Security-Policy in every page, and external
references from templates refused at build time.

An explainer is opened from a disk, a mail attachment or an intranet. Opening it must not call
a server (a tracking pixel, a script, a frame) or read a local file beside it. The policy
makes a browser refuse every fetch; the check below makes the build fail first, naming the
element and attribute, so a template author learns why instead of meeting a broken page.
Allowed: ``data:`` URLs, fragment links (``#id``), and links a reader follows by choice
(``<a href>``, ``<area href>``: navigation, not a fetch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from ..problems import Problem

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "media-src data:; base-uri 'none'; form-action 'none'")
_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

# Attributes that make a browser fetch their URL(s), per element ('*': any element).
_FETCHING: dict[str, frozenset[str]] = {
    "*": frozenset({"src", "srcset", "imagesrcset", "poster", "background", "lowsrc",
                    "dynsrc", "ping", "formaction", "action", "manifest", "codebase",
                    "archive", "xlink:href"}),
    "link": frozenset({"href", "imagesrcset"}),
    "base": frozenset({"href"}),
    "object": frozenset({"data"}),
    "image": frozenset({"href"}),  # SVG
    "use": frozenset({"href"}),
    "feimage": frozenset({"href"}),
    "script": frozenset({"href"}),
}
# <link rel> values that no browser fetches on its own (WeasyPrint reads "attachment").
_REL_NAMES = ("alternate attachment author bookmark canonical external help license next "
              "prev nofollow noopener noreferrer tag me archives first last up index contents "
              "copyright glossary chapter section subsection appendix start")
_INERT_RELS = frozenset(_REL_NAMES.split())
# Elements that fetch or run something whatever their attributes say.
_REFUSED_ELEMENTS = {
    "script": "a script", "iframe": "a frame", "frame": "a frame", "frameset": "frames",
    "embed": "an embedded object", "applet": "an applet", "portal": "a portal",
}
# Attributes whose value is CSS: the style attribute and SVG presentation attributes.
_CSS_ATTRIBUTES = frozenset({"style", "fill", "stroke", "filter", "mask", "clip-path", "cursor",
                             "marker-start", "marker-mid", "marker-end", "marker"})
_CSS_URL = re.compile(r"url\(|image-set\(|image\(|cross-fade\(|@import|src\(", re.I)


def _is_local(url: str) -> bool:
    url = url.strip()
    return url == "" or url.startswith("#") or url.lower().startswith("data:")


def _css_urls(css: str) -> list[str]:
    """URLs a stylesheet or a style attribute would fetch (data: and #fragment excluded)."""
    import tinycss2

    if not _CSS_URL.search(css):
        return []
    found: list[str] = []

    def walk(nodes: Iterable[Any] | None, in_image: bool = False) -> None:
        for node in nodes or ():
            kind = node.type
            if kind == "url" or (kind == "string" and in_image):
                found.append(node.value)
            elif kind == "function":
                name = node.lower_name
                if name in ("url", "src"):
                    found.extend(t.value for t in node.arguments if t.type == "string")
                walk(node.arguments, in_image or name in (
                    "image-set", "-webkit-image-set", "image", "cross-fade"))
            elif kind == "at-rule" and node.lower_at_keyword == "import":
                found.extend(t.value for t in node.prelude if t.type == "string")
            if kind in ("at-rule", "qualified-rule"):
                walk(node.prelude)
                walk(node.content)
            elif kind in ("() block", "[] block", "{} block"):
                walk(node.content, in_image)

    walk(tinycss2.parse_stylesheet(css) if "{" in css or "@" in css
         else tinycss2.parse_component_value_list(css))
    return [u for u in found if not _is_local(u)]


def _candidates(srcset: str) -> list[str]:
    """The URLs of a srcset: each a run of non-space characters (a data: URL has commas),
    then descriptors up to the next comma."""
    urls, i, n = [], 0, len(srcset)
    while i < n:
        while i < n and (srcset[i].isspace() or srcset[i] == ","):
            i += 1
        start = i
        while i < n and not srcset[i].isspace():
            i += 1
        url = srcset[start:i].rstrip(",")
        if url:
            urls.append(url)
        if srcset[start:i].endswith(","):
            continue
        while i < n and srcset[i] != ",":
            i += 1
    return urls


def _attribute_fetches(tag: str, name: str, value: str, attrs: list[tuple[str, str | None]],
                       fetching: frozenset[str]) -> list[str]:
    """What one attribute would make a browser fetch (or refresh to), as messages."""
    if name == "http-equiv" and value.strip().lower() in ("refresh", "set-cookie", "link"):
        content = dict(attrs).get("content") or ""
        return [f"<meta http-equiv={value!r}>: {content!r} is not allowed "
                "(a refresh or link header fetches a page)"]
    if name in fetching:
        urls = (_candidates(value) if name in ("srcset", "imagesrcset")
                else value.split() if name in ("ping", "archive") else [value])
        return [f"<{tag} {name}>: {url!r} would be fetched" for url in urls if not _is_local(url)]
    if name in _CSS_ATTRIBUTES:
        return [f"<{tag} {name}>: CSS url {url!r} would be fetched" for url in _css_urls(value)]
    return []


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _REFUSED_ELEMENTS:
            what = next((v for k, v in attrs if k in ("src", "href", "data") and v), None)
            self.found.append(f"<{tag}>: {_REFUSED_ELEMENTS[tag]}"
                              + (f" from {what!r}" if what else "") + " is not allowed")
            return
        if tag == "style":
            self._style = True
        fetching = _FETCHING["*"] | _FETCHING.get(tag, frozenset())
        if tag == "link" and set((dict(attrs).get("rel") or "").lower().split()) <= _INERT_RELS:
            fetching = fetching - {"href"}  # a link no browser follows by itself
        for name, value in attrs:
            self.found += _attribute_fetches(tag, name.lower(), value or "", attrs, fetching)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() == "style":
            self._style = False

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            for url in _css_urls(data):
                self.found.append(f"<style>: CSS url {url!r} would be fetched")


def external_references(html: str) -> list[str]:
    """One line per reference in ``html`` that a browser would fetch from outside the page.

    The page is parsed once for every check (:func:`explainer.seen.html_tree.parse_page`):
    the scan is given what that parse's HTMLParser reported, the same calls, in the same
    order, as if it had parsed the page itself (tests/render/test_self_contained.py)."""
    from ..seen.html_tree import parse_page

    scan = _Scan()
    for event in parse_page(html).events:
        kind = event[0]
        if kind == "start":
            scan.handle_starttag(event[1], event[2])
        elif kind == "startend":
            scan.handle_startendtag(event[1], event[2])
        elif kind == "end":
            scan.handle_endtag(event[1])
        else:
            scan.handle_data(event[1])
    return list(dict.fromkeys(scan.found))


def reference_problems(html: str, output: str) -> list[Problem]:
    return [Problem(output, None, "self-contained",
                    f"{line}; an explainer must fetch nothing: embed it as a data: URL or "
                    "leave it out") for line in external_references(html)]


_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_HTML = re.compile(r"<html\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[a-zA-Z!]")


def with_csp(html: str) -> str:
    """``html`` with the no-fetch policy as the first element of its head (a policy in a
    meta element only covers what comes after it); unchanged when it has it already."""
    m = _HEAD.search(html)
    if m and html.startswith(_META, m.end() + 1):
        return html
    for pattern in (_HEAD, _HTML):
        m = pattern.search(html)
        if m:
            return f"{html[:m.end()]}\n{_META}{html[m.end():]}"
    # A fragment with elements still opens as a page; plain text has nothing to fetch.
    return _META + html if _ANY_TAG.search(html) else html
