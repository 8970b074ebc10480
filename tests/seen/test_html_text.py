"""Visible text of an HTML explainer: hidden content left out, sections and apart parts kept
apart. ``visible_text`` proves mandatory caveats are visible, so each way of hiding is pinned."""

from __future__ import annotations

import pytest

from explainer.seen.html import extract, visible_text


def page(body: str, css: str = "") -> str:
    style = f"<style>{css}</style>" if css else ""
    return (f"<!doctype html><html><head><title>SECRET-title</title>{style}</head>"
            f"<body>{body}</body></html>")


@pytest.mark.parametrize(
    ("body", "css"),
    [
        ('<p hidden>SECRET</p>', ""),
        ('<p aria-hidden="true">SECRET</p>', ""),
        ('<p style="display:none">SECRET</p>', ""),
        ('<p style="color: red; display : none !important">SECRET</p>', ""),
        ('<p style="visibility:hidden">SECRET</p>', ""),
        ('<p style="opacity:0">SECRET</p>', ""),
        ('<p class="note hidden">SECRET</p>', ".hidden { display: none }"),
        ('<p id="x">SECRET</p>', "#x { visibility: hidden }"),
        ("<p>Lead <b>SECRET</b></p>", "b { display: none }"),
        ('<div class="box"><p><span>SECRET</span></p></div>', ".box span { display: none }"),
        ('<p data-x="1">SECRET</p>', 'p[data-x="1"] { display: none }'),
        ('<ul class="a"><li>SECRET</li></ul>', "ul.a > li { display: none }"),
        ('<p class="sr">SECRET</p>', ".sr { position: absolute; clip: rect(0 0 0 0); }"),
        ('<p class="p">SECRET</p>', "@media print { .p { display: none } }"),
        # A reader on a small screen cannot see it either.
        ('<p class="p">SECRET</p>', "@media (max-width: 30em) { .p { display: none } }"),
        ("<script>var s = 'SECRET';</script>", ""),
        ("<style>.x::after { content: 'SECRET' }</style>", ""),
        ("<template><p>SECRET</p></template>", ""),
        ("<noscript>SECRET</noscript>", ""),
        ("<details><summary>More</summary>SECRET<p>SECRET</p></details>", ""),
        ("<dialog><p>SECRET</p></dialog>", ""),
    ],
)
def test_hidden_content_is_not_visible(body: str, css: str) -> None:
    html = page(f"<p>Shown before.</p>{body}<p>Shown after.</p>", css)
    text = visible_text(html)
    assert "SECRET" not in text
    assert text.startswith("Shown before.") and text.endswith("Shown after.")


@pytest.mark.parametrize(
    ("body", "css"),
    [
        ('<p class="note">SHOWN</p>', ".hidden { display: none }"),  # another class
        ('<p class="a">SHOWN</p>', ".a.b { display: none }"),  # needs both classes
        ('<p class="x show">SHOWN</p>', ".x { display: none } .x.show { display: block }"),
        ('<p class="x" style="display: block">SHOWN</p>', ".x { display: none }"),
        ('<div style="visibility:hidden"><p style="visibility:visible">SHOWN</p></div>', ""),
        ('<p class="p">SHOWN</p>', "@media speech { .p { display: none } }"),
        ('<p aria-hidden="false">SHOWN</p>', ""),
        ("<details open><summary>More</summary><p>SHOWN</p></details>", ""),
        ('<p hidden class="h">SHOWN</p>', "[hidden].h { display: block }"),
    ],
)
def test_visible_content_is_kept(body: str, css: str) -> None:
    assert "SHOWN" in visible_text(page(body, css))


def test_important_beats_specificity_and_order() -> None:
    css = "#k { display: block } .x { display: none !important }"
    assert "SECRET" not in visible_text(page('<p id="k" class="x">SECRET</p>', css))


def test_blocks_sections_and_parts_reported_apart() -> None:
    html = page(
        '<nav><a href="#f">Findings</a></nav>'
        '<p>Before any section.</p>'
        '<section data-section="findings"><h2>What they found</h2>'
        '<p>Ketamine helped <b>some</b> people.</p><ul><li>Nausea<li>Headache</ul>'
        '<section><p>A plain nested section belongs to its parent.</p></section>'
        '<ul data-score="apart" data-apart="labels"><li>Small study</li></ul>'
        '<table><tr><td>Cell one<td>Cell two</tr></table>'
        '</section>'
        '<section data-section="sources" data-score="apart" data-apart="sources">'
        '<h2>Sources</h2><ol><li>Jelen LA et al. 2025.</li></ol></section>'
        '<footer data-score="apart">Made with explainer</footer>'
    )
    got = extract(html)
    findings = got.sections["findings"]
    assert findings.body == ["Ketamine helped some people.", "Nausea", "Headache",
                             "A plain nested section belongs to its parent.", "Cell one",
                             "Cell two"]
    assert findings.headings == ["What they found"]
    assert findings.apart == {"labels": ["Small study"]}
    assert got.sections["other"].body == ["Before any section."]
    assert got.nav() == ["Findings"]
    assert got.apart() == {"labels": ["Small study"],
                           "sources": ["Sources", "Jelen LA et al. 2025."],
                           "other": ["Made with explainer"]}
    assert got.sections["sources"].body == []


def test_visible_text_keeps_apart_parts_and_decodes_entities() -> None:
    html = page('<p>Side effects &amp; risks</p><aside data-score="apart" data-apart="caveat">'
                'Not <em>yet</em> approved&nbsp;for depression.</aside><p>a<br>b</p>')
    # runs of white space, no-break spaces included, become one space
    assert visible_text(html) == "Side effects & risks\nNot yet approved for depression.\na\nb"


@pytest.mark.parametrize("body", [
    '<p style="color: #cccccc">FAINT words</p>',  # 1.6:1 on white
    '<p style="font-size: 5px">FAINT words</p>',
    '<p style="position: absolute; top: 0">FAINT words</p>',
    '<p><span style="filter: blur(3px)">FAINT</span> words</p>',
])
def test_text_not_proven_legible_is_scored_but_not_counted_for_a_caveat(body: str) -> None:
    """A reader may still make it out, so scores keep it; a mandatory caveat may not rest on
    it, so the caveat proof's text leaves it out."""
    extracted = extract(page(f"<p>Shown.</p>{body}"))
    assert "FAINT words" in extracted.text()
    assert "FAINT" not in extracted.legible_text() and "Shown." in extracted.legible_text()
