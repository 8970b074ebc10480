"""Whether a browser shows an element's text so that a person can read it: the page's own CSS
cascade (tinycss2 + cssselect2), judged without a layout engine.

Three media at once, because a reader may meet the page in any of them: a screen of the
default size (``screen`` and ``all`` rules), any screen (every screen rule, feature queries
such as ``(min-width: 1px)`` taken as true), and print. Text counts as visible only when it
is visible in all three, so a media query cannot hide it from some readers.

Each rule below is either judged (colour contrast, size, visibility) or, where the outcome
needs a layout a browser alone computes, refused: the text inside does not count as seen.

judged (inherited through ancestors, as CSS computes them):
  - ``display: none``, ``content-visibility: hidden``, ``visibility: hidden|collapse``;
  - colour (``color``, or ``-webkit-text-fill-color`` which paints over it), faded by its
    alpha and every ancestor's ``opacity``, against the nearest ancestor's background (and
    what is below it too, when that box has a fixed height the text can run out of; a
    white canvas below all): at least 4.5:1 (WCAG AA);
  - font size (units, keywords, ``em``/``%``/``rem``; ``min()/max()/clamp()`` by their
    smallest value, viewport units as 0): at least 6 pt (8 px);
  - ``letter-spacing`` below -0.1 em (glyphs piled up); the clip of screen-reader text.
refused (the text inside is not counted):
  - a background image or gradient behind it (contrast unknowable);
  - ``position: absolute|fixed|sticky``, ``position: relative`` with an offset, a negative
    margin, ``text-indent`` below 0 or over 3 em, any ``transform``/``translate``/
    ``scale``/``rotate`` or ``zoom`` (each can move it off screen or shrink it to nothing);
  - ``clip-path``, ``mask``, ``filter``, ``mix-blend-mode``, line clamping;
  - ``overflow`` other than visible (or ``contain: paint``) together with a size limit
    (``height: 0; overflow: hidden``...);
  - ``unicode-bidi: bidi-override|isolate-override|plaintext``, ``<bdo>`` and the bidi
    override characters U+202D/U+202E (letters drawn in another order);
  - calc() and other sizes it cannot bound.
page-level, reported by :func:`page_refusals`:
  - an element or ``::before``/``::after`` box that is positioned or moved and paints a
    fill, outline or shadow (it can be drawn over a caveat: an overlay);
  - ``@font-face``: a template's own font may draw blank or other glyphs for the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache, partial
from typing import Any, TypeGuard

SCREEN, ANY_SCREEN, PRINT = 1, 2, 4
ALL_MEDIA = SCREEN | ANY_SCREEN | PRINT
MEDIA = (SCREEN, ANY_SCREEN, PRINT)
MIN_CONTRAST = 4.5
MIN_FONT_PX = 8.0  # 6 pt

_PROP_NAMES = """
display visibility opacity font-size clip clip-path content-visibility color background
background-color background-image -webkit-text-fill-color filter transform translate scale
rotate zoom position top left right bottom inset inset-block inset-inline text-indent overflow
overflow-x overflow-y height max-height width max-width block-size max-block-size inline-size
max-inline-size margin margin-top margin-right margin-bottom margin-left margin-block
margin-inline margin-block-start margin-block-end margin-inline-start margin-inline-end
unicode-bidi mask mask-image -webkit-mask -webkit-mask-image mix-blend-mode letter-spacing
contain -webkit-line-clamp line-clamp box-shadow outline outline-style outline-width content
-webkit-box-reflect z-index line-height white-space border border-top border-right
border-bottom border-left border-style border-image border-block border-inline
"""
_PROPS = frozenset(_PROP_NAMES.split())
_INHERITED_KEYWORDS = ("inherit", "unset")
_RESET_KEYWORDS = ("initial", "revert", "revert-layer")

Decls = dict[str, tuple[str, bool]]  # name -> (value, important)


# --- style sheets -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    selectors: Any
    decls: tuple[tuple[str, str, bool], ...]
    media: int
    layered: bool


@dataclass(frozen=True)
class Rules:
    matcher: Any  # cssselect2.Matcher, or None when no rule matters
    font_faces: int
    # The winning declarations of each distinct set of matching selectors (by their order of
    # addition to this matcher, which names each one): elements of the same classes share it.
    winning: dict[tuple[int, ...], Matched] = field(default_factory=dict, compare=False,
                                                    repr=False)


def _media_mask(query: str) -> int:
    """Which of the three media a media query can match (feature queries taken as true)."""
    query = query.strip().lower()
    if not query:
        return ALL_MEDIA
    mask = 0
    for medium in query.split(","):
        words = medium.replace("(", " ( ").split()
        if not words:
            continue
        negated = words[0] == "not"
        if words[0] in ("not", "only"):
            words = words[1:]
        kind = words[0] if words and words[0] != "(" else "all"
        features = "(" in medium
        if kind == "all":
            hit = ALL_MEDIA if not features else ANY_SCREEN | PRINT
        elif kind == "screen":
            hit = (SCREEN | ANY_SCREEN) if not features else ANY_SCREEN
        elif kind == "print":
            hit = PRINT
        else:
            hit = 0
        if negated:
            hit = ALL_MEDIA if features else ALL_MEDIA & ~hit
        mask |= hit
    return mask


def _serialize(nodes: Any) -> str:
    import tinycss2

    return " ".join(tinycss2.serialize(nodes).split())


def _declarations(node: Any) -> tuple[tuple[str, str, bool], ...]:
    """A style rule's declarations that bear on visibility: (name, value, important)."""
    import tinycss2

    decls = []
    for d in tinycss2.parse_declaration_list(node.content, skip_whitespace=True,
                                             skip_comments=True):
        if d.type == "declaration" and (d.lower_name in _PROPS or d.name.startswith("--")):
            value = _serialize(d.value)
            name = d.name if d.name.startswith("--") else d.lower_name
            decls.append((name, value if name.startswith("--") else value.lower(), d.important))
    return tuple(decls)


