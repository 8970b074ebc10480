"""The phrasebook over every combination it can produce: every sentence well formed."""

from __future__ import annotations

import itertools
import re
from typing import get_args

import pytest

from explainer.document.model import AUDIENCES, Blinding, Study, StudyDesign, Subjects
from explainer.render.phrasebook import describe_methods, regimen_lines, section_title, tidy

CONDITIONS = ["depression", "colon cancer, after surgery and chemo", "type 2 diabetes."]


def make(design, blinding, subjects, comparator, measures, timepoints, condition,
         follow_up=None) -> Study:
    return Study.model_validate({
        "id": "s", "short_name": "Able et al. 2025", "status": "peer_reviewed",
        "design": design, "blinding": blinding, "subjects": subjects,
        "participants": {"n": 889, "condition": condition, "plain": condition},
        "intervention": {"name": "coached exercise", "plain": "an exercise programme",
                         "kind": "exercise",
                         "regimen": {"amount": "at least 10 MET-hours", "frequency": "weekly",
                                     "duration": "three years", "delivery": "a coach"}},
        "comparator": {"name": "health education", "plain": "advice leaflets"}
        if comparator else None,
        "measures": [{"name": "disease-free survival", "plain": "staying free of cancer"}]
        if measures else [],
        "timepoints": ["3 years", "5 years"] if timepoints else [],
        "follow_up": follow_up,
    })


COMBINATIONS = list(itertools.product(
    get_args(StudyDesign), get_args(Blinding), get_args(Subjects), [True, False],
    [True, False], [True, False], CONDITIONS, [None, "a median of seven years."]))


def _assert_well_formed(text: str, where: str) -> None:
    assert text == text.strip() and "  " not in text, where
    assert "{" not in text and "}" not in text, where
    assert not re.search(r"[.,;:]\s*[.,;:]", text), f"doubled punctuation: {where}: {text}"
    assert not re.search(r"\s[.,;:)]", text), f"space before punctuation: {where}: {text}"
    assert text.endswith((".", ")")), f"no full stop: {where}: {text}"
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        assert sentence[:1].isupper() or sentence[:1].isdigit(), f"{where}: {sentence}"


def test_every_combination_reads_as_sentences():
    seen = set()
    for combo in COMBINATIONS:
        study = make(*combo)
        for audience in AUDIENCES:
            for paragraph in describe_methods(study, audience):
                if paragraph in seen:
                    continue
                seen.add(paragraph)
                _assert_well_formed(paragraph, f"{combo} {audience}")
    assert len(seen) > 500  # the walk really covered the combinations


@pytest.mark.parametrize("design", get_args(StudyDesign))
def test_every_design_has_wording_for_every_audience(design):
    from explainer.rules import load_rules

    entry = load_rules("phrasebook")["designs"][design]
    assert set(entry) == set(AUDIENCES)


def test_observational_designs_say_links_not_causes():
    for design in ("cohort", "case_control", "cross_sectional"):
        study = make(design, "unknown", "people", True, False, False, "depression")
        for audience in ("patient", "press"):
            assert re.search(r"not (?:a )?causes?\b", " ".join(describe_methods(study, audience)))


def test_screening_and_diagnostic_designs_mention_false_alarms_for_patients():
    for design in ("diagnostic_accuracy", "screening"):
        study = make(design, "unknown", "people", True, False, False, "breast cancer")
        text = " ".join(describe_methods(study, "patient"))
        assert "miss" in text and ("false alarm" in text or "do not" in text), design


def test_regimen_lines_for_any_kind_of_intervention():
    study = make("randomized_controlled", "open", "people", True, False, False, "colon cancer")
    assert regimen_lines(study, "clinician") == [
        "Coached exercise: at least 10 MET-hours, weekly, for three years, a coach"]
    assert regimen_lines(study, "patient")[0].startswith("An exercise programme:")
    drug = Study.model_validate({
        **make("randomized_controlled", "open", "people", False, False, False,
               "pain").model_dump(exclude={"intervention"}),
        "intervention": {"name": "ketamine"},
        "doses": [{"drug": "ketamine", "amount": "0.5 mg/kg", "route": "IV"}]})
    assert regimen_lines(drug, "clinician") == ["Ketamine: 0.5 mg/kg, IV"]


