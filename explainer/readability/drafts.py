"""The drafts `explainer score` reads: files, folders and glob patterns expanded to inputs,
and each input (.txt, .md, .html, .pdf, .docx, .odt or standard input) read within its size
limits, so that bad input is one problem line, never a traceback."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..inputs.office import Paragraph
from ..problems import InputError, Problem

Format = Literal["txt", "md", "html", "pdf", "docx", "odt"]
SUFFIXES: dict[str, Format] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".odt": "odt",
}
# Size limits of `explainer score` (README, "Commands"): bigger input is refused, not read.
MAX_TEXT_BYTES = 5_000_000  # a .txt, .md or .html file, or standard input
MAX_FILE_BYTES = 50_000_000  # a .pdf, .docx or .odt file
MAX_TEXT_CHARS = 5_000_000  # text taken out of a .pdf, .docx or .odt file
MAX_PDF_PAGES = 2_000
STDIN = "-"


@dataclass(frozen=True)
class Input:
    name: str  # a path, or "-" for standard input
    format: Format | None  # None: standard input, format guessed from its content


def collect_inputs(args: list[str]) -> tuple[list[Input], list[Problem]]:
    """Files, folders (searched recursively for known suffixes), glob patterns and ``-``,
    by explainer.inputs.paths' rules."""
    import stat

    from ..inputs.paths import expand_paths

    known = ", ".join(sorted(SUFFIXES))

    def explicit(path: Path) -> str | None:
        try:
            info = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return "no such file or folder"
        except (OSError, ValueError) as exc:  # a name too long, no permission
            return f"cannot read: {getattr(exc, 'strerror', None) or exc}"
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file (a FIFO, device or folder): refused"
        if path.suffix.lower() not in SUFFIXES:
            return f"unknown suffix '{path.suffix}' (use {known}, or - for standard input)"
        return None

    def empty(arg: str, pattern: bool) -> str:
        where = "match this pattern" if pattern else "in this folder"
        return f"no files to score {where} (suffixes: {known})"

    paths, problems = expand_paths(args, lambda p: p.suffix.lower() in SUFFIXES,
                                   explicit=explicit, empty=empty, stdin=True)
    return [Input(STDIN, None) if str(p) == STDIN else Input(str(p), SUFFIXES[p.suffix.lower()])
            for p in paths], problems


_CONTROL = bytes(i for i in range(32) if i not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """A NUL byte, or many control characters, near the start: not text (UTF-16 included,
    which is refused rather than scored as noise)."""
    head = data[:8192]
    if b"\0" in head:
        return True
    return bool(head) and sum(head.count(c) for c in _CONTROL) > len(head) // 20


def guess_format(text: str) -> Format:
    head = text[:4000]
    if re.search(r"<(!doctype html|html|body|main|section|article|p|div|h[1-6])\b", head, re.I):
        return "html"
    if re.search(r"^\s{0,3}(#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)", head, re.M) and \
            re.search(r"^\s{0,3}#{1,6}\s|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*", head, re.M):
        return "md"
    return "txt"


def read_pdf(path: Path) -> str:
    """Text of a PDF file by the one PDF reader, within score's limits (a Flate bomb or a
    broken file is one problem)."""
    from ..pdf.reader import PdfTooLarge, PdfUnreadable, read_pdf_text

    try:
        with path.open("rb") as handle:
            data = _read_limited(str(path), handle.read, MAX_FILE_BYTES)
        return read_pdf_text(data, max_pages=MAX_PDF_PAGES, max_chars=MAX_TEXT_CHARS,
                             quiet=True)
    except PdfTooLarge as exc:
        raise _too_big(str(path), exc.size, exc.limit) from None
    except PdfUnreadable as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read PDF: {exc}")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read: {exc.strerror}")]
                         ) from None


def _too_big(name: str, size: str, limit: str) -> InputError:
    return InputError([Problem(name, None, "", f"too large to score: {size} (limit {limit})")])


