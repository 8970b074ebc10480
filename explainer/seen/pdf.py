"""What a person sees on WeasyPrint's laid-out pages: the text of every box that is drawn
legibly, for the caveat proof.

Text in the PDF text layer is not proof that anyone can read it: white on white, opacity 0,
a transform to nothing, a clip, a position off the page or a 1 pt font all keep it there.
So the proof also reads the laid-out boxes of the same render that makes the PDF (no second
layout) and keeps a text box only when, as drawn:

- it is ``visibility: visible``, inside the page, and not clipped away by an ancestor's
  ``overflow`` or ``clip``;
- its font is at least ``MIN_FONT_PT`` after every transform (the smaller scale factor of
  the accumulated matrix; a singular matrix draws nothing);
- its colour, faded by its own alpha and every ancestor's ``opacity``, has at least
  ``MIN_CONTRAST`` (WCAG AA) against what is under it: each ancestor's background where
  that ancestor's box reaches the text, blended down to the white paper; a background
  image or gradient behind it cannot be judged, so it fails;
- its glyphs are not squeezed on top of each other (negative ``letter-spacing``);
- nothing painted later covers it: a positioned, transformed or translucent box (which
  paints after the normal flow) or the page furniture, overlapping it.

Page margin boxes (running footer, page numbers) are furniture: never part of the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MIN_FONT_PT = 6.0
MIN_CONTRAST = 4.5
_PX_PER_PT = 4 / 3  # WeasyPrint lays out in CSS px
_MIN_EM_PER_CHAR = 0.2  # narrower than this on average, glyphs overlap (letter-spacing)
_SLACK = 1.0  # px of tolerance at edges (rounding, descenders)

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
_PAPER = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Seen:
    """``text``: the visible text, one line per line box; ``hidden``: (text, why) for each
    text box that is in the document but cannot be seen."""

    text: str
    hidden: tuple[tuple[str, str], ...]
    font_faces: int = 0  # @font-face rules the document brings (set by the renderer)


@dataclass(frozen=True)
class _State:
    matrix: Any  # weasyprint Matrix or None (identity)
    clip: Rect | None
    opacity: float
    # Ancestors' backgrounds, outermost first: (r, g, b, alpha) or None for an image, and the
    # border box it fills (a background lies under a text only where its box reaches).
    backgrounds: tuple[tuple[tuple[float, float, float, float] | None, Rect], ...]
    overlay_root: bool  # inside a box that paints after the normal flow
    under: bool = False  # inside a box with a negative z-index: under the backgrounds around


_SRGB: dict[tuple[Any, ...], tuple[float, float, float, float]] = {}


def _rgba(colour: Any) -> tuple[float, float, float, float]:
    # A page has a handful of colours, each looked up for every text box and background:
    # converted once. The key is the whole colour (tinycss2's Color equality ignores alpha).
    key = (colour.space, colour.coordinates, colour.alpha)
    rgba = _SRGB.get(key)
    if rgba is None:
        r, g, b = colour.to("srgb").coordinates
        rgba = (r or 0.0), (g or 0.0), (b or 0.0), colour.alpha
        if len(_SRGB) > 4096:  # a page of many distinct colours must not grow it for good
            _SRGB.clear()
        _SRGB[key] = rgba
    return rgba


def _over(top: tuple[float, ...], alpha: float, below: tuple[float, float, float]):
    return tuple(t * alpha + b * (1 - alpha) for t, b in zip(top[:3], below, strict=True))


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(s: float) -> float:
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(min(max(c, 0.0), 1.0)) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _aabb(matrix: Any, x: float, y: float, w: float, h: float) -> Rect:
    if matrix is None:
        return x, y, x + w, y + h
    points = [matrix.transform_point(px, py) for px, py in
              ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _intersect(a: Rect | None, b: Rect) -> Rect:
    if a is None:
        return b
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _inside(inner: Rect, outer: Rect) -> bool:
    return (inner[0] >= outer[0] - _SLACK and inner[1] >= outer[1] - _SLACK
            and inner[2] <= outer[2] + _SLACK and inner[3] <= outer[3] + _SLACK)


def _overlap(text: Rect, other: Rect) -> bool:
    """Whether ``other`` covers a real part of the text (not just a touching line)."""
    height = text[3] - text[1]
    return (min(text[2], other[2]) - max(text[0], other[0]) > _SLACK
            and min(text[3], other[3]) - max(text[1], other[1]) > max(_SLACK, height / 4))


def _min_scale(matrix: Any) -> float:
    """The smaller singular value of the matrix's linear part: how much text shrinks."""
    if matrix is None:
        return 1.0
    (a, b, _), (c, d, _), _ = matrix
    s = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return math.sqrt(max((s - math.sqrt(max(s * s - 4 * det * det, 0.0))) / 2, 0.0))