def test_section_titles_fit_one_study_or_many():
    assert section_title("synthesis", "clinician", 1) == "How this study fits in"
    assert section_title("synthesis", "clinician", 3) == "How the studies fit together"
    assert section_title("methods", "press", 1) == "How the study was done"


@pytest.mark.parametrize(("raw", "tidy_text"), [
    ("Notes end here..", "Notes end here."),
    ("a list , then a stop .", "A list, then a stop."),
    ("It ended.;", "It ended."),
])
def test_tidy(raw, tidy_text):
    assert tidy(raw) == tidy_text


# --- what each reader is told, word for word (rules/phrasebook.yaml filled from the fields) ----

def trial(**changes) -> Study:
    fields = {
        "id": "s", "short_name": "Able et al. 2025", "status": "peer_reviewed",
        "design": "randomized_controlled", "blinding": "double_blind", "subjects": "people",
        "participants": {"n": 1234, "condition": "treatment-resistant depression.",
                         "plain": "depression that other medicines did not help",
                         "population": "adults"},
        "intervention": {"name": "ketamine infusion", "plain": "a ketamine drip"},
        "comparator": {"name": "midazolam", "plain": "a sleeping medicine"},
        "measures": [{"name": "MADRS score", "abbreviation": "MADRS",
                      "plain": "how low people felt"}],
        "timepoints": ["24 hours", "7 days"],
    }
    return Study.model_validate({**fields, **changes})


def test_a_blinded_trial_told_to_each_reader():
    study = trial()
    assert describe_methods(study, "patient") == [
        "The study included 1,234 people with depression that other medicines did not help. "
        "They were put into groups at random. One group had a ketamine drip. The other group "
        "had a sleeping medicine. Neither the people taking part nor the researchers knew "
        "which was which.",
        "The team measured how low people felt. Checks were made at these times: 24 hours "
        "and 7 days."]
    assert describe_methods(study, "clinician") == [
        "Randomised double-blind controlled trial in 1,234 adults (treatment-resistant "
        "depression): ketamine infusion versus midazolam.",
        "Outcomes: MADRS score (MADRS). Time points: 24 hours and 7 days."]
    assert describe_methods(study, "press") == [
        "This was a randomised controlled trial in 1,234 people with depression that other "
        "medicines did not help. One group, picked at random, had a ketamine drip. The other "
        "had a sleeping medicine.",
        "They measured how low people felt. Checks were made at these times: 24 hours and "
        "7 days."]


def test_a_cohort_without_comparator_or_time_points_says_so():
    study = trial(design="cohort", blinding="unknown", comparator=None, timepoints=[],
                  follow_up="ten years")
    assert describe_methods(study, "patient") == [
        "The team followed 1,234 people over time and looked for links with a ketamine drip. "
        "A study like this can show a link, not a cause.",
        "The team measured how low people felt. People were followed for ten years."]
    assert describe_methods(study, "clinician") == [
        "Prospective observational cohort study of 1,234 adults (treatment-resistant "
        "depression); exposure: ketamine infusion; reference: no comparator.",
        "Outcomes: MADRS score (MADRS). Time points: follow-up ten years."]
    no_measures = trial(design="cohort", blinding="unknown", measures=[])
    assert len(describe_methods(no_measures, "press")) == 1  # no "They measured" sentence


def test_an_open_crossover_names_its_blinding_and_a_missing_population():
    study = trial(design="crossover", blinding="open",
                  participants={"n": 26, "condition": "depression"})
    assert describe_methods(study, "clinician")[0] == (
        "Crossover trial (open-label) in 26 participants (depression): ketamine infusion in "
        "one session, midazolam in another (the sources do not say the order was randomised).")
    assert describe_methods(study, "patient")[0].endswith(
        "On the other visit they had a sleeping medicine. Everyone knew which treatment was "
        "given.")


def test_studies_not_in_people_say_so():
    cells = trial(design="in_vitro", subjects="cells", blinding="unknown", measures=[])
    assert describe_methods(cells, "press") == ["This was a laboratory study in cells, not people."]
    other = trial(design="other", subjects="cells", blinding="unknown", measures=[],
                  participants={"n": 12, "condition": "liver damage"})
    assert describe_methods(other, "press") == ["This was a study of 12 cell samples with liver "
                                                "damage."]
    animals = trial(design="animal", subjects="animals", blinding="unknown", measures=[])
    assert describe_methods(animals, "patient") == [
        "This study was in animals, not people. Results in animals often do not hold in people."]
