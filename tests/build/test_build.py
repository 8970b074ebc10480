"""`explainer build`: six real files whose HTML and PDF carry the same facts and caveats."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED, MIN_TOPIC, REPO

from explainer.document.load import load_document
from explainer.document.model import AUDIENCES
from explainer.guards.caveats import mandatory_caveats
from explainer.pdf.content_stream import pdf_text
from explainer.render.view import cited_name, finding_text


def norm(text: str) -> str:
    """Fold the differences PDF extraction introduces (line breaks, hyphenation, quote marks)."""
    text = (
        text.replace("\u00ad", "")
        .replace("’", "'")
        .replace("‘", "'")
        .replace("“", '"')
        .replace("”", '"')
    )
    # A line may break after a hyphen or slash; the hyphen itself may be real ("AI-generated")
    # or added by the PDF layout, so compare with hyphens dropped on both sides.
    text = re.sub(r"-\s*", "", text)
    text = re.sub(r"/\s+", "/", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def facts(doc, audience):
    """What every output of this audience must state, derived from the data, not hard-coded."""
    wanted = []
    for study in doc.studies:
        wanted.append(cited_name(study.short_name, audience))  # patients: "and colleagues"
        wanted.append(str(study.participants.n))
        if audience == "clinician":
            wanted += [m.abbreviation or m.name for m in study.measures]
            if study.doi:
                wanted.append(study.doi)
            if study.journal:
                wanted.append(study.journal)
    for finding in doc.findings:
        if audience == "clinician" or finding.key:  # patient and press: key findings
            wanted.append(finding_text(finding, doc.study(finding.study), audience))
    return wanted


@pytest.mark.slow
@pytest.mark.parametrize("findings", [BUNDLED, MIN_TOPIC], ids=["bundled", "synthetic"])
def test_every_output_states_facts_and_mandatory_caveats(findings, built_example, built_min):
    result, out = built_example if findings == BUNDLED else built_min
    doc = load_document(findings).doc
    assert result.ok, [str(p) for o in result.outputs for p in o.problems]
    for audience in AUDIENCES:
        html = (out / doc.topic / f"{audience}.html").read_text()
        pdf = pdf_text((out / doc.topic / f"{audience}.pdf").read_bytes())
        from explainer.seen.html import visible_text

        shown = norm(visible_text(html))
        printed = norm(pdf)
        for fact in facts(doc, audience):
            assert norm(fact) in shown, f"{audience}.html lacks {fact!r}"
            assert norm(fact) in printed, f"{audience}.pdf lacks {fact!r}"
        caveats = mandatory_caveats(doc, audience)
        assert caveats, f"no mandatory caveats for {audience}"
        for caveat in caveats:
            wording = norm(caveat.text.for_(audience) or "")
            assert wording in shown, f"{audience}.html lacks caveat {caveat.id}"
            assert wording in printed, f"{audience}.pdf lacks caveat {caveat.id}"


@pytest.mark.slow
def test_bundled_build_writes_six_files_and_a_report(built_example):
    result, out = built_example
    topic = out / result.topic
    names = sorted(p.name for p in topic.iterdir() if not p.name.startswith("."))
    assert names == sorted(
        [f"{a}.{x}" for a in AUDIENCES for x in ("html", "pdf")] + ["editor.html", "report.html"]
    )
    for audience in AUDIENCES:
        assert (topic / f"{audience}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_bundled_example_carries_the_named_caveats():
    doc = load_document(BUNDLED).doc
    kinds = {c.kind for c in doc.caveats}
    assert {"not-an-opioid", "not-peer-reviewed", "not-medical-advice"} <= kinds
    for audience in AUDIENCES:
        mandatory = {c.kind for c in mandatory_caveats(doc, audience)}
        assert {"not-an-opioid", "not-peer-reviewed", "not-medical-advice"} <= mandatory


@pytest.mark.slow
def test_bundled_example_reports_all_three_studies():
    doc = load_document(BUNDLED).doc
    sizes = sorted(s.participants.n for s in doc.studies)
    assert sizes == [12, 26, 26]
    assert {s.status for s in doc.studies} >= {"peer_reviewed", "disputed"}


@pytest.mark.slow
def test_cli_build_with_no_arguments_builds_the_bundled_example(tmp_path, run_cli):
    run = run_cli("build", "--format", "html", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    built = sorted(p.name for p in (tmp_path / "out").glob("*/*.html"))
    assert built == ["clinician.html", "editor.html", "patient.html", "press.html",
                     "report.html"]
    assert "patient" in run.stdout and "FK grade" in run.stdout


@pytest.mark.slow
def test_html_is_self_contained(built_example):
    result, out = built_example
    html = (out / result.topic / "patient.html").read_text()
    assert "<style>" in html
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert not re.search(r"<script", html)


def test_python_dash_m_and_console_script_agree(run_cli):
    script = Path(sys.executable).parent / "explainer"
    by_module = run_cli("--help", cwd=REPO, fresh=True)  # `python -m explainer` itself
    by_script = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=REPO)
    assert by_module.returncode == by_script.returncode == 0
    assert by_module.stdout == by_script.stdout
    for command in ("build", "validate", "check", "score", "sources", "schema"):
        assert re.search(rf"^\s+{command}\s", by_module.stdout, re.MULTILINE), command


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True])
def test_build_prints_scores_against_target_and_strict_fails_a_miss(tmp_path, run_cli, strict):
    config = tmp_path / "explainer.yaml"
    config.write_text("readability:\n  audiences:\n    patient:\n      limits: {fk: 1}\n")
    args = ["build", MIN_TOPIC, "--out", tmp_path, "--format", "html", "--config", config]
    run = run_cli(*args, *(["--strict"] if strict else []))
    assert run.returncode == (1 if strict else 0), run.stdout + run.stderr
    patient = next(line for line in run.stdout.splitlines() if line.strip().startswith("patient"))
    assert "Flesch-Kincaid grade ≤ 1" in patient
    if strict:  # a miss is a failed build: the last good leaflet stays, the reason is printed
        assert "FAILED" in patient and "over target" in run.stderr
    else:
        assert "over" in patient
    press = next(line for line in run.stdout.splitlines() if line.strip().startswith("press"))
    assert "Flesch-Kincaid grade ≤ 10" in press and "over" not in press
