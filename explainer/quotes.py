"""Quote verification: every evidence phrase and press quote must appear verbatim in its source.

"Verbatim" forgives only what copying text cannot help changing: line breaks, curly vs straight
quotes and apostrophes, en/em dashes vs hyphens, non-breaking or repeated spaces, and the case of
the quote's first letter (a quote may start mid-sentence). Every word must match, so a quote
edited by a single word fails, and the message shows the closest passage of the source with its
line number so the user sees what differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problem
from .textnorm import DROP, FOLD

if TYPE_CHECKING:
    from .load import LoadedDocument, Loc
    from .model import Source

_WORD = re.compile(r"\S+")
_CLOSEST_MIN_RATIO = 0.5  # below this the "closest" passage is noise, not a near miss


@dataclass(frozen=True)
class QuoteRef:
    """One quote in a findings file: where it is, which source it cites, what it says."""

    loc: Loc
    source_id: str
    text: str


@dataclass(frozen=True)
class SourceText:
    """A source file's text, its whitespace/quote/dash-folded form and the map between them."""

    path: Path
    text: str
    folded: str
    index: tuple[int, ...]  # folded[i] came from text[index[i]]
    line_starts: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        """1-based line number of an offset into ``text``."""
        from bisect import bisect_right

        return bisect_right(self.line_starts, offset)


def fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for comparison; return it with the original offset of each character.

    The folding is :mod:`explainer.textnorm`'s, done here one character at a time (FOLD is one
    character for one) so that offsets into the folded text map back to the source; runs of
    whitespace, line breaks included, become one space.
    """
    out: list[str] = []
    index: list[int] = []
    space_at: int | None = None
    for i, ch in enumerate(text.translate(FOLD)):
        if ch in DROP:
            continue
        if ch.isspace():  # includes newlines, tabs, NBSP and the narrow/thin spaces
            if space_at is None:
                space_at = i
            continue
        if space_at is not None and out:
            out.append(" ")
            index.append(space_at)
        space_at = None
        out.append(ch)
        index.append(i)
    return "".join(out), index


def fold_text(text: str) -> str:
    return fold(unicodedata.normalize("NFC", text))[0]


def load_source_text(path: str | Path) -> str:
    """The text of a source file (UTF-8, NFC), read once per file version.

    Undecodable bytes become U+FFFD rather than an error: the quotes around them still verify.
    """
    return read_source(path).text


def read_source(path: str | Path) -> SourceText:
    """A source file with its folded form, cached like load_source_text."""
    path = Path(path)
    stat = path.stat()  # the cache key includes mtime and size so an edited file is re-read
    return _read_source(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_source(path: str, _mtime_ns: int, _size: int) -> SourceText:
    raw = Path(path).read_bytes()
    from .manifest import note_read

    note_read(Path(path), raw)  # inside a build: these bytes must be the ones it hashed
    return source_from_text(raw.decode("utf-8-sig", errors="replace"), Path(path))


def source_from_text(text: str, path: Path | None = None) -> SourceText:
    """A SourceText for text already in memory (NFC-normalised here)."""
    text = unicodedata.normalize("NFC", text)
    folded, index = fold(text)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return SourceText(path or Path(""), text, folded, tuple(index), tuple(starts))


def source_candidates(source: Source, sources_dir: Path) -> list[Path]:
    """Where a source's file may be: its path under sources_dir, then its bare name there."""
    first = sources_dir / source.file
    bare = sources_dir / Path(source.file).name
    return [first] if bare == first else [first, bare]


def find_source_file(source: Source, sources_dir: Path) -> Path | None:
    return next((p for p in source_candidates(source, sources_dir) if p.is_file()), None)


def iter_quotes(loaded: LoadedDocument) -> Iterator[QuoteRef]:
    """Every phrase that claims to be verbatim: evidence (of studies, findings and caveats),
    disagreement claims and press quotes."""
    doc = loaded.doc
    for loc, ev in doc.evidence():
        yield QuoteRef((*loc, "quote"), ev.source, ev.quote)
    for i, quote in enumerate(doc.quotes):
        yield QuoteRef(("quotes", i, "text"), quote.source, quote.text)


def _pattern(quote: str) -> re.Pattern[str]:
    """Regex for a folded quote: whole words at both ends, first letter in either case."""
    body = re.escape(quote)
    first = quote[0]
    if first.isalpha() and first.lower() != first.upper():
        body = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" + re.escape(quote[1:])
    start = r"(?<!\w)" if re.match(r"\w", quote) else ""
    end = r"(?!\w)" if re.search(r"\w$", quote) else ""
    return re.compile(start + body + end)


def find_quote(quote: str, source: SourceText) -> int | None:
    """Offset in ``source.text`` where ``quote`` starts, or None."""
    folded = fold_text(quote).strip()
    if not folded:
        return None
    match = _pattern(folded).search(source.folded)
    return source.index[match.start()] if match else None


def _bare(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).lower()


@dataclass(frozen=True)
class Passage:
    line: int
    text: str
    ratio: float
    differences: list[str]