def _style_rule(node: Any, media: int, layered: bool) -> _Rule | None:
    """A qualified rule compiled for matching; None when nothing in it bears on visibility or
    its selector cannot be matched (browsers drop the whole rule too)."""
    import cssselect2

    decls = _declarations(node)
    if not decls:
        return None
    try:
        selectors = cssselect2.compile_selector_list(node.prelude)
    except cssselect2.SelectorError:
        return None
    return _Rule(selectors, decls, media, layered)


_GROUPING = ("media", "supports", "layer", "scope", "container", "document", "starting-style")


def _collect_rules(nodes: list[Any], media: int, layered: bool, rules: list[_Rule]) -> int:
    """Append the style rules among ``nodes`` (inside grouping at-rules too) to ``rules``;
    return the number of @font-face rules whose font can arrive."""
    import tinycss2

    font_faces = 0
    for node in nodes:
        if node.type == "qualified-rule":
            rule = _style_rule(node, media, layered)
            if rule is not None:
                rules.append(rule)
        elif node.type == "at-rule" and node.content is not None:
            keyword = node.lower_at_keyword
            if keyword == "font-face":
                # The page's policy lets a browser load fonts from data: URLs only (and
                # local() needs no fetch); a font from anywhere else never arrives.
                src = _serialize(node.content).lower()
                font_faces += "data:" in src or "local(" in src
            inner = media
            if keyword == "media":
                inner = media & _media_mask(_serialize(node.prelude))
            if inner and keyword in _GROUPING:
                font_faces += _collect_rules(
                    tinycss2.parse_rule_list(node.content, skip_whitespace=True,
                                             skip_comments=True),
                    inner, layered or keyword == "layer", rules)
    return font_faces


@lru_cache(maxsize=32)
def compile_rules(styles: tuple[tuple[str, str | None], ...]) -> Rules:
    """The rules of the page's <style> blocks that bear on visibility, compiled once per
    distinct set of style sheets. Each sheet is parsed once per process: the built-in one is
    the same on every page, beside a small sheet of the document's own."""
    import cssselect2

    rules: list[_Rule] = []
    font_faces = 0
    for css, media in styles:
        sheet_rules, sheet_fonts = _sheet_rules(css, media)
        rules += sheet_rules
        font_faces += sheet_fonts
    if not rules:
        return Rules(None, font_faces)
    matcher = cssselect2.Matcher()
    for rule in rules:  # in document order: the cascade's order of appearance
        for selector in rule.selectors:
            matcher.add_selector(selector, rule)
    return Rules(matcher, font_faces)


@lru_cache(maxsize=32)
def _sheet_rules(css: str, media: str | None) -> tuple[tuple[_Rule, ...], int]:
    """One <style> block's rules that bear on visibility, and its usable @font-face count."""
    import tinycss2

    rules: list[_Rule] = []
    font_faces = 0
    mask = _media_mask(media or "")
    if mask:
        font_faces += _collect_rules(
            tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True),
            mask, False, rules)
    return tuple(rules), font_faces


@dataclass(frozen=True)
class Matched:
    """The winning declarations of one element, per medium; and of its ::before/::after."""

    own: tuple[Decls, Decls, Decls]
    pseudo: tuple[Decls, Decls, Decls]


_NOTHING: Decls = {}
_NONE = Matched((_NOTHING, _NOTHING, _NOTHING), (_NOTHING, _NOTHING, _NOTHING))


