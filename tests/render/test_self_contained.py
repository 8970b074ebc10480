"""Every HTML output fetches nothing: it carries a Content-Security-Policy that forbids any
fetch, and a template that refers to anything outside the page fails the build, one line
naming the element, attribute and URL. (The browser test runs the pages under the policy.)"""

from __future__ import annotations

import re

import pytest
from conftest import MIN_TOPIC

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.model import AUDIENCES
from explainer.render.html import RenderOptions
from explainer.render.selfcontained import CSP, external_references
from explainer.render.templates_dir import builtin_templates

CAV = '{{ parts.caveat_groups(view) }}'
PATIENT = (builtin_templates() / "patient.html").read_text()
EVIL = "https://tracker.example/p.png"


@pytest.mark.slow
def test_every_html_output_has_the_policy_first_in_its_head(built_min):
    result, out = built_min
    for name in [*(f"{a}.html" for a in AUDIENCES), "report.html"]:
        html = (out / result.topic / name).read_text()
        head = re.search(r"<head[^>]*>\s*(<meta [^>]*>)", html)
        assert head, name
        assert head[1] == f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', name
        assert external_references(html) == [], name
    # render_html itself adds it, so a page rendered outside a build (serve's quick preview)
    # forbids fetches too
    from explainer.document.load import load_document
    from explainer.render.html import render_html

    html = render_html(load_document(MIN_TOPIC).doc, "patient")
    assert html.count("Content-Security-Policy") == 1 and CSP in html
    assert "default-src 'none'" in CSP and "script-src" not in CSP  # so no script runs
    assert "base-uri 'none'" in CSP and "form-action 'none'" in CSP


REFERENCES = {
    "iframe": (f'<iframe src="{EVIL}" title="x"></iframe>', "<iframe>"),
    "script-src": (f'<script src="{EVIL}"></script>', "<script>"),
    "meta-refresh": (f'<meta http-equiv="refresh" content="0;url={EVIL}">', "refresh"),
    "video-poster": (f'<video poster="{EVIL}"></video>', "<video poster>"),
    "img-src": (f'<img src="{EVIL}" alt="x">', "<img src>"),
    "srcset": (f'<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
               f'srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x, {EVIL} 2x">',
               "<img srcset>"),
    "css-cursor": (f'<p style="cursor: url({EVIL}), auto">x</p>', "<p style>"),
    "css-image-set": (f'<style>main {{ background-image: image-set("{EVIL}" 1x) }}</style>',
                      "<style>"),
    "css-url": (f"<style>main {{ background: url('{EVIL}') }}</style>", "<style>"),
    "css-import": (f'<style>@import "{EVIL}";</style>', "<style>"),
    "object-data": (f'<object data="{EVIL}"></object>', "<object data>"),
    "link-href": (f'<link rel="stylesheet" href="{EVIL}">', "<link href>"),
    "svg-image": (f'<svg aria-hidden="true"><image href="{EVIL}"/></svg>', "<image href>"),
    "a-ping": (f'<a href="#h-caveats" ping="{EVIL}">x</a>', "<a ping>"),
    "relative-file": ('<img src="photo.jpg" alt="x">', "photo.jpg"),
}


@pytest.mark.parametrize("name", list(REFERENCES))
def test_an_external_reference_fails_the_build_naming_it(tmp_path, name):
    snippet, names = REFERENCES[name]
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "patient.html").write_text(PATIENT.replace(CAV, CAV + snippet))
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=tmp_path / "out", audiences=("patient",), formats=("html",), report=False,
        render=RenderOptions(templates=folder)))
    [patient] = result.outputs
    lines = [str(p) for p in patient.problems if p.key == "self-contained"]
    assert len(lines) == 1, [str(p) for p in patient.problems]
    assert names in lines[0] and ("photo.jpg" if name == "relative-file" else EVIL) in lines[0]
    assert "\n" not in lines[0]
    assert not patient.written and not (tmp_path / "out" / result.topic / "patient.html").exists()


@pytest.mark.slow
def test_only_that_audience_fails_and_links_a_reader_follows_are_fine(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "patient.html").write_text(PATIENT.replace(CAV, CAV + REFERENCES["iframe"][0]))
    (folder / "press.html").write_text(
        (builtin_templates() / "press.html").read_text().replace(
            "</section>", '<p><a href="https://www.nhs.uk/">NHS</a></p></section>', 1))
    out = tmp_path / "out"
    result = build_topic(MIN_TOPIC, BuildOptions(
        out_dir=out, audiences=("patient", "press"), report=False,
        render=RenderOptions(templates=folder)))
    patient, press = result.outputs
    assert not patient.ok and press.ok, [str(p) for p in press.problems]
    assert (out / result.topic / "press.pdf").is_file()
    assert "https://www.nhs.uk/" in (out / result.topic / "press.html").read_text()


def _scanned_alone(html: str) -> list[str]:
    """The self-contained scan parsing the page itself, as it did before the shared parse."""
    from explainer.render.selfcontained import _Scan

    scan = _Scan()
    scan.feed(html)
    scan.close()
    return list(dict.fromkeys(scan.found))


def test_the_shared_parse_gives_the_scan_what_its_own_parse_did():
    from explainer.document.load import load_document
    from explainer.render.html import render_html

    pages = [render_html(load_document(MIN_TOPIC).doc, a) for a in AUDIENCES]
    page = pages[0]
    pages += [page.replace("</main>", snippet + "</main>") for snippet, _ in REFERENCES.values()]
    pages += [
        # an attribute twice, a <style/> that opens nothing, CSS with a "<" in it, a stray
        # end tag, an unclosed style at the end
        page.replace("</main>", f'<img src="{EVIL}" src="data:," alt="x"></main>'),
        f'<p>x</p><style/>a {{ background: url({EVIL}) }}<style>b < c {{ }} '
        f'd {{ background: url({EVIL}) }}</STYLE></p><style>e {{ cursor: url({EVIL}) }}',
    ]
    found = 0
    for html in pages:
        shared = external_references(html)
        assert shared == _scanned_alone(html), html[-300:]
        found += len(shared)
    assert found >= len(REFERENCES) + 2  # the hostile pages were flagged, both ways