def _paints(box: Any, boxes: Any) -> bool:
    """Whether the box draws something that could cover text under it."""
    style = box.style
    if style["visibility"] != "visible":
        return False
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    if isinstance(box, boxes.ReplacedBox):
        return True
    if style["background_color"].alpha > 0:
        return True
    for width, line, colour in _BORDERS:
        if style[width] > 0 and style[line] not in ("none", "hidden") and style[colour].alpha > 0:
            return True
    return _has_image(style["background_image"])


_BORDERS = tuple((f"border_{side}_width", f"border_{side}_style", f"border_{side}_color")
                 for side in ("top", "right", "bottom", "left"))


def _has_image(layers: Any) -> bool:
    """Whether a background_image value draws an image or gradient in any layer."""
    if len(layers) == 1:  # the usual one layer, most often "none"
        return layers[0][0] != "none"
    return any(kind != "none" for kind, _ in layers)


def _text_problem(box: Any, state: _State, page_rect: Rect) -> str | None:
    """Why this text box cannot be seen, or None."""
    style = box.style
    if style["visibility"] != "visible":
        return f"visibility: {style['visibility']}"
    rect = _aabb(state.matrix, box.position_x, box.position_y, box.width, box.height)
    if not _inside(rect, page_rect):
        return "drawn outside the page"
    if state.clip is not None and not _inside(rect, state.clip):
        return "clipped away by an ancestor's overflow or clip"
    size_pt = style["font_size"] * _min_scale(state.matrix) / _PX_PER_PT
    if size_pt < MIN_FONT_PT:
        return f"font {size_pt:.1f} pt after transforms (at least {MIN_FONT_PT:g} pt)"
    chars = len(box.text.strip())
    if chars > 1 and box.width < _MIN_EM_PER_CHAR * style["font_size"] * chars:
        return "glyphs squeezed on top of each other"
    if state.under:
        return "drawn under the backgrounds around it (a negative z-index)"
    return _contrast_problem(style, state, rect)


def _contrast_problem(style: Any, state: _State, rect: Rect) -> str | None:
    """Why the text's colour cannot be read on what is under it, or None."""
    # The colours under the text: each background whose box reaches it, over the paper.
    # Where a box covers only part of the text, both what is under it and what is not count.
    unders: list[tuple[float, float, float]] = [_PAPER]
    for colour, box_rect in state.backgrounds:
        if not _overlap_any(rect, box_rect):
            continue
        if colour is None:
            return "on a background image, whose contrast cannot be judged"
        covered = [_over(colour, colour[3], u) for u in unders]
        unders = covered if _inside(rect, box_rect) else [*unders, *covered]
    r, g, b, alpha = _rgba(style["color"])
    key = ((r, g, b), alpha * state.opacity, tuple(dict.fromkeys(unders)))
    why = _INK.get(key, _UNKNOWN)
    if why is _UNKNOWN:
        why = _ink_problem(*key)
        if len(_INK) > 4096:  # like _SRGB: a page of many colours must not grow it for good
            _INK.clear()
        _INK[key] = why
    return why


_UNKNOWN: Any = object()
# A page has a handful of text colours on a handful of backgrounds: each pair judged once.
_INK: dict[tuple[Any, ...], str | None] = {}


def _ink_problem(rgb: tuple[float, float, float], alpha: float,
                 unders: tuple[tuple[float, float, float], ...]) -> str | None:
    for under in unders:
        ink = _over(rgb, alpha, under)
        ratio = contrast(ink, under)
        if ratio < MIN_CONTRAST:
            return (f"contrast {ratio:.2f}:1 against its background "
                    f"(at least {MIN_CONTRAST:g}:1)")
    return None