def cascade(root: Any, rules: Rules) -> dict[int, Matched]:
    """id(element) -> its winning declarations, for elements any rule matches."""
    import cssselect2

    if rules.matcher is None:
        return {}
    computed: dict[int, Matched] = {}
    for wrapper in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
        matches = rules.matcher.match(wrapper)
        if matches:
            key = tuple(m[1] for m in matches)
            won = rules.winning.get(key)
            if won is None:
                won = rules.winning[key] = _winning(matches)
            computed[id(wrapper.etree_element)] = won
    return computed


def cascade_styles(root: Any, styles: list[tuple[str, str | None]]) -> tuple[dict[int, Matched],
                                                                            Rules]:
    """The page's own <style> texts (with their media attribute) applied to its element tree:
    id(element) -> its winning declarations per medium, and the compiled rules."""
    rules = compile_rules(tuple(styles))
    return cascade(root, rules), rules


def _rank(m: Any, important: bool) -> tuple:
    specificity, order, _, rule = m
    layer = (0 if rule.layered else 1) if not important else (1 if rule.layered else 0)
    return (layer, specificity, order)


def _winning(matches: list[Any]) -> Matched:
    """The declarations that win, per medium, among the rules matching one element."""
    own: list[Decls] = [{}, {}, {}]
    pseudo: list[Decls] = [{}, {}, {}]
    for important in (False, True):
        for m in sorted(matches, key=partial(_rank, important=important)):
            _, _, pseudo_type, rule = m
            # ::first-line and ::first-letter style part of the element's own text; a
            # caveat may be one line, so they count as styling all of it.
            target = pseudo if pseudo_type in ("before", "after") else own
            if pseudo_type and pseudo_type not in ("before", "after", "first-line",
                                                   "first-letter"):
                continue
            for name, value, imp in rule.decls:
                if imp != important:
                    continue
                for i, medium in enumerate(MEDIA):
                    if rule.media & medium:
                        target[i][name] = (value, imp)
    return Matched((own[0], own[1], own[2]), (pseudo[0], pseudo[1], pseudo[2]))


def inline_decls(style: str) -> Decls:
    found: Decls = {}
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        name = name.strip()
        if not name.startswith("--"):
            name = name.lower()
        if not sep or not (name in _PROPS or name.startswith("--")):
            continue
        value = " ".join(value.split())
        important = value.lower().endswith("!important")
        if important:
            value = value[: -len("!important")].strip()
        found[name] = (value if name.startswith("--") else value.lower(), important)
    return found


def merge(sheet: Decls, inline: Decls) -> Decls:
    """Inline declarations over the sheet's, except a sheet !important over a plain one."""
    if not inline:
        return sheet
    out = dict(sheet)
    for name, (value, important) in inline.items():
        if name not in out or important or not out[name][1]:
            out[name] = (value, important)
    return out


# --- computed values ----------------------------------------------------------------------

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]
_WHITE: RGB = (1.0, 1.0, 1.0)
_BLACK: RGBA = (0.0, 0.0, 0.0, 1.0)
_LINK: RGBA = (0.0, 0.0, 0.933, 1.0)


def hash_once(self: Any) -> int:
    """A frozen dataclass's hash of its fields, worked out once per instance: looks (with their
    custom properties) are hashed at every element by the caches of the walk."""
    found = self.__dict__.get("_hash")
    if found is None:
        found = hash(tuple(getattr(self, f.name) for f in fields(self)))
        object.__setattr__(self, "_hash", found)
    return found


def state_without_hash(self: Any) -> dict[str, Any]:
    """Pickled state without the held hash (string hashes differ between processes)."""
    state = dict(self.__dict__)
    state.pop("_hash", None)
    return state


@dataclass(frozen=True)
class Look:
    """What is inherited and accumulated down the tree, in one medium."""

    __hash__ = hash_once
    __getstate__ = state_without_hash

    variables: tuple[tuple[str, str], ...] = ()
    color: RGBA = _BLACK
    fill: RGBA | None = None  # -webkit-text-fill-color; None: the colour
    font_px: float = 16.0
    root_px: float = 16.0
    visibility: str = "visible"
    opacity: float = 1.0
    # Colours the text may sit on (all must contrast); None: an image, cannot be judged.
    backgrounds: tuple[RGB, ...] | None = (_WHITE,)
    hidden: str | None = None  # why nothing inside can be seen (not undone by a child)
    gone: bool = False  # hidden is "not drawn at all", not only "not proven legible"
    letter_spacing_em: float = 0.0


START = (Look(), Look(), Look())

_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)")
_LENGTH = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$")
_ABSOLUTE = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
             "mm": 96 / 25.4, "q": 96 / 101.6}
_KEYWORD_SIZES = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0,
                  "large": 18.0, "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_UA_FONT = {"small": 0.833, "sub": 0.833, "sup": 0.833, "h1": 2.0, "h2": 1.5, "h3": 1.17,
            "h5": 0.83, "h6": 0.67}
