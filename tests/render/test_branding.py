"""Branding without forking templates: explainer.yaml (or --config) and --templates."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from a11y.pdftags import read
from conftest import MIN_TOPIC, SOURCES
from helpers import png

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.model import AUDIENCES
from explainer.pdf.content_stream import pdf_text
from explainer.render.contrast import DEFAULT_PALETTE, contrast_ratio, palette_failures
from explainer.render.html import RenderOptions
from explainer.render.templates_dir import builtin_templates

TOPIC = "walking-knee-pain"


BRAND = """\
brand:
  organisation: Example Health Trust
  logo: assets/logo.png
  logo_alt: Example Health Trust
  colours:
    accent: "#6a1b9a"
    ink: "#111111"
  contact:
    - "Patient advice line: 0300 000 0000"
    - "Write to: Example Health Trust, 1 High Street"
  footer: Example Health Trust patient information
"""


def topic(tmp_path: Path, config: str | None = None) -> Path:
    folder = tmp_path / "topic"
    folder.mkdir(parents=True)
    (folder / "findings.yaml").write_text(MIN_TOPIC.read_text())
    (folder / "assets").mkdir()
    (folder / "assets" / "logo.png").write_bytes(png(60, 20, (0, 77, 64)))
    if config is not None:
        (folder / "explainer.yaml").write_text(config)
    sources = tmp_path / "sources"
    sources.mkdir()
    for src in (SOURCES).glob("walking_*"):
        (sources / src.name).write_text(src.read_text())
    return folder / "findings.yaml"


@pytest.mark.slow
def test_config_beside_the_findings_brands_every_output(tmp_path):
    findings = topic(tmp_path, BRAND)
    out = tmp_path / "out"
    result = build_topic(findings, BuildOptions(out_dir=out))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    # Incremental builds must see the config and the logo as inputs.
    assert findings.parent / "explainer.yaml" in result.inputs
    assert findings.parent / "assets" / "logo.png" in result.inputs
    for audience in AUDIENCES:
        html = (out / TOPIC / f"{audience}.html").read_text()
        assert re.search(r'<img class="logo" src="data:image/png;base64,[A-Za-z0-9+/=]+" '
                         r'alt="Example Health Trust">', html)
        assert "--accent: #6a1b9a;" in html and "--ink: #111111;" in html
        assert "Produced by Example Health Trust." in html
        assert "Patient advice line: 0300 000 0000" in html
        data = (out / TOPIC / f"{audience}.pdf").read_bytes()
        tagged = read(data)
        figures = [e for e in tagged.elems if e.tag == "Figure"]
        assert [str(f.obj.Alt) for f in figures] == ["Example Health Trust"]
        for furniture in tagged.artifact_text:
            assert "Example Health Trust patient information" in furniture
            assert "Version 1 | 10 March 2024" in furniture
        assert "Write to: Example Health Trust, 1 High Street" in pdf_text(data)
        pdf = pikepdf.open(io.BytesIO(data))
        assert len(pdf.pages[0].get_images()) == 1


@pytest.mark.slow
def test_config_option_replaces_the_file_beside_the_findings(tmp_path, run_cli):
    findings = topic(tmp_path, BRAND)
    other = tmp_path / "other.yaml"
    other.write_text("brand:\n  organisation: Other Clinic\n")
    out = tmp_path / "out"
    run = run_cli("build", findings, "--out", out, "--config", other, "--format", "html",
                  "--audience", "patient", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    html = (out / TOPIC / "patient.html").read_text()
    assert "Other Clinic" in html and "Example Health Trust" not in html
    assert "<img" not in html


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


BAD = {
    "unknown key": (BRAND.replace("  footer:", "  fotter:"), "fotter:", "brand.fotter",
                    "unknown key"),
    "no alt": (BRAND.replace("  logo_alt: Example Health Trust\n", ""), "logo:", "brand.logo",
               "logo_alt"),
    "missing logo": (BRAND.replace("assets/logo.png", "assets/nope.png"), "logo:", "brand.logo",
                     "logo file not found"),
    "not a colour": (BRAND.replace('"#6a1b9a"', "purple-ish"), "accent:", "brand.colours.accent",
                     "is not a colour"),
    "low contrast": (BRAND.replace('"#6a1b9a"', '"#8fa9c8"'), "accent:", "brand.colours.accent",
                     "accent #8fa9c8 on background #ffffff (headings, links and evidence labels) "
                     "has contrast 2.42:1; needs at least 4.5:1"),
    "typo section": (BRAND.replace("brand:", "brnad:"), "brnad:", "brnad",
                     "unknown section; did you mean 'brand'?"),
    "yaml syntax": (BRAND.replace("  logo_alt:", " logo_alt:"), None, "", "YAML syntax"),
}


# Each case beside the findings in the fast lane; by --config too in the full suite.
@pytest.mark.parametrize("how", ["beside", pytest.param("--config", marks=pytest.mark.slow)])
@pytest.mark.parametrize("case", list(BAD))
def test_bad_config_is_one_line_with_file_and_line_and_exit_2(tmp_path, run_cli, case, how):
    text, needle, key, message = BAD[case]
    findings = topic(tmp_path, text if how == "beside" else None)
    config = findings.parent / "explainer.yaml"
    args = ["build", str(findings), "--out", str(tmp_path / "out"), "--format", "html"]
    if how == "--config":
        config = findings.parent / "brand.yaml"  # the logo path is relative to the config
        config.write_text(text)
        args += ["--config", str(config)]
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    # One line per problem: a colour that fails on several surfaces fails once for each.
    assert len(lines) == 1 or case == "low contrast", lines
    where = f"{config}:{line_of(text, needle)}:" if needle else f"{config}:"
    assert all(ln.startswith(where) and key in ln for ln in lines), (lines, where)
    assert any(message in ln for ln in lines), lines


def test_every_failing_colour_pair_gets_its_own_line(tmp_path, run_cli):
    text = BRAND.replace('    ink: "#111111"\n', '    background: "#202020"\n')
    findings = topic(tmp_path, text)
    run = run_cli("build", findings, "--out", tmp_path / "out", "--format", "html", cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    config = findings.parent / "explainer.yaml"
    assert len(lines) >= 3
    assert all(re.match(rf"{re.escape(str(config))}:\d+: brand\.colours\.", ln) for ln in lines)
    assert any("ink #1a1a1a on background #202020 (body text) has contrast" in ln for ln in lines)
    assert all("needs at least" in ln for ln in lines)


def test_readability_section_is_left_to_the_targets(tmp_path):
    """The same file's readability: section reaches explainer.readability.targets: a patient limit
    nobody can meet makes the patient output miss its target."""
    options = BuildOptions(out_dir=tmp_path / "out", formats=("html",), audiences=("patient",))
    plain = build_topic(topic(tmp_path / "a", BRAND), options)
    strict = build_topic(topic(tmp_path / "b", BRAND + "readability:\n  audiences:\n"
                               "    patient:\n      limits: {fk: 0.5}\n"), options)
    assert not plain.outputs[0].misses
    assert strict.outputs[0].misses


def test_default_palette_passes_and_matches_the_stylesheet():
    assert palette_failures(DEFAULT_PALETTE) == []
    css = (builtin_templates() / "style.css").read_text()
    root = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", css.split("}", 1)[0]))
    assert root == DEFAULT_PALETTE
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#fff", "#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.slow
def test_templates_folder_overrides_by_name_and_falls_back(tmp_path):
    findings = topic(tmp_path)
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "texture.png").write_bytes(png(4, 4, (255, 250, 240)))
    css = (builtin_templates() / "style.css").read_text()
    (templates / "style.css").write_text(
        css + "\n.masthead { background-image: url(texture.png); }\n/* house style */\n")
    (templates / "press.html").write_text(
        '{% extends "base.html" %}\n{% block kicker %}Newsroom note{% endblock %}\n'
        '{% block heading %}{{ doc.press.headline }}{% endblock %}\n'
        '{% block body %}{% import "parts.html" as parts %}'
        '{{ parts.caveats(view, "Caveats", "h-caveats") }}'
        '<section data-section="facts" aria-labelledby="h-facts"><h2 id="h-facts">Facts</h2>'
        "<ul>{% for f in view.key_findings %}<li>{{ f }}</li>{% endfor %}</ul></section>"
        "{% endblock %}\n")
    out = tmp_path / "out"
    result = build_topic(findings, BuildOptions(out_dir=out,
                                                render=RenderOptions(templates=templates)))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    for audience in AUDIENCES:
        html = (out / TOPIC / f"{audience}.html").read_text()
        assert "/* house style */" in html  # the user's CSS, for every audience
        assert 'background-image: url("data:image/png;base64,' in html  # asset inlined
        assert ("Newsroom note" in html) == (audience == "press")
    assert "What the researchers found" in (out / TOPIC / "patient.html").read_text()  # built-in
