"""Atomic writes: a file is the last good one or the new good one, never half; and the files
of one build of a folder (an audience's HTML and PDF, the report) are replaced together.

POSIX renames one file atomically, never two. So a commit of several files goes:

1. each new file is written to a temp file ``.NAME.XXXXXXXX.tmp`` beside it and fsynced;
2. a journal ``.explainer-commit.json`` naming every (final name, temp name) pair is written
   atomically (temp + fsync + rename): from this moment the commit is decided;
3. the temps are renamed over the finals, the folder fsynced, the journal removed.

A process killed before step 2 leaves only temps: the last good files are untouched and the
temps are deleted by the next :func:`recover`. Killed during step 3, it leaves the journal and
the temps not yet renamed: :func:`recover` rolls the commit forward (every temp was complete
and had passed every check before the journal was written), so the folder again holds the
files of one build. Until then the manifest cannot call the half-done pair good: it records
output hashes, and the pair no longer matches them.

Every writer and every recovery of a folder holds an exclusive ``flock`` on the folder itself,
so a live build's temps are never mistaken for a dead one's; the kernel drops the lock when a
process dies, however it dies.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

JOURNAL = ".explainer-commit.json"
# mkstemp(prefix=".NAME.", suffix=".tmp") names: a dot, the name, a dot, 8 random characters.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class WriteError(Exception):
    """The environment refused a write (read-only folder, full disk, no permission).

    Its message is one line naming the path; the CLI prints it and exits 1.
    """

    @classmethod
    def of(cls, path: Path, exc: OSError) -> WriteError:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            reason = "no space left on the disk"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            reason = f"not writable ({exc.strerror})"
        return cls(f"{path}: error: cannot write: {reason}; the last good outputs are kept")


def data_hash(data: bytes | str) -> str:
    """The hash the manifest records for a file's content (see manifest.file_hash)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def folder_lock(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive flock on ``folder`` (yields False if ``wait`` is off and it is held)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                raise
            # A file system without flock (some FUSE mounts): write unlocked rather than not
            # at all; only concurrent builds into such a folder lose the guarantee.
        yield True
    finally:
        os.close(fd)  # closing drops the lock


def _write_temp(path: Path, raw: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _raw(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError.of(folder, exc) from None


def write_atomic(path: Path, data: bytes | str, *, lock: bool = True) -> None:
    """Replace one file atomically. Raises WriteError when the environment refuses.

    Holds the folder's lock while its temp file exists, so a concurrent recovery cannot
    take it for a dead build's (``lock=False`` for a caller that holds the lock already).
    """
    _mkdir(path.parent)
    try:
        if lock:
            with folder_lock(path.parent):
                _replace(path, _raw(data))
        else:
            _replace(path, _raw(data))
    except OSError as exc:
        raise WriteError.of(path, exc) from None


def _replace(path: Path, raw: bytes) -> None:
    tmp = _write_temp(path, raw)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit(folder: Path, files: dict[str, bytes | str]) -> dict[str, str]:
    """Replace the named files of ``folder`` together (see the module docstring).

    Returns name -> content hash of what was written, taken from the bytes in memory, so a
    manifest never records another process's file as this build's output. Raises WriteError
    (the last good files untouched, no temp left) when the environment refuses.
    """
    _mkdir(folder)
    hashes = {name: data_hash(data) for name, data in files.items()}
    if not files:
        return hashes
    try:
        with folder_lock(folder):
            _recover_locked(folder)
            _commit_locked(folder, files)
    except OSError as exc:
        raise WriteError.of(folder, exc) from None
    return hashes


def _commit_locked(folder: Path, files: dict[str, bytes | str]) -> None:
    temps: dict[str, Path] = {}
    journal = folder / JOURNAL
    decided = False
    try:
        for name, data in files.items():
            temps[name] = _write_temp(folder / name, _raw(data))
        plan = {"files": {name: tmp.name for name, tmp in temps.items()}}
        jtmp = _write_temp(journal, json.dumps(plan).encode())
        os.replace(jtmp, journal)
        _fsync_dir(folder)
        decided = True  # from here on the commit rolls forward, now or at the next recovery
        for name, tmp in temps.items():
            os.replace(tmp, folder / name)
        _fsync_dir(folder)
        journal.unlink()
    except BaseException:
        if not decided:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
        else:
            with suppress(OSError):  # finish the renames; failing that, the next build will
                _recover_locked(folder)
        raise


def _recover_locked(folder: Path) -> tuple[int, int]:
    """Roll a decided commit forward and delete dead temps; returns (rolled, deleted)."""
    rolled = deleted = 0
    journal = folder / JOURNAL
    keep: set[str] = set()
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        pairs = plan["files"] if isinstance(plan, dict) else {}
    except FileNotFoundError:
        pairs = {}
    except (OSError, ValueError, KeyError, TypeError):
        pairs = {}  # written atomically, so unreadable means not ours: drop it below
    for name, tmp in pairs.items():
        if not (isinstance(name, str) and isinstance(tmp, str)) or "/" in name + tmp:
            continue
        if (folder / tmp).is_file():
            os.replace(folder / tmp, folder / name)
            rolled += 1
        keep.add(tmp)
    if journal.exists():
        _fsync_dir(folder)
        journal.unlink()
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and _TEMP.match(entry.name) \
                and entry.name not in keep:
            os.unlink(entry.path)
            deleted += 1
    return rolled, deleted


def recover(folder: Path, *, wait: bool = False) -> tuple[int, int]:
    """Repair ``folder`` after a killed build: roll a decided commit forward, delete temps.

    Skips (returns (0, 0)) a folder another live process holds, unless ``wait``.
    Cheap when there is nothing to do: one directory listing, no lock.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return 0, 0
    if JOURNAL not in names and not any(_TEMP.match(n) for n in names):
        return 0, 0
    try:
        with folder_lock(folder, wait=wait) as held:
            return _recover_locked(folder) if held else (0, 0)
    except OSError as exc:
        raise WriteError.of(folder, exc) from None


def recover_tree(out_dir: Path) -> tuple[int, int]:
    """:func:`recover` the output folder and each topic folder in it."""
    rolled = deleted = 0
    try:
        subdirs = [e.path for e in os.scandir(out_dir) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0, 0
    for folder in [str(out_dir), *subdirs]:
        r, d = recover(Path(folder))
        rolled, deleted = rolled + r, deleted + d
    return rolled, deleted