_ZERO_VALUES = frozenset({"0", "auto", "none", "normal", "initial", "unset", "revert"})


def _substitute(value: str, variables: dict[str, str], depth: int = 0) -> str | None:
    """``value`` with var() references replaced; None when one cannot be resolved."""
    if "var(" not in value:
        return value
    if depth > 8:
        return None
    missing = False

    def one(m: re.Match[str]) -> str:
        nonlocal missing
        found = variables.get(m[1], m[2])
        if found is None:
            missing = True
            return ""
        return found

    out = _VAR.sub(one, value)
    return None if missing else _substitute(out, variables, depth + 1)


def _colour(value: str, current: RGBA) -> RGBA | None:
    from tinycss2.color4 import parse_color

    if value in ("currentcolor", "inherit"):
        return current
    parsed = parse_color(value)
    if parsed is None or isinstance(parsed, str):
        return current if parsed == "currentcolor" else None
    r, g, b, alpha = parsed.to("srgb")  # three coordinates, then the alpha
    return (r or 0.0), (g or 0.0), (b or 0.0), (alpha or 0.0)


def _length_px(value: str, font_px: float, root_px: float, percent_of: float) -> float | None:
    """The smallest pixel length ``value`` can be; None when it cannot be bounded."""
    value = value.strip()
    m = _LENGTH.match(value)
    if m:
        return _unit_px(float(m[1]), m[2], font_px, root_px, percent_of)
    fn = re.match(r"^(min|max|clamp)\((.*)\)$", value)
    if fn:
        bounds = [_length_px(a, font_px, root_px, percent_of) for a in _split_args(fn[2])]
        return _bounded(fn[1], bounds)
    return None


_VIEWPORT_UNITS = ("vw", "vh", "vmin", "vmax", "svw", "svh", "lvw", "lvh", "dvw", "dvh",
                   "vi", "vb", "cqw", "cqh", "cqi", "cqb", "cqmin", "cqmax")


def _unit_px(number: float, unit: str, font_px: float, root_px: float,
             percent_of: float) -> float | None:
    if unit in _ABSOLUTE:
        return number * _ABSOLUTE[unit]
    if unit == "" and number == 0:
        return 0.0
    relative = _font_relative_px(number, unit, font_px, root_px)
    if relative is not None:
        return relative
    if unit == "%":
        return number * percent_of / 100
    if unit in _VIEWPORT_UNITS:
        return 0.0 if number >= 0 else None  # a viewport may be tiny
    return None


def _font_relative_px(number: float, unit: str, font_px: float, root_px: float) -> float | None:
    if unit == "em":
        return number * font_px
    if unit == "rem":
        return number * root_px
    if unit in ("ex", "ch", "cap", "ic"):
        return number * font_px * 0.5
    if unit == "lh":
        return number * font_px * 1.2
    return None


def _bounded(function: str, bounds: list[float | None]) -> float | None:
    """min(), max() or clamp() of lengths; None if any of them cannot be bounded."""
    known = [b for b in bounds if b is not None]
    if len(known) < len(bounds):
        return None
    if function == "min":
        return min(known)
    if function == "max":
        return max(known)
    if len(known) == 3:
        return max(known[0], min(known[1], known[2]))
    return None


def _split_args(text: str) -> list[str]:
    args, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            args.append(text[start:i])
            start = i + 1
    args.append(text[start:])
    return args


def _font_px(value: str, parent: Look) -> float | None:
    if value in _KEYWORD_SIZES:
        return _KEYWORD_SIZES[value]
    if value == "smaller":
        return parent.font_px * 0.833
    if value == "larger":
        return parent.font_px * 1.2
    return _length_px(value, parent.font_px, parent.root_px, parent.font_px)


def _is_negative(value: str) -> bool:
    return any(v.startswith("-") and re.search(r"[1-9]", v) for v in value.split())


def _is_offset(value: str) -> bool:
    return any(v not in _ZERO_VALUES and not re.fullmatch(r"[+-]?0*\.?0*[a-z%]*", v)
               for v in value.split())


def _over(top: RGBA, below: RGB, alpha: float) -> RGB:
    return (top[0] * alpha + below[0] * (1 - alpha), top[1] * alpha + below[1] * (1 - alpha),
            top[2] * alpha + below[2] * (1 - alpha))


def _luminance(rgb: RGB) -> float:
    def channel(s: float) -> float:
        s = min(max(s, 0.0), 1.0)
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


_IMAGE = re.compile(r"gradient\(|element\(|cross-fade\(|paint\(|data:")


def _is_image(value: str) -> bool:
    """Whether a background value paints an image a browser can show: a generated one, or
    a data: URL. The page's policy blocks every other URL, so only its colour shows."""
    return bool(_IMAGE.search(value))


