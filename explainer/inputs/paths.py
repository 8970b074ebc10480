"""Command-line path arguments -> the files they name, by the same rules for every command.

``explainer build``, ``score`` and ``sources`` all take files, folders and glob patterns (and
``score`` takes ``-`` for standard input). The rules, as black and ruff have them:

- a file named outright is taken whatever its name (hidden, or any suffix: the command then
  says what is wrong with it), and so is a name that does not exist, for the command to report;
- a folder is searched recursively for the files the command reads (its filter);
- hidden files and folders (names starting with ``.``), ``node_modules`` and ``__pycache__``
  are skipped inside a folder;
- a glob pattern (quoted, so the shell left it) matches what the shell would have passed:
  hidden names only when the pattern spells the dot (``.drafts/*.yaml``), ``**`` across
  folders; a file it matches must pass the filter, a folder it matches is searched;
- a symlink found inside a folder is followed only when it stays inside that folder, and
  symlinked folders are not descended (no loops, nothing read from elsewhere by surprise);
- a folder or pattern that yields no file is one problem line;
- results keep the order of the arguments, each folder's and pattern's files sorted (a folder's
  own files before its sub-folders'), and a file reached twice is listed once, where first met.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..problems import Problem

STDIN = "-"
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def walk(folder: Path, keep: Callable[[Path], bool]) -> Iterator[Path]:
    """The regular files under ``folder`` that ``keep`` accepts, by the rules above."""
    root = folder.resolve()
    for where, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _hidden(d)
                         and not os.path.islink(os.path.join(where, d)))
        for name in sorted(files):
            path = Path(where) / name
            if _hidden(name) or not path.is_file():  # also drops FIFOs and broken links
                continue
            if path.is_symlink() and not _inside(path, root):
                continue
            if keep(path):
                yield path


def _key(path: Path) -> str:
    if str(path) == STDIN:
        return STDIN
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def expand_paths(
    args: Sequence[str | Path],
    keep: Callable[[Path], bool],
    *,
    explicit: Callable[[Path], str | None] = lambda path: None,
    empty: Callable[[str, bool], str],
    stdin: bool = False,
) -> tuple[list[Path], list[Problem]]:
    """The files ``args`` name, and one problem per argument that names none.

    ``keep`` is the command's filter for files found in folders and by patterns;
    ``explicit(path)`` returns a problem message for a path named outright that the command
    will not take (missing, wrong suffix), or None; ``empty(arg, is_pattern)`` is the message
    for a folder or pattern with no file to take. With ``stdin``, ``-`` is standard input and
    comes back as ``Path("-")``. Problems keep the order of the arguments.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for arg in args:
        text = str(arg)
        if stdin and text == STDIN:
            found.append(Path(STDIN))
            continue
        path = Path(text)
        is_dir, exists = _kind(path)
        if not is_dir and (exists or not glob.has_magic(text)):
            message = explicit(path)
            if message is None:
                found.append(path)
            else:
                problems.append(Problem(text, None, "", message))
            continue
        hits = list(walk(path, keep)) if is_dir else _pattern_hits(text, keep)
        if not hits:
            problems.append(Problem(text, None, "", empty(text, not is_dir)))
        found += hits
    return _unique(found), problems


def _kind(path: Path) -> tuple[bool, bool]:
    """(is a folder, exists); a name too long for the file system counts as an existing file,
    so that its reader says what is wrong."""
    try:
        return path.is_dir(), os.path.lexists(path)
    except (OSError, ValueError):
        return False, True


def _pattern_hits(pattern: str, keep: Callable[[Path], bool]) -> list[Path]:
    """Files a glob pattern matches (folders it matches walked), in sorted match order."""
    hits: list[Path] = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        m = Path(match)
        if m.is_dir():
            hits += walk(m, keep)
        elif m.is_file() and keep(m):
            hits.append(m)
    return hits


def _unique(found: list[Path]) -> list[Path]:
    """``found`` without repeats of the same file (by resolved path), first one kept."""
    seen: set[str] = set()
    unique = []
    for path in found:
        key = _key(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
