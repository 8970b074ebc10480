"""The drafts `explainer score` reads: files, folders and glob patterns expanded to inputs,
and each input (.txt, .md, .html, .pdf, .docx, .odt or standard input) read within its size
limits, so that bad input is one problem line, never a traceback."""

from __future__ import annotations

import glob
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


def collect_inputs(args: list[str]) -> tuple[list[Input], list[Problem]]:  # noqa: C901
    """Expand files, folders (recursively, known suffixes only) and glob patterns."""
    inputs: list[Input] = []
    problems: list[Problem] = []
    known = ", ".join(sorted(SUFFIXES))

    def add_folder(folder: Path) -> int:
        found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        inputs.extend(Input(str(p), SUFFIXES[p.suffix.lower()]) for p in found)
        return len(found)

    for arg in args:
        if arg == STDIN:
            inputs.append(Input(STDIN, None))
            continue
        path = Path(arg)
        if not path.exists() and glob.has_magic(arg):
            matched = 0
            for match in sorted(glob.glob(arg, recursive=True)):
                p = Path(match)
                if p.is_dir():
                    matched += add_folder(p)
                elif p.suffix.lower() in SUFFIXES:
                    inputs.append(Input(str(p), SUFFIXES[p.suffix.lower()]))
                    matched += 1
            if not matched:
                problems.append(Problem(arg, None, "", f"no files to score match this pattern "
                                                       f"(suffixes: {known})"))
        elif path.is_dir():
            if not add_folder(path):
                problems.append(Problem(arg, None, "", f"no files to score in this folder "
                                                       f"(suffixes: {known})"))
        elif path.is_file():
            fmt = SUFFIXES.get(path.suffix.lower())
            if fmt is None:
                problems.append(Problem(arg, None, "", f"unknown suffix '{path.suffix}' "
                                                       f"(use {known}, or - for standard input)"))
            else:
                inputs.append(Input(arg, fmt))
        elif path.exists():
            problems.append(Problem(arg, None, "", "not a regular file (a FIFO, device or "
                                                   "folder): refused"))
        else:
            problems.append(Problem(arg, None, "", "no such file or folder"))
    seen: set[str] = set()
    unique = []
    for item in inputs:
        key = item.name if item.name == STDIN else str(Path(item.name).resolve())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique, problems


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which never fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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


def pdf_file_text(path: Path) -> str:
    """Text of a PDF file, page by page (a Flate bomb or a broken file is one problem)."""
    from pypdf import PdfReader

    from ..pdf.content_stream import quiet_pypdf

    try:
        with quiet_pypdf():  # a broken PDF is one problem line, not pypdf's log lines too
            reader = PdfReader(str(path))
            if len(reader.pages) > MAX_PDF_PAGES:
                raise _too_big(str(path), f"{len(reader.pages)} pages", f"{MAX_PDF_PAGES} pages")
            pages: list[str] = []
            size = 0
            for page in reader.pages:
                check_streams(page)
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > MAX_TEXT_CHARS:
                    raise _too_big(str(path), "more text", f"{MAX_TEXT_CHARS:,} characters")
            return "\n".join(pages)
    except InputError:
        raise
    except Exception as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read PDF: {_pdf_error(exc)}")]
                         ) from None


def check_streams(page: Any) -> None:
    """Decode a page's content streams once, so that a decompression bomb raises pypdf's
    LimitReachedError here (its text extraction swallows it and returns nothing)."""
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()


def _pdf_error(exc: Exception) -> str:
    from pypdf.errors import LimitReachedError

    if isinstance(exc, LimitReachedError):
        return "a stream unpacks to more than pypdf's limit (a decompression bomb?): refused"
    if isinstance(exc, RecursionError):
        return "objects nested too deep"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


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
    return decode(data)


def read_draft(item: Input, stdin_format: Format | None = None) -> Draft:  # noqa: C901
    """Read one input within the size limits; bad input raises InputError (one line each)."""
    if item.name == STDIN:
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        if stream is None:
            raw = sys.stdin.read(MAX_TEXT_BYTES + 1)
            if len(raw) > MAX_TEXT_BYTES:
                raise _too_big("<stdin>", f"over {MAX_TEXT_BYTES:,} characters",
                               f"{MAX_TEXT_BYTES:,}")
            text = raw
        else:
            text = _text_of("<stdin>", _read_limited("<stdin>", stream.read, MAX_TEXT_BYTES))
        return Draft(STDIN, text, stdin_format or guess_format(text))
    path = Path(item.name)
    fmt = item.format or SUFFIXES.get(path.suffix.lower(), "txt")
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError([Problem(item.name, None, "", f"cannot read: {exc.strerror}")]) from None
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem(item.name, None, "", "not a regular file (a FIFO, device or "
                                                       "folder): refused")])
    binary = fmt in ("pdf", "docx", "odt")
    limit = MAX_FILE_BYTES if binary else MAX_TEXT_BYTES
    if info.st_size > limit:
        raise _too_big(item.name, f"{info.st_size:,} bytes", f"{limit:,} bytes")
    if fmt in ("docx", "odt"):
        from ..inputs.office import read_docx, read_odt

        paragraphs = (read_docx if fmt == "docx" else read_odt)(path)
        text = "\n".join(p.text for p in paragraphs)
        if len(text) > MAX_TEXT_CHARS:
            raise _too_big(item.name, f"{len(text):,} characters of text",
                           f"{MAX_TEXT_CHARS:,} characters")
        return Draft(item.name, text, fmt, tuple(paragraphs))
    if fmt == "pdf":
        from ..pdf.structure import tagged_paragraphs

        tagged = tagged_paragraphs(path, MAX_PDF_PAGES, MAX_TEXT_CHARS)
        if tagged is not None:
            return Draft(item.name, "\n".join(p.text for p in tagged), fmt, tuple(tagged))
        return Draft(item.name, pdf_file_text(path), fmt)
    try:
        with path.open("rb") as handle:
            data = _read_limited(item.name, handle.read, limit)
    except OSError as exc:
        raise InputError([Problem(item.name, None, "", f"cannot read: {exc.strerror}")]) from None
    return Draft(item.name, _text_of(item.name, data), fmt)


def read_input(item: Input, stdin_format: Format | None = None) -> tuple[str, Format]:
    """The text (or HTML) of one input and its format."""
    draft = read_draft(item, stdin_format)
    return draft.text, draft.format