def closest_passage(quote: str, source: SourceText) -> Passage | None:
    """The run of source words most like the quote (difflib over words); None if none is close."""
    from difflib import SequenceMatcher

    q_words = [_bare(w) for w in fold_text(quote).split()]
    spans = [m.span() for m in _WORD.finditer(source.folded)]
    s_words = [_bare(source.folded[a:b]) for a, b in spans]
    if not q_words or not s_words:
        return None
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(q_words)  # seq2 is the one SequenceMatcher indexes, so index the quote once
    n = len(q_words)
    wanted = set(q_words)

    def rank(a: int, b: int) -> tuple[int, int, int]:
        """Words in common, then closeness to the quote's length, then fewest source words
        hanging off either end: so a changed word shows as a replacement."""
        matcher.set_seq1(s_words[a:b])
        ops = matcher.get_opcodes()
        hanging = sum(i2 - i1 for tag, i1, i2, _, _ in (ops[0], ops[-1]) if tag == "delete")
        same = sum(block.size for block in matcher.get_matching_blocks())
        return same, -abs(b - a - n), -hanging

    best, lo, hi = (0, 0, 0), 0, 0
    for start in range(max(1, len(s_words) - n + 1)):
        window = s_words[start:start + n]
        if not wanted.intersection(window):
            continue
        matcher.set_seq1(window)
        if matcher.quick_ratio() * n <= best[0]:  # an upper bound on the words in common
            continue
        key = rank(start, start + n)
        if key > best:
            best, lo, hi = key, start, start + n
    # A word added or dropped makes the best window a word longer or shorter: try nearby sizes.
    for a in range(max(0, lo - 2), lo + 3):
        for b in range(max(a + 1, hi - 2), min(len(s_words), hi + 2) + 1):
            key = rank(a, b)
            if key > best:
                best, lo, hi = key, a, b
    if not best[0]:
        return None
    matcher.set_seq1(s_words[lo:hi])
    ops = matcher.get_opcodes()
    # Source words beyond either end of the quote are context, not differences: drop them.
    if ops[-1][0] == "delete":
        hi -= ops[-1][2] - ops[-1][1]
    if ops[0][0] == "delete":
        lo += ops[0][2] - ops[0][1]
    matcher.set_seq1(s_words[lo:hi])
    ratio = matcher.ratio()
    if ratio < _CLOSEST_MIN_RATIO:
        return None
    shown = [source.folded[a:b] for a, b in spans[lo:hi]]
    q_shown = fold_text(quote).split()
    diffs = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        theirs, ours = " ".join(shown[a1:a2]), " ".join(q_shown[b1:b2])
        if tag == "replace":
            diffs.append(f'quote has "{ours}" where the source has "{theirs}"')
        elif tag == "delete":
            diffs.append(f'the source has "{theirs}" that the quote leaves out')
        elif tag == "insert":
            diffs.append(f'quote adds "{ours}"')
    if not diffs:  # same words, different punctuation or case inside a word
        diffs.append("same words, different punctuation or letter case")
    start = source.index[spans[lo][0]]
    end = source.index[spans[hi - 1][1] - 1] + 1
    text = " ".join(source.text[start:end].split())  # as the source spells it, on one line
    if len(text) > 240:
        text = text[:237] + "..."
    return Passage(source.line_at(start), text, ratio, diffs)


def verify_quotes(
    loaded: LoadedDocument, sources_dir: Path | None = None, require_sources: bool = True
) -> list[Problem]:
    """Check every quote of a findings file against its source file; one Problem per miss.

    Sources are looked up in ``sources_dir`` if given, else in the file's own ``sources_dir``.
    A missing source file is one problem per source (an error if ``require_sources``, else a
    warning) and its quotes are not checked.
    """
    base = Path(sources_dir) if sources_dir is not None else loaded.sources_dir
    doc = loaded.doc
    problems: list[Problem] = []
    texts: dict[str, SourceText] = {}
    for i, source in enumerate(doc.sources):
        path = find_source_file(source, base)
        if path is None:
            searched = " or ".join(str(p) for p in source_candidates(source, base))
            level = "error" if require_sources else "warning"
            problems.append(loaded.problem(
                ("sources", i, "file"),
                f"source file not found: {searched} (use --sources DIR or sources_dir:)", level))
            continue
        try:
            texts[source.id] = read_source(path)
        except OSError as exc:
            problems.append(loaded.problem(("sources", i, "file"), f"cannot read {path}: {exc}"))

    known = {s.id for s in doc.sources}
    for ref in iter_quotes(loaded):
        if ref.source_id not in known:
            problems.append(loaded.problem(
                (*ref.loc[:-1], "source"),
                f"no source with id {ref.source_id!r} (known: {', '.join(sorted(known))})"))
            continue
        source = texts.get(ref.source_id)
        if source is None:
            continue  # missing file reported once above
        if find_quote(ref.text, source) is not None:
            continue
        problems.append(loaded.problem(ref.loc, _miss_message(ref, source, texts)))
    return problems


def _miss_message(ref: QuoteRef, source: SourceText, texts: dict[str, SourceText]) -> str:
    name = source.path.name
    short = ref.text if len(ref.text) <= 80 else ref.text[:77] + "..."
    message = f'"{short}" not found verbatim in {name}'
    elsewhere = [sid for sid, other in texts.items()
                 if sid != ref.source_id and find_quote(ref.text, other) is not None]
    if elsewhere:
        return message + f"; it is in source {', '.join(sorted(elsewhere))} (wrong source id?)"
    passage = closest_passage(ref.text, source)
    if passage is None:
        return message + "; no similar passage in that file"
    return (message + f'; closest is {name}:{passage.line}: "{passage.text}"; '
            + "; ".join(passage.differences[:3]))


def count_verified(loaded: LoadedDocument, problems: list[Problem]) -> tuple[int, int]:
    """(quotes verified, quotes in the file), given the problems verify_quotes returned."""
    from .load import dotted

    failed = {p.key for p in problems}
    missing = {doc_source.id for i, doc_source in enumerate(loaded.doc.sources)
               if dotted(("sources", i, "file")) in failed}
    refs = list(iter_quotes(loaded))
    ok = sum(1 for r in refs
             if dotted(r.loc) not in failed and dotted((*r.loc[:-1], "source")) not in failed
             and r.source_id not in missing)
    return ok, len(refs)
