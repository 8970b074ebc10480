"""The PDFs are tagged PDF/UA-1: read back from the file, not trusted from the renderer.

Checks the catalog (MarkInfo, Lang, title shown), the XMP identification, the structure
tree (headings, lists, tables, paragraphs in reading order), page furniture as artifacts,
embedded fonts, bookmarks, and that WeasyPrint's logged accessibility errors fail a build.
"""

from __future__ import annotations

import io
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from a11y.pdftags import read
from conftest import MIN_TOPIC, SOURCES

from explainer.document.model import AUDIENCES
from explainer.pdf.render import PdfRenderError, check_variant, pdf_variants, render_pdf
from explainer.render.templates_dir import builtin_templates

pytestmark = pytest.mark.slow  # PDF builds


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


class Outline(HTMLParser):
    """Headings, title and element counts of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.counts: dict[str, int] = {}
        self.title = ""
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag in ("h1", "h2", "h3", "h4", "title"):
            self._in, self._buf = tag, []

    def handle_endtag(self, tag):
        if tag == self._in:
            text = norm("".join(self._buf))
            if tag == "title":
                self.title = text
            else:
                self.headings.append((tag.upper(), text))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def outputs(built_example):
    result, out = built_example
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    topic = out / result.topic
    return {a: ((topic / f"{a}.pdf").read_bytes(), (topic / f"{a}.html").read_text())
            for a in AUDIENCES}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_catalog_and_metadata_declare_pdf_ua(outputs, audience):
    data, html = outputs[audience]
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == re.search(r'<html lang="([^"]+)"', html).group(1)
    assert root.ViewerPreferences.DisplayDocTitle is True
    title = outline(html).title
    assert title and norm(str(pdf.docinfo["/Title"])) == title
    assert "/StructTreeRoot" in root
    xmp = bytes(root.Metadata.read_bytes()).decode()
    assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "<dc:title>" in xmp
    assert pdf.pdf_version >= "1.7"
    assert pdf.check_pdf_syntax() == [], "qpdf finds problems in the file"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_tag_tree_matches_the_html_in_reading_order(outputs, audience):
    data, html = outputs[audience]
    tagged = read(data)
    want = outline(html)
    # Every heading, with its level and words, in the order a reader meets it (spaces are
    # compared out: text extraction drops the one at a wrapped line's end).
    def squash(items):
        return [(t, "".join(x.split())) for t, x in items]

    assert squash(tagged.headings()) == squash(want.headings)
    tags = tagged.tags()
    assert tags.count("H1") == 1
    # Page breaks can split a list or table into two elements, never merge two.
    assert tags.count("L") >= want.counts.get("ul", 0) + want.counts.get("ol", 0)
    assert tags.count("LI") >= want.counts.get("li", 0)
    assert tags.count("P") >= want.counts.get("p", 0)
    assert tags.count("Sect") >= want.counts.get("section", 0)
    assert "NonStruct" not in tags[:5], "the document's top levels are untagged"
    if want.counts.get("table"):
        assert tags.count("Table") >= want.counts["table"]
        assert tags.count("TH") >= want.counts["th"]
        for elem in tagged.elems:
            if elem.tag == "TD":  # each data cell points at its row heading
                assert len(elem.obj.A.Headers) >= 1


@pytest.mark.parametrize("audience", AUDIENCES)
def test_page_furniture_is_artifact_and_all_else_is_tagged(outputs, audience):
    data, _ = outputs[audience]
    tagged = read(data)
    pages = len(tagged.pdf.pages)
    assert tagged.mcids == tagged.reachable(), "marked content that no structure element owns"
    assert not any(t.strip() for t in tagged.untagged_text), "text outside marked content"
    for i, furniture in enumerate(tagged.artifact_text):
        assert f"Page {i + 1} of {pages}" in furniture
        assert "Version " in furniture
    tagged_text = " ".join(tagged.texts.values())
    assert f"Page 1 of {pages}" not in tagged_text


@pytest.mark.parametrize("audience", AUDIENCES)
def test_fonts_embedded_and_bookmarks_follow_headings(outputs, audience):
    data, html = outputs[audience]
    pdf = pikepdf.open(io.BytesIO(data))
    fonts = 0
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            fonts += 1
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    assert fonts
    with pdf.open_outline() as tree:
        titles = []

        def walk(items):
            for item in items:
                titles.append(norm(item.title))
                walk(item.children)

        walk(tree.root)
    assert titles == [t for tag, t in outline(html).headings if tag in ("H1", "H2", "H3")]


def test_figures_carry_alt_text(tmp_path):
    """The one image the templates draw is the brand logo: it comes out as a Figure with Alt."""
    from explainer.document.config import load_config
    from explainer.document.load import load_document
    from explainer.render.html import RenderOptions, render_html

    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="90" '
                                       'height="30"><rect width="90" height="30"/></svg>')
    (tmp_path / "explainer.yaml").write_text(
        "brand:\n  logo: logo.svg\n  logo_alt: Example Health Trust\n")
    brand = load_config(tmp_path / "explainer.yaml").render_brand()
    html = render_html(load_document(MIN_TOPIC).doc, "patient", RenderOptions(brand=brand))
    tagged = read(render_pdf(html, [builtin_templates()]))
    figures = [e for e in tagged.elems if e.tag == "Figure"]
    assert len(figures) == 1
    assert str(figures[0].obj.Alt) == "Example Health Trust"


GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
MINIMAL = '<!DOCTYPE html><html{lang}><head><title>t</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(("lang", "body", "needle"), [
    ("", "<p>No language.</p>", "lang"),
    (' lang="en"', f'<p><img src="{GIF}"></p>', "alt"),
], ids=["no-lang", "img-without-alt"])
def test_weasyprint_logged_errors_fail_the_render(lang, body, needle):
    with pytest.raises(PdfRenderError) as info:
        render_pdf(MINIMAL.format(lang=lang, body=body), [builtin_templates()])
    assert any(needle in m for m in info.value.messages), info.value.messages


def copy_topic(tmp_path: Path) -> Path:
    folder = tmp_path / "topic"
    folder.mkdir()
    findings = folder / "findings.yaml"
    findings.write_text(MIN_TOPIC.read_text())
    (tmp_path / "sources").mkdir()
    for src in (SOURCES).glob("walking_*"):
        (tmp_path / "sources" / src.name).write_text(src.read_text())
    return findings


def test_template_without_lang_fails_the_build_with_one_line_naming_the_pdf(tmp_path, run_cli):
    findings = copy_topic(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (builtin_templates() / "base.html").read_text()
    assert '<html lang="{{ doc.language }}">' in base
    (templates / "base.html").write_text(base.replace('<html lang="{{ doc.language }}">', "<html>"))
    out = tmp_path / "out"
    run = run_cli("build", findings, "--out", out, "--templates", templates,
                  "--audience", "patient", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    pdf = out / "walking-knee-pain" / "patient.pdf"
    lines = [ln for ln in run.stderr.splitlines() if str(pdf) in ln]
    assert len(lines) == 1 and "lang" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert not pdf.exists()


def test_pdf_variant_option_is_checked_and_applied(tmp_path, run_cli):
    assert "pdf/ua-1" in pdf_variants() and "pdf/a-3u" in pdf_variants()
    assert check_variant("none") is None
    findings = copy_topic(tmp_path)
    bad = run_cli("build", findings, "--out", tmp_path / "x", "--pdf-variant", "pdf/ua-9",
                  cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()], bad.stderr
    assert "pdf/ua-9" in bad.stderr and "pdf/a-3u" in bad.stderr

    for variant, marker in (("pdf/a-3u", 'pdfaid:part="3"'), ("none", None)):
        out = tmp_path / variant.replace("/", "-")
        run = run_cli("build", findings, "--out", out, "--pdf-variant", variant,
                      "--audience", "patient", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        pdf = pikepdf.open(out / "walking-knee-pain" / "patient.pdf")
        assert pdf.Root.MarkInfo.Marked is True  # tagged whatever the variant
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode() if "/Metadata" in pdf.Root else ""
        assert "pdfuaid" not in xmp
        if marker:
            assert marker in xmp and 'pdfaid:conformance="U"' in xmp
