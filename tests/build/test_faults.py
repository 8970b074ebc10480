"""Faults lose nothing: kill -9, concurrent builds, a read-only out dir, a full disk and
WeasyPrint's own crashes each leave the last good outputs intact, an audience's HTML and PDF
from one build, and the next build correct (never a skip of a stale or missing output)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BENCH, CLI, REPO
from helpers import build, make_topics, small_disk

sys.path.insert(0, str(BENCH))
from faults import KILLER  # the benchmark's kill script: one copy for both

from explainer.build.manifest import MANIFEST_NAME, Entry, Manifest
from explainer.build.output import JOURNAL, WriteError, commit, folder_lock, recover
from explainer.render.templates_dir import builtin_templates

AUDIENCES = ("patient", "clinician", "press")
OLD, NEW = "Walking and knee pain", "Walking and knee pain update"


def version_of(out: Path, topic: str, audience: str) -> tuple[str, str]:
    """Which build ("old" or "new") wrote an audience's HTML and its PDF (by their text)."""
    from explainer.pdf.content_stream import pdf_text

    folder = out / topic
    html = (folder / f"{audience}.html").read_text(encoding="utf-8")
    pdf = pdf_text((folder / f"{audience}.pdf").read_bytes())
    return ("new" if NEW in html else "old",
            "new" if NEW in " ".join(pdf.split()) else "old")


def leftovers(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.name.endswith(".tmp") or p.name == JOURNAL)


def files_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def no_traceback(run) -> None:
    assert "Traceback" not in run.output, run.output
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception


# ---------------------------------------------------------------------------------------------
# kill -9

# A real subprocess that SIGKILLs itself on the N-th call of os.replace or os.fsync: a seeded
# choice of points inside the commit (temps written, journal, each rename, manifest), where a
# kill at a random time would rarely land.
_KILLER = KILLER  # the benchmark's script: one copy for both


def _kill_points() -> list[tuple[str, int]]:
    # One topic, three audiences: 7 temps fsynced, then the journal; 1 journal rename, 7 renames,
    # 1 manifest rename. The rename after the first audience's HTML is always tried.
    rng = random.Random(9)
    points = [("replace", 2), *rng.sample([("replace", n) for n in (1, 3, 5, 7, 8, 9)], 3)]
    return points + rng.sample([("fsync", n) for n in range(1, 9)], 1)


KILL_POINTS = _kill_points()


def toggle(path: Path) -> str:
    """Edit the title to the other version; return which one the file now says."""
    text = path.read_text()
    if NEW in text:
        path.write_text(text.replace(NEW, OLD, 1))
        return "old"
    path.write_text(text.replace(OLD, NEW, 1))
    return "new"


