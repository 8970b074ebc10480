"""Bad findings files: one line per problem (file:line: key: message), exit 2, nothing written."""

from __future__ import annotations

import json

import pytest
from conftest import MIN_TOPIC, SOURCES

GOOD = MIN_TOPIC.read_text()


def variant(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = {
    "wrong key": (
        variant("    short_name: Example et al. 2024", "    short_nmae: Example et al. 2024"),
        "short_nmae",
        "studies[0].short_nmae",
        "did you mean 'short_name'",
    ),
    "wrong type": (
        variant("{n: 40,", "{n: forty,"),
        "{n: forty,",
        "studies[0].participants.n",
        "integer",
    ),
    "missing field": (
        variant("    design: randomized_controlled\n", ""),
        "- id: example-2024",
        "studies[0].design",
        "required",
    ),
    "bad indent": (
        variant("  clinician: Exercise is first-line", " clinician: Exercise is first-line"),
        None,
        "",
        "YAML syntax",
    ),
    "missing study": (
        variant("    study: example-2024", "    study: nosuch-2023"),
        "study: nosuch-2023",
        "findings[0].study",
        "no study with id 'nosuch-2023'",
    ),
}


def write_case(tmp_path, text):
    folder = tmp_path / "topic"
    folder.mkdir()
    (folder / "findings.yaml").write_text(text)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "walking_release.txt").write_text(
        (SOURCES / "walking_release.txt").read_text()
    )
    return folder / "findings.yaml"


# Each case by validate in the fast lane; by build (a heavier start) in the full suite.
@pytest.mark.parametrize("command", ["validate", pytest.param("build", marks=pytest.mark.slow)])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_gives_one_clear_line_and_exit_2(tmp_path, run_cli, case, command):
    text, needle, key, message = CASES[case]
    path = write_case(tmp_path, text)
    out = tmp_path / "out"
    args = [command, path, *(["--out", out] if command == "build" else [])]
    run = run_cli(*args, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    line = lines[0]
    expected_line = line_of(text, needle) if needle else None
    if expected_line:
        assert line.startswith(f"{path}:{expected_line}:"), line
    else:
        assert line.startswith(f"{path}:"), line
        assert line.split(":")[1].isdigit(), line
    assert key in line and message in line, line
    assert not out.exists() or not any(out.rglob("*.*"))


@pytest.mark.slow
def test_failed_build_keeps_last_good_output(tmp_path, run_cli):
    good = write_case(tmp_path, GOOD)
    out = tmp_path / "out"

    def build_html(findings, out):
        return run_cli("build", findings, "--out", out, "--format", "html")

    run = build_html(good, out)
    assert run.returncode == 0, run.stderr
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    assert before
    good.write_text(CASES["wrong key"][0])
    run = build_html(good, out)
    assert run.returncode == 2
    after = {p: p.read_bytes() for p in out.rglob("*.html")}
    assert after == before
    assert not list(out.rglob("*.tmp"))


def test_missing_findings_file_is_one_line(tmp_path, run_cli):
    run = run_cli("validate", tmp_path / "nope.yaml")
    assert run.returncode == 2
    assert run.stderr.strip() == f"{tmp_path / 'nope.yaml'}: findings file not found"


def test_schema_is_valid_json_schema_naming_every_section(run_cli):
    run = run_cli("schema")
    schema = json.loads(run.stdout)
    for key in ("sources", "studies", "findings", "caveats", "glossary"):
        assert key in schema["properties"]
    assert schema["additionalProperties"] is False


@pytest.mark.slow
def test_broken_user_template_is_one_line_naming_it(tmp_path, run_cli):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "press.html").write_text('{% extends "base.html" %}\n{% block body %}\n{% if %}\n')
    run = run_cli("build", MIN_TOPIC, "--out", tmp_path / "out", "--templates", folder)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{folder / 'press.html'}:3: template:"), lines


@pytest.mark.parametrize("placeholder", ["{walk_drop:.2f}", "{walk_drop!r}", "{n:>30}"])
def test_placeholder_with_format_spec_is_refused(tmp_path, run_cli, placeholder):
    text = GOOD.replace("WOMAC pain fell {walk_drop}", "WOMAC pain fell " + placeholder, 1)
    assert text != GOOD
    path = write_case(tmp_path, text)
    run = run_cli("validate", path)
    assert run.returncode == 2
    line = line_of(text, placeholder)
    assert run.stderr.startswith(f"{path}:{line}: findings[0].clinician: bad placeholder:")


def test_duplicate_key_is_reported_not_silently_overwritten(tmp_path, run_cli):
    text = GOOD.replace("title: Walking and knee pain\n",
                        "title: Walking and knee pain\ntitle: Other\n")
    path = write_case(tmp_path, text)
    run = run_cli("validate", path)
    assert run.returncode == 2
    first = line_of(text, "title: Walking")
    expected = f"{path}:{first + 1}: title: duplicate key (first given on line {first})"
    assert run.stderr.strip() == expected


def test_alias_bomb_does_not_stall_the_loader(tmp_path, run_cli):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n")
    run = run_cli("validate", path, timeout=60)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "aliases (*name) are not allowed" in run.stderr


@pytest.mark.parametrize("file", ["/etc/passwd", "../../../etc/hostname.txt", "notes.exe"])
def test_source_file_must_be_a_text_file_inside_sources_dir(tmp_path, run_cli, file):
    text = GOOD.replace("file: walking_release.txt", f"file: {file}")
    path = write_case(tmp_path, text)
    run = run_cli("check", path)
    assert run.returncode == 2
    assert f"{path}:{line_of(text, 'file: ' + file)}: sources[0].file:" in run.stderr
    assert "root:" not in run.stdout + run.stderr


def test_study_evidence_must_name_a_known_source(tmp_path, run_cli):
    text = GOOD.replace("    reported_by: [release]\n",
                        "    reported_by: [release]\n    evidence:\n"
                        "      - {source: nosuch, quote: \"a randomised controlled trial\"}\n")
    path = write_case(tmp_path, text)
    run = run_cli("validate", path)
    assert run.returncode == 2
    line = line_of(text, "source: nosuch")
    assert run.stderr.startswith(f"{path}:{line}: studies[0].evidence[0].source: no source")