def _background(value: str, current: RGBA) -> RGBA | str | None:
    """The colour a ``background`` value paints, ``"image"``, or None (transparent)."""
    import tinycss2

    if _is_image(value):
        return "image"
    if value in ("none", "transparent", "initial", "unset", "revert"):
        return None
    for token in tinycss2.parse_component_value_list(value):
        if token.type in ("ident", "hash", "function"):
            colour = _colour(tinycss2.serialize([token]).lower(), current)
            if colour is not None:
                return colour
    return None


def _get(decls: Decls, name: str, variables: dict[str, str]) -> str | None:
    found = decls.get(name)
    if found is None:
        return None
    return _substitute(found[0], variables)


Value = Callable[[str], str | None]  # a property's winning value, var() substituted
_NEUTRAL = ("none", "initial", "unset", "revert")


class _Unjudged(Exception):
    """A declared value whose effect on the text cannot be bounded: the text counts as hidden."""


def _is_set(v: str | None, neutral: tuple[str, ...]) -> TypeGuard[str]:
    return v is not None and v not in neutral


def enter(parent: Look, decls: Decls, tag: str) -> Look:
    """The look inside an element with these winning declarations (one medium)."""
    if parent.hidden is not None:
        return parent
    ua_scale = _UA_FONT.get(tag)
    if not decls and ua_scale is None and tag not in ("a", "bdo", "html"):
        return parent  # nothing declared: non-inherited values are initial, the rest inherit
    return _entered(parent, tuple(decls.items()), tag)


# A page repeats a few looks over and over (every <li> of a list, every cell of a table):
# the look is a function of the parent's look, the declarations and the tag alone, all three
# in the key, so it is worked out once per distinct triple.
@lru_cache(maxsize=4096)
def _entered(parent: Look, items: tuple[tuple[str, tuple[str, bool]], ...], tag: str) -> Look:
    decls = dict(items)
    ua_scale = _UA_FONT.get(tag)
    variables = _variables(parent, decls)

    def value(name: str) -> str | None:
        return _get(decls, name, variables)

    def hide(why: str, gone: bool = False) -> Look:
        # Not drawn at all if it is also invisible by itself (for scoring, as before).
        gone = gone or value("visibility") in ("hidden", "collapse")
        return replace(parent, hidden=why, gone=gone)

    for name in ("display", "font-size", "color", "opacity", "visibility"):
        if name in decls and value(name) is None:
            return hide(f"{name} uses an undefined var()")
    # What draws nothing at all comes first: it is left out of every text, scores included.
    why = _not_drawn(value)
    if why is not None:
        return hide(why, gone=True)
    why = (_drawn_otherwise(value, tag) or _out_of_place(value) or _clipped(value, parent)
           or _indented_away(value, parent))
    if why is not None:
        return hide(why)
    try:
        return _inherited(parent, value, tag, ua_scale, variables)
    except _Unjudged as exc:
        return hide(str(exc))


def _variables(parent: Look, decls: Decls) -> dict[str, str]:
    """Custom properties in force: the inherited ones, then this element's, var() resolved."""
    variables = dict(parent.variables)
    for name, (declared, _) in decls.items():
        if name.startswith("--"):
            variables[name] = declared
    if any("var(" in v for v in variables.values()):
        variables = {k: (_substitute(v, variables) or "") for k, v in variables.items()}
    return variables


def _not_drawn(value: Value) -> str | None:
    """Why nothing of the element is drawn or laid out, or None."""
    if value("display") == "none":
        return "display: none"
    if value("content-visibility") == "hidden":
        return "content-visibility: hidden"
    clip = value("clip") or ""
    if clip.startswith("rect("):
        sizes = re.findall(r"[\d.]+", clip)
        if sizes and all(float(s) <= 1 for s in sizes):
            return "clip: rect(0 0 0 0)"  # screen-reader-only text
    if re.match(r"inset\(\s*(50|100)%", value("clip-path") or ""):
        return "clip-path: inset(50%)"  # screen-reader-only text
    if value("opacity") in ("0", "0%", "0.0", "-0"):
        return "opacity: 0"
    if (value("font-size") or "x") in ("0", "0px", "0em", "0rem", "0%", "0pt"):
        return "font-size: 0"
    return None


_MASKS = (("clip-path", "clip-path"), ("mask", "a mask"), ("mask-image", "a mask"),
          ("-webkit-mask", "a mask"), ("-webkit-mask-image", "a mask"),
          ("filter", "a filter"), ("-webkit-box-reflect", "a reflection"))


