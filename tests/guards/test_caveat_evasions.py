"""A template that hides a mandatory caveat from what a person sees fails the build for that
audience only: 11 ways that hide it in the browser and in the PDF, 13 that hide it in the
browser alone. Each is judged on the page as drawn: the HTML by its CSS cascade on screen and
in print (explainer.seen.css), the PDF by WeasyPrint's laid-out boxes (explainer.seen.pdf)."""

from __future__ import annotations

import base64
import io

import pytest
from conftest import MIN_TOPIC

from explainer.build.topic import BuildOptions, asset_dirs, build_topic
from explainer.document.load import load_document
from explainer.guards.caveats import prove_seen, prove_visible_html
from explainer.pdf.render import render_pdf_seen
from explainer.render.html import RenderOptions, render_html
from explainer.render.templates_dir import builtin_templates

pytestmark = pytest.mark.slow  # lays out and writes PDFs

CAV = '{{ parts.caveat_groups(view) }}'
PATIENT = (builtin_templates() / "patient.html").read_text()


def blank_font() -> str:
    """A real TrueType font whose every glyph is empty: text set in it has advances, a text
    layer that reads right, and no ink."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", *(f"g{c}" for c in range(32, 127))]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({c: f"g{c}" for c in range(32, 127)})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf(dict.fromkeys(names, empty))
    fb.setupHorizontalMetrics({n: (550, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Blank", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    buffer = io.BytesIO()
    fb.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def style(css: str) -> str:
    return f"<style>{css}</style>{CAV}"


# Hidden from a reader of the HTML page and of the PDF alike.
BOTH = {
    "white-on-white": style(".caveats { background: #fff } .caveats li { color: #fff }"),
    "transparent-colour": style(".caveats li { color: transparent }"),
    "off-screen": style(".caveats ul { position: absolute; left: -9999px }"),
    "scaled-to-nothing": style(".caveats ul { transform: scale(0) }"),
    "clipped": style(".caveats ul { position: absolute; clip: rect(0, 0, 0, 0) }"),
    "blank-font": None,  # filled in below: needs a font file
    "opacity-zero": style(".caveats ul { opacity: 0 }"),
    "visibility-hidden": style(".caveats li { visibility: hidden }"),
    "font-size-zero": style(".caveats li { font-size: 0 }"),
    "tiny-font": style(".caveats li { font-size: 3px }"),
    "text-indent-off-screen": style(".caveats li { text-indent: -9999px }"),
}
# Hidden in a browser only (WeasyPrint ignores these, or the print media does not apply).
CAVEAT_PARAS = ('<section data-section="caveats"><h2>Please keep in mind</h2>'
                "{% for cid, text in view.caveat_texts %}<p>WRAP</p>{% endfor %}</section>")
BROWSER = {
    "media-screen": style("@media screen { .caveats li { display: none } }"),
    "media-feature": style("@media (min-width: 1px) { .caveats li { visibility: hidden } }"),
    "clip-path": style(".caveats ul { clip-path: polygon(0 0, 0 0, 0 0) }"),
    "max-height-zero": style(".caveats ul { max-height: 0; overflow: hidden }"),
    "overlay-element": ('<div style="position: relative">' + CAV + '<div style="position: '
                        'absolute; inset: 0; background: #fff"></div></div>'),
    "overlay-pseudo": style(".caveats { position: relative } .caveats::after { content: ''; "
                            "position: absolute; inset: 0; background: #fff6e0 }"),
    "video-fallback": f"<video>{CAV}</video>",
    "canvas-fallback": f"<canvas>{CAV}</canvas>",
    "object-fallback": f"<object>{CAV}</object>",
    "text-fill-transparent": style(".caveats li { -webkit-text-fill-color: transparent }"),
    "blur": style(".caveats ul { filter: blur(8px) }"),
    "bidi-override": style(".caveats li { unicode-bidi: bidi-override; direction: rtl }"),
    "bdo-element": CAVEAT_PARAS.replace("WRAP", '<bdo dir="rtl">{{ text }}</bdo>'),
}

# More ways past a DOM-only proof, beyond the 24 the issue lists.
MORE = {
    "font-colour-attribute": CAVEAT_PARAS.replace(
        "WRAP", '<font color="#fff6e0">{{ text }}</font>'),
    "svg-text": ('<svg aria-hidden="true" width="400" height="40">'
                 '{% for cid, text in view.caveat_texts %}<text y="20" fill="#fff">{{ text }}'
                 "</text>{% endfor %}</svg>"),
    "first-line-white": style(".caveats li::first-line { color: #fff6e0 }"),
    "nowrap-clipped": style(".caveats li { white-space: nowrap; overflow: hidden }"),
    "line-height-clipped": style(".caveats ul { overflow: hidden; line-height: 0 }"),
    "negative-z-index": ('<div style="background: #fff">' + style(
        ".caveats ul { position: relative; z-index: -1 }") + "</div>"),
    "thick-outline": style(".caveats h2 { outline: 300px solid #fff6e0 }"),
    "moved-image": (CAV + '<img alt="" style="position: relative; top: -6em; width: 100%; '
                    'height: 6em" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    "popover": f"<div popover>{CAV}</div>",
    "out-of-a-short-dark-box": style(".caveats { background: #036; height: 2px } "
                                     ".caveats li, .caveats h2 { color: #fff }"),
    "select-option": CAVEAT_PARAS.replace("<p>WRAP</p>", "<select><option>{{ text }}</option>"
                                          "</select>"),
}


@pytest.fixture(scope="module")
def font() -> str:
    return blank_font()


def snippet(name: str, font: str) -> str:
    if name == "blank-font":
        return style(f"@font-face {{ font-family: Blank; src: url(data:font/ttf;base64,{font}) }}"
                     " .caveats li { font-family: Blank }")
    return {**BOTH, **BROWSER, **MORE}[name]


def templates_with(tmp_path, body: str):
    folder = tmp_path / "templates"
    folder.mkdir()
    assert CAV in PATIENT
    (folder / "patient.html").write_text(PATIENT.replace(CAV, body))
    return folder


@pytest.mark.parametrize("name", [*BOTH, *BROWSER, *MORE])
def test_an_evasion_fails_the_build_for_that_audience_only(tmp_path, name, font):
    folder = templates_with(tmp_path, snippet(name, font))
    out = tmp_path / "out"
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=out, audiences=("patient", "press"), report=False,
        render=RenderOptions(templates=folder)))
    patient, press = result.outputs
    keys = {p.key for p in patient.problems}
    assert keys & {"caveat:small-trial", "caveat-proof:overlay", "caveat-proof:font-face"}, \
        [str(p) for p in patient.problems]
    assert not patient.written and not (out / result.topic / "patient.html").exists()
    assert not (out / result.topic / "patient.pdf").exists()
    assert press.ok and (out / result.topic / "press.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", list(BOTH))
def test_the_printed_page_proof_catches_those_that_hide_in_print_too(tmp_path, name, font):
    """Without the HTML proof, WeasyPrint's laid-out boxes alone show the caveat unseen."""
    doc = load_document(MIN_TOPIC).doc
    folder = templates_with(tmp_path, snippet(name, font))
    html = render_html(doc, "patient", RenderOptions(templates=folder))
    dirs = asset_dirs(BuildOptions(render=RenderOptions(templates=folder)))
    data, problems = render_pdf_seen(html, dirs, check=lambda seen: prove_seen(
        doc, "patient", seen, "patient.pdf"))
    assert data is None
    assert {p.key for p in problems} & {"caveat:small-trial", "caveat-proof:font-face"}, problems
    # and the HTML proof on its own catches it as well
    assert prove_visible_html(doc, "patient", html, "patient.html")


