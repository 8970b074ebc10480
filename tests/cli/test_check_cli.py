"""`explainer check` and `explainer sources` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, NURSES, QUOTES_OK, SHARED_SEEDS, SOURCES
from typer.testing import CliRunner

from explainer.cli import app

runner = CliRunner()
SEEDS_PRESENT = pytest.mark.needs(SHARED_SEEDS)


@pytest.fixture
def source_checks_only(monkeypatch):
    """Run only this module's checks, so these tests do not depend on the caveat/claim rules."""
    from explainer.guards import checks

    monkeypatch.setattr(checks, "DATA_CHECKS", [checks.quote_check, checks.screening_check])


def _copy_with(tmp_path: Path, source: Path, **changes) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["sources_dir"] = str(SOURCES)
    data.update(changes)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_check_passes_a_file_whose_quotes_all_verify(source_checks_only):
    result = runner.invoke(app, ["check", str(QUOTES_OK)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        "5 quotes verified of 5, 0 problems (0 errors, 0 warnings)"]


def test_check_fails_a_changed_word_with_the_closest_passage(tmp_path, source_checks_only):
    text = QUOTES_OK.read_text(encoding="utf-8").replace(
        "reduced morning stiffness", "reduced evening stiffness").replace(
        "sources_dir: ../sources", f"sources_dir: {SOURCES}")
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    line_no = next(i for i, t in enumerate(text.splitlines(), 1) if "evening stiffness" in t)
    assert lines[0].startswith(f"{path}:{line_no}: findings[0].evidence[1].quote: ")
    assert "closest is quotes_release.txt:5:" in lines[0]
    assert lines[-1] == "4 quotes verified of 5, 1 problem (1 error, 0 warnings)"


def test_check_missing_source_file_is_one_line_and_exit_2(tmp_path, run_cli):
    shutil.copy(QUOTES_OK, tmp_path / "quotes_ok.yaml")  # ../sources does not exist beside it
    run = run_cli("check", "quotes_ok.yaml", cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    missing = [line for line in run.stdout.splitlines() if "source file not found" in line]
    searched = (tmp_path / ".." / "sources").resolve() / "quotes_release.txt"
    line_no = next(i for i, t in enumerate(QUOTES_OK.read_text().splitlines(), 1)
                   if "file: quotes_release.txt" in t)
    assert missing == [f"quotes_ok.yaml:{line_no}: sources[0].file: source file not found: "
                       f"{searched} (use --sources DIR or sources_dir:)"]


def test_check_sources_option_points_at_the_texts(tmp_path, source_checks_only):
    shutil.copy(QUOTES_OK, tmp_path / "quotes_ok.yaml")
    result = runner.invoke(
        app, ["check", str(tmp_path / "quotes_ok.yaml"), "--sources", str(SOURCES)])
    assert result.exit_code == 0, result.output


def test_check_bad_yaml_is_bad_input_without_traceback(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topic: x\n  title: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"{path}:")


def test_check_reports_screening_errors_and_warnings(source_checks_only):
    result = runner.invoke(app, ["check", str(NURSES)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert any("findings[1].evidence: all evidence comes from flagged sources" in t for t in lines)
    assert any(": warning: studies[0].participants.n: sources disagree" in t for t in lines)
    assert lines[-1] == "7 quotes verified of 7, 3 problems (2 errors, 1 warning)"


def test_check_json(source_checks_only):
    result = runner.invoke(app, ["check", "--json", str(NURSES), str(QUOTES_OK)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [f["quotes_verified"] for f in data["files"]] == [7, 5]
    assert data["errors"] == 2 and data["warnings"] == 1
    assert {p["key"] for p in data["files"][0]["problems"]} >= {"findings[1].evidence"}


# --- explainer sources -----------------------------------------------------------------------


def test_sources_prints_scores_and_evidence_lines_for_a_folder_and_a_glob():
    result = runner.invoke(app, ["sources", str(SOURCES), str(SOURCES / "screen_ai_*.txt")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    heads = {line.split(": ", 1)[0]: line for line in out.splitlines() if " -> " in line}
    assert heads[str(SOURCES / "screen_spun_news.txt")].endswith("-> spun")
    assert "line 3: " in out and "[nan->the" in out
    assert heads[str(SOURCES / "screen_clean_news.txt")].endswith(
        ": spun 0.00, AI-generated 0.00, preprint 0.00 -> no flags")
    assert heads[str(SOURCES / "screen_ai_preprint.txt")].endswith("-> AI-generated, preprint")
    assert out.count(f"{SOURCES / 'screen_ai_preprint.txt'}:") == 1  # folder and glob deduplicated


def test_sources_json_and_findings_report():
    result = runner.invoke(app, ["sources", "--json", "--findings", str(NURSES),
                                 str(SOURCES / "screen_nurses_ai.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (screen,) = data["sources"]
    assert screen["flagged"] and screen["scores"]["ai_generated"] >= 0.5
    fields = {d["field"]: d for d in data["findings"]["disagreements"]}
    assert fields["status"]["known"] and not fields["n"]["known"]


def test_sources_findings_text_marks_declared_and_undeclared():
    result = runner.invoke(app, ["sources", "--findings", str(NURSES)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    status = next(t for t in lines if "okafor-2024 status:" in t)
    size = next(t for t in lines if "okafor-2024 n:" in t)
    assert status.endswith("[declared under disagreements:]")
    assert size.endswith("[NOT declared]")


def test_sources_missing_path_is_bad_input(tmp_path):
    result = runner.invoke(app, ["sources", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'nope.txt'}: no such file, or no text files there"


def test_sources_reads_a_pdf_as_its_text_and_html_as_what_a_reader_sees(tmp_path):
    from html import escape

    from weasyprint import HTML

    def paragraphs(name: str) -> str:
        text = (SOURCES / name).read_text(encoding="utf-8")
        return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())

    pdf = tmp_path / "ai_preprint.pdf"
    HTML(string=f"<html lang='en'><body>{paragraphs('screen_ai_preprint.txt')}</body></html>"
         ).write_pdf(pdf)
    # Markers only in the markup (a meta description, a hidden note) are not what readers see.
    page = tmp_path / "clean_news.html"
    page.write_text(
        "<html lang='en'><head><meta name='description' content='A preprint on medRxiv, "
        "not peer reviewed'></head><body><p hidden>This is an AI-generated summary.</p>"
        f"{paragraphs('screen_clean_news.txt')}</body></html>", encoding="utf-8")
    result = runner.invoke(app, ["sources", "--json", str(pdf), str(page)])
    assert result.exit_code == 0, result.output
    screens = {Path(s["path"]).suffix: s for s in json.loads(result.stdout)["sources"]}
    assert {f["kind"] for f in screens[".pdf"]["flags"]} == {"ai_generated", "preprint"}
    assert screens[".pdf"]["flags"][0]["evidence"][0]["text"].startswith("This is an AI-generated")
    assert screens[".html"]["flags"] == []
    assert screens[".html"]["scores"] == {"spun": 0.0, "ai_generated": 0.0, "preprint": 0.0}


def test_sources_unreadable_pdf_is_one_line_of_bad_input(tmp_path, run_cli):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\ngarbage\n")
    run = run_cli("sources", bad)
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()  # no pypdf log lines before it
    assert line.startswith(f"{bad}: cannot read PDF: ")


@SEEDS_PRESENT
def test_sources_on_the_seed_folder():
    result = runner.invoke(app, ["sources", str(SHARED_SEEDS)])
    assert result.exit_code == 0, result.output
    flagged = {line.split(":")[0].rsplit("/", 1)[-1][:3]: line.rsplit("-> ", 1)[1]
               for line in result.stdout.splitlines() if " -> " in line}
    assert flagged == {"000": "no flags", "001": "spun", "002": "no flags", "003": "no flags",
                       "004": "AI-generated, preprint"}


@SEEDS_PRESENT
def test_check_bundled_example_passes_every_check():
    result = runner.invoke(app, ["check", str(BUNDLED), "--sources", str(SHARED_SEEDS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1].endswith(", 0 problems (0 errors, 0 warnings)")


@SEEDS_PRESENT
def test_sources_findings_on_bundled_example_shows_the_blood_flow_status_conflict():
    result = runner.invoke(
        app, ["sources", "--findings", str(BUNDLED), "--sources", str(SHARED_SEEDS)])
    assert result.exit_code == 0, result.output
    status = [line for line in result.stdout.splitlines() if " status: " in line]
    assert len(status) == 1
    assert "003_ca8e6cd1afacd7c8.txt:" in status[0] and "says peer_reviewed" in status[0]
    assert "004_9c2cb932df90e62f.txt:" in status[0] and "says preprint" in status[0]