def _drawn_otherwise(value: Value, tag: str) -> str | None:
    """Why the letters are drawn masked, blended, moved, scaled or reordered, or None."""
    if tag == "bdo":
        return "<bdo> draws the letters in another order"
    for name, why in _MASKS:
        v = value(name)
        if _is_set(v, _NEUTRAL):
            return f"{why} ({name}: {v})"
    v = value("mix-blend-mode")
    if _is_set(v, ("normal", "initial", "unset", "revert")):
        return f"mix-blend-mode: {v}"
    for name in ("transform", "translate", "scale", "rotate"):
        v = value(name)
        if _is_set(v, _NEUTRAL):
            return f"{name}: {v} (may move it off screen or shrink it)"
    v = value("zoom")
    if _is_set(v, ("normal", "1", "100%", "reset", "initial", "unset")):
        return f"zoom: {v}"
    return None


_OFFSETS = ("top", "left", "right", "bottom", "inset", "inset-block", "inset-inline")
_MARGINS = ("margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
            "margin-block", "margin-inline", "margin-block-start", "margin-block-end",
            "margin-inline-start", "margin-inline-end")


def _out_of_place(value: Value) -> str | None:
    """Why the element may sit out of the flow, off screen, or read in another order, or None."""
    position = value("position")
    if position in ("absolute", "fixed", "sticky"):
        return f"position: {position} (out of the flow: anywhere, or off screen)"
    if position == "relative":
        for name in _OFFSETS:
            v = value(name)
            if v is not None and _is_offset(v):
                return f"position: relative with {name}: {v}"
    for name in _MARGINS:
        v = value(name)
        if v is not None and _is_negative(v):
            return f"a negative margin ({name}: {v})"
    v = value("unicode-bidi")
    if v in ("bidi-override", "isolate-override", "plaintext"):
        return f"unicode-bidi: {v} (letters drawn in another order)"
    for name in ("-webkit-line-clamp", "line-clamp"):
        v = value(name)
        if _is_set(v, ("none", "initial", "unset")):
            return f"{name}: {v}"
    return _under_backgrounds(value("z-index"), position)


def _under_backgrounds(z_index: str | None, position: str | None) -> str | None:
    if z_index is not None and z_index.startswith("-") and position in (
            "relative", "absolute", "fixed", "sticky"):
        return f"z-index: {z_index} (drawn under the backgrounds around it)"
    return None


_SIZES = ("height", "max-height", "width", "max-width", "block-size", "max-block-size",
          "inline-size", "max-inline-size")
_UNBOUNDED = ("auto", "none", "initial", "unset", "revert", "fit-content", "max-content",
              "min-content")


def _clipped(value: Value, parent: Look) -> str | None:
    """Why an overflow clip may cut the text off (one line, a short line-height, a size)."""
    clipping = any((value(n) or "visible") not in ("visible", "initial", "unset", "revert")
                   for n in ("overflow", "overflow-x", "overflow-y"))
    contain = value("contain") or ""
    clipping = clipping or any(w in contain.split() for w in ("paint", "strict", "content"))
    if not clipping:
        return None
    if (value("white-space") or "") in ("nowrap", "pre"):
        return f"overflow clipped on one line (white-space: {value('white-space')})"
    line_height = value("line-height")
    if line_height is not None and line_height not in ("normal", "initial", "unset"):
        factor = re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)", line_height)
        px = (float(line_height) * parent.font_px if factor else
              _length_px(line_height, parent.font_px, parent.root_px, parent.font_px))
        if px is None or px < 0.8 * parent.font_px:
            return f"overflow clipped to line-height: {line_height}"
    for name in _SIZES:
        v = value(name)
        if _is_set(v, _UNBOUNDED):
            return f"overflow clipped to {name}: {v}"
    return None


def _indented_away(value: Value, parent: Look) -> str | None:
    indent = value("text-indent")
    if indent is None or indent in ("initial", "unset", "revert", "inherit"):
        return None
    px = _length_px(indent.split()[0], parent.font_px, parent.root_px, 0.0) \
        if indent.split() else 0.0
    if px is None or px < 0 or px > 3 * parent.font_px:
        return f"text-indent: {indent} (may push the first line off screen)"
    return None


def _inherited(parent: Look, value: Value, tag: str, ua_scale: float | None,
               variables: dict[str, str]) -> Look:
    """The inherited and accumulated values; raises _Unjudged for one that cannot be judged."""
    font_px = _font_size(value("font-size"), parent, ua_scale)
    root_px = font_px if tag == "html" else parent.root_px
    colour = _text_colour(value("color"), parent, tag)
    fill = _text_fill(value("-webkit-text-fill-color"), parent.fill, colour)
    opacity = _opacity(value("opacity"), parent.opacity)
    backgrounds = _backgrounds(value, parent.backgrounds, colour)
    visibility = parent.visibility
    vis = value("visibility")
    if vis in ("hidden", "collapse", "visible"):
        visibility = vis
    spacing = _letter_spacing(value("letter-spacing"), parent.letter_spacing_em, font_px,
                              root_px)
    variables_t = tuple(sorted(variables.items())) if variables != dict(parent.variables) \
        else parent.variables
    return Look(variables_t, colour, fill, font_px, root_px, visibility, opacity, backgrounds,
                letter_spacing_em=spacing)


