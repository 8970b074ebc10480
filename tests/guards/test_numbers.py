"""Numbers locked to evidence, and structured figures worded per audience."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest
import yaml
from conftest import GUARD_OK, MIN_TOPIC, SOURCES
from typer.testing import CliRunner

from explainer.document.load import load_document
from explainer.document.model import EffectMeasure, Figure, NumberExceptions
from explainer.guards.numbers import evaluate, number_problems, numbers_in, typed_numbers
from explainer.render.figures_text import figure_text, with_unit


@pytest.mark.parametrize(("quote", "number"), [
    ("80.3% were alive", "80.3"), ("80.3 per cent were alive", "80.3"),
    ("80·3% were alive", "80.3"), ("9,400 deaths a year", "9400"),
    ("P = .052", "0.052"), ("for three days", "3"), ("171 616 people", "171616"),
])
def test_numbers_are_read_however_they_are_written(quote, number):
    assert Decimal(number) in numbers_in(quote)


def test_typed_numbers_and_their_exceptions():
    none = NumberExceptions()
    assert typed_numbers("About 85 in 100 people were well.", none) == ["85", "100"]
    assert typed_numbers("About {share} people, {n} in all.", none) == []
    assert typed_numbers("mGluR5, COVID-19 and doi 10.1038/s41591-025 are names.", none) == []
    assert typed_numbers("Published in 2025.", none) == ["2025"]
    assert typed_numbers("A 12-week, 5-year plan.", none) == ["12", "5"]
    assert typed_numbers("Published in 2025.", NumberExceptions(years=True)) == []
    assert typed_numbers("1. First point", NumberExceptions(list_numbering=True)) == []
    assert typed_numbers("Call 116 123 now.", NumberExceptions(phrases=["116 123"])) == []


def test_derived_arithmetic_is_recomputed():
    value, literals = evaluate("7 / 12 * 100", {})
    assert round(value) == 58 and literals == [7, 12, 100]
    assert evaluate("a / b", {"a": Decimal(1), "b": Decimal(4)})[0] == Decimal("0.25")
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(GUARD_OK.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_ok_fixture_has_no_number_problems():
    assert number_problems(load_document(GUARD_OK)) == []


def test_a_mismatched_figure_fails_check_with_its_line(tmp_path):
    from explainer.cli.app import app

    def change(data):
        fig = data["findings"][0]["figures"]["drop"]
        fig["value"] = fig["value"] + 5

    path = _write(tmp_path, change)
    loaded = load_document(path)
    (problem,) = number_problems(loaded)
    assert problem.key == "findings[0].figures.drop.value"
    assert problem.line == loaded.line_of(("findings", 0, "figures", "drop", "value"))
    result = CliRunner().invoke(app, ["check", str(path), "--sources",
                                      str(SOURCES)])
    assert result.exit_code == 2 and f"{path}:{problem.line}: findings[0].figures" in result.output


def test_a_digit_typed_into_prose_is_an_error_at_its_line(tmp_path):
    path = _write(tmp_path, lambda d: d["background"].update(
        patient="About 85 in 100 people did well."))
    loaded = load_document(path)
    keys = {(p.key, p.line) for p in number_problems(loaded)}
    assert keys == {("background.patient", loaded.line_of(("background", "patient")))}


def test_a_derived_figure_must_add_up(tmp_path):
    def change(data, value):
        data["findings"][0]["figures"]["drop"] = {"value": value, "unit": "%",
                                                  "derived": "20 / 50 * 100"}

    good = load_document(_write(tmp_path, lambda d: change(d, 40)))
    bad = load_document(_write(tmp_path, lambda d: change(d, 45)))
    assert not [p for p in number_problems(good) if "= " in p.message]
    assert any("20 / 50 * 100 = 40" in p.message for p in number_problems(bad))


# --- figures per audience ----------------------------------------------------------------

def test_units_are_spaced_and_signs_are_not():
    assert with_unit(7.9, " years") == "7.9 years" and with_unit(7.9, "years") == "7.9 years"
    assert with_unit(80.3, "%") == "80.3%" and with_unit(0.5, " mg/kg") == "0.5 mg/kg"


def test_plain_figures_print_the_same_for_everyone():
    fig = Figure(value=24, unit="h")
    assert {figure_text(fig, a) for a in ("patient", "clinician", "press")} == {"24 h"}


@pytest.mark.parametrize(("fig", "patient", "clinician", "press"), [
    (Figure(value=0.79, measure="hr", ci={"low": 0.70, "high": 0.90}),
     "about 21% lower", "0.79 (95% CI 0.7 to 0.9)", "about 21% lower (hazard ratio 0.79)"),
    (Figure(value=244, of=39996, measure="count"),
     "about 6 in 1,000", "244 of 39,996", "244 of 39,996"),
    (Figure(value=80.3, unit="%", measure="absolute_risk", follow_up="5 years"),
     "about 80 in 100", "80.3% (at 5 years)", "80.3%"),
    (Figure(value=28.3, unit="%", measure="ppv", ci={"low": 25.3, "high": 31.5}),
     "about 28 in 100", "28.3% (95% CI 25.3% to 31.5%)", "28.3%"),
    (Figure(value=6.1, per=1000, measure="rate", p=0.052),
     "about 6 in 1,000", "6.1 per 1,000 (p = 0.052)", "6.1 per 1,000"),
    (Figure(value=1.2, measure="rr", p="<0.001"),
     "about 20% higher", "1.2 (p <0.001)", "about 20% higher (relative risk 1.2)"),
    (Figure(value=-2.5, unit="points", measure="mean_difference", ci={"low": -4, "high": -1}),
     "-2.5 points", "-2.5 points (95% CI -4.0 to -1.0)", "-2.5 points"),
    (Figure(value=12, measure="nnt"), "1 in every 12", "12", "12"),
])
def test_effect_measures_per_audience(fig, patient, clinician, press):
    assert figure_text(fig, "patient") == patient
    assert figure_text(fig, "clinician") == clinician
    assert figure_text(fig, "press") == press


def test_press_puts_the_comparison_group_beside_the_figure():
    ai = Figure(value=6.1, per=1000, measure="rate", versus="control")
    control = Figure(value=5.1, per=1000, measure="rate", group="with standard reading")
    assert figure_text(ai, "press", {"control": control}) == (
        "6.1 per 1,000, against 5.1 per 1,000 with standard reading")


# --- document figures: placeholders in prose outside findings -------------------------------

def _min_topic(tmp_path: Path, change) -> Path:

    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["sources_dir"] = str(SOURCES)
    data["number_exceptions"] = {"phrases": ["40", "30"]}  # 12 must now come from a figure
    data["figures"] = {"weeks": {"value": 12, "evidence": [
        {"source": "release", "quote": "for 12 weeks"}]}}
    data["unknowns"][0] = {"patient": "We do not know if the benefit lasts past {weeks} weeks.",
                           "clinician": "Durability beyond {weeks} weeks is unknown."}
    data["press"]["lede"] = "In a small trial, walking daily eased knee pain after {weeks} weeks."
    data["press"]["notes_to_editors"] = ["The trial was small and lasted {weeks} weeks."]
    data["studies"][0]["limitations"][0]["clinician"] = (
        "Small sample (n=40), open-label, {weeks}-week follow-up.")
    change(data)
    path = tmp_path / "walking.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_document_figures_fill_prose_outside_findings(tmp_path):
    from explainer.guards.checks import data_checks
    from explainer.render.view import build_view

    loaded = load_document(_min_topic(tmp_path, lambda d: None))
    assert loaded.doc.unknowns[0].patient == "We do not know if the benefit lasts past 12 weeks."
    assert build_view(loaded.doc, "press").doc.press.lede.endswith("after 12 weeks.")
    numbers = [p for p in data_checks(loaded) if "numbers:" in p.message]
    assert [str(p) for p in numbers] == []


def test_an_unknown_document_placeholder_and_a_wrong_document_figure_are_errors(tmp_path):
    def change(data):
        data["unknowns"][0]["patient"] = "Past {months} months is unknown."
        data["figures"]["weeks"]["value"] = 13

    loaded = load_document(_min_topic(tmp_path, change))
    messages = {(p.key, p.message.split(";")[0]) for p in number_problems(loaded)}
    assert ("unknowns[0].patient", "numbers: {months} is no document figure") in messages
    assert any(key == "figures.weeks.value" for key, _ in messages)


def test_a_document_figures_quote_is_verified_in_its_source(tmp_path):
    from explainer.guards.checks import data_checks

    def change(data):
        data["figures"]["weeks"]["evidence"][0]["quote"] = "for 12 whole weeks"

    problems = data_checks(load_document(_min_topic(tmp_path, change)))
    assert any(p.key == "figures.weeks.evidence[0].quote" for p in problems), \
        [str(p) for p in problems]


@pytest.mark.parametrize("measure", get_args(EffectMeasure))
def test_every_effect_measure_is_worded_for_every_reader(measure):
    from explainer.render.figures_text import PROPORTIONS, RATIOS

    unit = "%" if measure in PROPORTIONS | {"percentage"} else None
    fig = Figure(value=0.8 if measure in RATIOS else 80.0, unit=unit, measure=measure,
                 ci={"low": 0.7 if measure in RATIOS else 75.0,
                     "high": 0.9 if measure in RATIOS else 85.0}, p=0.01)
    clinician = figure_text(fig, "clinician")
    assert clinician.startswith(str(fig.value))
    assert "95% CI" in clinician and "p = 0.01" in clinician
    patient, press = figure_text(fig, "patient"), figure_text(fig, "press")
    assert "CI" not in patient and "p =" not in patient
    if measure in RATIOS:
        assert patient == "about 20% lower" and press.startswith("about 20% lower (")
    elif measure in PROPORTIONS:
        assert patient == "about 80 in 100"


def test_each_mismatched_figure_of_a_finding_is_named_at_its_own_key(tmp_path):
    # The key of one figure's problem once leaked into the next figure's key.
    def change(data):
        figures = data["findings"][0]["figures"]
        figures["drop"]["value"] += 5
        figures["again"] = {"value": figures["drop"]["value"] + 1}

    path = _write(tmp_path, change)
    keys = [p.key for p in number_problems(load_document(path))]
    assert keys == ["findings[0].figures.drop.value", "findings[0].figures.again.value"]