@pytest.mark.slow
def test_kill_9_at_any_point_then_rebuild_is_correct(tmp_path):
    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    args = ["build", str(path), "--out", str(out)]
    assert build(*args[1:]).exit_code == 0
    for name, nth in KILL_POINTS:
        want = toggle(path)
        killed = subprocess.run([sys.executable, "-c", _KILLER, name, str(nth), *args],
                                cwd=REPO, capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, (name, nth, killed.stderr)

        # What a reader sees before any repair: each pair from one build, unless the journal
        # says a commit is half done (and then the manifest does not match the files).
        mixed = [a for a in AUDIENCES if len(set(version_of(out, "topic-a", a))) > 1]
        assert not mixed or (out / "topic-a" / JOURNAL).exists(), (name, nth, mixed)

        again = build(*args[1:])
        assert again.exit_code == 0, (name, nth, again.output)
        assert "unchanged since the last build" not in again.stdout, (name, nth)
        for audience in AUDIENCES:
            assert version_of(out, "topic-a", audience) == (want, want), (name, nth, audience)
        assert leftovers(out) == [], (name, nth)
        assert "unchanged since the last build" in build(*args[1:]).stdout  # now recorded


@pytest.mark.slow
def test_a_kill_at_a_random_time_never_leaves_a_mixed_pair_or_a_temp(tmp_path):
    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    args = [*CLI, "build", str(path), "--out", str(out)]
    assert build(*args[len(CLI) + 1:]).exit_code == 0
    rng = random.Random(5)
    for _ in range(2):
        want = toggle(path)
        proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(0.8, 2.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        again = build(*args[len(CLI) + 1:])
        assert again.exit_code == 0, again.output
        assert all(version_of(out, "topic-a", a) == (want, want) for a in AUDIENCES)
        assert leftovers(out) == []


def test_recovery_rolls_a_decided_commit_forward_and_deletes_dead_temps(tmp_path):
    folder = tmp_path / "topic"
    commit(folder, {"a.html": "old a", "a.pdf": b"old a"})
    # The state a kill leaves after the journal and the first rename: a.html new, a.pdf old.
    (folder / ".a.pdf.abcd1234.tmp").write_bytes(b"new a")
    (folder / JOURNAL).write_text(json.dumps({"files": {"a.html": ".a.html.zzzz9999.tmp",
                                                        "a.pdf": ".a.pdf.abcd1234.tmp"}}))
    (folder / "a.html").write_text("new a")
    (folder / ".a.html.dead0000.tmp").write_text("from a build killed before its journal")

    assert recover(folder) == (1, 1)
    assert (folder / "a.html").read_text() == (folder / "a.pdf").read_text() == "new a"
    assert sorted(os.listdir(folder)) == ["a.html", "a.pdf"]


def test_a_live_builds_temps_are_not_taken_for_dead_ones(tmp_path):
    folder = tmp_path / "topic"
    folder.mkdir()
    live = folder / ".a.html.live1234.tmp"
    live.write_text("being written")
    with folder_lock(folder):
        assert recover(folder) == (0, 0)  # another process holds the folder
    assert live.exists()
    assert recover(folder) == (0, 1)


# ---------------------------------------------------------------------------------------------
# concurrency


@pytest.mark.slow
def test_two_concurrent_builds_of_different_topics_keep_both_manifest_entries(tmp_path):
    a, b = make_topics(tmp_path, ["topic-a", "topic-b"])
    out = tmp_path / "out"
    for n in range(3):
        for path in (a, b):
            toggle(path)  # both topics changed: both builds run and record an entry
        procs = [subprocess.Popen([*CLI, "build", str(p), "--out", str(out), "--format", "html"],
                                  cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for p in (a, b)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        topics = json.loads((out / MANIFEST_NAME).read_text())["topics"]
        assert {str(a.resolve()), str(b.resolve())} <= set(topics), n
        again = build(a, b, "--out", out, "--format", "html")
        assert "0 built, 2 unchanged" in again.stdout, (n, again.output)
    assert leftovers(out) == []


# ---------------------------------------------------------------------------------------------
# read-only out dir, full disk


@pytest.mark.slow
def test_a_read_only_out_dir_is_one_line_exit_1_and_keeps_the_outputs(tmp_path):
    (path,) = make_topics(tmp_path, ["topic-a"])
    with small_disk(tmp_path / "mnt", "8m") as out:
        assert build(path, "--out", out).exit_code == 0
        good = files_of(out)
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        path.write_text(path.read_text().replace(OLD, NEW, 1))

        run = build(path, "--out", out)

        no_traceback(run)
        assert run.exit_code == 1, run.output
        lines = [line for line in run.stderr.splitlines() if "cannot write" in line]
        assert len(lines) == 1 and "not writable" in lines[0], run.stderr
        assert files_of(out) == good


def test_manifest_save_on_a_read_only_folder_is_a_write_error_not_a_traceback(tmp_path):
    with small_disk(tmp_path / "mnt", "1m") as out:
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        manifest = Manifest(out)
        manifest.record(tmp_path / "x.yaml", Entry("x", "k", {}, {}))
        with pytest.raises(WriteError) as caught:
            manifest.save()
        assert "\n" not in str(caught.value) and MANIFEST_NAME in str(caught.value)


@pytest.mark.slow
@pytest.mark.parametrize("free_kb", [0, 40, 120])
def test_a_full_disk_is_one_line_exit_1_keeps_pairs_and_the_next_build_is_right(tmp_path,
                                                                               free_kb):
    (path,) = make_topics(tmp_path, ["topic-a"])
    with small_disk(tmp_path / "mnt", "2m") as out:
        assert build(path, "--out", out).exit_code == 0
        good = files_of(out)
        filler = out / "filler"
        with open(filler, "wb", buffering=0) as fh:  # fill the disk, then give some back
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        os.truncate(filler, max(0, filler.stat().st_size - free_kb * 1024))
        path.write_text(path.read_text().replace(OLD, NEW, 1))

        run = build(path, "--out", out)

        no_traceback(run)
        assert run.exit_code == 1, run.output
        assert [line for line in run.stderr.splitlines() if "no space left" in line], run.stderr
        assert {k: v for k, v in files_of(out).items() if k != "filler"} == good
        assert leftovers(out) == []

        filler.unlink()
        again = build(path, "--out", out)
        assert again.exit_code == 0, again.output
        assert all(version_of(out, "topic-a", a) == ("new", "new") for a in AUDIENCES)


# ---------------------------------------------------------------------------------------------
# an input edited during the build; WeasyPrint's own exceptions


@pytest.mark.slow
def test_a_source_edited_during_the_build_is_not_recorded_as_built(tmp_path, monkeypatch):
    import explainer.build.topic as build_module

    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    source = tmp_path / "sources" / "walking_release.txt"
    real_render = build_module.render_html
    calls = []

    def render_then_edit(*args, **kwargs):
        html = real_render(*args, **kwargs)
        if not calls:  # the quotes were verified against the text before this edit
            source.write_text("An unrelated text: every quote is gone.\n")
        calls.append(1)
        return html

    monkeypatch.setattr(build_module, "render_html", render_then_edit)
    first = build(path, "--out", out, "--format", "html")
    assert first.exit_code == 0, first.output
    assert "changed while the build was reading it" in first.stderr
    monkeypatch.setattr(build_module, "render_html", real_render)

    second = build(path, "--out", out, "--format", "html")

    assert "unchanged since the last build" not in second.stdout
    assert second.exit_code == 2, second.output  # the quotes no longer verify


# A floated li::first-letter used to raise an AssertionError in WeasyPrint's float layout
# with the old templates; with the reader-first ones it lays out, so only the tagger's
# KeyError is left to show how a WeasyPrint crash is reported.
@pytest.mark.slow
@pytest.mark.parametrize(("css", "where"), [
    ("h1 { transform: scale(0); }", "tags.py"),  # KeyError in WeasyPrint's PDF tagger
])
def test_weasyprint_crashing_on_a_template_is_bad_input_in_one_line(tmp_path, css, where):
    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    assert build(path, "--out", out, "--audience", "patient").exit_code == 0
    good = files_of(out)
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "style.css").write_text((builtin_templates() / "style.css").read_text()
                                         + "\n" + css + "\n")

    run = build(path, "--out", out, "--audience", "patient", "--templates", templates)

    no_traceback(run)
    assert run.exit_code == 2, run.output
    lines = [line for line in run.stderr.splitlines() if "WeasyPrint" in line]
    assert len(lines) == 1 and where in lines[0] and str(templates) in lines[0], run.stderr
    assert "crashed" not in run.stderr
    assert {k: v for k, v in files_of(out).items() if k != MANIFEST_NAME} == \
        {k: v for k, v in good.items() if k != MANIFEST_NAME}


@pytest.mark.slow
def test_a_template_edited_and_put_back_during_a_build_is_not_recorded(tmp_path, monkeypatch):
    """The run key hashes the templates once; a build that used an edited one must not be
    recorded under that key, even when the edit is undone before the next run."""
    import explainer.build.topic as build_module

    (path,) = make_topics(tmp_path, ["topic-a"])
    out = tmp_path / "out"
    house = tmp_path / "house"
    house.mkdir()
    patient = house / "patient.html"
    original = (builtin_templates() / "patient.html").read_text()
    patient.write_text(original)
    real_render = build_module.render_html

    def render_then_edit(*args, **kwargs):
        patient.write_text(original + "\n{# edited by someone else #}\n")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(build_module, "render_html", render_then_edit)
    first = build(path, "--out", out, "--format", "html", "--templates", house)
    assert first.exit_code == 0, first.output
    assert "changed while the build was using it" in first.stderr
    monkeypatch.setattr(build_module, "render_html", real_render)
    patient.write_text(original)  # the edit undone: the templates hash as at the start

    second = build(path, "--out", out, "--format", "html", "--templates", house)
    assert second.exit_code == 0, second.output
    assert "unchanged since the last build" not in second.stdout
    third = build(path, "--out", out, "--format", "html", "--templates", house)
    assert "unchanged since the last build" in third.stdout


def test_hashing_a_fifo_or_a_device_never_blocks(tmp_path):
    from explainer.build.manifest import NOT_A_FILE, file_hash

    fifo = tmp_path / "source.txt"
    os.mkfifo(fifo)
    signal.alarm(10)  # a blocking open or read would hang the test: fail it instead
    try:
        assert file_hash(fifo) == NOT_A_FILE
        assert file_hash(Path("/dev/zero")) == NOT_A_FILE
        assert file_hash(tmp_path / "absent.txt") is None
    finally:
        signal.alarm(0)


def test_a_reader_that_saw_other_bytes_than_were_hashed_makes_the_input_changed(tmp_path):
    """manifest.note_read is the hook for file readers: bytes read must be the bytes hashed."""
    from explainer.build.manifest import InputSnapshot, note_read

    source = tmp_path / "source.txt"
    source.write_bytes(b"the text the checks verified")
    snapshot = InputSnapshot()
    snapshot.take([source])
    token = InputSnapshot.current.set(snapshot)
    try:
        note_read(source, b"the text the checks verified")
        assert snapshot.changed() == []
        note_read(source, b"another text, read after an edit")
        assert snapshot.changed() == [str(source.resolve())]
    finally:
        InputSnapshot.current.reset(token)
    note_read(source, b"outside a build: ignored")  # no snapshot, no error