def _font_size(font: str | None, parent: Look, ua_scale: float | None) -> float:
    if font is not None and font not in _INHERITED_KEYWORDS:
        bounded = 16.0 if font in _RESET_KEYWORDS else _font_px(font, parent)
        if bounded is None:
            raise _Unjudged(f"font-size: {font} cannot be bounded")
        return bounded
    if font in _INHERITED_KEYWORDS:
        return parent.font_px
    return parent.font_px * (ua_scale or 1.0)


def _text_colour(c: str | None, parent: Look, tag: str) -> RGBA:
    if c is not None and c not in _INHERITED_KEYWORDS:
        judged = _BLACK if c in _RESET_KEYWORDS else _colour(c, parent.color)
        if judged is None:
            raise _Unjudged(f"color: {c} cannot be judged")
        return judged
    if c in _INHERITED_KEYWORDS:
        return parent.color
    return parent.color if tag != "a" else _LINK


def _text_fill(f: str | None, fill: RGBA | None, colour: RGBA) -> RGBA | None:
    if f is None or f in _INHERITED_KEYWORDS:
        return fill
    if f in _RESET_KEYWORDS or f == "currentcolor":
        return None
    judged = _colour(f, colour)
    if judged is None:
        raise _Unjudged(f"-webkit-text-fill-color: {f} cannot be judged")
    return judged


def _opacity(o: str | None, opacity: float) -> float:
    if o is None or o in _INHERITED_KEYWORDS + _RESET_KEYWORDS:
        return opacity
    try:
        number = float(o[:-1]) / 100 if o.endswith("%") else float(o)
    except ValueError:
        raise _Unjudged(f"opacity: {o} cannot be judged") from None
    return opacity * min(max(number, 0.0), 1.0)


def _backgrounds(value: Value, backgrounds: tuple[RGB, ...] | None,
                 colour: RGBA) -> tuple[RGB, ...] | None:
    """Every colour the text may sit on: a box with a fixed height lets text run out of it
    onto what is below, so both then count. None once an image is under it."""
    for name in ("background", "background-color", "background-image"):
        v = value(name)
        if v is None or backgrounds is None:
            continue
        painted: RGBA | str | None
        if name == "background-image":
            painted = "image" if _is_image(v) else None
        else:
            painted = _background(v, colour)
        if painted == "image":
            backgrounds = None
        elif isinstance(painted, tuple):
            covered = tuple(_over(painted, b, painted[3]) for b in backgrounds)
            limited = any((value(n) or "auto") not in ("auto", "none", "initial", "unset")
                          for n in ("height", "max-height", "block-size", "max-block-size"))
            backgrounds = tuple(dict.fromkeys(covered + backgrounds)) if limited else covered
    return backgrounds


def _letter_spacing(ls: str | None, spacing: float, font_px: float, root_px: float) -> float:
    if ls is None or ls in _INHERITED_KEYWORDS:
        return spacing
    if ls in ("normal", *_RESET_KEYWORDS):
        return 0.0
    px = _length_px(ls, font_px, root_px, font_px)
    if px is None:
        raise _Unjudged(f"letter-spacing: {ls} cannot be judged")
    return px / font_px if font_px else 0.0


@lru_cache(maxsize=4096)  # looks repeat: most elements inherit their parent's
def unseen(look: Look) -> tuple[str | None, bool]:
    """Why text drawn with this look cannot be read (None: it can), and whether it is not
    drawn at all (display, visibility, opacity 0, zero size: left out of every text) rather
    than only not proven legible (kept for scoring, not counted for a caveat)."""
    if look.hidden is not None:
        return look.hidden, look.gone
    if look.visibility != "visible":
        return f"visibility: {look.visibility}", True
    if look.opacity <= 0:
        return "opacity: 0", True
    if look.font_px < MIN_FONT_PX:
        return (f"font {look.font_px * 0.75:.1f} pt (at least {MIN_FONT_PX * 0.75:g} pt)",
                look.font_px <= 0)
    if look.letter_spacing_em < -0.1:
        return "letter-spacing piles the letters up", False
    if look.backgrounds is None:
        return "on a background image or gradient, whose contrast cannot be judged", False
    ink = look.fill or look.color
    for under in look.backgrounds:
        ratio = contrast(_over(ink, under, ink[3] * look.opacity), under)
        if ratio < MIN_CONTRAST:
            return (f"contrast {ratio:.2f}:1 against its background "
                    f"(at least {MIN_CONTRAST:g}:1)"), False
    return None, False