@dataclass(frozen=True)
class Draft:
    """One input as read: its text (what diagnostics' lines and columns refer to), its format,
    and for .docx, .odt and tagged PDFs its paragraphs (one per line of ``text``)."""

    name: str
    text: str
    format: Format
    paragraphs: tuple[Paragraph, ...] | None = None


def _read_limited(name: str, read: Any, limit: int) -> bytes:
    data = read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, f"over {limit:,} bytes", f"{limit:,} bytes")
    return data


def _text_of(name: str, data: bytes) -> str:
    if looks_binary(data):
        raise InputError([Problem(name, None, "", "binary data, not text: refused (score "
                                                  ".txt, .md, .html, .pdf, .docx or .odt)")])
    from ..inputs.decode import decode_text

    return decode_text(data)


def read_draft(item: Input, stdin_format: Format | None = None) -> Draft:
    """Read one input within the size limits; bad input raises InputError (one line each)."""
    if item.name == STDIN:
        text = _stdin_text()
        return Draft(STDIN, text, stdin_format or guess_format(text))
    path = Path(item.name)
    fmt = item.format or SUFFIXES.get(path.suffix.lower(), "txt")
    limit = MAX_FILE_BYTES if fmt in ("pdf", "docx", "odt") else MAX_TEXT_BYTES
    _check_file(item.name, path, limit)
    if fmt in ("docx", "odt"):
        return _office_draft(item.name, path, fmt)
    if fmt == "pdf":
        return _pdf_draft(item.name, path)
    try:
        with path.open("rb") as handle:
            data = _read_limited(item.name, handle.read, limit)
    except OSError as exc:
        raise InputError([Problem(item.name, None, "", f"cannot read: {exc.strerror}")]) from None
    return Draft(item.name, _text_of(item.name, data), fmt)


def _stdin_text() -> str:
    """Standard input as text, within the text size limit."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stream is None:
        raw = sys.stdin.read(MAX_TEXT_BYTES + 1)
        if len(raw) > MAX_TEXT_BYTES:
            raise _too_big("<stdin>", f"over {MAX_TEXT_BYTES:,} characters",
                           f"{MAX_TEXT_BYTES:,}")
        return raw
    return _text_of("<stdin>", _read_limited("<stdin>", stream.read, MAX_TEXT_BYTES))


def _check_file(name: str, path: Path, limit: int) -> None:
    """Refuse what cannot be read, is not a regular file or is over ``limit`` bytes."""
    import stat

    try:
        info = path.stat()
    except OSError as exc:
        raise InputError([Problem(name, None, "", f"cannot read: {exc.strerror}")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem(name, None, "", "not a regular file (a FIFO, device or "
                                                  "folder): refused")])
    if info.st_size > limit:
        raise _too_big(name, f"{info.st_size:,} bytes", f"{limit:,} bytes")


def _office_draft(name: str, path: Path, fmt: Format) -> Draft:
    from ..inputs.office import read_docx, read_odt

    paragraphs = (read_docx if fmt == "docx" else read_odt)(path)
    text = "\n".join(p.text for p in paragraphs)
    if len(text) > MAX_TEXT_CHARS:
        raise _too_big(name, f"{len(text):,} characters of text",
                       f"{MAX_TEXT_CHARS:,} characters")
    return Draft(name, text, fmt, tuple(paragraphs))


def _pdf_draft(name: str, path: Path) -> Draft:
    """By the PDF's structure tags when it has them, else by plain text extraction."""
    from ..pdf.structure import tagged_paragraphs

    tagged = tagged_paragraphs(path, MAX_PDF_PAGES, MAX_TEXT_CHARS)
    if tagged is not None:
        return Draft(name, "\n".join(p.text for p in tagged), "pdf", tuple(tagged))
    return Draft(name, read_pdf(path), "pdf")


def read_input(item: Input, stdin_format: Format | None = None) -> tuple[str, Format]:
    """The text (or HTML) of one input and its format."""
    draft = read_draft(item, stdin_format)
    return draft.text, draft.format
