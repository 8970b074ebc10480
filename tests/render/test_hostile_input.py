"""Hostile input cannot reach the outputs, the file system or the network.

A findings file is data from other people and a template folder may come from a colleague.
Each test goes through the real pipeline (build_topic, WeasyPrint, the locked fetcher) and
then reads the outputs back. Two spies watch, without changing behaviour: one records every
URL WeasyPrint asks the fetcher for, the other every socket anyone tries to open (pytest-
socket blocks sockets anyway; the spy proves none was even attempted).
"""

from __future__ import annotations

import io
import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
import tinycss2
import yaml
from conftest import MIN_TOPIC, SOURCES

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.model import AUDIENCES
from explainer.pdf.content_stream import pdf_text
from explainer.pdf.fetcher import FetchRefused, LockedFetcher
from explainer.render import assets
from explainer.render.assets import css_string
from explainer.render.html import RenderOptions
from explainer.render.templates_dir import builtin_templates

PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_bytes().split(b"\n", 1)[0] if PASSWD.is_file() else b"root:x:0:0"

# What was tried in the findings file, field by field (all end up as visible, inert text).
HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=file:///etc/passwd>",
    '<img src="http://127.0.0.1:1/beacon.png" alt="">',
    "<link rel=attachment href=file:///etc/passwd>",
    '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "http://127.0.0.1:1/track",
    "<style>body{background:url(http://127.0.0.1:1/x.png)}</style>",
    "url(file:///etc/passwd)",
    '<svg><image href="file:///etc/passwd"/></svg>',
    '<object data="file:///etc/passwd"></object>',
]
# The title and press headline also reach <title>, the PDF metadata and the footer, which is
# a CSS string inside <style>: this one tries to close the string, the rule and the element.
BREAKOUT = ('"; } @page { @top-left { content: url(file:///etc/passwd) } } '
            "</style><script>alert(1)</script><style>")
FREE_TEXT = {"title", "patient", "clinician", "press", "headline", "lede", "plain", "term",
             "contact", "name", "hours", "region", "handling", "notes_to_editors", "condition",
             "population", "short_name", "journal"}


def poison(node, key: str | None = None):
    if isinstance(node, dict):
        return {k: poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, key) for v in node]
    if isinstance(node, str) and key in FREE_TEXT and "{" not in node:
        return f"{node} {' '.join(HOSTILE)}"
    return node


@pytest.fixture
def spies(monkeypatch):
    """Record fetcher URLs and socket attempts; both still fail as they would."""
    urls: list[str] = []
    sockets: list[tuple] = []
    real_fetch = LockedFetcher.fetch

    def fetch(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            sockets.append(args)
            raise OSError("a socket was attempted")

    monkeypatch.setattr(LockedFetcher, "fetch", fetch)
    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: sockets.append(a) or (_ for _ in ()).throw(OSError()))
    return urls, sockets


def topic_copy(tmp_path: Path, data: dict | None = None) -> Path:
    folder = tmp_path / "topic"
    folder.mkdir()
    findings = folder / "findings.yaml"
    if data is None:
        findings.write_text(MIN_TOPIC.read_text())
    else:
        findings.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    sources = tmp_path / "sources"
    sources.mkdir()
    for src in (SOURCES).glob("walking_*"):
        (sources / src.name).write_text(src.read_text())
    return findings


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        (self.styles if self._style else self.text).append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "article", "div", "p",
                "h1", "h2", "h3", "h4", "section", "ul", "ol", "li", "dl", "dt", "dd", "table",
                "thead", "tbody", "tr", "th", "td", "span", "a", "strong", "em", "blockquote"}


def css_tokens(css: str):
    """Every token of a stylesheet, at-rule names and nested blocks included."""
    stack = list(tinycss2.parse_stylesheet(css))
    while stack:
        node = stack.pop()
        if node.type in ("at-rule", "qualified-rule"):
            if node.type == "at-rule":
                yield tinycss2.ast.IdentToken(0, 0, "@" + node.at_keyword)
            stack += list(node.prelude or []) + list(node.content or [])
        elif node.type in ("() block", "[] block", "{} block", "function"):
            if node.type == "function":
                yield tinycss2.ast.IdentToken(0, 0, node.name)
            stack += list(node.arguments if node.type == "function" else node.content)
        else:
            yield node