def _overlap_any(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > 0


class _Buckets:
    """Rectangles filed by the 64 px bands of the page they span, to find overlaps fast."""

    BAND = 64.0

    def __init__(self) -> None:
        self.bands: dict[int, list[tuple[Rect, int]]] = {}

    def add(self, rect: Rect, index: int) -> None:
        for band in range(int(rect[1] // self.BAND), int(rect[3] // self.BAND) + 1):
            if len(self.bands) > 10_000:
                break  # an absurd rectangle: the bands it reaches are enough
            self.bands.setdefault(band, []).append((rect, index))

    def near(self, rect: Rect) -> list[tuple[Rect, int]]:
        found: dict[int, tuple[Rect, int]] = {}
        for band in range(int(rect[1] // self.BAND), int(rect[3] // self.BAND) + 1):
            for item in self.bands.get(band, ()):
                found[item[1]] = item
        return list(found.values())


# A text box: box, rect, why hidden, line box, pre-order index, inside a moved box, a first letter
_Text = tuple[Any, Rect, str | None, Any, int, bool, bool]


def seen_text(document: Any) -> Seen:
    """The text a person can see in a rendered WeasyPrint document, and what is hidden."""
    from weasyprint.formatting_structure import boxes

    lines: list[str] = []
    hidden: list[tuple[str, str]] = []
    for page in document.pages:
        page_rect = (0.0, 0.0, page.width, page.height)
        texts, painting, overlays, ends = _page_boxes(page._page_box, page_rect, boxes, hidden)
        last_line = None
        after_initial = False
        for box, rect, why, line, index, moved, initial in texts:
            if why is None:
                why = _covered(rect, index, moved, overlays, painting, ends)
            if why is not None:
                if box.text.strip():
                    hidden.append((box.text, why))
                continue
            if line is not last_line and lines and not after_initial:
                lines.append("\n")
            last_line = line
            lines.append(box.text)
            after_initial = initial
        lines.append("\n")
    return Seen("".join(lines), tuple(hidden))


def _covered(rect: Rect, index: int, moved: bool, overlays: list[tuple[Rect, int]],
             painting: _Buckets, ends: dict[int, int]) -> str | None:
    """Why a text box that is drawn is still not seen: a box drawn over it, or it was moved
    onto another box; None when nothing but its own ancestors overlaps it."""
    x0, y0, x1, y1 = rect
    cover = max(_SLACK, (y1 - y0) / 4)  # _overlap, inline: a page has a dozen overlays
    for (o_x0, o_y0, o_x1, o_y1), o_start in overlays:
        if min(y1, o_y1) - max(y0, o_y0) > cover and min(x1, o_x1) - max(x0, o_x0) > _SLACK \
                and not 0 <= o_start <= index < ends[o_start]:
            return "covered by a box drawn over it"
    if moved:
        # Moved out of the flow, it may sit on a box whose background the contrast
        # above did not see, or under one: it must not overlap any other box.
        for o_rect, o_start in painting.near(rect):
            ancestor = o_start <= index < ends[o_start]
            if not ancestor and _overlap(rect, o_rect):
                return "moved onto another box (positioned, transformed or by a negative margin)"
    return None


def _page_boxes(page_box: Any, page_rect: Rect, boxes: Any, hidden: list[tuple[str, str]]
                ) -> tuple[list[_Text], _Buckets, list[tuple[Rect, int]], dict[int, int]]:
    """One page's text boxes in order, the boxes that paint, the boxes drawn over others, and
    each box's subtree as pre-order indexes [index, ends[index]). Text a transform draws as
    nothing goes to ``hidden``."""
    texts: list[_Text] = []
    painting = _Buckets()  # every box that paints, by height on the page
    overlays: list[tuple[Rect, int]] = []  # rect, pre-order index (-1: furniture)
    start = _State(None, None, 1.0, (), False)
    ends: dict[int, int] = {}  # pre-order index -> index after its subtree
    order = 0
    # (box, state of its parent, line box it is in), or (None, index) to close a
    # subtree; explicit, because box trees can be deeper than Python's recursion limit.
    stack: list[tuple[Any, ...]] = [(child, start, None, False)
                                    for child in reversed(page_box.children)]
    margin_box, line_box, text_box = boxes.MarginBox, boxes.LineBox, boxes.TextBox
    while stack:
        item = stack.pop()
        if item[0] is None:
            ends[item[1]] = order
            continue
        box, parent, line, initial = item
        # A ::first-letter (a drop cap, often floated) is the start of the word after it.
        initial = initial or str(getattr(box, "element_tag", "")).endswith("::first-letter")
        index = order
        order += 1
        if isinstance(box, margin_box):
            if _paints(box, boxes) or any(_paints(b, boxes) for b in box.descendants()):
                overlays.append(((box.position_x, box.position_y,
                                  box.position_x + box.margin_width(),
                                  box.position_y + box.margin_height()), -1))
            continue
        state = _enter(box, parent, boxes)
        if state is None:  # a singular transform: WeasyPrint draws nothing of it
            hidden.extend((b.text, "transformed to nothing") for b in box.descendants()
                          if isinstance(b, boxes.TextBox) and b.text.strip())
            continue
        if isinstance(box, line_box):
            line = box
        if isinstance(box, text_box):
            rect = _aabb(state.matrix, box.position_x, box.position_y, box.width, box.height)
            texts.append((box, rect, _text_problem(box, state, page_rect), line, index,
                          state.overlay_root, initial))
        _add_painted(box, state, index, boxes, texts, painting, overlays)
        children = getattr(box, "children", ())
        stack.append((None, index))
        stack.extend([(child, state, line, initial) for child in reversed(children)])
    return texts, painting, overlays, ends


def _add_painted(box: Any, state: _State, index: int, boxes: Any, texts: list[_Text],
                 painting: _Buckets, overlays: list[tuple[Rect, int]]) -> None:
    """Record what the box paints: a wide outline over its neighbours, its own background
    or glyphs (clipped), and all of it as an overlay when it sits in a moved subtree."""
    width = box.style["outline_width"]
    if width > 4 and box.style["outline_style"] != "none" \
            and not isinstance(box, boxes.TextBox):  # drawn last, over its neighbours
        grow = width + max(box.style["outline_offset"], 0)
        x0, y0, x1, y1 = _aabb(state.matrix, box.border_box_x(), box.border_box_y(),
                               box.border_width(), box.border_height())
        overlays.append(((x0 - grow, y0 - grow, x1 + grow, y1 + grow), index))
    if not _paints(box, boxes):
        return
    if isinstance(box, boxes.TextBox):
        rect = texts[-1][1]
    else:
        rect = _aabb(state.matrix, box.border_box_x(), box.border_box_y(),
                     box.border_width(), box.border_height())
    rect = rect if state.clip is None else _intersect(state.clip, rect)
    painting.add(rect, index)
    if state.overlay_root:
        overlays.append((rect, index))


def _negative_margin(box: Any) -> bool:
    # Spelled out: a generator over the four sides was a tenth of the whole walk.
    return ((getattr(box, "margin_top", 0) or 0) < 0 or (getattr(box, "margin_right", 0) or 0) < 0
            or (getattr(box, "margin_bottom", 0) or 0) < 0
            or (getattr(box, "margin_left", 0) or 0) < 0)


def _enter(box: Any, parent: _State, boxes: Any) -> _State | None:
    """The drawing state inside ``box``; None if its transform draws nothing."""
    style = box.style
    matrix = parent.matrix
    transform = box.transformation_matrix
    if transform is not None:
        if not transform.determinant:
            return None
        matrix = transform if matrix is None else transform @ matrix
    clip = parent.clip
    if style["overflow"] != "visible" and not isinstance(box, boxes.PageBox):
        clip = _intersect(clip, _aabb(matrix, box.padding_box_x(), box.padding_box_y(),
                                      box.padding_width(), box.padding_height()))
    if box.is_absolutely_positioned() and style["clip"]:
        top, right, bottom, left = style["clip"]
        top = 0 if top == "auto" else top
        right = 0 if right == "auto" else right
        bottom = box.border_height() if bottom == "auto" else bottom
        left = box.border_width() if left == "auto" else left
        # WeasyPrint draws rect(top right bottom left) as x+right .. x+left (sic)
        clip = _intersect(clip, _aabb(matrix, box.border_box_x() + right,
                                      box.border_box_y() + top, left - right, bottom - top))
    own_opacity = style["opacity"]
    opacity = parent.opacity * own_opacity
    backgrounds = parent.backgrounds
    if not isinstance(box, boxes.TextBox):
        image = _has_image(style["background_image"])
        colour = style["background_color"]
        if image or colour.alpha > 0:
            # The root's and body's backgrounds fill the whole canvas.
            where = ((-1e9, -1e9, 1e9, 1e9) if box.element_tag in ("html", "body")
                     else _aabb(matrix, box.border_box_x(), box.border_box_y(),
                                box.border_width(), box.border_height()))
            backgrounds = (*backgrounds, (None if image else _rgba(colour), where))
    position, z_index = style["position"], style["z_index"]
    overlay = parent.overlay_root or (
        position in ("absolute", "fixed", "relative", "sticky")
        or transform is not None or own_opacity < 1 or z_index != "auto"
        or _negative_margin(box))
    under = parent.under or (isinstance(z_index, int) and z_index < 0
                             and position != "static")
    if overlay == parent.overlay_root and matrix is parent.matrix and clip is parent.clip \
            and opacity == parent.opacity and backgrounds is parent.backgrounds \
            and under == parent.under:
        return parent
    return _State(matrix, clip, opacity, backgrounds, overlay, under)
