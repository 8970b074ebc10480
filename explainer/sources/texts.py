"""Source texts named on the command line: found, read as a reader sees them, screened.

The library behind ``explainer sources``: paths expand by explainer.inputs.paths' rules, a PDF
is read by the one PDF text reader (explainer.pdf.reader), an HTML page by its visible
text, anything else decoded by explainer.inputs.decode; each unreadable file is one problem line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import InputError, Problem

if TYPE_CHECKING:
    from .screening import Screen

# What a folder argument expands to: source texts only, so a folder that also holds the
# findings YAML or images is screened sensibly.
SOURCE_SUFFIXES = frozenset({".txt", ".text", ".md", ".rst", ".html", ".htm", ".pdf"})
_NOTHING = "no such file, or no text files there"


def find_source_files(args: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files, folders (their source texts, recursively) and glob patterns -> files; one
    problem per argument that names none."""
    from ..inputs.paths import expand_paths

    def explicit(path: Path) -> str | None:
        return None if os.path.lexists(path) else _NOTHING  # the reader refuses the rest

    return expand_paths(args, lambda p: p.suffix.lower() in SOURCE_SUFFIXES,
                        explicit=explicit, empty=lambda arg, pattern: _NOTHING)


def source_text(path: Path) -> str:
    """What a reader of the source sees: a PDF's text read back, an HTML page's visible text
    (not its markup), any other file as text. Raises InputError for a file the guarded
    reader refuses (a FIFO, a device, too large, a link out of its folder) or a PDF that
    cannot be read.
    """
    from ..inputs.guarded_files import FileRefused, read_bytes
    from .quotes import load_source_text

    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            from ..pdf.reader import PdfUnreadable, read_pdf_text

            try:
                return read_pdf_text(read_bytes(path, "source"), quiet=True)
            except PdfUnreadable as exc:
                raise InputError([Problem(str(path), None, "", f"cannot read PDF: {exc}")]
                                 ) from None
        if suffix in (".html", ".htm"):
            from ..seen.html import visible_text

            return visible_text(load_source_text(path))
        return load_source_text(path)
    except FileRefused as exc:
        raise InputError([Problem(str(path), None, "", exc.reason)]) from None


def screen_files(args: Sequence[str | Path]) -> list[tuple[Path, Screen]]:
    """Each source text ``args`` name with its screening; InputError with one problem per
    argument or file that cannot be read (nothing is screened then)."""
    from .screening import screen_text

    files, problems = find_source_files(args)
    if problems:
        raise InputError(problems)
    texts = []
    for path in files:
        try:
            texts.append((path, source_text(path)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return [(path, screen_text(text, path.name)) for path, text in texts]
