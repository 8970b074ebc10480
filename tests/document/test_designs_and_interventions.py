"""Every design and intervention kind the model knows: caveat rules that fit each design,
interventions of any kind with a regimen, and the older drug-only forms still valid."""

from __future__ import annotations

from typing import get_args

import pytest
import yaml
from conftest import MIN_TOPIC
from pydantic import ValidationError

from explainer.document.model import Document, Dose, Figure, InterventionKind, StudyDesign
from explainer.guards.caveats import required_caveats
from explainer.guards.claims import guard_text
from explainer.render.phrasebook import regimen_lines

OBSERVATIONAL = {"cohort", "case_control", "cross_sectional", "case_series", "screening"}
TESTS = {"diagnostic_accuracy", "screening", "randomized_screening"}


def doc_with(**study) -> Document:
    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["studies"][0].update(study)
    return Document.model_validate(data)


def kinds(doc: Document, audience: str = "patient") -> set[str]:
    return {r.kind for r in required_caveats(doc)[audience]}


@pytest.mark.parametrize("design", get_args(StudyDesign))
def test_each_design_gets_the_caveats_that_fit_it(design):
    got = kinds(doc_with(design=design))
    assert ("correlational" in got) == (design in OBSERVATIONAL), design
    assert ("false-results" in got) == (design in TESTS), design
    assert "interim-results" not in got and "not-in-people" not in got


def test_interim_analyses_and_animal_studies_are_flagged():
    assert "interim-results" in kinds(doc_with(interim=True))
    assert "not-in-people" in kinds(doc_with(design="animal", subjects="animals"))


def test_correlational_findings_in_a_trial_ask_for_the_caveat_for_clinicians_and_press():
    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["findings"][0]["kind"] = "correlational"
    doc = Document.model_validate(data)
    assert "correlational" in kinds(doc, "press") and "correlational" in kinds(doc, "clinician")


@pytest.mark.parametrize("kind", get_args(InterventionKind))
def test_every_intervention_kind_with_a_regimen(kind):
    doc = doc_with(intervention={
        "name": f"a {kind} intervention", "plain": "the new approach", "kind": kind,
        "regimen": {"amount": "one session", "frequency": "weekly", "duration": "six months"}})
    study = doc.studies[0]
    assert regimen_lines(study, "clinician") == [
        f"A {kind} intervention: one session, weekly, for six months"]
    assert regimen_lines(study, "patient") == [
        "The new approach: one session, weekly, for six months"]


def test_subject_interventions_of_any_kind_name_the_guards_vocabulary():
    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["subject"] = {"interventions": [{"name": "tai chi", "kind": "exercise"}]}
    doc = Document.model_validate(data)
    assert "advice-stop-treatment" in {h.rule for h in guard_text("Stop tai chi now.", doc)}
    assert [i.kind for i in doc.subject.all_interventions()] == ["exercise"]


def test_the_older_drug_only_forms_still_validate():
    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["subject"] = {"drugs": [{"name": "examinol", "misuse_potential": True}]}
    doc = Document.model_validate(data)
    (item,) = doc.subject.all_interventions()
    assert item.kind == "drug" and item.misuse_potential
    assert Dose(drug="examinol", amount="5 mg").what == "examinol"
    assert Dose(intervention="walking", amount="30 minutes").what == "walking"
    with pytest.raises(ValidationError):
        Dose(amount="5 mg")


def test_several_authors_and_a_denominator():
    doc = doc_with(authors=["Kerry Courneya", "Christopher Booth"])
    assert doc.studies[0].authors == ["Kerry Courneya", "Christopher Booth"]
    assert Figure(value=7, of=12).of == 12
    with pytest.raises(ValidationError):
        Figure(value=7, of=0)
