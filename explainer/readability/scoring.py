"""Readability of what a reader sees: scores per section, for the body, and for the parts
reported apart (headings, navigation, sources, labels), checked against the audience's target.

This is the library behind ``explainer score`` and the readability report. It reads .txt, .md,
.html and .pdf files, or text from standard input.
"""

from __future__ import annotations

import glob
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..inputs.office import Paragraph
from ..problems import InputError, Problem
from .formulas import (
    Counts,
    Diagnosis,
    Scores,
    SentenceScore,
    count_sentence,
    count_sentences,
    diagnose_sentences,
    score_sentence,
)
from .sentences import split_block, split_blocks
from .targets import Miss, Target, load_targets

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
TEXT_SECTION = "text"  # the one section of a document that has no sections


@dataclass
class SectionScore:
    id: str
    scores: Scores
    counts: Counts
    blocks: list[list[SentenceScore]]  # body blocks, each as its scored sentences
    headings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "scores": self.scores.to_dict(), "headings": self.headings}


@dataclass
class DocumentScore:
    audience: str
    target: Target
    body: Scores
    sections: list[SectionScore]
    apart: dict[str, Scores]  # "headings", "nav" and each data-apart category
    misses: list[Miss]
    diagnosis: Diagnosis

    @property
    def over_target(self) -> bool:
        return bool(self.misses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "target": self.target.to_dict(),
            "over_target": self.over_target,
            "body": self.body.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "apart": {k: v.to_dict() for k, v in self.apart.items()},
            "misses": [m.to_dict() for m in self.misses],
            "diagnosis": self.diagnosis.to_dict(),
        }


def _target_for(audience: str, targets: dict[str, Target] | Target | None) -> Target:
    if isinstance(targets, Target):
        return targets
    targets = targets if targets is not None else load_targets()
    if audience not in targets:
        raise InputError([Problem("--audience", None, "", f"no target for audience '{audience}' "
                                                          f"(known: {', '.join(targets)})")])
    return targets[audience]


