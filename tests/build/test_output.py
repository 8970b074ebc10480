"""output.py through its library API: a commit writes every file or none, recovery rolls a
decided commit forward and deletes dead temps (and only those), and a refused write is one
WriteError line with the last good files kept. (Kills of a real build are in test_faults.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import remount_read_only, small_disk

from explainer.build.manifest import file_hash
from explainer.build.output import (
    JOURNAL,
    WriteError,
    commit,
    data_hash,
    recover,
    recover_tree,
    write_atomic,
)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_commit_writes_every_file_with_the_hash_the_manifest_reads_back(tmp_path):
    folder = tmp_path / "out" / "topic"  # made with its parents
    files = {"patient.html": "<p>leaflet</p>", "patient.pdf": b"%PDF-1.7 leaflet"}
    hashes = commit(folder, files)
    assert contents(folder) == {"patient.html": b"<p>leaflet</p>",
                                "patient.pdf": b"%PDF-1.7 leaflet"}  # no journal, no temp
    assert hashes == {name: file_hash(folder / name) for name in files}
    assert hashes["patient.html"] == data_hash(b"<p>leaflet</p>")
    for name in files:  # outputs are meant to be shared: not mkstemp's 0600
        assert (folder / name).stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_a_commit_replaces_its_files_and_leaves_the_others(tmp_path):
    commit(tmp_path, {"a.html": "old a", "a.pdf": b"old a", "b.html": "old b"})
    commit(tmp_path, {"a.html": "new a", "a.pdf": b"new a"})
    assert contents(tmp_path) == {"a.html": b"new a", "a.pdf": b"new a", "b.html": b"old b"}
    assert commit(tmp_path, {}) == {}  # nothing to write: nothing changes
    assert contents(tmp_path)["b.html"] == b"old b"


def test_a_commit_the_disk_cannot_hold_writes_nothing(tmp_path):
    with small_disk(tmp_path / "mnt", "256k") as folder:
        commit(folder, {"a.html": "old a", "a.pdf": b"old a"})
        with pytest.raises(WriteError) as caught:
            commit(folder, {"a.html": "new a", "a.pdf": os.urandom(1024 * 1024)})
        message = str(caught.value)
        assert "\n" not in message and message.startswith(f"{folder}: error: cannot write:")
        assert "no space left on the disk" in message
        assert contents(folder) == {"a.html": b"old a", "a.pdf": b"old a"}  # not half


def test_a_read_only_folder_is_one_write_error_naming_it_and_keeps_the_files(tmp_path):
    with small_disk(tmp_path / "mnt", "1m") as folder:
        commit(folder, {"a.html": "good a"})
        remount_read_only(folder)
        with pytest.raises(WriteError) as caught:
            commit(folder, {"a.html": "new a"})
        assert str(caught.value) == (f"{folder}: error: cannot write: not writable (Read-only "
                                     "file system); the last good outputs are kept")
        with pytest.raises(WriteError) as caught:
            write_atomic(folder / "a.html", "new a")
        assert str(caught.value).startswith(f"{folder / 'a.html'}: error: cannot write: not")
        assert contents(folder) == {"a.html": b"good a"}


def test_a_folder_that_is_a_file_is_a_write_error_not_a_traceback(tmp_path):
    (tmp_path / "out").write_text("a file where the output folder should be")
    with pytest.raises(WriteError) as caught:
        commit(tmp_path / "out" / "topic", {"a.html": "x"})
    assert str(caught.value).startswith(f"{tmp_path / 'out' / 'topic'}: error: cannot write:")
    with pytest.raises(WriteError):
        write_atomic(tmp_path / "out" / "report.html", "x")


def test_write_atomic_replaces_one_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.html"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert contents(tmp_path) == {"report.html": b"second"}


def _decided(folder: Path, new: dict[str, bytes]) -> None:
    """What a build killed after its journal and before any rename leaves behind."""
    pairs = {}
    for i, (name, data) in enumerate(new.items()):
        temp = f".{name}.kill{i:04d}.tmp"
        (folder / temp).write_bytes(data)
        pairs[name] = temp
    (folder / JOURNAL).write_text(json.dumps({"files": pairs}))


def test_recover_rolls_a_decided_commit_forward_before_any_rename(tmp_path):
    commit(tmp_path, {"a.html": "old", "a.pdf": b"old"})
    _decided(tmp_path, {"a.html": b"new", "a.pdf": b"new"})
    assert recover(tmp_path) == (2, 0)
    assert contents(tmp_path) == {"a.html": b"new", "a.pdf": b"new"}
    assert recover(tmp_path) == (0, 0)  # nothing left to do


def test_the_next_commit_finishes_a_decided_one_first(tmp_path):
    commit(tmp_path, {"a.html": "old", "a.pdf": b"old"})
    _decided(tmp_path, {"a.html": b"new", "a.pdf": b"new"})
    commit(tmp_path, {"b.html": "other"})
    assert contents(tmp_path) == {"a.html": b"new", "a.pdf": b"new", "b.html": b"other"}


def test_temps_without_a_journal_are_deleted_and_the_last_good_files_kept(tmp_path):
    commit(tmp_path, {"a.html": "good", "a.pdf": b"good"})
    (tmp_path / ".a.html.dead0001.tmp").write_text("killed before its journal")
    (tmp_path / ".a.pdf.dead0002.tmp").write_bytes(b"killed before its journal")
    assert recover(tmp_path) == (0, 2)
    assert contents(tmp_path) == {"a.html": b"good", "a.pdf": b"good"}


def test_recovery_deletes_only_its_own_temps(tmp_path):
    mine = {".notes.tmp": b"a user's file", "draft.tmp": b"a user's file",
            ".a.html.short.tmp": b"not 8 characters", "a.html": b"good"}
    for name, data in mine.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ".a.html.dead0001.tmp").write_text("ours")
    assert recover(tmp_path) == (0, 1)
    assert contents(tmp_path) == dict(sorted(mine.items()))


def test_a_journal_that_is_not_ours_renames_nothing_and_goes(tmp_path):
    commit(tmp_path, {"a.html": "good"})
    (tmp_path / ".a.html.evil0001.tmp").write_text("planted")
    (tmp_path / JOURNAL).write_text("{not json")
    assert recover(tmp_path) == (0, 1)
    assert contents(tmp_path) == {"a.html": b"good"}

    # A journal naming files outside the folder: never followed.
    inside = tmp_path / "topic"
    commit(inside, {"a.html": "good"})
    (inside / ".a.html.evil0002.tmp").write_text("planted")
    (inside / JOURNAL).write_text(json.dumps({"files": {
        "../outside.html": ".a.html.evil0002.tmp", "a.html": "../a.html"}}))
    assert recover(inside) == (0, 1)
    assert not (tmp_path / "outside.html").exists()
    assert (tmp_path / "a.html").read_text() == "good"  # not moved into the topic folder
    assert contents(inside) == {"a.html": b"good"}


def test_recover_tree_repairs_the_out_folder_and_every_topic_folder(tmp_path):
    for folder in (tmp_path, tmp_path / "topic-a", tmp_path / "topic-b"):
        commit(folder, {"a.html": "old"})
    (tmp_path / ".manifest.json.dead0001.tmp").write_text("dead")
    _decided(tmp_path / "topic-a", {"a.html": b"new"})
    (tmp_path / "topic-b" / ".a.html.dead0002.tmp").write_text("dead")
    assert recover_tree(tmp_path) == (1, 2)
    assert (tmp_path / "topic-a" / "a.html").read_text() == "new"
    assert (tmp_path / "topic-b" / "a.html").read_text() == "old"
    assert recover_tree(tmp_path / "absent") == (0, 0)
