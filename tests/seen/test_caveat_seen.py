"""The caveat proof judges what a person sees: false failures of the printed-page proof with
the built-in templates (a page break, soft hyphens, zero-width spaces) are gone."""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES, MIN_TOPIC

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.load import load_document
from explainer.guards.caveats import prove_present
from explainer.pdf.content_stream import pdf_text

pytestmark = pytest.mark.slow  # lays out and writes PDFs

SENTENCE = "Walking may not suit every knee, so ask your nurse what is right for you. "


def topic_with_caveat(tmp_path, patient_text: str):
    data = yaml.safe_load(MIN_TOPIC.read_text())
    data["sources_dir"] = str(FIXTURES / "sources")
    data["caveats"][0]["text"]["patient"] = patient_text
    path = tmp_path / "topic.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def build_patient(tmp_path, findings):
    out = tmp_path / "out"
    result = build_topic(findings, BuildOptions(out_dir=out, audiences=("patient",),
                                                report=False))
    return result, out / result.topic


def test_a_caveat_across_a_page_break_passes_without_the_footer_inside_it(tmp_path):
    findings = topic_with_caveat(tmp_path, SENTENCE * 70)  # longer than a page
    result, topic = build_patient(tmp_path, findings)
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    data = (topic / "patient.pdf").read_bytes()
    doc = load_document(findings).doc
    # The whole text layer has the running footer in the middle of the caveat ...
    with_furniture = prove_present(doc, "patient", pdf_text(data), "patient.pdf")
    assert [p.key for p in with_furniture] == ["caveat:small-trial"]
    # ... the text without page furniture (what the proof reads) has the caveat whole.
    assert prove_present(doc, "patient", pdf_text(data, furniture=False), "patient.pdf") == []
    assert "Page 1 of" in pdf_text(data) and "Page 1 of" not in pdf_text(data, furniture=False)


def test_a_soft_hyphen_before_a_space_keeps_the_space(tmp_path):
    text = "Walking is not\u00ad a cure, and it may not\u00ad help everyone. " * 12
    result, topic = build_patient(tmp_path, topic_with_caveat(tmp_path, text))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    assert (topic / "patient.pdf").is_file()


def test_a_zero_width_space_inside_a_word_does_not_cut_the_printed_word(tmp_path):
    text = ("Osteo\u200barthritis of the knee differs from person to per\u200bson, and "
            "walk\u200bing helps some knees more than others. ") * 12
    result, topic = build_patient(tmp_path, topic_with_caveat(tmp_path, text))
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    words = " ".join(pdf_text((topic / "patient.pdf").read_bytes(), furniture=False).split())
    assert "Osteoarthritis of the knee differs from person to person" in words


def test_a_drop_cap_is_the_start_of_its_word_on_the_laid_out_page():
    """A ::first-letter box (a floated drop cap) sits on a line of its own in the box tree;
    a reader still sees one word."""
    from explainer.pdf.render import render_pdf_seen
    from explainer.render.templates_dir import builtin_templates

    html = ('<html lang="en"><head><title>t</title><style>li::first-letter { float: left; '
            'font-size: 3em }</style></head><body><ul><li>This was a small study of 40 people.'
            "</li></ul></body></html>")
    seen = []
    render_pdf_seen(html, [builtin_templates()], None, check=lambda s: seen.append(s) or [])
    assert "This was a small study of 40 people." in " ".join(seen[0].text.split())