def assert_html_inert(html: str) -> None:
    parsed = Tags()
    parsed.feed(html)
    tags = {t for t, _ in parsed.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("https://doi.org/"), attrs
        assert attrs.get("rel") != "attachment", attrs
    style = "".join(parsed.styles)
    assert "</" not in style and "<script" not in style
    # Parsed as CSS, hostile words may only sit inside string tokens (the footer text).
    outside = " ".join(tinycss2.serialize([t]) for t in css_tokens(style)
                       if t.type not in ("string", "comment"))
    for needle in ("url", "@import", "passwd", "127.0.0.1", "javascript", "top-left"):
        assert needle not in outside, needle
    # The reader sees exactly what the file said, as text.
    text = " ".join(parsed.text)
    assert "<script>alert('x')</script>" in text and "<img src=file:///etc/passwd>" in text


def assert_pdf_inert(data: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names
    assert not pdf.attachments
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        assert key not in pdf.Root, key
    for page in pdf.pages:
        assert "/AA" not in page
        for annot in page.get("/Annots", []):
            assert annot.Subtype == "/Link", annot.Subtype
            action = annot.get("/A")
            if action is not None:
                assert action.S == "/URI" and str(action.URI).startswith("https://doi.org/")
        assert not page.get_images(), "an image reached the PDF"
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            assert "/JS" not in obj and "/JavaScript" not in obj and obj.get("/S") != "/Launch"
        if isinstance(obj, pikepdf.Stream):
            assert SECRET not in obj.read_bytes(), "/etc/passwd content reached the PDF"
    assert SECRET not in data


@pytest.mark.slow
def test_hostile_fields_stay_text_through_the_full_build(tmp_path, spies):
    urls, sockets = spies
    data = poison(yaml.safe_load(MIN_TOPIC.read_text()))
    data["title"] = "Walking and knee pain " + BREAKOUT
    data["press"]["headline"] += " " + BREAKOUT
    data["studies"][0]["doi"] = '10.1234/x"><script>alert(1)</script>'
    data["sources"][0]["url"] = "javascript:alert(1)"
    # The poison's digits are markup, not figures: declared so the number lock lets them by.
    data["number_exceptions"]["phrases"] += ["127.0.0.1:1", "alert(1)"]
    findings = topic_copy(tmp_path, data)
    out = tmp_path / "out"
    result = build_topic(findings, BuildOptions(out_dir=out))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    for audience in AUDIENCES:
        html = (out / result.topic / f"{audience}.html").read_text()
        assert_html_inert(html)
        assert "&lt;/style&gt;&lt;script&gt;" in html  # the breakout, escaped in <title>/<h1>
        pdf = (out / result.topic / f"{audience}.pdf").read_bytes()
        assert_pdf_inert(pdf)
        text = pdf_text(pdf)
        assert "<script>alert('x')</script>" in text  # shown, not run
        # The footer shows the title as is (it may wrap: compare without line breaks).
        assert "</style><script>alert(1)</script>" in re.sub(r"\n", "", text)
    assert urls == [], f"WeasyPrint was asked to fetch {urls}"
    assert sockets == []


def user_templates(tmp_path: Path, base_extra_head: str = "", base_extra_body: str = "",
                   css_extra: str = "") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    base = (builtin_templates() / "base.html").read_text()
    base = base.replace("</head>", base_extra_head + "\n</head>")
    base = base.replace('<main id="content">', base_extra_body + '\n<main id="content">')
    (folder / "base.html").write_text(base)
    (folder / "style.css").write_text(css_extra + (builtin_templates() / "style.css").read_text())
    return folder


@pytest.mark.slow
def test_user_template_cannot_attach_files(tmp_path, spies):
    urls, sockets = spies
    templates = user_templates(
        tmp_path,
        base_extra_head='<link rel="attachment" href="file:///etc/passwd" title="passwd">'
                        '<link rel="attachment" href="style.css" title="allowed folder">',
        base_extra_body='<p><a rel="attachment" href="file:///etc/passwd">passwd</a> '
                        '<a rel="attachment" href="style.css">css</a></p>')
    out = tmp_path / "out"
    result = build_topic(topic_copy(tmp_path), BuildOptions(
        out_dir=out, audiences=("patient",), render=RenderOptions(templates=templates)))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    data = (out / result.topic / "patient.pdf").read_bytes()
    pdf = pikepdf.open(io.BytesIO(data))
    assert not pdf.attachments
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            assert annot.Subtype != "/FileAttachment"
    streams = [o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream)]
    assert not [s for s in streams if SECRET in s]
    assert not [u for u in urls if "passwd" in u], urls  # never even fetched
    assert sockets == []


FETCHES_HEAD = ('<link rel="stylesheet" href="http://127.0.0.1:1/s.css">'
                '<link rel="stylesheet" href="file:///etc/passwd">')
FETCHES_BODY = ('<p><img src="file:///etc/passwd" alt="x"> <img src="http://127.0.0.1:1/i.png" '
                'alt="y"> <img src="../../../../../../etc/passwd" alt="z"></p>')
FETCHES_CSS = ('@import url("http://127.0.0.1:1/import.css");\n'
               "body { background-image: url(file:///etc/passwd); }\n"
               'h1::before { content: url("http://127.0.0.1:1/k.png"); }\n'
               "@font-face { font-family: Evil; src: url(file:///etc/passwd); }\n"
               "h1 { font-family: Evil, sans-serif; }\n")
REFUSED = ["http://127.0.0.1:1/s.css", "file:///etc/passwd", "http://127.0.0.1:1/i.png",
           "http://127.0.0.1:1/import.css", "http://127.0.0.1:1/k.png"]


def test_user_template_fetches_are_refused_and_fail_the_output(tmp_path, spies):
    urls, sockets = spies
    templates = user_templates(tmp_path, FETCHES_HEAD, FETCHES_BODY, FETCHES_CSS)
    out = tmp_path / "out"
    # PDF only: with HTML as well, the build refuses the references in the HTML first.
    result = build_topic(topic_copy(tmp_path), BuildOptions(
        out_dir=out, audiences=("patient",), formats=("pdf",),
        render=RenderOptions(templates=templates)))
    (output,) = result.outputs
    assert not output.ok and not output.written
    messages = [p.message for p in output.problems if p.key == "pdf"]
    for url in REFUSED:
        assert f"refused to fetch {url}" in messages, (url, messages)
    assert all(p.file.endswith("patient.pdf") for p in output.problems if p.key == "pdf")
    assert not (out / result.topic / "patient.pdf").exists()
    assert set(REFUSED) <= set(urls)
    assert sockets == []


@pytest.mark.slow
def test_cli_names_each_refused_url_on_one_line_and_exits_1(tmp_path, run_cli):
    templates = user_templates(tmp_path, FETCHES_HEAD, FETCHES_BODY, FETCHES_CSS)
    findings = topic_copy(tmp_path)
    out = tmp_path / "out"
    run = run_cli("build", findings, "--out", out, "--templates", templates,
                  "--audience", "patient", "--format", "pdf", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    pdf = out / "walking-knee-pain" / "patient.pdf"
    for url in REFUSED:
        assert f"{pdf}: pdf: refused to fetch {url}" in run.stderr.splitlines(), run.stderr


# The fetcher on its own.

def test_fetcher_refuses_files_outside_the_allowed_folders(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p { color: black }")
    (allowed / "link").symlink_to(PASSWD)
    fetch = LockedFetcher([allowed])
    for url in ("file:///etc/passwd", "file://localhost/etc/passwd", "file:///%65tc/passwd",
                f"file://{allowed}/../../../../../../etc/passwd", f"file://{allowed}/link",
                "file://evil.example/share/x", "javascript:alert(1)", "ftp://127.0.0.1:1/x",
                "https://example.org/x", "about:blank"):
        with pytest.raises(FetchRefused):
            fetch(url)
        assert fetch.refused[-1] == url
    response = fetch((allowed / "ok.css").as_uri())
    assert response.read() == b"p { color: black }"
    assert fetch("data:text/plain,hello").read() == b"hello"


def test_fetcher_refuses_http_without_connecting(spies):
    _, sockets = spies
    fetch = LockedFetcher([builtin_templates()])
    with pytest.raises(FetchRefused):
        fetch("http://127.0.0.1:1/x")
    assert sockets == []


def test_fetcher_allows_template_files_and_falls_back_to_built_in(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    fetch = LockedFetcher([user, builtin_templates()])
    served = fetch((user / "style.css").as_uri())  # not in the user folder: built-in one
    assert served.read() == (builtin_templates() / "style.css").read_bytes()
    (user / "style.css").write_text("/* mine */")
    assert fetch((user / "style.css").as_uri()).read() == b"/* mine */"


def test_inlined_css_assets_stay_inside_the_template_folders(tmp_path):
    (tmp_path / "bg.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    css = ("a { background: url(bg.png) } b { background: url('../../etc/passwd') } "
           "c { background: url(file:///etc/passwd) }")
    out = assets.inline_css_assets(css, [tmp_path])
    assert "url(\"data:image/png;base64," in out
    assert "url('../../etc/passwd')" in out and "url(file:///etc/passwd)" in out  # left alone


def test_css_string_cannot_break_out_of_the_style_element():
    escaped = str(css_string(BREAKOUT + "\\\n'"))
    for bad in ('"', "'", "<", ">", "}", "{", "\n"):
        assert bad not in escaped, bad
    assert escaped.startswith("\\22 ; \\7d  ")  # "; } with the space after each escape kept


def test_a_template_cannot_reach_python_internals(tmp_path):
    """--templates folders may come from someone else: the Jinja sandbox refuses
    attribute tricks that would reach os and run a command."""
    from explainer.document.load import load_document
    from explainer.problems import InputError
    from explainer.render.html import RenderOptions, render_html

    marker = tmp_path / "pwned"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "patient.html").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}")
    doc = load_document(MIN_TOPIC).doc
    with pytest.raises(InputError) as caught:
        render_html(doc, "patient", RenderOptions(templates=folder))
    assert not marker.exists()
    assert "template" in str(caught.value) and "unsafe" in str(caught.value)
