"""The quick checks around WeasyPrint give what the patterns they stand in for give: the
soft hyphens and zero-width spaces taken out before layout, and the <style> elements
moved to the user origin only when that cannot change the cascade."""

from __future__ import annotations

import re

import pytest

from explainer.pdf import render as pdf

BREAKS = [
    "plain text with &#39;quotes&#39; &#34;and&#34; &amp; no breaks",
    "a soft\u00ad hyphen", "a&shy; b", "a&SHY;&#173; b", "a&\u017fhy; b", "a&#xAD; b",
    "a&#X00ad;&nbsp;b",
    "zero\u200bwidth", "zero&#8203;width", "zero&#x200B;width", "zero&ZeroWidthSpace;width",
    "zero&ZEROWIDTHSPACE;width", "a&#173;b no space after", "&#x;&#1;&s;&z;",
]


@pytest.mark.parametrize("html", BREAKS)
def test_print_ready_takes_out_what_the_two_patterns_take_out(html):
    expected = pdf._ZWSP_IN_WORD.sub("", pdf._SOFT_HYPHEN_BEFORE_SPACE.sub("", html))
    assert pdf._print_ready(html) == expected


_ALL_NOT_SPLIT = re.compile(r"!important|<link\b|<svg\b|<style\s|@import|url\((?!\s*['\"]?data:)",
                            re.I)


def one_pattern_split(html: str) -> tuple[str, list[str]] | None:
    texts = pdf._STYLE.findall(html)
    if not texts or _ALL_NOT_SPLIT.search(html) or html.count("<style") != len(texts):
        return None
    return pdf._STYLE.sub("", html), texts


@pytest.mark.parametrize("html", [
    "<style>p { color: blue }</style><p>x</p><style>h1 { margin: 0 }</style>",
    "<style>a</style><style>b",
    "<style>p { color: red !IMPORTANT }</style>",
    "<style>@IMPORT 'x.css';</style>",
    "<style>p { background: URL(x.png) }</style>",
    "<style>p { background: url( 'DATA:image/png;base64,AA') }</style>",
    "<style>p { background: url(data:image/png;base64,AA) }</style>",
    "<head><LINK rel=stylesheet></head><style>p{}</style>",
    "<style>p{}</style><SVG></SVG>",
    "<style>p{}</style><STYLE media=print>p{}</style>",
    "<style>p{}</style><styles>",
    "no styles at all",
    "<style></style>",
])
def test_split_styles_decides_as_the_one_pattern_did(html):
    assert pdf._split_styles(html) == one_pattern_split(html)
