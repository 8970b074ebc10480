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

from .problems import InputError, Problem
from .readability import (
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

Format = Literal["txt", "md", "html", "pdf"]
SUFFIXES: dict[str, Format] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".pdf": "pdf",
}
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


def score_html(
    html: str,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of the text a reader sees in an HTML explainer: per ``<section data-section>``,
    for the whole body, and apart for headings, navigation and ``data-score="apart"`` parts."""
    from .html_text import extract

    extracted = extract(html)
    body = {sid: s.body for sid, s in extracted.sections.items() if s.body}
    apart: dict[str, list[str]] = {"headings": extracted.headings(), "nav": extracted.nav()}
    for category, blocks in extracted.apart().items():
        apart.setdefault(category, []).extend(blocks)
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
    """Scores of plain text or Markdown (whose headings are reported apart)."""
    if markdown:
        blocks, heads = markdown_blocks(text)
    else:
        blocks, heads = split_blocks(text), []
    return score_blocks({TEXT_SECTION: blocks}, {"headings": heads}, audience, targets,
                        glossary_terms, {TEXT_SECTION: heads}, diagnose=diagnose)


# ---------------------------------------------------------------------------------------------
# Markdown to blocks: enough of the syntax to score the prose, not a renderer.

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_INLINE = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code spans
    (re.compile(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strikethrough
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # escapes
]


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def markdown_blocks(markdown: str) -> tuple[list[str], list[str]]:
    """(body blocks, headings) of a Markdown document, with the syntax stripped."""
    text = re.sub(r"<!--.*?-->", "", markdown.replace("\r\n", "\n"), flags=re.S)
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


def guess_format(text: str) -> Format:
    head = text[:4000]
    if re.search(r"<(!doctype html|html|body|main|section|article|p|div|h[1-6])\b", head, re.I):
        return "html"
    if re.search(r"^\s{0,3}(#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)", head, re.M) and \
            re.search(r"^\s{0,3}#{1,6}\s|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*", head, re.M):
        return "md"
    return "txt"


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .pdf import quiet_pypdf

    try:
        with quiet_pypdf():  # a broken PDF is one problem line, not pypdf's log lines too
            reader = PdfReader(str(path))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputError([Problem(str(path), None, "", f"cannot read PDF: {exc}")]) from None


def read_input(item: Input, stdin_format: Format | None = None) -> tuple[str, Format]:
    """The text (or HTML) of one input and its format."""
    if item.name == STDIN:
        text = decode(sys.stdin.buffer.read()) if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        return text, stdin_format or guess_format(text)
    path = Path(item.name)
    fmt = item.format or SUFFIXES.get(path.suffix.lower(), "txt")
    if fmt == "pdf":
        return pdf_text(path), "pdf"
    try:
        return decode(path.read_bytes()), fmt
    except OSError as exc:
        raise InputError([Problem(item.name, None, "", f"cannot read: {exc.strerror}")]) from None


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
        return score_html(text, audience, targets, glossary_terms, diagnose=diagnose)
    return score_plain(text, audience, targets, glossary_terms, markdown=fmt == "md",
                       diagnose=diagnose)

