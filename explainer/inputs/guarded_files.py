"""The one guarded reader for every file the tool opens: findings, sources, templates,
assets, logo and config.

Findings files, brand packs and template folders travel between organisations, so a file
named in one must not pull ``~/.ssh/id_rsa`` into a leaflet or hang the build. Before any
byte is read, a file must

* resolve (symlinks followed) to a real path inside its root folder, when it has one;
* be a regular file: FIFOs, devices, sockets and folders are refused after ``os.stat``,
  without opening them (opening a FIFO blocks);
* be no larger than the limit for its kind (``LIMITS``).

The file is then opened non-blocking and without following a last-moment symlink, checked
again on the open descriptor, and read up to the limit; inside a build the bytes are
reported to the manifest's input snapshot (``manifest.note_read``), for every kind. A
refusal is one line naming the path and the reason: never a byte of the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1_000_000
# Bytes per kind. Sources are whole reports; the others are hand-written or small images.
LIMITS: dict[str, int] = {
    "findings": 5 * MB,
    "config": 1 * MB,
    "source": 20 * MB,
    "template": 1 * MB,
    "asset": 2 * MB,
    "logo": 1 * MB,  # embedded, base64, in every leaflet
}
KIND_NAMES = {"findings": "findings file", "config": "config file", "source": "source file",
              "template": "template", "asset": "template asset", "logo": "logo"}
_MAX_SHOWN = 160  # characters of a path shown in a message


class FileRefused(Exception):
    """A file that failed a check; ``str()`` is one line with the path and the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str, missing: bool = False):
        self.path = shown_path(path)
        self.reason = reason
        self.missing = missing
        super().__init__(f"{self.path}: {reason}")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path fit for a one-line message: control characters escaped, long ones cut."""
    text = os.fspath(path)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_file(path: str | os.PathLike[str], kind: str, root: str | os.PathLike[str] | None = None,
               roots: list[Path] | None = None) -> tuple[Path, os.stat_result]:
    """The real path of ``path`` and its stat, if it may be read as ``kind``; else FileRefused.

    ``root`` (or any of ``roots``) is the folder the real path must stay inside.
    """
    what = KIND_NAMES[kind]
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loop, NUL byte
        raise FileRefused(path, f"cannot resolve this {what} path ({_reason(exc)})") from None
    allowed = [Path(r) for r in ([root] if root is not None else []) + list(roots or [])]
    if allowed:
        resolved = [_resolve(r) for r in allowed]
        if not any(real.is_relative_to(r) for r in resolved):
            where = " or ".join(shown_path(r) for r in resolved)
            raise FileRefused(path, f"{what} is outside {where} (symlinks and '..' are "
                              "followed); refused")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        raise FileRefused(path, f"{what} not found", missing=True) from None
    except (OSError, ValueError) as exc:
        raise FileRefused(path, f"cannot read this {what} ({_reason(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(path, f"{what} is {_kind_of(st.st_mode)}, not a regular file; refused")
    limit = LIMITS[kind]
    if st.st_size > limit:
        raise FileRefused(path, f"{what} is {st.st_size:,} bytes; the limit is {limit:,}")
    return real, st


def read_bytes(path: str | os.PathLike[str], kind: str,
               root: str | os.PathLike[str] | None = None,
               roots: list[Path] | None = None) -> bytes:
    """The bytes of a file that passes :func:`check_file`, read through one descriptor."""
    real, _ = check_file(path, kind, root, roots)
    limit = LIMITS[kind]
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:  # swapped for a symlink since the check, or no permission
        raise FileRefused(path, f"cannot read this {KIND_NAMES[kind]} ({_reason(exc)})") from None
    try:
        st = os.fstat(fd)  # the file we opened, not the name we checked
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(path, f"{KIND_NAMES[kind]} is {_kind_of(st.st_mode)}; refused")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew since the stat
            raise FileRefused(path, f"{KIND_NAMES[kind]} is over the limit of {limit:,} bytes")
        data = b"".join(chunks)
    except OSError as exc:
        raise FileRefused(path, f"cannot read this {KIND_NAMES[kind]} ({_reason(exc)})") from None
    finally:
        os.close(fd)
    from ..build.manifest import note_read

    note_read(real, data)  # inside a build: these bytes must be the ones the manifest hashed
    return data


def _resolve(root: Path) -> Path:
    try:
        return root.resolve()
    except (OSError, RuntimeError, ValueError):
        return root


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, ValueError) and "null" in str(exc).lower():
        return "the name holds a NUL byte"
    return type(exc).__name__
