"""Reader-first outputs: key messages, length budgets, editor material, communication check."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import BUNDLED

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.model import Figure
from explainer.readability.targets import load_targets, parse_target_option
from explainer.render.figures_text import count_in_group, figure_text


@pytest.fixture(scope="module")
def patient_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = build_topic(BUNDLED, BuildOptions(audiences=("patient",), out_dir=out))
    return result, out


def test_natural_frequencies_from_structured_counts():
    assert count_in_group(7, 12) == "7 out of 12"
    assert figure_text(Figure(value=7, of=12), "patient") == "7 out of 12"
    assert figure_text(Figure(value=80.3, unit="%"), "patient") == "about 80 in 100"
    # A bare percentage stays as stored for clinicians and the press.
    assert figure_text(Figure(value=80.3, unit="%"), "clinician") == "80.3%"


def test_budget_option_and_miss():
    assert parse_target_option("pages=3,words=off") == {"pages": 3.0, "words": None}
    target = load_targets(overrides={"patient": {"pages": 1, "words": 100}})["patient"]
    misses = target.check_budget(2, 150, "A4")
    assert [m.metric for m in misses] == ["pages", "words"]
    assert target.page_budget("A5") == 2  # an A5 page holds about half an A4 side


@pytest.mark.slow
def test_output_over_budget_fails_with_strict(tmp_path):
    options = BuildOptions(audiences=("patient",), out_dir=tmp_path, strict=True,
                           target_overrides={"pages": 1})
    result = build_topic(BUNDLED, options)
    out = result.outputs[0]
    assert not out.ok and not out.written
    assert any(p.key == "budget" for p in out.problems)
    assert not (tmp_path / "ketamine-opioid" / "patient.pdf").exists()


@pytest.mark.slow
def test_no_editor_material_in_public_output(patient_build):
    from explainer.build.editor import find_leaks
    from explainer.document.load import load_document
    from explainer.seen.html import visible_text

    result, out = patient_build
    doc = load_document(BUNDLED).doc
    text = visible_text((out / "ketamine-opioid" / "patient.html").read_text())
    assert find_leaks(doc, text) == []
    assert not any(p.key == "editor-material" for p in result.outputs[0].problems)
    # The check does find them: a raw file name and a source note planted in the text.
    planted = text + f"\n{doc.sources[1].file} {doc.sources[0].notes[0]}"
    assert len(find_leaks(doc, planted)) >= 2
    sheet = (out / "ketamine-opioid" / "editor.html").read_text()
    assert doc.sources[1].file in sheet


@pytest.mark.slow
def test_key_messages_and_help_on_page_one(patient_build):
    result, _ = patient_build
    out = result.outputs[0]
    assert out.communication, "the communication check ran"
    from explainer.document.load import load_document

    doc = load_document(BUNDLED).doc
    first = " ".join(doc.key_messages.patient.messages[0].text.split()[:5])
    assert out.main_pages is not None
    assert doc.help[0].name in result_page_one(out)
    assert first in result_page_one(out)


def result_page_one(out) -> str:
    from explainer.guards.pages import count_pages

    data = next(p for p in out.paths if p.suffix == ".pdf").read_bytes()
    return " ".join(count_pages(data).page_texts[0].split())


@pytest.mark.slow
def test_every_automatable_item_met_on_patient_leaflet(patient_build):
    result, _ = patient_build
    items = result.outputs[0].communication
    not_met = [(r.instrument, r.item, r.detail) for r in items if r.status == "not met"]
    assert not not_met
    assert any(r.status == "human" for r in items)  # and the human items are listed


def test_key_message_may_not_rest_on_weak_source_only():
    from explainer.document.load import load_document
    from explainer.render.keymessages import key_message_problems

    loaded = load_document(BUNDLED)
    km = loaded.doc.key_messages.patient
    bad = km.messages[0].model_copy(update={"rests_on": ["ajp-placebo-response"]})
    patient = km.model_copy(update={"messages": [bad, *km.messages[1:]]})
    doc = loaded.doc.model_copy(update={"key_messages": loaded.doc.key_messages.model_copy(
        update={"patient": patient})})
    problems = key_message_problems(dataclasses.replace(loaded, doc=doc))
    assert any("weak sources" in p.message for p in problems)


def _page(body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
            f'<article><h1>T</h1>{body}</article></main></body></html>')


GOOD = ('<section data-section="key-messages" class="key-messages"><h2>The main points</h2>'
        '<ul><li>Most people get better.</li><li class="action">Ask your doctor.</li></ul>'
        '</section><section data-section="why"><h2>Why</h2><p>Because.</p></section>'
        '<section data-section="unknowns"><h2>Unknown</h2><ul><li>Many things.</li></ul>'
        '</section>')


@pytest.mark.parametrize("check, body", [
    ("main_message_present", "<p>No key messages here.</p>"),
    ("main_message_first", '<section data-section="why"><h2>W</h2><p>First.</p></section>'
                           + GOOD),
    ("visual_present", GOOD),
    ("call_to_action", GOOD.replace(' class="action"', "")),
    ("addresses_reader", GOOD.replace("Ask your doctor.", "Patients should ask.")),
    ("active_voice_key", GOOD.replace("Most people get better.", "Most people were helped.")),
    ("numbers_readers_use", GOOD + "<p>The link was r = 0.6.</p>"),
    ("whole_numbers", GOOD + "<p>It fell by 2.5 points.</p>"),
    ("natural_frequencies", GOOD + "<p>About 80% got better.</p>"),
    ("no_calculation", GOOD + "<p>It was 3 times as likely.</p>"),
    ("informative_headers", GOOD + "<h2>Smith et al. 2020</h2><p>A study.</p>"),
    ("tangible_tool", GOOD),
])
def test_each_communication_check_can_fail(check, body):
    import tinyhtml5

    from explainer.document.load import load_document
    from explainer.guards.commcheck import CHECKS, Output
    from explainer.seen.html import extract

    html = _page(body)
    sections: dict[str, list[str]] = {}
    for b in extract(html).blocks:
        if b.kind == "body":
            sections.setdefault(b.section, []).append(b.text)
    output = Output(load_document(BUNDLED).doc, "patient",
                    tinyhtml5.parse(html, namespace_html_elements=False),
                    [(k, "\n".join(v)) for k, v in sections.items()], (), frozenset({"ask"}))
    assert CHECKS[check](output)[0] == "not met"
    if check not in ("main_message_present", "main_message_first", "visual_present",
                     "tangible_tool", "call_to_action", "addresses_reader"):
        good = _page(GOOD)
        output.root = tinyhtml5.parse(good, namespace_html_elements=False)
        output.sections = [("key-messages", "Most people get better.\nAsk your doctor.")]
        assert CHECKS[check](output)[0] == "met"


def test_every_communication_item_cites_its_instrument():
    from explainer.guards.commcheck import load_items

    rules = load_items()
    assert {it.instrument for it in rules.items} == {"cdc-cci", "pemat-p"}
    cdc = {it.item for it in rules.items if it.instrument == "cdc-cci"}
    assert cdc == set(range(1, 21))  # all 20 scored items of the full score sheet


def test_time_sensitive_claim_on_undated_source_is_flagged():
    from explainer.document.load import load_document
    from explainer.sources.timeliness import timeliness_problems

    loaded = load_document(BUNDLED)
    assert timeliness_problems(loaded) == []  # the approval claim has a record check
    doc = loaded.doc.model_copy(update={"record_checks": []})
    problems = timeliness_problems(dataclasses.replace(loaded, doc=doc))
    assert any("time-sensitive" in p.message and "no date" in p.message for p in problems)


@pytest.mark.slow
def test_patient_visual_is_a_tagged_figure_with_alt_text(patient_build):
    import pikepdf

    from explainer.document.load import load_document
    from explainer.render.visual import patient_visual

    _, out = patient_build
    visual = patient_visual(load_document(BUNDLED).doc)
    assert visual is not None and visual.alt
    html = (out / "ketamine-opioid" / "patient.html").read_text()
    assert 'alt="' in html and visual.src in html
    alts: list[str] = []

    def walk(e) -> None:
        if isinstance(e, pikepdf.Dictionary):
            if e.get("/S") == "/Figure":
                alts.append(str(e.get("/Alt")))
            if e.get("/K") is not None:
                walk(e.get("/K"))
        elif isinstance(e, pikepdf.Array):
            for x in e:
                walk(x)

    with pikepdf.open(out / "ketamine-opioid" / "patient.pdf") as pdf:
        walk(pdf.Root.StructTreeRoot)
    assert visual.alt in alts


def test_record_only_trial_is_listed_in_clinician_references():
    """A trial met only through a record check (cited in the answer) gets a References entry,
    once, and only in the clinician brief; trials with their own study entry are not repeated."""
    from explainer.document.load import load_document
    from explainer.render.view import build_view, record_studies

    doc = load_document(BUNDLED).doc
    studies = {s.doi for s in doc.studies}
    refs = record_studies(doc)
    assert [r["doi"] for r in refs] == ["10.1093/ijnp/pyaf056"]
    assert refs[0]["reference"].startswith("Yoon et al. 2025. ")
    assert not studies & {r["doi"] for r in refs}
    assert build_view(doc, "clinician").record_studies == refs
    assert build_view(doc, "patient").record_studies == []
    yoon = [r for r in doc.record_checks if r.published.doi == "10.1093/ijnp/pyaf056"]
    twice = doc.model_copy(update={"record_checks": [*doc.record_checks, *yoon]})
    assert record_studies(twice) == refs
    others = [r for r in doc.record_checks if r not in yoon]
    assert record_studies(doc.model_copy(update={"record_checks": others})) == []


def test_record_check_summary_row_joins_the_findings_table_before_harms():
    """A trial known only from the published record shows in the clinician SoF table when its
    record check gives a summary row; benefits stay above harms; without the row it is absent."""
    from explainer.document.load import load_document
    from explainer.render.view import build_view

    doc = load_document(BUNDLED).doc
    rows = build_view(doc, "clinician").findings_table
    yoon = [r for r in rows if r["study"] == "Yoon et al. 2025"]
    declared = next(r.summary_row for r in doc.record_checks if r.summary_row is not None)
    assert len(yoon) == 1 and yoon[0]["n"] == "65"
    assert yoon[0]["reason"] == declared.certainty  # the row's GRADE words, as the record says
    harms = [i for i, r in enumerate(rows) if r["safety"]]
    assert harms and rows.index(yoon[0]) < min(harms)
    bare = doc.model_copy(update={"record_checks": [
        r.model_copy(update={"summary_row": None}) for r in doc.record_checks]})
    assert not [r for r in build_view(bare, "clinician").findings_table
                if r["study"] == "Yoon et al. 2025"]
