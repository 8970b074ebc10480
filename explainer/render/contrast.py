"""WCAG 2.x colour contrast: parse CSS colours, compute ratios, check a palette.

The palette is every colour the built-in stylesheet uses, and ``PAIRS`` lists each text
colour with each surface it is drawn on. Brand colours replace palette entries, and a
palette is refused when any pair falls below 4.5:1 (WCAG 2.2 AA, normal-size text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AA_NORMAL = 4.5

# Defaults; style.css declares the same values in :root (a test keeps the two in step).
DEFAULT_PALETTE: dict[str, str] = {
    "ink": "#1a1a1a",
    "muted": "#4a4a4a",
    "accent": "#0b5394",
    "accent-ink": "#ffffff",
    "background": "#ffffff",
    "caveat-bg": "#fff6e0",
    "caveat-edge": "#8a5a00",
    "help-bg": "#e8f3ec",
    "help-edge": "#1d6b3a",
    "table-head-bg": "#f2f2f2",
    "rule": "#8c8c8c",
}

# (text colour, surface it sits on, where): every pairing the stylesheet makes.
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("ink", "background", "body text"),
    ("muted", "background", "small print, kicker and footer"),
    ("accent", "background", "headings, links and evidence labels"),
    ("caveat-edge", "background", "warning labels"),
    ("ink", "caveat-bg", "caveat text"),
    ("accent", "caveat-bg", "caveat heading"),
    ("ink", "help-bg", "help text"),
    ("accent", "help-bg", "help heading"),
    ("ink", "table-head-bg", "table row headings"),
    ("accent-ink", "accent", "text on accent-coloured fills"),
)

# Non-text contrast (WCAG 1.4.11) is 3:1 for borders that carry meaning.
NON_TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("caveat-edge", "caveat-bg", "caveat box edge"),
    ("help-edge", "help-bg", "help box edge"),
)
AA_NON_TEXT = 3.0

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB = re.compile(r"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")


def parse_colour(value: str) -> tuple[int, int, int]:
    """'#abc', '#aabbcc' or 'rgb(r, g, b)' -> (r, g, b). Raises ValueError otherwise."""
    text = value.strip()
    if _HEX.match(text):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    match = _RGB.match(text)
    if match:
        rgb = tuple(int(g) for g in match.groups())
        if all(0 <= c <= 255 for c in rgb):
            return rgb  # type: ignore[return-value]
    raise ValueError(f"{value!r} is not a colour; write it as #rrggbb, #rgb or rgb(r, g, b)")


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = luminance(parse_colour(fg)), luminance(parse_colour(bg))
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class ContrastFailure:
    fg: str
    bg: str
    where: str
    ratio: float
    needed: float

    def __str__(self) -> str:
        return (f"{self.fg} on {self.bg} ({self.where}) has contrast {self.ratio:.2f}:1; "
                f"needs at least {self.needed:g}:1")


def palette_failures(palette: dict[str, str]) -> list[ContrastFailure]:
    """Every text/surface pair of ``palette`` that misses WCAG AA."""
    out = []
    for pairs, needed in ((PAIRS, AA_NORMAL), (NON_TEXT_PAIRS, AA_NON_TEXT)):
        for fg, bg, where in pairs:
            ratio = contrast_ratio(palette[fg], palette[bg])
            if ratio < needed:
                out.append(ContrastFailure(fg, bg, where, ratio, needed))
    return out


_IDENT = re.compile(r"^[a-z][a-z0-9-]*$")


def css_colour(value: str) -> str:
    """A colour re-serialised as #rrggbb: whatever the config said, only that reaches CSS."""
    r, g, b = parse_colour(value)
    return f"#{r:02x}{g:02x}{b:02x}"


def css_ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a CSS custom property name")
    return name
