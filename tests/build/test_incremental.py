"""Incremental builds: a topic is rebuilt exactly when something it is made from changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import build, make_topics

from explainer.build.manifest import MANIFEST_NAME
from explainer.render.templates_dir import builtin_templates

pytestmark = pytest.mark.slow  # whole-topic builds

Snapshot = dict[str, tuple[int, int, bytes]]


def snapshot(out: Path) -> Snapshot:
    """Every file in out/ with its inode, mtime and bytes: a rewrite changes at least one."""
    snap = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            st = path.stat()
            snap[str(path.relative_to(out))] = (st.st_ino, st.st_mtime_ns, path.read_bytes())
    return snap


def rewritten(before: Snapshot, after: Snapshot) -> set[str]:
    """Files written again (same or new content); a file that vanished counts too."""
    return {name for name in before.keys() | after.keys()
            if before.get(name, (None, None))[:2] != after.get(name, (None, None))[:2]}


def topic_files(snap: Snapshot, topic: str) -> set[str]:
    return {name for name in snap if name.startswith(f"{topic}/")}


def outputs(snap: Snapshot) -> set[str]:
    """Everything but the manifest (rewritten only when what it records changed)."""
    return set(snap) - {MANIFEST_NAME}


def test_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    paths = make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    first = build(tmp_path / "findings", "--out", out, "--jobs", "2")
    assert first.exit_code == 0, first.output
    before = snapshot(out)
    assert {f"topic-a/{a}.{x}" for a in ("patient", "clinician", "press")
            for x in ("html", "pdf")} <= set(before)
    assert MANIFEST_NAME in before

    again = build(tmp_path / "findings", "--out", out, "--jobs", "2")

    assert again.exit_code == 0, again.output
    assert snapshot(out) == before
    assert again.stdout.count("unchanged since the last build") == len(paths)
    assert "0 built, 2 unchanged" in again.stdout
    assert "unchanged  patient.html, patient.pdf" in again.stdout  # the table still shows


def test_changing_one_findings_file_rebuilds_only_that_topic(tmp_path):
    a, _ = make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    assert build(tmp_path / "findings", "--out", out, "--format", "html").exit_code == 0
    before = snapshot(out)

    a.write_text(a.read_text().replace("This study asked", "The study asked", 1))
    run = build(tmp_path / "findings", "--out", out, "--format", "html")

    assert run.exit_code == 0, run.output
    after = snapshot(out)
    assert rewritten(before, after) == topic_files(before, "topic-a") | {MANIFEST_NAME}
    assert "The study asked" in (out / "topic-a" / "patient.html").read_text()
    assert "1 built, 1 unchanged" in run.stdout


def test_template_change_rebuilds_every_topic_that_uses_it(tmp_path):
    make_topics(tmp_path, ["topic-a", "topic-b"])
    templates = tmp_path / "house"
    templates.mkdir()
    patient = templates / "patient.html"
    patient.write_text((builtin_templates() / "patient.html").read_text())
    out = tmp_path / "out"
    args = (tmp_path / "findings", "--out", out, "--format", "html", "--templates", templates)
    assert build(*args).exit_code == 0
    before = snapshot(out)
    assert build(*args).exit_code == 0
    assert snapshot(out) == before

    text = patient.read_text()
    assert "{% block body %}" in text
    patient.write_text(text.replace("{% block body %}", "{% block body %}<p>house style 2</p>", 1))
    run = build(*args)

    assert run.exit_code == 0, run.output
    after = snapshot(out)
    assert rewritten(before, after) >= outputs(before)
    for topic in ("topic-a", "topic-b"):
        assert "house style 2" in (out / topic / "patient.html").read_text()

    # A template that starts overriding a built-in one counts as a change too.
    (templates / "press.html").write_text((builtin_templates() / "press.html").read_text())
    assert rewritten(after, snapshot_after(build(*args), out)) >= outputs(after)


def snapshot_after(run, out: Path) -> Snapshot:
    assert run.exit_code == 0, run.output
    return snapshot(out)


def test_force_rebuilds_every_topic(tmp_path):
    make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    args = (tmp_path / "findings", "--out", out, "--format", "html")
    before = snapshot_after(build(*args), out)

    after = snapshot_after(build(*args, "--force"), out)

    assert rewritten(before, after) >= outputs(before)
    assert {name: data for name, (_, _, data) in after.items() if name != MANIFEST_NAME} == \
        {name: data for name, (_, _, data) in before.items() if name != MANIFEST_NAME}


def test_a_changed_source_text_options_or_config_rebuild(tmp_path):
    make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    args = (tmp_path / "findings", "--out", out, "--format", "html")
    before = snapshot_after(build(*args), out)

    source = tmp_path / "sources" / "walking_release.txt"
    source.write_text(source.read_text() + "\nA line added later.\n")
    after_source = snapshot_after(build(*args), out)
    assert rewritten(before, after_source) >= outputs(before)  # both topics quote it

    after_option = snapshot_after(build(*args, "--large-print"), out)
    assert rewritten(after_source, after_option) >= outputs(before)
    assert snapshot_after(build(*args, "--large-print"), out) == after_option

    (tmp_path / "findings" / "explainer.yaml").write_text("brand:\n  organisation: Trust\n")
    after_config = snapshot_after(build(*args, "--large-print"), out)
    assert rewritten(after_option, after_config) >= outputs(before)


def test_a_deleted_output_is_rebuilt_and_a_failed_one_is_retried(tmp_path):
    make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    args = (tmp_path / "findings", "--out", out, "--format", "html")
    before = snapshot_after(build(*args), out)

    (out / "topic-a" / "press.html").unlink()
    after = snapshot_after(build(*args), out)
    assert rewritten(before, after) - {MANIFEST_NAME} == topic_files(before, "topic-a")
    assert (out / "topic-a" / "press.html").is_file()

    # An output that fails a check is never recorded as done: the next run tries again.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "patient.html").write_text('{% extends "base.html" %}\n')
    for _ in range(2):
        run = build(*args, "--templates", broken)
        assert run.exit_code == 1, run.output
        assert "unchanged since the last build" not in run.stdout


def test_manifest_records_content_hashes_of_inputs_and_outputs(tmp_path):
    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    assert build(path, "--out", out, "--format", "html").exit_code == 0

    entry = json.loads((out / MANIFEST_NAME).read_text())["topics"][str(path.resolve())]

    assert entry["topic"] == "topic-a"
    inputs = set(entry["inputs"])
    assert str(path.resolve()) in inputs
    assert str((tmp_path / "sources" / "walking_release.txt").resolve()) in inputs
    assert sorted(entry["outputs"]) == sorted(
        f"topic-a/{name}" for name in ("patient.html", "clinician.html", "press.html",
                                       "report.html", "editor.html"))
    # Content, not time: touching a file without changing it rebuilds nothing.
    os.utime(path, ns=(1, 1))
    before = snapshot(out)
    assert build(path, "--out", out, "--format", "html").exit_code == 0
    assert snapshot(out) == before


def test_the_run_key_names_the_installed_weasyprint(tmp_path, monkeypatch):
    """A WeasyPrint upgrade changes every output, so the run key holds its version: read
    from its package without importing it, and the same version pip installed."""
    from importlib.metadata import version

    from explainer.build import manifest

    assert manifest._weasyprint_version() == version("weasyprint")
    # A package whose version line is not there: the metadata answers instead.
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "__init__.py").write_text("__version__ = compute()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    importlib.invalidate_caches()
    monkeypatch.delitem(__import__("sys").modules, "weasyprint", raising=False)
    assert manifest._weasyprint_version() == version("weasyprint")
