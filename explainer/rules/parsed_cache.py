"""The shipped rule files' parses kept between runs, keyed on their content.

Parsing the rule files a build reads (YAML, then each key path's line) costs a cold build
about 30 ms of CPU; loading the same data with ``marshal`` costs 2. Each file has one entry,
holding its parse and the SHA-256 of the text it was parsed from together with everything
else the parse depends on (this Python and its ``marshal`` format, PyYAML and whether it uses
libyaml, the parsing code in explainer/document/load.py and yaml_errors.py): a changed file,
or a changed parser, is parsed again and its entry replaced. ``marshal`` holds plain data
only (it runs no code on load); a file whose data it cannot hold is parsed each time.

The folder is one per user in the system temp folder, made mode 0700 and used only while
it is this user's own real folder with that mode (the check Jinja2 makes for its bytecode
cache), so no other user can plant an entry. A folder that cannot be had, or refuses a
write, means parsing as before: the cache never stops a build.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

Parsed = tuple[Any, dict]


def cache_dir() -> Path | None:
    """This user's own cache folder in the temp folder, or None when it cannot be had or
    is not safe (another owner, a symlink, other permissions than 0700)."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"explainer-cache-{os.getuid()}"
    try:
        with suppress(FileExistsError):
            folder.mkdir(mode=stat.S_IRWXU)
        info = os.lstat(folder)
    except OSError:
        return None
    if (info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode)
            or stat.S_IMODE(info.st_mode) != stat.S_IRWXU):
        return None
    return folder


@cache
def fingerprint() -> bytes:
    """What a parse depends on besides the file's text."""
    import yaml

    from ..document import load, yaml_errors

    parts = [sys.version, str(marshal.version), yaml.__version__,
             str(getattr(yaml, "__with_libyaml__", False))]
    parts += [hashlib.sha256(Path(m.__file__).read_bytes()).hexdigest()
              for m in (load, yaml_errors) if m.__file__]
    return "\0".join(parts).encode()


def cached_parse(path: Path, text: str, parse: Callable[[], Parsed],
                 folder: Path | None) -> Parsed:
    """``parse()`` of ``text`` (the file ``path`` holds), from ``folder`` when an earlier run
    kept the parse of that very text there. One entry per file, replaced when it changes."""
    if folder is None:
        return parse()
    entry = folder / f"rules-{hashlib.sha256(str(path).encode()).hexdigest()[:40]}.marshal"
    checksum = hashlib.sha256(fingerprint() + b"\0" + text.encode()).hexdigest()
    with suppress(OSError, EOFError, ValueError, TypeError):
        kept = marshal.loads(entry.read_bytes())
        if (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == checksum
                and isinstance(kept[2], dict)):
            return kept[1], kept[2]
    data, lines = parse()  # a bad file raises here: only good parses are kept
    try:
        blob = marshal.dumps((checksum, data, lines))
    except ValueError:  # data marshal cannot hold (a date): parsed each time
        return data, lines
    write_entry(entry, blob)
    return data, lines


def write_entry(entry: Path, blob: bytes) -> None:
    """Whole or not at all (another process may read it meanwhile); a refusal is ignored."""
    with suppress(OSError):
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(temp, entry)
        except OSError:
            with suppress(OSError):
                os.unlink(temp)
            raise
