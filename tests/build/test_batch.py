"""`explainer build DIR_OR_GLOB...`: discovery, parallel builds, one bad file, exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import GOOD, build, make_topics
from typer.testing import CliRunner

from explainer.build.batch import discover, looks_like_findings

runner = CliRunner()


def test_discovery_searches_folders_and_globs_and_skips_other_yaml(tmp_path, monkeypatch):
    a, b = make_topics(tmp_path, ["topic-a", "topic-b"])
    (nested,) = make_topics(tmp_path, ["topic-c"], folder="findings/more")
    nested.rename(nested.with_suffix(".yml"))
    nested = nested.with_suffix(".yml")
    (tmp_path / "findings" / "explainer.yaml").write_text("brand:\n  organisation: Trust\n")
    (tmp_path / "findings" / "notes.yaml").write_text("title: not a findings file\nitems: []\n")
    hidden = make_topics(tmp_path, ["topic-hidden"], folder="findings/.drafts")[0]

    found, problems = discover([tmp_path / "findings"])
    assert problems == []
    assert found == [a, b, nested]  # sorted, nested .yml included, hidden folder skipped
    assert looks_like_findings(hidden)
    assert not looks_like_findings(tmp_path / "findings" / "notes.yaml")

    monkeypatch.chdir(tmp_path)
    found, problems = discover(["findings/*.yaml"])
    assert problems == [] and [p.name for p in found] == ["topic-a.yaml", "topic-b.yaml"]
    found, _ = discover(["findings/**/*.y*ml", "findings/topic-a.yaml"])
    assert sorted(p.name for p in found) == ["topic-a.yaml", "topic-b.yaml", "topic-c.yml"]

    # A file named outright is always taken (loading it reports what is wrong with it).
    found, _ = discover(["findings/notes.yaml"])
    assert found == [Path("findings/notes.yaml")]

    (tmp_path / "empty").mkdir()
    found, problems = discover(["empty", "nothing/*.yaml"])
    assert found == []
    assert [p.file for p in problems] == ["empty", "nothing/*.yaml"]
    assert "no findings files in this folder" in problems[0].message
    assert "no findings files match this pattern" in problems[1].message


@pytest.mark.slow
def test_batch_with_a_bad_file_builds_the_others_and_exits_2(tmp_path):
    good = make_topics(tmp_path, ["topic-a", "topic-b", "topic-c"])
    bad = tmp_path / "findings" / "topic-bad.yaml"
    text = GOOD.replace("topic: walking-knee-pain", "topic: topic-bad", 1).replace(
        "    short_name: Example et al. 2024", "    short_nmae: Example et al. 2024", 1)
    bad.write_text(text, encoding="utf-8")
    bad_line = next(i for i, line in enumerate(text.splitlines(), 1) if "short_nmae" in line)
    out = tmp_path / "out"

    run = build(tmp_path / "findings", "--out", out, "--format", "html", "--jobs", "2")

    assert run.exit_code == 2, run.output
    assert f"{bad}:{bad_line}: studies[0].short_nmae: unknown key" in run.stderr
    for path in good:
        topic = path.stem
        assert sorted(p.name for p in (out / topic).iterdir()) == [
            "clinician.html", "editor.html", "patient.html", "press.html", "report.html"]
        assert f"{topic}  ({path})" in run.stdout  # its summary table
    assert not (out / "topic-bad").exists()
    assert "4 topics" in run.stdout and "3 built" in run.stdout and "1 bad input" in run.stdout


@pytest.mark.slow
def test_an_output_that_fails_a_check_exits_1_and_the_rest_is_written(tmp_path):
    (path,) = make_topics(tmp_path, ["topic-a"])
    templates = tmp_path / "templates"
    templates.mkdir()
    # A patient template that drops every section, so its mandatory caveats are missing.
    (templates / "patient.html").write_text('{% extends "base.html" %}\n')
    out = tmp_path / "out"

    run = build(path, "--out", out, "--format", "html", "--templates", templates)

    assert run.exit_code == 1, run.output
    assert "caveat:small-trial" in run.stderr and "patient.html" in run.stderr
    assert not (out / "topic-a" / "patient.html").exists()
    assert (out / "topic-a" / "clinician.html").is_file()
    assert "kept last good" in run.stdout


@pytest.mark.slow
def test_parallel_and_serial_builds_write_the_same_files(tmp_path):
    paths = make_topics(tmp_path, ["topic-a", "topic-b", "topic-c"])
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"

    assert build(*paths, "--out", serial, "--format", "html", "--jobs", "1").exit_code == 0
    assert build(*paths, "--out", parallel, "--format", "html", "--jobs", "2").exit_code == 0

    files = sorted(p.relative_to(serial) for p in serial.rglob("*.html"))
    assert len(files) == 3 * 5  # three explainers, the report and the editor sheet
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("*.html"))
    for rel in files:
        assert (serial / rel).read_bytes() == (parallel / rel).read_bytes(), rel


def test_two_files_with_one_topic_are_bad_input(tmp_path):
    a, b = make_topics(tmp_path, ["topic-a", "topic-b"])
    b.write_text(b.read_text().replace("topic: topic-b", "topic: topic-a", 1))

    b.write_text(b.read_text().replace("title:", "title: Second file,", 1))
    run = build(a, b, "--out", tmp_path / "out", "--format", "html", "--jobs", "2")

    assert run.exit_code == 2
    assert f"{b}: topic: topic 'topic-a' is also built from {a}" in run.stderr
    # The second file is refused before anything is built: the folder holds the first one's.
    written = (tmp_path / "out" / "topic-a" / "patient.html").read_text()
    assert "Second file" not in written


def _in_session(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":  # session id; zombies are gone
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_build_leaves_no_fork_server_or_worker_behind(tmp_path):
    """Killed mid-batch, the build's fork server and workers end too instead of building on."""
    import signal
    import subprocess
    import time

    make_topics(tmp_path, [f"topic-{i}" for i in range(6)])
    cli = subprocess.Popen([sys.executable, "-m", "explainer", "build", str(tmp_path / "findings"),
                            "--out", str(tmp_path / "out"), "--jobs", "2", "--format", "pdf"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_in_session(cli.pid)) < 5 and cli.poll() is None:  # CLI, tracker, server, 2 workers
        assert time.monotonic() < deadline, "the pool never started"
        time.sleep(0.05)
    assert cli.poll() is None, "the batch finished before it could be killed"
    cli.send_signal(signal.SIGKILL)
    cli.wait()
    deadline = time.monotonic() + 60
    while _in_session(cli.pid):
        assert time.monotonic() < deadline, "left behind: " + "; ".join(
            Path(f"/proc/{p}/cmdline").read_text().replace("\0", " ")[:90]
            for p in _in_session(cli.pid))
        time.sleep(0.05)


def test_a_build_in_this_process_leaves_the_callers_gc_setting_as_it_was(tmp_path):
    """build_many collects garbage less often while it builds, and restores the caller's
    setting after, even when a topic fails."""
    import gc

    from explainer.build.batch import GC_THRESHOLD, build_many
    from explainer.build.topic import BuildOptions

    paths = make_topics(tmp_path, ["one-topic"])
    (tmp_path / "findings" / "broken.yaml").write_text("topic: broken\nfindings: [\n")
    seen = []
    before = gc.get_threshold()
    gc.set_threshold(1234, 11, 12)
    try:
        build_many([*paths, tmp_path / "findings" / "broken.yaml"],
                   BuildOptions(formats=("html",), out_dir=tmp_path / "out"), jobs=1,
                   on_done=lambda outcome: seen.append(gc.get_threshold()))
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert after == (1234, 11, 12)
    assert GC_THRESHOLD in seen  # while it built
