"""`check` and `build` agree on every data problem, and both name the findings line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import COFFEE, SEEDS_MORE
from typer.testing import CliRunner

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.load import load_document
from explainer.guards.claims import output_problems
from explainer.problems import InputError

pytestmark = pytest.mark.needs(SEEDS_MORE)


def _copy(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(COFFEE.read_text(encoding="utf-8"))
    data["sources_dir"] = str((COFFEE.parent / data["sources_dir"]).resolve())
    change(data)
    path = tmp_path / "coffee.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("where", "change", "loc"), [
    ("source note", lambda d: d["sources"][1]["notes"].append("A landmark study."),
     ("sources", 1, "notes", 2)),
    ("typed digit", lambda d: d["means"][0].update(patient="About 85 in 100 people lived."),
     ("means", 0, "patient")),
    ("figure", lambda d: d["findings"][1]["figures"]["hr"].update(value=0.81),
     ("findings", 1, "figures", "hr", "value")),
])
def test_check_and_build_report_the_same_line(tmp_path, where, change, loc):
    from explainer.cli.app import app

    path = _copy(tmp_path, change)
    line = load_document(path).line_of(loc)
    checked = CliRunner().invoke(app, ["check", str(path)])
    assert checked.exit_code == 2, where
    assert f"{path}:{line}:" in checked.output, (where, checked.output)
    with pytest.raises(InputError) as built:
        build_topic(path, BuildOptions(out_dir=tmp_path / "out", formats=("html",)))
    assert any(p.line == line and p.file == str(path) for p in built.value.problems), where
    assert not (tmp_path / "out").exists()  # nothing written


def test_an_output_hit_from_a_data_field_names_the_findings_line():
    loaded = load_document(COFFEE)
    sentence = loaded.doc.means[0].patient
    problems = output_problems(loaded, "patient", f"{sentence} It is a landmark result.",
                               "out/patient.html")
    assert [p.file for p in problems] == ["out/patient.html"]  # not the file's wording
    text = "Intro. " + sentence.replace("went along with", "slashes")
    data = loaded.doc.model_dump()
    data["means"][0]["patient"] = sentence.replace("went along with", "slashes")
    from explainer.document.load import LoadedDocument
    from explainer.document.model import Document

    changed = LoadedDocument(Document.model_validate(data), loaded.path, loaded.lines)
    (problem,) = [p for p in output_problems(changed, "patient", text, "out/patient.html")
                  if "hype-landmark" in p.message]
    assert problem.file == str(COFFEE) and problem.key == "means[0].patient"
    assert problem.line == loaded.line_of(("means", 0, "patient"))


def test_an_acceptance_reason_is_printed_nowhere(tmp_path):
    reason = "editor checked the yearly total by hand on the registry page"
    path = _copy(tmp_path, lambda d: d.update(accepted_warnings=[
        {"key": "studies[0].participants.n", "match": "9400", "reason": reason}]))
    out = tmp_path / "out"
    result = build_topic(path, BuildOptions(out_dir=out, formats=("html",)))
    assert result.ok
    written = [p.read_text(encoding="utf-8") for p in (out / result.topic).glob("*.html")]
    assert len(written) >= 3 and not any(reason in html for html in written)
    assert any(p.key == "accepted_warnings[0]" for p in result.problems)  # stale: reported
