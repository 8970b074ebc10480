"""The two examples built from ../shared/seeds-more: each builds clean with every check on,
`check` reports 0 problems, and none prints wording that belongs to another kind of topic."""

from __future__ import annotations

import pytest
from conftest import COFFEE, MASAI, SEEDS_MORE
from typer.testing import CliRunner

from explainer.document.load import load_document

pytestmark = [pytest.mark.slow, pytest.mark.needs(SEEDS_MORE)]  # strict PDF builds of two topics


@pytest.fixture(scope="module", params=[COFFEE, MASAI], ids=["coffee", "masai"])
def built(request, tmp_path_factory):
    from explainer.build.topic import BuildOptions, build_topic

    out = tmp_path_factory.mktemp("out")
    result = build_topic(request.param, BuildOptions(out_dir=out, strict=True))
    texts = {}
    from explainer.seen.html import visible_text

    for audience in ("patient", "clinician", "press"):
        html = (out / result.topic / f"{audience}.html").read_text(encoding="utf-8")
        texts[audience] = visible_text(html)
    return request.param, result, texts


def test_check_reports_no_problems(built):
    from explainer.cli.app import app

    path, _, _ = built
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 problems (0 errors, 0 warnings)")


def test_builds_clean_with_every_check_on(built):
    _, result, _ = built
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    assert all(o.written and not o.problems for o in result.outputs)


def test_no_wording_from_another_kind_of_topic(built):
    path, _, texts = built
    everything = " ".join(texts.values())
    for foreign in ("If this story affects you", "Samaritans", "opioid", "ketamine",
                    "misuse", "off-label", "How the studies fit together",
                    "How the studies were done", ".."):
        assert foreign not in everything, (path.name, foreign)


@pytest.mark.parametrize("built", [COFFEE], indirect=True, ids=["coffee"])
def test_coffee_is_worded_as_a_link_and_has_no_help_section(built):
    _, _, texts = built
    assert "Where to get help" not in texts["patient"] and "Cancer support" not in texts["patient"]
    for audience in ("patient", "press"):
        assert "link, not a cause" in texts[audience]
    # No absolute death rates in the sources: patients get the link in words, with no
    # hazard ratio, percentage or decimal to work out (CDC Clear Communication Index 15-17).
    leaflet = texts["patient"].split("Words to know")[0]
    assert "less likely to die" in leaflet
    assert "hazard ratio" not in leaflet and "%" not in leaflet and "0.71" not in leaflet
    assert "0.71 (95% CI 0.62 to 0.82)" in texts["clinician"]
    assert "about 29% lower (hazard ratio 0.71)" in texts["press"]


@pytest.mark.parametrize("built", [MASAI], indirect=True, ids=["masai"])
def test_masai_gives_false_alarms_interim_status_and_natural_frequencies(built):
    _, _, texts = built
    assert "about 6 in 1,000 women" in texts["patient"]
    assert "244 of 39,996" in texts["clinician"]
    assert "6.1 per 1,000, against 5.1 per 1,000 with standard reading" in texts["press"]
    assert "rate ratio 1.2 (95% CI 1.0 to 1.5; p = 0.052)" in texts["clinician"]
    for audience, text in texts.items():
        assert "false alarm" in text.lower() or "false positive" in text.lower(), audience
        assert "interim" in text.lower() or "early results" in text.lower(), audience
    assert "Cancer support and information" in texts["patient"]


def test_masai_hyped_source_is_not_echoed():
    doc = load_document(MASAI).doc
    from explainer.document.prose import prose

    words = " ".join(f.text for f in prose(doc)).lower()
    assert "groundbreaking" not in words and "20% more" not in words


@pytest.mark.parametrize(("path", "says"), [
    (COFFEE, "followed 171,616 people for seven years"),  # a cohort: people over time
    (MASAI, "with AI support: about 6 in 1,000"),  # two rates per 1,000 on one scale
])
def test_patient_leaflet_has_a_visual_drawn_from_the_data(path, says):
    from explainer.render.visual import patient_visual

    visual = patient_visual(load_document(path).doc)
    assert visual is not None and says in visual.alt and says in visual.caption
    assert visual.svg.startswith("<svg") and "<title>" in visual.svg


@pytest.mark.parametrize("built", [MASAI], indirect=True, ids=["masai"])
def test_masai_rate_visual_fills_one_square_per_case(built):
    from explainer.render.visual import patient_visual

    svg = patient_visual(load_document(MASAI).doc).svg
    assert svg.count('fill="#0b5394"') == 6 + 5  # about 6 and about 5 in 1,000
    assert svg.count("<rect") == 2 * 1000