def test_the_reason_is_named(tmp_path, font):
    doc = load_document(MIN_TOPIC).doc
    folder = templates_with(tmp_path, snippet("white-on-white", font))
    html = render_html(doc, "patient", RenderOptions(templates=folder))
    problems = prove_visible_html(doc, "patient", html, "patient.html")
    assert {p.key for p in problems} == {"caveat:small-trial", "caveat:not-advice"}
    assert all("on screen" in p.message and "contrast 1.00:1" in p.message for p in problems)
    data, problems = render_pdf_seen(html, asset_dirs(BuildOptions()), check=lambda seen:
                                     prove_seen(doc, "patient", seen, "patient.pdf"))
    assert data is None
    assert {p.key for p in problems} == {"caveat:small-trial", "caveat:not-advice"}
    assert all("printed page" in p.message and "contrast 1.00:1" in p.message
               for p in problems)


@pytest.mark.parametrize("body", [
    CAV,  # the built-in template
    style(".caveats li { color: #333; font-size: 0.8rem; letter-spacing: 0.01em }"),
    style(".caveats { background: #003366 } .caveats li, .caveats h2 { color: #fff }"),
    style("@media print { .caveats li { font-size: 10pt } }"),
    CAVEAT_PARAS.replace("WRAP", "<span style='opacity: 0.9'>{{ text }}</span>"),
    f'<div style="position: relative">{CAV}</div>',
], ids=["built-in", "small-grey", "light-on-dark", "print-size", "slight-opacity",
        "relative-wrapper"])
