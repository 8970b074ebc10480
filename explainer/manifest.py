"""Incremental builds: skip a topic whose inputs and outputs are as the last good build left them.

``OUT/.explainer-manifest.json`` records, per findings file, the content hash of every file
the build read (the findings file, its source texts, a config file and logo) and of every
file it wrote, plus a key for everything shared by the run: tool version and code, the
templates and CSS in use, and the build options that change output. A topic is skipped
only when all of these hash the same again.

The check runs before anything heavy is imported (no YAML, no pydantic, no WeasyPrint):
for each topic it hashes a handful of small files and compares strings.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".explainer-manifest.json"
FORMAT = 1
CONFIG_NAME = "explainer.yaml"  # mirrors explainer.config.CONFIG_NAME without importing pydantic
PACKAGE = Path(__file__).resolve().parent

# Options that decide where files go, not what they contain.
_NOT_OUTPUT = {"out_dir"}


def file_hash(path: Path) -> str | None:
    """Content hash of a file, or None when there is no such file."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the open: not read,
            return "not-a-regular-file"  # and never equal to a real hash, so the build runs
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except (OSError, ValueError):  # a name the file system cannot hold, no permission
        return "unreadable"
    return digest.hexdigest()


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


def _files_hash(files: Iterable[Path], digest: Any) -> None:
    for path in files:
        digest.update(f"{path}\0{file_hash(path)}\0".encode())


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


def _weasyprint_version() -> str:
    # Read from its installed metadata, not by importing it (a second of start-up).
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "?"


def run_key(options: Any, templates: Iterable[Path]) -> str:
    """One hash for everything every topic of a run shares.

    ``options`` is a BuildOptions (any dataclass works): every field except where files go
    counts, so a new option that changes output is covered without touching this module.
    The tool's own code and rules count too, so a checkout with edited code rebuilds.
    """
    from . import __version__

    digest = hashlib.blake2b(digest_size=16)
    opts = {f.name: _canonical(getattr(options, f.name)) for f in dataclasses.fields(options)
            if f.name not in _NOT_OUTPUT}
    digest.update(json.dumps({"format": FORMAT, "version": __version__,
                              "weasyprint": _weasyprint_version(), "options": opts},
                             sort_keys=True).encode())
    _files_hash(_files_under(PACKAGE), digest)
    _files_hash(templates, digest)  # a new override changes the list, an edit a hash
    return digest.hexdigest()


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


def make_entry(topic: str, key: str, inputs: Iterable[Path], outputs: Iterable[Path],
               out_dir: Path, summary: list[dict[str, Any]], warnings: list[str]) -> Entry:
    out_dir = out_dir.resolve()
    hashed_outputs = {}
    for path in outputs:
        digest = file_hash(path)
        if digest is not None:
            hashed_outputs[str(path.resolve().relative_to(out_dir))] = digest
    return Entry(topic=topic, key=key,
                 inputs={str(p.resolve()): file_hash(p) for p in dict.fromkeys(inputs)},
                 outputs=hashed_outputs, summary=summary, warnings=warnings)


class Manifest:
    """The manifest of one output folder, keyed by the resolved findings file path."""

    def __init__(self, out_dir: Path, entries: dict[str, Entry] | None = None):
        self.out_dir = out_dir
        self.entries = entries or {}
        self.changed = False  # save() only then: a run that wrote nothing leaves no manifest

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The recorded manifest; an unreadable or older one counts as empty (all rebuild)."""
        try:
            data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(out_dir)
            entries = {k: Entry(**v) for k, v in data["topics"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(out_dir)
        return cls(out_dir, entries)

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
            self.entries[key] = entry
            self.changed = True

    def forget(self, findings: Path) -> None:
        if self.entries.pop(str(findings.resolve()), None) is not None:
            self.changed = True

    def save(self) -> None:
        from .output import write_atomic

        data = {"format": FORMAT,
                "topics": {k: dataclasses.asdict(v) for k, v in sorted(self.entries.items())}}
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