def score_blocks(
    body: dict[str, list[str]],
    apart: dict[str, list[str]],
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    headings: dict[str, list[str]] | None = None,
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Score body blocks per section; parts in ``apart`` are scored on their own.

    ``diagnose=False`` leaves the diagnosis empty, for callers that only need the scores."""
    target = _target_for(audience, targets)
    rule = target.sentences
    sections: list[SectionScore] = []
    all_sentences: list[str] = []
    all_scored: list[SentenceScore] = []
    for section_id, blocks in body.items():
        scored_blocks = []
        sentences: list[str] = []
        per_sentence: list[Counts] = []
        for block in blocks:
            found = split_block(block)
            counted = [count_sentence(s) for s in found]
            sentences.extend(found)
            per_sentence.extend(counted)
            scored_blocks.append([score_sentence(s, rule, c) for s, c in zip(found, counted,
                                                                            strict=True)])
        counts = Counts.total(per_sentence)
        sections.append(SectionScore(section_id, Scores.from_counts(counts), counts, scored_blocks,
                                     (headings or {}).get(section_id, [])))
        all_sentences.extend(sentences)
        all_scored.extend(s for b in scored_blocks for s in b)
    body_scores = Scores.from_counts(Counts.total(s.counts for s in sections))
    apart_scores = {
        name: Scores.from_counts(count_sentences([s for b in blocks for s in split_block(b)]))
        for name, blocks in apart.items() if blocks
    }
    diagnosis = (diagnose_sentences(all_sentences, glossary_terms, rule, scored=all_scored)
                 if diagnose else Diagnosis())
    return DocumentScore(audience, target, body_scores, sections, apart_scores,
                         target.check(body_scores), diagnosis)


def set_furniture_apart(body: dict[str, list[str]], apart: dict[str, list[str]],
                        known: dict[str, str] | None = None) -> None:
    """Move datelines, bylines, captions (and ``known`` blocks: text -> the part it is, such as
    plain-text headings) out of the body into ``apart``: they are not sentences to fix. A
    dateline that opens a paragraph is cut off."""
    from .furniture import kind_of, split_dateline

    for section_id, blocks in body.items():
        kept: list[str] = []
        for i, block in enumerate(blocks):
            normal = " ".join(block.split())
            kind = (known or {}).get(normal) or kind_of(normal)
            if kind is None and i < 3:
                dateline, rest = split_dateline(normal)
                if dateline:
                    apart.setdefault("dateline", []).append(dateline)
                    block = rest
            if kind is None:
                kept.append(block)
            else:
                apart.setdefault(kind, []).append(normal)
        body[section_id] = kept


def _html_captions(html: str) -> set[str]:
    """Texts of <figcaption> and <caption> elements: a caption labels a figure or a table."""
    from ..seen.html import _parse

    root, _ = _parse(html)
    return {" ".join("".join(e.itertext()).split()) for e in root.iter()
            if e.tag in ("figcaption", "caption")} - {""}


def score_html(
    html: str,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
    furniture: bool = False,
) -> DocumentScore:
    """Scores of the text a reader sees in an HTML explainer: per ``<section data-section>``,
    for the whole body, and apart for headings, navigation and ``data-score="apart"`` parts.

    ``furniture=True`` (for drafts) also puts datelines, bylines and captions apart."""
    from ..seen.html import extract

    extracted = extract(html)
    body = {sid: s.body for sid, s in extracted.sections.items() if s.body}
    apart: dict[str, list[str]] = {"headings": extracted.headings(), "nav": extracted.nav()}
    for category, blocks in extracted.apart().items():
        apart.setdefault(category, []).extend(blocks)
    if furniture:
        set_furniture_apart(body, apart, dict.fromkeys(_html_captions(html), "caption"))
    headings = {sid: s.headings for sid, s in extracted.sections.items()}
    return score_blocks(body, apart, audience, targets, glossary_terms, headings,
                        diagnose=diagnose)


def score_plain(
    text: str,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    markdown: bool = False,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of plain text or Markdown. Headings (Markdown's, and lines of plain text that
    stand alone as headings), datelines, bylines and captions are reported apart."""
    from .furniture import plain_text_headings, table_rows_as_cells

    if markdown:
        blocks, heads = markdown_blocks(text)
        plain_heads: set[str] = set()
    else:
        blocks, heads = split_blocks(table_rows_as_cells(text)), []
        plain_heads = plain_text_headings(text)
    body = {TEXT_SECTION: blocks}
    apart: dict[str, list[str]] = {"headings": heads}
    set_furniture_apart(body, apart, dict.fromkeys(plain_heads, "headings"))
    heads = apart["headings"]
    return score_blocks(body, apart, audience, targets, glossary_terms, {TEXT_SECTION: heads},
                        diagnose=diagnose)


def score_paragraphs(
    paragraphs: list[Paragraph],
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of a document read paragraph by paragraph (.docx, .odt, a tagged PDF): each
    paragraph is a block; headings and captions are reported apart."""
    body = {TEXT_SECTION: [p.text for p in paragraphs if p.kind == "body"]}
    apart: dict[str, list[str]] = {
        "headings": [p.text for p in paragraphs if p.kind == "heading"],
        "caption": [p.text for p in paragraphs if p.kind == "caption"],
    }
    for p in paragraphs:
        if p.kind == "apart":
            apart.setdefault(p.category or "other", []).append(p.text)
    set_furniture_apart(body, apart)
    return score_blocks(body, apart, audience, targets, glossary_terms,
                        {TEXT_SECTION: apart["headings"]}, diagnose=diagnose)


# ---------------------------------------------------------------------------------------------
# Markdown to blocks: enough of the syntax to score the prose, not a renderer.

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
# Every pattern is linear: a construct cannot run over the mark that would open another one
# ("![" x 20k, "_a " x 20k), and spans are bounded, so hostile input costs no more than prose.
_INLINE = [
    (re.compile(r"!\[[^\]\[\n]{0,1000}\]\([^()\n]{0,2000}\)"), ""),  # images
    (re.compile(r"\[\^[^\]\[\n]{1,200}\]"), ""),  # footnote references
    (re.compile(r"\[([^\]\[\n]{1,1000})\]\([^()\n]{0,2000}\)"), r"\1"),  # links
    (re.compile(r"\[([^\]\[\n]{1,1000})\]\[[^\]\[\n]{0,200}\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^<>\s]{1,2000})>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]{0,2000}>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code spans
    (re.compile(r"(\*{1,3})(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\1"), r"\2"),  # emphasis
    (re.compile(r"(_{1,3})(?=[^\s_])([^_\n]{1,2000}?)(?<=[^\s_])\1"), r"\2"),
    (re.compile(r"~~([^~\n]{1,2000})~~"), r"\1"),  # strikethrough
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # escapes
]


def drop_comments(text: str) -> str:
    """Text without HTML comments; an unclosed one runs to the end, as in CommonMark's HTML
    blocks. One pass with str.find: a regex retried at every "<!--" was quadratic."""
    parts: list[str] = []
    at = 0
    while True:
        start = text.find("<!--", at)
        if start < 0:
            parts.append(text[at:])
            return "".join(parts)
        parts.append(text[at:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(parts)
        at = end + 3


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def markdown_blocks(markdown: str) -> tuple[list[str], list[str]]:
    """(body blocks, headings) of a Markdown document, with the syntax stripped."""
    text = drop_comments(markdown.replace("\r\n", "\n"))
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")),
                   None)
        if end is not None:
            lines = lines[end + 1:]
    body: list[str] = []
    headings: list[str] = []
    in_fence = skip = False
    for i, line in enumerate(lines):
        if skip:  # the underline of a setext heading
            skip = False
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            body.append("")
            continue
        if in_fence or _LINK_DEFINITION.match(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        previous = lines[i - 1] if i > 0 else ""
        heading = _ATX.match(line)
        if heading or (line.strip() and _SETEXT.match(following) and not previous.strip()):
            headings.append(_inline(heading.group(1) if heading else line.strip()))
            body.append("")
            skip = not heading
            continue
        if _RULE.match(line):
            body.append("")
            continue
        line = re.sub(r"^\s{0,3}(>\s?)+", "", line)  # block quotes
        line = re.sub(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[[ xX]\]\s+", r"\1", line)  # task lists
        if "|" in line and (line.lstrip().startswith("|") or _TABLE_SEPARATOR.match(following)
                            or _TABLE_SEPARATOR.match(previous)):
            if not _TABLE_SEPARATOR.match(line):
                for cell in line.strip().strip("|").split("|"):
                    body.extend(["", _inline(cell.strip()), ""])  # each cell is a block
            continue
        body.append(_inline(line))
    return split_blocks("\n".join(body)), [h for h in headings if h]


# ---------------------------------------------------------------------------------------------
# Files and standard input.


@dataclass(frozen=True)
class Input:
    name: str  # a path, or "-" for standard input
    format: Format | None  # None: standard input, format guessed from its content


def collect_inputs(args: list[str]) -> tuple[list[Input], list[Problem]]:
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


def pdf_text(path: Path) -> str:
    """Text of a PDF file, page by page (a Flate bomb or a broken file is one problem)."""
    from pypdf import PdfReader

    from ..pdf.render import quiet_pypdf

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


def read_draft(item: Input, stdin_format: Format | None = None) -> Draft:
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

        paragraphs = tagged_paragraphs(path, MAX_PDF_PAGES, MAX_TEXT_CHARS)
        if paragraphs is not None:
            return Draft(item.name, "\n".join(p.text for p in paragraphs), fmt,
                         tuple(paragraphs))
        return Draft(item.name, pdf_text(path), fmt)
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


def score_draft(
    draft: Draft,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of a draft as ``explainer score`` gives them: datelines, bylines, captions and
    headings apart."""
    if draft.paragraphs is not None:
        return score_paragraphs(list(draft.paragraphs), audience, targets, glossary_terms,
                                diagnose=diagnose)
    return score_content(draft.text, draft.format, audience, targets, glossary_terms,
                         diagnose=diagnose)


def score_content(
    text: str,
    fmt: Format,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    if fmt == "html":
        return score_html(text, audience, targets, glossary_terms, diagnose=diagnose,
                          furniture=True)
    if fmt in ("docx", "odt"):  # text read by read_draft: one paragraph per line
        from ..inputs.office import Paragraph

        paragraphs = [Paragraph("body", line) for line in text.split("\n") if line.strip()]
        return score_paragraphs(paragraphs, audience, targets, glossary_terms,
                                diagnose=diagnose)
    return score_plain(text, audience, targets, glossary_terms, markdown=fmt == "md",
                       diagnose=diagnose)