_MOVING_NAMES = """position transform translate scale rotate margin margin-top margin-left
    margin-right margin-bottom margin-block margin-inline margin-block-start margin-block-end
    margin-inline-start margin-inline-end"""
_MOVING = frozenset(_MOVING_NAMES.split())
_FILLING_NAMES = """background background-color background-image box-shadow border
    border-top border-right border-bottom border-left border-style border-block border-inline
    border-image outline outline-width outline-style"""
_FILLING = frozenset(_FILLING_NAMES.split())


def movement(decls: Decls, variables: tuple[tuple[str, str], ...]) -> str | None:
    """How this box is taken out of the flow or shifted, so that it can land on others."""
    if not decls or decls.keys().isdisjoint(_MOVING):
        return None
    return _movement(tuple(decls.items()), variables)


@lru_cache(maxsize=1024)  # the same few rules move boxes on every page: keyed on all it reads
def _movement(items: tuple[tuple[str, tuple[str, bool]], ...],
              variables: tuple[tuple[str, str], ...]) -> str | None:
    decls = dict(items)
    env = dict(variables)

    def value(name: str) -> str:
        return _get(decls, name, env) or ""

    position = value("position")
    if position in ("absolute", "fixed", "sticky"):
        return f"position: {position}"
    if position == "relative" and any(_is_offset(value(n)) for n in (
            "top", "left", "right", "bottom", "inset", "inset-block", "inset-inline")):
        return "position: relative with an offset"
    if any(value(n) not in ("", "none", "initial", "unset") for n in (
            "transform", "translate", "scale", "rotate")):
        return "a transform"
    if any(_is_negative(value(n)) for n in (
            "margin", "margin-top", "margin-left", "margin-right", "margin-bottom",
            "margin-block", "margin-inline", "margin-block-start", "margin-block-end",
            "margin-inline-start", "margin-inline-end")):
        return "a negative margin"
    return None


def fill(decls: Decls, variables: tuple[tuple[str, str], ...], pseudo: bool) -> str | None:
    """What this box paints that could cover text (a background, shadow, outline), or None
    when it paints nothing (hidden, clipped away, or a pseudo-element without content)."""
    if not decls or decls.keys().isdisjoint(_FILLING):
        return None
    env = dict(variables)

    def value(name: str) -> str:
        return _get(decls, name, env) or ""

    if _paints_nothing(value, pseudo):
        return None
    return _what_paints(value)


def _paints_nothing(value: Callable[[str], str], pseudo: bool) -> bool:
    """Hidden, transparent, clipped to nothing, or a pseudo-element without content."""
    if value("display") == "none" or value("visibility") in ("hidden", "collapse"):
        return True
    if value("opacity") in ("0", "0%", "0.0"):
        return True
    if pseudo and value("content") in ("", "none", "normal"):
        return True
    clip = value("clip")
    return clip.startswith("rect(") and all(float(s) <= 1 for s in re.findall(r"[\d.]+", clip))


def _what_paints(value: Callable[[str], str]) -> str | None:
    for name in ("background", "background-color", "background-image"):
        v = value(name)
        if v and v not in ("none", "transparent", "initial", "unset"):
            painted = _background(v, _BLACK)
            if painted == "image" or (isinstance(painted, tuple) and painted[3] > 0):
                return "a background"
    if value("box-shadow") not in ("", "none"):
        return "a shadow"
    for name in ("border", "border-top", "border-right", "border-bottom", "border-left",
                 "border-style", "border-block", "border-inline"):
        if set(value(name).split()) & _BORDER_STYLES:
            return "a border"
    if value("border-image") not in ("", "none", "initial", "unset"):
        return "a border image"
    return None


_BORDER_STYLES = frozenset(["solid", "dashed", "dotted", "double", "groove", "ridge", "inset",
                            "outset"])


def thick_outline(decls: Decls, variables: tuple[tuple[str, str], ...]) -> str | None:
    """An outline wider than a focus ring: it is drawn over everything around the box."""
    if not decls or decls.keys().isdisjoint(("outline", "outline-width")):
        return None
    env = dict(variables)
    outline = " ".join(_get(decls, n, env) or "" for n in ("outline", "outline-width"))
    if "none" in outline.split() and not _get(decls, "outline-style", env):
        return None
    widths = [_length_px(w, 16.0, 16.0, 0.0) for w in outline.split()
              if re.match(r"^[\d.]", w)]
    widths += [{"thin": 1.0, "medium": 3.0, "thick": 5.0}[w] for w in outline.split()
               if w in ("thin", "medium", "thick")]
    if any(w is None or w > 4 for w in widths):
        return f"an outline {outline.strip()} (drawn over its neighbours)"
    return None
