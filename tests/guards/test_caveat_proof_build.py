"""A template that drops or hides a mandatory caveat fails the build for that audience only."""

from __future__ import annotations

import pytest
from conftest import MIN_TOPIC

from explainer.render.templates_dir import builtin_templates

pytestmark = pytest.mark.slow  # subprocess builds with PDFs

CAVEATS_CALL = '{{ parts.caveat_groups(view) }}'


def override(tmp_path, patient_html: str):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "patient.html").write_text(patient_html)
    return folder


def build(run_cli, tmp_path, templates, fmt="html,pdf"):
    out = tmp_path / "out"
    run = run_cli("build", MIN_TOPIC, "--out", out, "--templates", templates, "--format", fmt)
    return run, out / "walking-knee-pain"


PATIENT = (builtin_templates() / "patient.html").read_text()


@pytest.mark.parametrize("how", ["dropped", "display-none", "hidden-attribute"])
def test_missing_caveat_fails_only_that_audience(tmp_path, run_cli, how):
    assert CAVEATS_CALL in PATIENT
    if how == "dropped":
        templates = override(tmp_path, PATIENT.replace(CAVEATS_CALL, ""))
    elif how == "display-none":
        templates = override(tmp_path, PATIENT.replace(
            CAVEATS_CALL, "<style>.caveats li { display: none; }</style>" + CAVEATS_CALL))
    else:
        templates = override(tmp_path, PATIENT.replace(
            CAVEATS_CALL, "<div hidden>" + CAVEATS_CALL + "</div>"))
    run, topic = build(run_cli, tmp_path, templates)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    # The message names the output and the caveat.
    assert "patient.html" in run.stderr and "small-trial" in run.stderr
    assert not (topic / "patient.html").exists() and not (topic / "patient.pdf").exists()
    for audience in ("clinician", "press"):
        assert (topic / f"{audience}.html").is_file()
        assert (topic / f"{audience}.pdf").read_bytes().startswith(b"%PDF")


def test_caveat_hidden_only_in_print_fails(tmp_path, run_cli):
    """Hiding a caveat from the printed leaflet is caught although the screen shows it."""
    hidden = "<style>@media print { .caveats li { visibility: hidden; } }</style>"
    templates = override(tmp_path, PATIENT.replace(CAVEATS_CALL, hidden + CAVEATS_CALL))
    run, topic = build(run_cli, tmp_path, templates)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "small-trial" in run.stderr
    assert not (topic / "patient.pdf").exists() and not (topic / "patient.html").exists()
    assert (topic / "press.pdf").is_file()


def test_last_good_patient_leaflet_survives_a_bad_template(tmp_path, run_cli):
    good, topic = build(run_cli, tmp_path, override(tmp_path, PATIENT))
    assert good.returncode == 0, good.stderr
    before = (topic / "patient.html").read_bytes()
    bad_templates = tmp_path / "bad"
    bad_templates.mkdir()
    (bad_templates / "patient.html").write_text(PATIENT.replace(CAVEATS_CALL, ""))
    run, _ = build(run_cli, tmp_path, bad_templates)
    assert run.returncode == 1
    assert (topic / "patient.html").read_bytes() == before
