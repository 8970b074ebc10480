"""Incremental builds: skip a topic whose inputs and outputs are as the last good build left them.

``OUT/.explainer-manifest.json`` records, per findings file, the content hash of every file
the build read (the findings file, its source texts, a config file and logo) and of every
file it wrote, plus a key for everything shared by the run: tool version and code, the
templates and CSS in use, and the build options that change output. A topic is skipped
only when all of these hash the same again.

The check runs before anything heavy is imported (no YAML, no pydantic, no WeasyPrint):
for each topic it hashes a handful of small files and compares strings.

An entry can never go stale:
- inputs are hashed *before* the build reads them (:class:`InputSnapshot`) and hashed and
  stat'ed again after its outputs are written; a file that differs (content, size, mtime or
  inode) was edited while the build read it, so the topic is not recorded and the next run
  rebuilds it. What is recorded is therefore what the checks read.
- outputs are hashed from the bytes the build wrote, in memory, after the commit: a file that
  another process or a killed build left there does not match, so the topic rebuilds.
- the manifest is merged into the copy on disk under an exclusive lock on the output folder,
  so concurrent builds of different topics never lose each other's entries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".explainer-manifest.json"
FORMAT = 1
# mirrors explainer.document.config.CONFIG_NAME without importing pydantic
CONFIG_NAME = "explainer.yaml"
PACKAGE = Path(__file__).resolve().parent.parent  # the whole explainer package

# Options that decide where files go, not what they contain.
_NOT_OUTPUT = {"out_dir"}


NOT_A_FILE = "not-a-regular-file"  # never equal to a content hash, so such an input rebuilds


def file_hash(path: Path) -> str | None:
    """Content hash of a file, or None when there is no such file.

    Only regular files are read: a FIFO or a device (a source symlinked to /dev/zero) would
    hang the hash or never end, so it hashes as NOT_A_FILE without being opened for reading.
    """
    digest = hashlib.blake2b(digest_size=16)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError:
        return NOT_A_FILE  # unreadable (no permission, name too long...): never "unchanged"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return NOT_A_FILE
        with os.fdopen(fd, "rb", closefd=False) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return NOT_A_FILE
    finally:
        os.close(fd)
    return digest.hexdigest()


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class InputSnapshot:
    # The snapshot of the build running in this thread, for note_read (None outside one).
    current: ContextVar[InputSnapshot | None] = ContextVar("input_snapshot", default=None)

    """Hashes of a build's inputs taken before the build reads them, and the proof, after
    the outputs are written, that none changed in between (see the module docstring)."""

    def __init__(self) -> None:
        self._before: dict[str, tuple[str | None, tuple[int, int, int] | None]] = {}
        self._read: dict[str, str] = {}  # path -> hash of the bytes the build actually read

    def take(self, paths: Iterable[Path]) -> None:
        """Hash and stat each path not seen yet (call before the build reads it)."""
        for path in paths:
            key = str(Path(path).resolve())
            if key not in self._before:
                # stat first: an edit between the stat and the hash shows up as a change later
                key_stat = _stat_key(Path(key))
                self._before[key] = (file_hash(Path(key)), key_stat)

    def read(self, path: Path, digest: str) -> None:
        """The build read ``path`` as bytes hashing to ``digest`` (when a reader can say so:
        then the recorded hash is proven to be that of the bytes the checks saw)."""
        self._read[str(Path(path).resolve())] = digest

    def hashes(self) -> dict[str, str | None]:
        return {path: digest for path, (digest, _) in self._before.items()}

    def changed(self) -> list[str]:
        """Inputs that are not now what they were when first hashed."""
        return [path for path, (digest, key) in self._before.items()
                if _stat_key(Path(path)) != key or file_hash(Path(path)) != digest
                or self._read.get(path, digest) != digest]


class Hashes:
    """File hashes for one run: a file shared by many topics is read once."""

    def __init__(self) -> None:
        self._seen: dict[str, str | None] = {}

    def __call__(self, path: str | Path) -> str | None:
        key = str(path)
        if key not in self._seen:
            self._seen[key] = file_hash(Path(key))
        return self._seen[key]


def _files_under(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if not name.endswith((".pyc", ".tmp")) and not name.startswith("."):
                yield Path(root) / name


def _files_hash(files: Iterable[Path], digest: Any, hashes: Any = file_hash) -> None:
    for path in files:
        digest.update(f"{path}\0{hashes(path)}\0".encode())


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Path):
        return str(value.resolve())
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


_VERSION_LINE = re.compile(r"""^VERSION\s*=\s*__version__\s*=\s*['"]([^'"]+)['"]""", re.M)


def _weasyprint_version() -> str:
    """WeasyPrint's version without importing it (a second of start-up), read from the line
    its package declares it on; importlib.metadata (which scans every installed
    distribution: 30 ms of a cold build) only when that line is not there."""
    import importlib.util

    spec = importlib.util.find_spec("weasyprint")
    if spec is not None and spec.origin:
        with suppress(OSError):
            with open(spec.origin, encoding="utf-8", errors="replace") as fh:
                found = _VERSION_LINE.search(fh.read(8192))
            if found:
                return found.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "?"


def run_key(options: Any, templates: Iterable[Path], hashes: Hashes | None = None) -> str:
    """One hash for everything every topic of a run shares.

    ``options`` is a BuildOptions (any dataclass works): every field except where files go
    counts, so a new option that changes output is covered without touching this module.
    The tool's own code and rules count too, so a checkout with edited code rebuilds.
    """
    from .. import __version__

    digest = hashlib.blake2b(digest_size=16)
    opts = {f.name: _canonical(getattr(options, f.name)) for f in dataclasses.fields(options)
            if f.name not in _NOT_OUTPUT}
    digest.update(json.dumps({"format": FORMAT, "version": __version__,
                              "weasyprint": _weasyprint_version(), "options": opts},
                             sort_keys=True).encode())
    _files_hash(_files_under(PACKAGE), digest)
    # A new override changes the list, an edit a hash. With ``hashes``, the digests stay in
    # it, so each build can prove its templates were still these when it finished.
    _files_hash(templates, digest, hashes or file_hash)
    return digest.hexdigest()


def changed_since(watched: dict[str, str | None], now: Iterable[Path]) -> list[str]:
    """Files of ``watched`` (path -> hash) whose content differs now, and files of ``now``
    that were not watched: templates edited or added while a build used them."""
    paths = dict.fromkeys([*watched, *map(str, now)])
    return [p for p in paths if p not in watched or file_hash(Path(p)) != watched[p]]


def config_candidates(findings: Path, explicit: Path | None) -> list[Path]:
    """The config file a build of ``findings`` would read (recorded even when absent)."""
    return [explicit] if explicit is not None else [findings.parent / CONFIG_NAME]


@dataclass
class Entry:
    """What the last good build of one findings file read and wrote."""

    topic: str
    key: str
    inputs: dict[str, str | None]  # absolute path -> hash (None: the file was absent)
    outputs: dict[str, str]  # path relative to the output folder -> hash
    summary: list[dict[str, Any]] = field(default_factory=list)  # rows of the summary table
    warnings: list[str] = field(default_factory=list)


def note_read(path: Path, data: bytes) -> None:
    """For file readers: ``data`` is what was read from ``path``. Inside a build, its hash must
    equal the one taken before the build (else the topic is not recorded); elsewhere a no-op."""
    snapshot = InputSnapshot.current.get()
    if snapshot is not None:
        snapshot.read(path, hashlib.blake2b(data, digest_size=16).hexdigest())


def make_entry(topic: str, key: str, inputs: dict[str, str | None], outputs: dict[Path, str],
               out_dir: Path, summary: list[dict[str, Any]], warnings: list[str]) -> Entry:
    """An entry from hashes taken by the build: ``inputs`` before it read them (resolved path
    -> hash), ``outputs`` from the bytes it wrote (path -> hash)."""
    out_dir = out_dir.resolve()
    return Entry(topic=topic, key=key, inputs=dict(inputs),
                 outputs={str(p.resolve().relative_to(out_dir)): d for p, d in outputs.items()},
                 summary=summary, warnings=warnings)


class Manifest:
    """The manifest of one output folder, keyed by the resolved findings file path."""

    def __init__(self, out_dir: Path, entries: dict[str, Entry] | None = None):
        self.out_dir = out_dir
        self.entries = entries or {}
        self.changed = False  # save() only then: a run that wrote nothing leaves no manifest
        self._recorded: dict[str, Entry] = {}  # this run's changes, merged into the disk copy
        self._forgotten: set[str] = set()

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The recorded manifest; an unreadable or older one counts as empty (all rebuild)."""
        return cls(out_dir, _read_entries(out_dir / MANIFEST_NAME))

    def fresh(self, findings: Path, key: str, config: list[Path], hashes: Hashes) -> Entry | None:
        """The recorded entry if nothing it depends on changed, else None."""
        entry = self.entries.get(str(findings.resolve()))
        if entry is None or entry.key != key:
            return None
        for path in config:
            if str(path.resolve()) not in entry.inputs:  # another config file than last time
                return None
        if any(hashes(path) != digest for path, digest in entry.inputs.items()):
            return None
        out_dir = self.out_dir.resolve()
        if any(hashes(out_dir / rel) != digest for rel, digest in entry.outputs.items()):
            return None
        return entry

    def record(self, findings: Path, entry: Entry) -> None:
        key = str(findings.resolve())
        if self.entries.get(key) != entry:
            self.entries[key] = self._recorded[key] = entry
            self._forgotten.discard(key)
            self.changed = True

    def forget(self, findings: Path) -> None:
        key = str(findings.resolve())
        self._recorded.pop(key, None)
        if self.entries.pop(key, None) is not None:
            self._forgotten.add(key)
            self.changed = True

    def save(self) -> None:
        """Merge this run's changes into the manifest on disk, under the folder's lock.

        Raises output.WriteError (one line, nothing half-written) when the folder refuses.
        """
        from .output import WriteError, folder_lock, write_atomic

        if not self.changed:
            return
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            with folder_lock(self.out_dir):
                entries = _read_entries(self.path)
                for key in self._forgotten:
                    entries.pop(key, None)
                entries.update(self._recorded)
                data = {"format": FORMAT,
                        "topics": {k: dataclasses.asdict(v) for k, v in sorted(entries.items())}}
                write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n",
                             lock=False)  # held above, around the read and the write
        except OSError as exc:
            raise WriteError.of(self.path, exc) from None
        self.entries = entries
        self._recorded.clear()
        self._forgotten.clear()
        self.changed = False


def _read_entries(path: Path) -> dict[str, Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {k: Entry(**v) for k, v in data["topics"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
