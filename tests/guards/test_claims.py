"""Claim guard: every rule tests itself on its own examples, plus hand-written cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, FIXTURES, GUARD_OK

from explainer.document.load import load_document
from explainer.document.model import Document
from explainer.guards.claims import (
    claim_problems,
    correlational_terms,
    guard_example,
    guard_text,
    load_claim_rules,
    prose_fields,
)

CLAIMS = FIXTURES / "guard_claims.yaml"

RULES = load_claim_rules().rules
BAD = [(r.id, s) for r in RULES for s in r.examples.bad]
GOOD = [(r.id, s) for r in RULES for s in r.examples.good]
AUDIENCE_OF = {r.id: (r.audiences[0] if r.audiences else None) for r in RULES}


def fired(text: str, doc: Document | None = None, correlational=True,
          audience=None) -> set[str]:
    if doc is None:  # the rules' own examples are about claims.yaml's examples_subject
        return {h.rule for h in guard_example(text, audience, correlational)}
    return {h.rule for h in guard_text(text, doc, correlational, audience=audience)}


@pytest.fixture(scope="module")
def doc() -> Document:
    return load_document(GUARD_OK).doc


# --- the rules file is self-testing data ---------------------------------------------------

def test_rules_file_shape():
    assert len({r.id for r in RULES}) == len(RULES)
    assert {r.type for r in RULES} == {"existence", "pattern", "causal_on_correlational"}
    assert {r.category for r in RULES} == {"hype", "causal", "advice", "classification",
                                           "combination", "statistics"}
    for rule in RULES:
        assert rule.source.strip() and rule.fix.strip(), rule.id
        assert "\n" not in rule.reason.strip() and len(rule.reason) <= 120, rule.id


@pytest.mark.parametrize(("rule", "sentence"), BAD)
def test_rule_fires_on_its_bad_example(rule, sentence):
    assert rule in fired(sentence, audience=AUDIENCE_OF[rule])


@pytest.mark.parametrize(("rule", "sentence"), GOOD)
def test_rule_is_quiet_on_its_good_example(rule, sentence):
    assert rule not in fired(sentence, audience=AUDIENCE_OF[rule])


# --- negation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("bad", "good", "rule"), [
    ("Ketamine is a cure.", "Ketamine is not a cure.", "hype-cure"),
    ("This proves that ketamine works.", "This does not prove that ketamine works.", "hype-proof"),
    ("It is a miracle.", "It is no miracle.", "hype-miracle"),
    ("Ketamine is an opioid.", "Ketamine is not classified as an opioid.", "opioid-misclassified"),
    ("Ketamine is an opioid.", "Ketamine isn’t an opioid.", "opioid-misclassified"),
    ("Ketamine is an opioid.", "No one says ketamine is an opioid.", "opioid-misclassified"),
    ("Mix ketamine with opioids.", "Never mix ketamine with opioids.", "combine-with-opioids"),
    ("Stop taking your antidepressant.", "Don't stop taking your antidepressant.",
     "advice-change-medicine"),
    ("Blood flow caused the response.", "Blood flow did not cause the response.",
     "causal-on-correlational"),
])
def test_negation_quiets_the_rule(bad, good, rule):
    assert rule in fired(bad)
    assert rule not in fired(good)


def test_negation_stops_at_the_clause():
    hits = fired("Ketamine is not an opioid, but it is a miracle drug.")
    assert "hype-miracle" in hits and "opioid-misclassified" not in hits


def test_intensifiers_are_not_negation():
    assert "hype-cure" in fired("Ketamine is not only a cure but a gift.")
    assert "hype-breakthrough" in fired("It is no doubt a breakthrough.")


def test_opioid_system_is_not_a_classification():
    assert fired("Ketamine acts on the opioid system.") == set()
    assert fired("Naltrexone, an opioid receptor antagonist, was given first.") == set()


# --- causal wording only on correlational findings -------------------------------------------

def test_causal_rule_runs_only_on_correlational_sentences():
    sentence = "Naltrexone caused a smaller response."
    assert "causal-on-correlational" not in fired(sentence, correlational=False)
    assert "causal-on-correlational" in fired(sentence, correlational=True)


def test_causal_rule_on_sentences_with_correlational_terms():
    text = "Blood flow (r = 0.61) predicted response. Naltrexone predicted a smaller effect."
    hits = [h for h in guard_text(text, None, ["0.61"]) if h.rule == "causal-on-correlational"]
    assert [h.sentence for h in hits] == ["Blood flow (r = 0.61) predicted response."]


@pytest.mark.parametrize(("sentence", "rule"), [
    ("Blood flow might cause the response.", None),
    ("Blood flow is linked to the response.", None),
    ("Blood flow was associated with the response.", None),
    ("Blood flow can cause the response.", "can-cause-on-correlational"),
    ("Blood flow causes the response.", "causal-on-correlational"),
])
def test_adams_causal_strength_tiers(sentence, rule):
    causal = fired(sentence) & {"causal-on-correlational", "can-cause-on-correlational"}
    assert causal == ({rule} if rule else set())


def test_correlational_terms_come_from_correlational_findings(doc):
    # r = 0.61 belongs to the correlational finding; 40% to a causal one; 20 and 24 are n.
    assert correlational_terms(doc) == ["0.61"]


def test_rendered_text_checks_sentences_of_a_correlational_finding(doc):
    data = doc.model_dump()
    data["findings"][1]["plain"] = "More blood flow before the drug drove how people felt."
    changed = Document.model_validate(data)
    text = ("A drug that blocks the opioid system made examinol work less well. "
            "More blood flow before the drug drove how people felt.")
    hits = [h for h in guard_text(text, changed) if h.rule == "causal-on-correlational"]
    assert [h.sentence for h in hits] == ["More blood flow before the drug drove how people felt."]


# --- drug names come from the document --------------------------------------------------------

def test_drug_names_come_from_the_document(doc):
    assert "opioid-misclassified" in fired("Examinol is an opioid.", doc)
    assert "opioid-misclassified" not in fired("Examinol is an opioid.")  # unknown without doc
    assert "opioid-misclassified" not in fired("Ketamine is an opioid.", doc)
    assert "advice-ask-for-drug" in fired("You should ask your GP for examinol.", doc)
    assert "combine-with-opioids" in fired("Try combining examinol with opioids.", doc)


def test_a_sentence_met_before_is_judged_again_for_each_document(doc):
    # The guard keeps each rule's matches per sentence: a document with other drugs must
    # still get its own verdict, in whatever order the documents come.
    data = doc.model_dump()
    data["subject"]["drugs"][0]["misuse_potential"] = False
    harmless = Document.model_validate(data)
    sentence = "Combine examinol with opioids."
    for _ in range(2):  # the second round meets every verdict already worked out
        assert "combine-with-opioids" in fired(sentence, doc)
        assert "combine-with-opioids" not in fired(sentence, harmless)
        assert "opioid-misclassified" not in fired("Examinol is an opioid.")
        assert "opioid-misclassified" in fired("Examinol is an opioid.", doc)


def test_opioid_drugs_may_be_called_opioids(doc):
    data = doc.model_dump()
    data["subject"]["drugs"].append({"name": "morphine", "opioid": True, "misuse_potential": True})
    with_morphine = Document.model_validate(data)
    assert fired("Morphine is an opioid.", with_morphine) == set()
    assert "combine-with-opioids" not in fired("Combine morphine with opioids.", with_morphine)


def test_combination_rule_needs_misuse_potential(doc):
    data = doc.model_dump()
    data["subject"]["drugs"][0]["misuse_potential"] = False
    harmless = Document.model_validate(data)
    assert "combine-with-opioids" not in fired("Combine examinol with opioids.", harmless)


def test_advice_rules_are_general_over_drugs_and_medicines(doc):
    assert "advice-change-medicine" in fired("Switch to examinol now.", doc)
    assert "advice-change-medicine" in fired("You can come off your tablets.", doc)
    assert "advice-ask-for-drug" in fired("Ask your psychiatrist to prescribe examinol.", doc)
    assert fired("Talk to your doctor about examinol.", doc) == set()


# --- quoted speech ---------------------------------------------------------------------------

def test_quoted_speech_reports_hype_as_warning_only(doc):
    data = doc.model_dump()
    data["quotes"][0]["text"] = "This is a breakthrough, and examinol is an opioid of sorts."
    quoted = Document.model_validate(data)
    text = ("Dr Able said: “This is a breakthrough, and examinol is an opioid of sorts.” "
            "Examinol is a breakthrough.")
    hits = guard_text(text, quoted)
    assert {(h.rule, h.level, h.quoted) for h in hits} == {
        ("hype-breakthrough", "warning", True), ("hype-breakthrough", "error", False)}


# --- hits carry what an editor needs --------------------------------------------------------

def test_hit_fields():
    (hit,) = guard_text("The study was fine. Ketamine is a wonder drug. It was small.")
    assert hit.rule == "hype-miracle" and hit.level == "error"
    assert hit.sentence == "Ketamine is a wonder drug."
    assert hit.matched == "wonder drug"
    assert hit.reason and hit.fix and "Prasad" in hit.source


# --- the findings file ------------------------------------------------------------------------

def test_ok_fixture_has_no_claim_problems():
    assert [str(p) for p in claim_problems(load_document(GUARD_OK))] == []


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


def test_claim_problems_report_file_line_key_and_rule():
    problems = claim_problems(load_document(CLAIMS))
    got = {(p.line, p.key, p.message.split(":")[0], p.level) for p in problems}
    expected = {
        (line_of(CLAIMS, "patient: Examinol is an anaesthetic. It is a cure"),
         "background.patient", "hype-cure", "error"),
        (line_of(CLAIMS, "- patient: People with depression should ask"),
         "means[0].patient", "advice-ask-for-drug", "error"),
        (line_of(CLAIMS, "press: Doctors could combine"), "means[0].press",
         "combine-with-opioids", "error"),
        (line_of(CLAIMS, "headline: Examinol is an opioid"), "press.headline",
         "opioid-misclassified", "error"),
        (line_of(CLAIMS, "lede: The link (r = 0.61)"), "press.lede",
         "causal-on-correlational", "error"),
        (line_of(CLAIMS, "plain: More blood flow before the drug predicted"), "findings[1].plain",
         "causal-on-correlational", "error"),
        (line_of(CLAIMS, "text: \"This is a breakthrough"), "quotes[0].text",
         "hype-breakthrough", "warning"),
    }
    assert got == expected
    assert all(str(p).startswith(f"{CLAIMS}:{p.line}:") for p in problems)


def test_prose_fields_cover_every_audience_and_skip_evidence(doc):
    keys = {".".join(map(str, loc)) for loc, _, _ in prose_fields(doc)}
    assert {"background.patient", "background.clinician", "background.press", "press.headline",
            "findings.1.plain", "caveats.0.text.press"} <= keys
    assert not any("evidence" in k or k.startswith("quotes") for k in keys)
    assert {loc for loc, _, corr in prose_fields(doc) if corr} == {
        ("findings", 1, "clinician"), ("findings", 1, "plain")}


def test_figures_are_filled_before_guarding(tmp_path):
    data = yaml.safe_load(GUARD_OK.read_text(encoding="utf-8"))
    data["findings"][0]["figures"]["drop"] = {"value": 100, "unit": "%"}
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    problems = claim_problems(load_document(path))
    assert [(p.key, p.message.split(":")[0]) for p in problems] == [
        ("findings[0].clinician", "hype-certainty")]


# --- the bundled example ---------------------------------------------------------------------

def test_bundled_example_has_no_claim_problems():
    loaded = load_document(BUNDLED)  # a bundled example that does not load is a failure
    assert [str(p) for p in claim_problems(loaded)] == []
