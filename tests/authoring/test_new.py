"""`explainer new`: in an empty folder with the bundled sources copied in, the starter file
validates, builds into DRAFT explainers, and `check` lists its TODOs with their lines; without
`draft: true` the build refuses every output that still shows a TODO."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import SHARED_SEEDS, require


@pytest.fixture
def folder(tmp_path):
    require(SHARED_SEEDS)
    for src in SHARED_SEEDS.glob("*.txt"):
        shutil.copy(src, tmp_path / src.name)
    return tmp_path


@pytest.mark.slow
def test_new_validate_build_check(run_cli, folder):
    run = run_cli("new", "demo", cwd=folder)
    assert run.returncode == 0, run.stderr
    findings = folder / "demo.yaml"
    text = findings.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./findings.schema.json")
    schema = json.loads((folder / "findings.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["topic"]["description"]
    assert text.count("Example:") >= 8  # each part shows one example
    assert run_cli("validate", "demo.yaml", cwd=folder).returncode == 0

    built = run_cli("build", "demo.yaml", "--format", "html", cwd=folder)
    assert built.returncode == 0, built.stderr
    for audience in ("patient", "clinician", "press"):
        html = (folder / "out" / "demo" / f"{audience}.html").read_text(encoding="utf-8")
        assert 'class="draft-banner"' in html and "DRAFT" in html

    check = run_cli("check", "demo.yaml", cwd=folder)
    assert check.returncode == 0, check.stdout + check.stderr
    lines = text.splitlines()
    todos = [m for m in re.finditer(r"^demo\.yaml:(\d+): warning: (\S+): TODO placeholder",
                                    check.stdout, re.M)]
    values = [line for line in lines if not line.lstrip().startswith("#")]
    assert len(todos) == sum(line.count("TODO:") for line in values)
    for m in todos:
        assert "TODO" in lines[int(m.group(1)) - 1]
    assert "0 errors" in check.stdout


@pytest.mark.slow
def test_published_build_refuses_outputs_with_todos(run_cli, folder):
    assert run_cli("new", "demo", cwd=folder).returncode == 0
    findings = folder / "demo.yaml"
    assert run_cli("build", "demo.yaml", "--format", "html", cwd=folder).returncode == 0
    patient = folder / "out" / "demo" / "patient.html"
    draft_html = patient.read_bytes()
    text = findings.read_text(encoding="utf-8").replace("\ndraft: true\n", "\n")
    # publishing: no draft flag, every TODO still in place
    findings.write_text(text, encoding="utf-8")
    run = run_cli("build", "demo.yaml", "--format", "html", cwd=folder)
    assert run.returncode == 1
    title_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("title:"))
    assert re.search(rf"^demo\.yaml:{title_line}: title: out/demo/patient\.html: not published",
                     run.stderr, re.M), run.stderr
    assert patient.read_bytes() == draft_html  # refused: the last good (draft) file stays


def test_new_refuses_to_overwrite(run_cli, folder):
    assert run_cli("new", "demo", cwd=folder).returncode == 0
    again = run_cli("new", "demo", cwd=folder)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_new_without_sources_gives_a_file_to_paste_into(tmp_path, run_cli):
    run = run_cli("new", "Walking and Knees", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "walking-and-knees.yaml").is_file()
    assert (tmp_path / "sources" / "your-source.txt").is_file()
    assert run_cli("check", "walking-and-knees.yaml", cwd=tmp_path).returncode == 0
