"""Diagnostics with positions: every one names a line and column where a test that opens the
file finds what it points at; plain, JSON, GitHub and SARIF forms; furniture is not flagged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import make_docx
from typer.testing import CliRunner

from explainer.cli import app

runner = CliRunner()

HARD = ("Researchers demonstrated that participants who received the intravenous medication "
        "experienced substantially improved outcomes, notwithstanding considerable "
        "interindividual variability in pharmacokinetic parameters.")
PASSIVE = "The drug was given to twenty people in the study."

DRAFTS = {
    "draft.txt": f"Ketamine news\n\nLONDON, 24 July 2025 - {HARD}\n\nBy Jane Smith\n\n"
                 f"It helps. {PASSIVE} An outcome was measured.\n\n"
                 "Figure 1: Mood scores over time in the participants of the trial.\n",
    "draft.md": "# Ketamine news\n\n*By Jane Smith*\n\nSome text first. "
                f"{HARD.replace('outcomes', '**outcomes**')}\n\n"
                f"- {PASSIVE}\n- A [second item](https://example.org/x) with an outcome.\n",
    "draft.html": f"<!doctype html><html lang=en><head><title>T</title><style>p {{ color: #111 }}"
                  "</style></head><body><h1>Ketamine news</h1><p>First.\n"
                  f"{HARD.replace(' that ', ' that <em>')}</em></p>"
                  f"<ul><li>{PASSIVE}</li></ul><figure><figcaption>Figure 1: Mood scores of the "
                  f"participants over time.</figcaption></figure></body></html>",
}


def score_json(*args: str) -> dict:
    result = runner.invoke(app, ["score", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_every_diagnostic_points_at_what_it_names(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(DRAFTS[name], encoding="utf-8")
    diagnostics = score_json(str(path))["files"][0]["diagnostics"]
    rules = {d["rule"] for d in diagnostics}
    assert {"very-hard-sentence", "long-word", "passive", "plain-word"} <= rules
    lines = path.read_text(encoding="utf-8").split("\n")
    for d in diagnostics:
        assert d["path"] == str(path) and d["line"] >= 1 and d["col"] >= 1
        at = lines[d["line"] - 1][d["col"] - 1:]
        # what it points at starts there (markup such as ** or <em> may follow its first word)
        assert words(at)[:1] == words(d["text"])[:1], (d, at[:40])
        assert d["text"] in d["sentence"] or d["rule"] == "plain-word"
    sentences = {d["sentence"] for d in diagnostics}
    assert HARD.replace("**", "") in sentences  # the whole sentence, not a clipped one


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_datelines_bylines_headings_and_captions_are_not_flagged(tmp_path: Path,
                                                                 name: str) -> None:
    path = tmp_path / name
    path.write_text(DRAFTS[name], encoding="utf-8")
    report = score_json(str(path), "--details")["files"][0]
    flagged = " ".join(d["sentence"] for d in report["diagnostics"])
    for furniture in ("Ketamine news", "LONDON", "Jane Smith", "Figure 1", "Mood scores"):
        assert furniture not in flagged
    assert all(not s["text"].startswith(("LONDON", "By ", "Figure"))
               for s in report["diagnosis"]["hardest"])
    assert "headings" in report["apart"]


def test_docx_diagnostics_name_the_paragraph_and_column(tmp_path: Path) -> None:
    import zipfile

    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    path = make_docx(tmp_path / "draft.docx")
    diagnostics = score_json(str(path), "-a", "press")["files"][0]["diagnostics"]
    assert diagnostics
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t")))
                  for p in docx.Document(str(path)).element.body.iter(qn("w:p"))]
    notes = etree.fromstring(zipfile.ZipFile(path).read("word/footnotes.xml"))
    paragraphs += ["".join(t.text or "" for t in p.iter(qn("w:t"))) for note in notes
                   if note.get(qn("w:type")) is None for p in note.iter(qn("w:p"))]
    paragraphs = [p for p in paragraphs if p.strip()]  # a "line" is a paragraph with text
    assert any(d["line"] == len(paragraphs) for d in diagnostics)  # the footnote: a passive
    for d in diagnostics:
        assert paragraphs[d["line"] - 1][d["col"] - 1:].startswith(d["text"].split()[0])


def test_plain_details_print_file_line_col_level_message_and_the_sentence(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFTS["draft.txt"], encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--details"])
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    first = next(i for i, line in enumerate(out) if "very hard sentence" in line)
    assert re.match(rf"^{re.escape(str(path))}:3:\d+: error: very hard sentence: grade ",
                    out[first])
    assert out[first + 1] == f"    in: {HARD}"
    assert any(re.match(rf"^{re.escape(str(path))}:\d+:\d+: suggestion: passive verb 'was given'",
                        line) for line in out)
    assert any("plainer word: 'An outcome' -> 'A result'" in line for line in out)


def test_github_annotations(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFTS["draft.txt"], encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--format", "github"])
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[\w-]+::.+")
    assert annotations and all(pattern.match(a) or a.startswith("::error file=")
                               for a in annotations)
    assert any(a.startswith("::error file=") and "over the patient target" in a
               for a in annotations)


def test_sarif_log(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(DRAFTS["draft.md"], encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert run["results"]
    for r in run["results"]:
        assert r["ruleId"] in rule_ids and r["level"] in ("error", "warning", "note")
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == str(path)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run["results"]
               if r["ruleId"] != "over-target"]
    assert all(g["startLine"] >= 1 and g["startColumn"] >= 1 for g in regions)
    assert any(r["ruleId"] == "over-target" for r in run["results"])


def test_unknown_format_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The cat sat on the mat.", encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "--format: 'xml' is not one of plain, json, github, sarif"


def test_html_captions_are_scored_apart_whatever_they_say(tmp_path: Path) -> None:
    path = tmp_path / "draft.html"
    path.write_text("<p>The cat sat on the mat.</p><figure><figcaption>Mood scores of twenty "
                    "participants who were randomised</figcaption></figure><table><caption>"
                    "Who took part</caption><tr><td>Twenty six people</td></tr></table>",
                    encoding="utf-8")
    report = score_json(str(path), "--details")["files"][0]
    assert report["apart"]["caption"]["words"] == 11
    assert report["body"]["words"] == 9
    assert not any("randomised" in d["sentence"] for d in report["diagnostics"])


@pytest.mark.parametrize(
    ("block", "dateline"),
    [
        ("LONDON, 24 July 2025 – Researchers found a link.", "LONDON, 24 July 2025 –"),
        ("LONDON (Reuters) - Researchers found a link.", "LONDON (Reuters) -"),
        ("(Press-News.org) Researchers found a link.", "(Press-News.org)"),
        ("July 24, 2025 — Researchers found a link.", "July 24, 2025 —"),
        ("Researchers found a link in July 2025.", ""),
        ("(In mice) the drug worked.", ""),
    ],
)
def test_datelines_that_open_a_paragraph_are_cut_off(block: str, dateline: str) -> None:
    from explainer.readability.furniture import split_dateline

    found, rest = split_dateline(block)
    assert found == dateline
    assert rest.strip() in block and (not dateline or rest.startswith("Researchers"))


@pytest.mark.parametrize(
    ("block", "kind"),
    [("24 July 2025", "dateline"), ("For immediate release", "dateline"),
     ("By Jane Smith and Tom Jones", "byline"), ("Figure 2: Scores by week", "caption"),
     ("Photo: King's College London", "caption"), ("Table 1. Who took part", "caption"),
     ("By the end of the study most people felt better.", None),
     ("The figure shows scores.", None)],
)
def test_furniture_kinds(block: str, kind: str | None) -> None:
    from explainer.readability.furniture import kind_of

    assert kind_of(block) == kind
