"""`explainer score` on every input type, its exit codes and JSON, and the target logic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from explainer.cli import app
from explainer.problems import InputError
from explainer.readability.formulas import score_text
from explainer.readability.targets import load_targets, parse_target_option

EASY = "The cat sat on the mat. We like the cat. It is a good cat. The sun is out today.\n"
HARD = (
    "Participants demonstrated considerably improved neuropsychological functioning following "
    "intravenous administration of subanaesthetic ketamine, notwithstanding substantial "
    "interindividual variability in pharmacokinetic parameters and concomitant medications.\n"
)

runner = CliRunner()


def score(*args: str, input: str | None = None):
    return runner.invoke(app, ["score", *args], input=input)


def as_json(*args: str, input: str | None = None) -> dict:
    result = score(*args, "--json", input=input)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture
def easy(tmp_path: Path) -> Path:
    path = tmp_path / "easy.txt"
    path.write_text(EASY, encoding="utf-8")
    return path


@pytest.fixture
def hard(tmp_path: Path) -> Path:
    path = tmp_path / "hard.txt"
    path.write_text(HARD, encoding="utf-8")
    return path


def test_txt_within_target_exits_0(easy: Path) -> None:
    result = score(str(easy))
    assert result.exit_code == 0, result.output
    assert "easy.txt" in result.stdout and "ok" in result.stdout
    assert "Flesch-Kincaid grade ≤ 6" in result.stdout


def test_txt_over_target_exits_1(easy: Path, hard: Path) -> None:
    result = score(str(easy), str(hard))
    assert result.exit_code == 1
    assert "OVER: Flesch-Kincaid grade" in result.stdout
    assert "2 file(s) scored, 1 over target." in result.stdout


def test_json_shape(easy: Path) -> None:
    data = as_json(str(easy), "--audience", "press")
    assert data["audience"] == "press" and data["over_target"] is False
    assert data["target"]["limits"] == {"fk": 10.0}
    (entry,) = data["files"]
    assert entry["path"] == str(easy) and entry["format"] == "txt"
    assert set(entry["body"]) >= {"flesch_kincaid_grade", "smog", "flesch_reading_ease",
                                  "gunning_fog", "coleman_liau", "ari", "dale_chall", "words",
                                  "sentences", "syllables", "polysyllables"}
    assert entry["body"]["words"] == 20 and entry["body"]["sentences"] == 4
    assert entry["misses"] == []
    assert set(entry["diagnosis"]) == {"hardest", "long_sentences", "unexplained_words",
                                       "passive", "plain_words"}
    assert entry["sections"][0]["id"] == "text"


def test_markdown_syntax_and_headings_are_not_scored(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("# Extraordinarily complicated pharmacological heading\n\n"
                  "The **cat** sat on the [mat](https://example.org/x).\n\n"
                  "- We like the cat\n- It is good\n", encoding="utf-8")
    entry = as_json(str(md))["files"][0]
    plain = score_text("The cat sat on the mat.\nWe like the cat\nIt is good")
    assert entry["format"] == "md"
    assert entry["body"]["words"] == plain.words == 13
    assert entry["body"]["sentences"] == 3
    assert entry["apart"]["headings"]["words"] == 4


def test_html_scores_only_what_a_reader_sees(tmp_path: Path) -> None:
    html = tmp_path / "a.html"
    html.write_text(
        "<html><head><style>.gone{display:none}</style></head><body>"
        '<section data-section="one"><h2>Heading words</h2><p>The cat sat on the mat.</p>'
        '<p class="gone">Hidden pharmacological complications everywhere.</p></section>'
        '<section data-section="two"><p>We like the cat.</p></section></body></html>',
        encoding="utf-8")
    entry = as_json(str(html))["files"][0]
    assert entry["format"] == "html"
    assert entry["body"]["words"] == 10
    assert [s["id"] for s in entry["sections"]] == ["one", "two"]
    result = score(str(html), "--sections")
    assert "#one" in result.stdout and "#two" in result.stdout


def test_pdf_is_read_back_as_text(tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = tmp_path / "a.pdf"
    HTML(string=f"<p>{EASY}</p>").write_pdf(pdf)
    entry = as_json(str(pdf))["files"][0]
    assert entry["format"] == "pdf"
    assert entry["body"]["words"] == score_text(EASY).words
    assert entry["body"]["flesch_kincaid_grade"] == pytest.approx(
        round(score_text(EASY).flesch_kincaid_grade, 2))


def test_unreadable_pdf_is_one_line_without_pypdf_log_lines(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\ngarbage\n")
    run = run_cli("score", bad)
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()  # pypdf logs "EOF marker not found" unless silenced
    assert line.startswith(f"{bad}: cannot read PDF: ")


def test_standard_input(easy: Path) -> None:
    entry = as_json("-", input=EASY)["files"][0]
    assert entry["path"] == "<stdin>" and entry["format"] == "txt"
    assert entry["body"]["words"] == 20
    html = "<html><body><p>The cat sat.</p><p hidden>Secret words here</p></body></html>"
    entry = as_json("-", input=html)["files"][0]
    assert entry["format"] == "html" and entry["body"]["words"] == 3
    entry = as_json("-", "--stdin-format", "txt", input=html)["files"][0]
    assert entry["format"] == "txt" and entry["body"]["words"] > 3


def test_folder_is_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(EASY, encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text(EASY, encoding="utf-8")
    (tmp_path / "sub" / "c.png").write_bytes(b"\x89PNG")
    paths = [f["path"] for f in as_json(str(tmp_path))["files"]]
    assert [Path(p).name for p in paths] == ["a.txt", "b.md"]


def test_glob_pattern(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.md"):
        (tmp_path / name).write_text(EASY, encoding="utf-8")
    paths = [f["path"] for f in as_json(str(tmp_path / "*.txt"))["files"]]
    assert [Path(p).name for p in paths] == ["a.txt", "b.txt"]


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path: Path, easy: Path) -> None:
    rtf = tmp_path / "a.rtf"
    rtf.write_bytes(b"{\\rtf1}")
    result = score(str(easy), str(tmp_path / "missing.txt"), str(rtf), str(tmp_path / "*.xyz"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert lines[0] == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert lines[1].startswith(f"{rtf}: unknown suffix '.rtf'")
    assert "no files to score match" in lines[2]
    assert "easy.txt" not in result.stdout  # nothing is scored when the input is bad


def test_bad_target_option_exits_2(easy: Path) -> None:
    result = score(str(easy), "--target", "fk=6,zz=3")
    assert result.exit_code == 2
    assert "--target: 'zz=3' is not METRIC=NUMBER" in result.stderr


def test_target_option(hard: Path) -> None:
    assert score(str(hard)).exit_code == 1
    # alone, --target is the whole target
    assert score(str(hard), "--target", "fk=40,smog=40").exit_code == 0
    data = as_json(str(hard), "--target", "fk=40")
    assert data["audience"] == "custom" and data["target"]["limits"] == {"fk": 40.0}
    # with --audience it changes that audience's limits; SMOG stays at 8
    result = score(str(hard), "--audience", "patient", "--target", "fk=40")
    assert result.exit_code == 1 and "SMOG grade" in result.stdout
    assert score(str(hard), "-a", "patient", "-t", "fk=40,smog=off").exit_code == 0


def test_config_file_overrides_targets(tmp_path: Path, hard: Path) -> None:
    config = tmp_path / "explainer.yaml"
    config.write_text("brand:\n  organisation: X\nreadability:\n  audiences:\n    patient:\n"
                      "      limits: {fk: 40, smog: 40}\n", encoding="utf-8")
    assert score(str(hard), "--config", str(config)).exit_code == 0
    assert score(str(hard), "--config", str(config), "--target", "fk=6",
                 "--audience", "patient").exit_code == 1


def test_bad_config_exits_2_naming_the_line(tmp_path: Path, easy: Path) -> None:
    config = tmp_path / "explainer.yaml"
    config.write_text("readability:\n  audiences:\n    patient:\n      limits:\n"
                      "        grade: 6\n", encoding="utf-8")
    result = score(str(easy), "--config", str(config))
    assert result.exit_code == 2
    where = f"{config}:5: readability.audiences.patient.limits.grade: unknown metric"
    assert where in result.stderr
    missing = score(str(easy), "--config", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "no such config file" in missing.stderr


def test_unknown_audience_exits_2(easy: Path) -> None:
    result = score(str(easy), "--audience", "children")
    assert result.exit_code == 2 and "unknown audience 'children'" in result.stderr


def test_file_with_no_text_is_bad_input_not_a_pass(tmp_path: Path) -> None:
    """An empty file (or an image-only PDF) has nothing to score: it must not pass CI."""
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = score(str(empty))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{empty}: no text to score"


def test_details_list_what_to_fix(hard: Path) -> None:
    result = score(str(hard), "--details")
    assert "Hardest sentences" in result.stdout
    assert "notwithstanding -> 'still'; rephrase with 'despite'" in result.stdout
    assert "Participants -> 'People taking part'" in result.stdout  # inflected to fit
    assert f"{hard}:1:1: error: very hard sentence" in result.stdout


def test_every_option_has_help() -> None:
    import typer.main

    command = typer.main.get_command(app).commands["score"]  # type: ignore[attr-defined]
    assert command.help
    for param in command.params:
        assert getattr(param, "help", None), param.name


# --- the target logic, as a library --------------------------------------------------------


def test_shipped_targets() -> None:
    targets = load_targets()
    assert targets["patient"].limits == {"fk": 6.0, "smog": 8.0}
    assert targets["press"].limits == {"fk": 10.0}
    assert targets["clinician"].limits == {}
    assert {"ama", "nih", "shell"} <= set(targets["patient"].sources)


def test_target_check() -> None:
    patient = load_targets()["patient"]
    misses = patient.check(score_text(HARD))
    assert {m.metric for m in misses} == {"fk", "smog"}
    assert str(misses[0]).startswith("Flesch-Kincaid grade ")
    assert patient.check(score_text(EASY)) == []
    assert patient.check(score_text("")) == []
    fre = load_targets(overrides={"patient": {"fre": 60}})["patient"]
    assert [m.metric for m in fre.check(score_text(HARD))] == ["fk", "smog", "fre"]


def test_overrides_and_config(tmp_path: Path) -> None:
    every = load_targets(overrides={"fk": 8})
    assert every["patient"].limits["fk"] == every["clinician"].limits["fk"] == 8.0
    config = tmp_path / "explainer.yaml"
    config.write_text("readability:\n  audiences:\n    press:\n      limits: {fk: null, smog: 12}\n"
                      "      sentences: {hard: 11}\n", encoding="utf-8")
    press = load_targets(config)["press"]
    assert press.limits == {"smog": 12.0}
    assert press.sentences.hard == 11 and press.sentences.very_hard == 15
    with pytest.raises(InputError):
        load_targets(overrides={"patient": {"grade": 3}})


def test_config_with_a_byte_order_mark(tmp_path: Path) -> None:
    config = tmp_path / "explainer.yaml"
    config.write_bytes("\ufeffreadability:\n  audiences:\n    press:\n      limits: {fk: 12}\n"
                       .encode("utf-8"))
    assert load_targets(config)["press"].limits == {"fk": 12.0}


def test_parse_target_option() -> None:
    assert parse_target_option("fk=6, smog=8") == {"fk": 6.0, "smog": 8.0}
    assert parse_target_option("smog=off") == {"smog": None}
    with pytest.raises(ValueError, match="not a number"):
        parse_target_option("fk=six")
