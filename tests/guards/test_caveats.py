"""Caveat rules (which caveats the data makes mandatory) and proof that they were rendered."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, FIXTURES, GUARD_OK

from explainer.document.load import load_document
from explainer.document.model import AUDIENCES, Document
from explainer.guards.caveats import (
    caveat_rule_problems,
    comparable_words,
    load_caveat_rules,
    mandatory_caveats,
    prove_present,
    required_caveats,
)

MISSING = FIXTURES / "guard_missing.yaml"


@pytest.fixture()
def data() -> dict:
    return yaml.safe_load(GUARD_OK.read_text(encoding="utf-8"))


def doc_of(data: dict) -> Document:
    return Document.model_validate(data)


def kinds_for(doc: Document) -> dict[str, set[str]]:
    return {a: {r.kind for r in reqs} for a, reqs in required_caveats(doc).items()}


def audiences_needing(doc: Document, kind: str) -> set[str]:
    return {a for a, kinds in kinds_for(doc).items() if kind in kinds}


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.rstrip() == text)


# --- the rules file --------------------------------------------------------------------

def test_every_rule_cites_a_source_and_a_reason():
    rules = load_caveat_rules().rules
    assert len(rules) >= 6
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.source.strip() and rule.reason.strip(), rule.id


# --- which rules fire --------------------------------------------------------------------

def test_ok_fixture_has_no_caveat_rule_problems():
    assert caveat_rule_problems(load_document(GUARD_OK)) == []


@pytest.mark.parametrize("status", ["preprint", "disputed"])
def test_unreviewed_study_makes_not_peer_reviewed_mandatory_for_every_audience(data, status):
    for study in data["studies"]:
        study["status"] = "peer_reviewed"
    assert audiences_needing(doc_of(data), "not-peer-reviewed") == set()
    data["studies"][0]["status"] = status
    assert audiences_needing(doc_of(data), "not-peer-reviewed") == set(AUDIENCES)


def test_depression_makes_help_line_mandatory_for_patient_and_press_only(data):
    assert audiences_needing(doc_of(data), "help-line") == {"patient", "press"}


def test_no_help_line_when_the_topic_is_not_mental_health(data):
    data["title"] = "Examinol and the opioid system"
    data["subject"]["conditions"] = ["knee pain"]
    for study in data["studies"]:
        study["participants"]["condition"] = "knee pain"
    assert audiences_needing(doc_of(data), "help-line") == set()


@pytest.mark.parametrize("condition",
                         ["suicidal ideation", "self-harm", "treatment-resistant depression"])
def test_help_line_synonyms(data, condition):
    data["title"] = "Examinol and the opioid system"
    data["subject"]["conditions"] = [condition]
    for study in data["studies"]:
        study["participants"]["condition"] = "adults"
    assert audiences_needing(doc_of(data), "help-line") == {"patient", "press"}


def test_misuse_potential_makes_misuse_harm_mandatory_for_all(data):
    assert audiences_needing(doc_of(data), "misuse-harm") == set(AUDIENCES)
    data["subject"]["drugs"][0]["misuse_potential"] = False
    assert audiences_needing(doc_of(data), "misuse-harm") == set()


def test_off_label_for_a_topic_condition_is_for_patient_and_clinician(data):
    # "depression" (drug) matches "major depressive disorder" (topic) through condition_terms.
    assert audiences_needing(doc_of(data), "off-label") == {"patient", "clinician"}
    data["subject"]["drugs"][0]["off_label_for"] = ["chronic pain"]
    assert audiences_needing(doc_of(data), "off-label") == set()


def test_not_medical_advice_always_for_patient_and_press(data):
    data["subject"] = {}
    assert audiences_needing(doc_of(data), "not-medical-advice") == {"patient", "press"}


def test_not_an_opioid_needs_a_non_opioid_drug_and_an_opioid_mention(data):
    assert audiences_needing(doc_of(data), "not-an-opioid") == set(AUDIENCES)
    opioid = copy.deepcopy(data)
    opioid["subject"]["drugs"][0]["opioid"] = True
    assert audiences_needing(doc_of(opioid), "not-an-opioid") == set()
    quiet = copy.deepcopy(data)
    quiet["title"] = "Examinol and depression"
    for key in ("patient", "clinician", "press"):
        quiet["background"][key] = "Examinol is an anaesthetic."
    for finding in quiet["findings"]:
        finding["clinician"] = finding["plain"] = "Scores changed."
    assert audiences_needing(doc_of(quiet), "not-an-opioid") == set()


def test_requirement_names_rule_kind_and_matching_caveat(data):
    reqs = {r.kind: r for r in required_caveats(doc_of(data))["clinician"]}
    req = reqs["not-peer-reviewed"]
    assert req.rule == "preprint-not-peer-reviewed"
    assert req.caveat is not None and req.caveat.id == "preprint"
    assert "scan-b" in req.because and "ICMJE" in req.source


# --- problems with file:line ---------------------------------------------------------

def test_missing_caveats_are_reported_with_file_line_rule_and_source():
    problems = caveat_rule_problems(load_document(MISSING))
    by_start = {p.message.split(" because")[0]: p for p in problems}
    assert len(problems) == 4, [str(p) for p in problems]

    missing = by_start["needs a caveat with kind: not-peer-reviewed for patient, clinician, press"]
    assert missing.line == line_of(MISSING, "caveats:")
    assert str(missing).startswith(f"{MISSING}:{missing.line}: caveats:")
    assert "preprint-not-peer-reviewed" in missing.message and "ICMJE" in missing.message

    press = by_start["caveat 'help' (kind help-line) must be mandatory_for press"]
    assert press.line == line_of(MISSING, "    mandatory_for: [patient]")
    assert "mental-health-help-line" in press.message and "Samaritans" in press.message

    entries = by_start["needs at least one entry under help:"]
    assert entries.line == line_of(MISSING, "  - id: help")

    no_kind = by_start["needs a caveat with kind: not-an-opioid for patient, clinician, press"]
    assert no_kind.line == line_of(MISSING, "  - id: not-an-opioid")
    assert "set kind: not-an-opioid" in no_kind.message
    assert all(p.level == "error" for p in problems)


def test_required_caveat_missing_from_the_file_is_none():
    doc = load_document(MISSING).doc
    reqs = {r.kind: r for r in required_caveats(doc)["patient"]}
    assert reqs["not-peer-reviewed"].caveat is None
    assert reqs["help-line"].caveat is not None


# --- mandatory = rule-required + mandatory_for -------------------------------------------

def test_mandatory_caveats_is_the_union_of_rules_and_mandatory_for(data):
    for caveat in data["caveats"]:
        if caveat["id"] == "help":
            caveat["mandatory_for"] = []  # still required by the help-line rule
    data["caveats"].append({"id": "small", "kind": "small-sample", "mandatory_for": ["clinician"],
                            "text": {"clinician": "Small samples."}, "guidance": "CONSORT"})
    doc = doc_of(data)
    patient = [c.id for c in mandatory_caveats(doc, "patient")]
    clinician = [c.id for c in mandatory_caveats(doc, "clinician")]
    assert "help" in patient and "small" not in patient
    assert "small" in clinician and "help" not in clinician
    assert patient == [c.id for c in doc.caveats if c.id in patient]  # file order


# --- proof of presence -----------------------------------------------------------------

def _patient_text(doc: Document) -> str:
    return "\n\n".join(c.text.for_("patient") or "" for c in mandatory_caveats(doc, "patient"))


def test_prove_present_passes_when_every_caveat_is_visible(data):
    doc = doc_of(data)
    text = "Header\n" + _patient_text(doc) + "\nFooter"
    assert prove_present(doc, "patient", text, output="out/x/patient.html") == []


def test_prove_present_survives_layout_quotes_dashes_case_and_pdf_hyphenation(data):
    doc = doc_of(data)
    text = _patient_text(doc)
    text = text.replace("“", '"').replace("”", '"').replace("'", "\u2019")  # quote marks
    text = text.replace(" — ", " - ")  # em dash typed as a hyphen
    text = text.replace("Examinol is not an opioid", "EXAMINOL is not an opi-\noid")
    text = text.replace("checked by other", "checked\nby   other")  # line break, spaces
    text = text.replace("bladder", "blad\u00adder")  # soft hyphen
    text = text.replace("talk to your doctor", "talk to your doc\u00ad\ntor")
    assert prove_present(doc, "patient", text, output="out/x/patient.pdf") == []


def test_prove_present_fails_when_a_caveat_is_removed(data):
    doc = doc_of(data)
    wording = next(c for c in doc.caveats if c.id == "misuse").text.for_("patient")
    text = _patient_text(doc).replace(wording, "")
    problems = prove_present(doc, "patient", text, output="out/x/patient.pdf")
    assert len(problems) == 1
    p = problems[0]
    assert p.file == "out/x/patient.pdf" and p.level == "error"
    assert "misuse" in p.key and "'misuse'" in p.message and "patient" in p.message


def test_prove_present_fails_when_a_caveat_is_changed(data):
    doc = doc_of(data)
    text = _patient_text(doc).replace("opioid, even though", "opioid, because")
    problems = prove_present(doc, "patient", text, output="patient.html")
    assert [p.key for p in problems] == ["caveat:not-an-opioid"]
    # The message says where the wording stops matching.
    assert ("the first 5 of 16 words are there, then it differs at “even though"
            in problems[0].message)


def test_prove_present_fails_when_a_caveat_is_cut_short(data):
    doc = doc_of(data)
    text = _patient_text(doc).replace("at any time.", "")
    assert [p.key for p in prove_present(doc, "patient", text, "p.html")] == ["caveat:help"]


def test_prove_present_is_per_audience(data):
    doc = doc_of(data)
    caveats = mandatory_caveats(doc, "clinician")
    clinician = "\n".join(c.text.for_("clinician") or "" for c in caveats)
    assert prove_present(doc, "clinician", clinician, "c.html") == []
    # The patient wording is not proof for the clinician.
    assert prove_present(doc, "clinician", _patient_text(doc), "c.html")


def test_prove_present_reports_a_rule_with_no_caveat():
    doc = load_document(MISSING).doc
    text = _patient_text(doc)
    problems = prove_present(doc, "patient", text, "p.html")
    assert any(p.key == "caveat-rule:preprint-not-peer-reviewed" for p in problems)


def test_prove_present_reports_missing_wording(data):
    for caveat in data["caveats"]:
        if caveat["id"] == "off-label":
            caveat["mandatory_for"] = ["patient"]
            del caveat["text"]["clinician"]  # the off-label rule still wants the clinician
    doc = doc_of(data)
    problems = prove_present(doc, "clinician", "anything", "c.html")
    assert any(p.key == "caveat:off-label" and "no clinician wording" in p.message
               for p in problems)


def test_comparable_words_join_pdf_line_break_hyphenation():
    assert comparable_words("self-\nharm") == comparable_words("self-harm") == ["selfharm"]
    assert comparable_words("opi\u00ad\nates") == ["opiates"]
    assert comparable_words("It’s “not” — NOT") == ["it", "s", "not", "not"]
    assert comparable_words("two\nwords") == ["two", "words"]


# --- the bundled example ---------------------------------------------------------------

def test_bundled_example_has_no_caveat_rule_problems():
    loaded = load_document(BUNDLED)  # a bundled example that does not load is a failure
    assert [str(p) for p in caveat_rule_problems(loaded)] == []


def test_a_kind_one_typo_from_a_rule_kind_is_warned():
    text = GUARD_OK.read_text()
    doc_data = yaml.safe_load(text)
    kinds = [c.get("kind") for c in doc_data["caveats"]]
    assert "not-medical-advice" in kinds
    loaded = load_document(GUARD_OK)
    assert not [p for p in caveat_rule_problems(loaded) if "did you mean" in p.message]
    bad = loaded.doc.model_copy(deep=True)
    i = kinds.index("not-medical-advice")
    bad.caveats[i].kind = "not-medical-advise"
    loaded.doc = bad
    warned = [p for p in caveat_rule_problems(loaded) if "did you mean" in p.message]
    assert len(warned) == 1 and warned[0].level == "warning"
    assert "'not-medical-advice'" in warned[0].message
    assert warned[0].key == f"caveats[{i}].kind"


def test_every_field_of_the_condition_language_is_tested():
    # A When field without a test would be skipped, so a rule using it would fire everywhere.
    from explainer.guards.caveats import _TESTS, When

    assert set(_TESTS) == set(When.model_fields)
