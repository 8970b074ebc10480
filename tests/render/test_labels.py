"""Evidence labels (Science Media Centre style): peer review, study type, subjects."""

from __future__ import annotations

from typing import get_args

import pytest
from conftest import GUARD_OK

from explainer.document.load import load_document
from explainer.document.model import Study, StudyDesign, StudyStatus, Subjects
from explainer.render.labels import evidence_labels
from explainer.rules import load_rules


def study(**changes) -> Study:
    base = {"id": "s", "short_name": "S 2025", "status": "peer_reviewed",
            "design": "randomized_controlled", "participants": {"n": 10, "condition": "x"},
            "intervention": {"name": "y"}}
    return Study.model_validate({**base, **changes})


def labels_by_kind(s: Study) -> dict[str, tuple[str, str, str]]:
    return {label.kind: (label.text, label.plain_text, label.tone) for label in evidence_labels(s)}


@pytest.mark.parametrize(("status", "text", "tone"), [
    ("peer_reviewed", "Peer-reviewed", "good"),
    ("preprint", "Not peer-reviewed (preprint)", "caution"),
    ("disputed", "Peer review unconfirmed: sources differ (journal article or preprint)",
     "caution"),
])
def test_review_label(status, text, tone):
    got = labels_by_kind(study(status=status))["review"]
    assert got[0] == text and got[2] == tone and got[1]


@pytest.mark.parametrize(("design", "text", "tone"), [
    ("randomized_controlled", "Experimental: randomised controlled trial", "good"),
    ("randomized_crossover", "Experimental: randomised crossover trial", "good"),
    ("crossover", "Experimental: crossover trial", "neutral"),
    ("nonrandomized_trial", "Experimental: non-randomised trial", "neutral"),
    ("cohort", "Observational: cohort study", "caution"),
    ("case_control", "Observational: case-control study", "caution"),
    ("cross_sectional", "Observational: cross-sectional study", "caution"),
    ("case_series", "Case series", "caution"),
    ("systematic_review", "Systematic review", "good"),
    ("meta_analysis", "Meta-analysis", "good"),
    ("animal", "Experimental: animal study", "caution"),
    ("in_vitro", "Experimental: laboratory study", "caution"),
    ("other", "Other study type", "neutral"),
])
def test_design_label(design, text, tone):
    got = labels_by_kind(study(design=design))["design"]
    assert got[0] == text and got[2] == tone and got[1]


def test_observational_plain_labels_say_links_not_causes():
    for design in ("cohort", "case_control", "cross_sectional"):
        assert "not causes" in labels_by_kind(study(design=design))["design"][1]


@pytest.mark.parametrize(("subjects", "text", "tone"), [
    ("people", "People", "good"),
    ("animals", "Animals", "caution"),
    ("cells", "Cells", "caution"),
])
def test_subjects_label(subjects, text, tone):
    got = labels_by_kind(study(subjects=subjects))["subjects"]
    assert got[0] == text and got[2] == tone and got[1]


def test_every_model_value_has_a_label():
    # evidence_labels falls back to a neutral label for a value labels.yaml lacks: so check
    # the rule file itself has an entry for every value the model allows.
    data = load_rules("labels")
    for kind, literal in (("review", StudyStatus), ("design", StudyDesign),
                          ("subjects", Subjects)):
        assert sorted(set(get_args(literal)) - set(data[kind])) == [], kind
    for status in get_args(StudyStatus):
        for design in get_args(StudyDesign):
            for subjects in get_args(Subjects):
                labels = evidence_labels(study(status=status, design=design, subjects=subjects))
                assert [label.kind for label in labels] == ["review", "design", "subjects"]
                assert all(label.text and label.plain_text for label in labels)


def test_labels_for_each_study_of_a_findings_file():
    doc = load_document(GUARD_OK).doc
    pairs = [(s, evidence_labels(s)) for s in doc.studies]
    assert [s.id for s, _ in pairs] == ["trial-a", "scan-b"]
    assert pairs[1][1][0].text == "Not peer-reviewed (preprint)"


def test_labels_cite_the_science_media_centre():
    source = " ".join(load_rules("labels")["source"].split())
    assert "Science Media Centre" in source and "2018" in source