def test_a_caveat_drawn_legibly_passes(tmp_path, body):
    folder = templates_with(tmp_path, body)
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=tmp_path / "out", audiences=("patient",), report=False,
        render=RenderOptions(templates=folder)))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]


def test_a_font_from_a_linked_style_sheet_is_caught_in_a_pdf_only_build(tmp_path, font):
    """No HTML is written, so the page's references are not checked: WeasyPrint loads the
    sheet and its font from the template folder, and the printed-page proof still sees it."""
    folder = templates_with(tmp_path, '<link rel="stylesheet" href="blank.css">' + CAV)
    (folder / "blank.ttf").write_bytes(base64.b64decode(font))
    (folder / "blank.css").write_text("@font-face { font-family: Blank; src: url(blank.ttf) }"
                                      " .caveats li { font-family: Blank }")
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=tmp_path / "out", audiences=("patient",), formats=("pdf",), report=False,
        render=RenderOptions(templates=folder)))
    [patient] = result.outputs
    assert "caveat-proof:font-face" in {p.key for p in patient.problems}, \
        [str(p) for p in patient.problems]
    assert all(p.file.endswith("patient.pdf") for p in patient.problems)
    assert not (tmp_path / "out" / result.topic / "patient.pdf").exists()


def test_an_evasion_in_style_css_fails_only_the_audience_it_targets(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "style.css").write_text((builtin_templates() / "style.css").read_text()
                                      + "\n.audience-press .caveats li { color: #fff6e0 }\n")
    out = tmp_path / "out"
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=out, report=False, render=RenderOptions(templates=folder)))
    by_audience = {o.audience: o for o in result.outputs}
    assert not by_audience["press"].ok
    assert {p.key for p in by_audience["press"].problems} == {"caveat:small-trial",
                                                               "caveat:not-advice"}
    assert by_audience["patient"].ok and by_audience["clinician"].ok
    assert not (out / result.topic / "press.html").exists()
    assert (out / result.topic / "patient.pdf").is_file()


def test_text_moved_onto_a_light_box_is_caught_on_the_printed_page(tmp_path, font):
    """White text on a dark caveat box, pulled up by a negative margin out of that box (onto
    the white box before it, or the paper above): its ancestor's background says 'dark',
    the page shows white on white."""
    doc = load_document(MIN_TOPIC).doc
    folder = templates_with(tmp_path, '<div style="height: 120px; background: #fff"></div>'
                            + style(".caveats { background: #036 } .caveats li, .caveats h2 "
                                    "{ color: #fff } .caveats ul { margin-top: -110px }"))
    html = render_html(doc, "patient", RenderOptions(templates=folder))
    data, problems = render_pdf_seen(html, asset_dirs(BuildOptions()), check=lambda seen:
                                     prove_seen(doc, "patient", seen, "patient.pdf"))
    assert data is None and problems
    assert all("moved onto another box" in p.message or "contrast 1.00:1" in p.message
               for p in problems), problems
