"""Quote verification: every evidence phrase and press quote must appear verbatim in its source.

"Verbatim" forgives only what copying text cannot help changing: line breaks, curly vs straight
quotes and apostrophes, en/em dashes vs hyphens, non-breaking or repeated spaces, and the case of
the quote's first letter (a quote may start mid-sentence). Every word must match, so a quote
edited by a single word fails, and the message shows the closest passage of the source with its
line number so the user sees what differs.
"""

from __future__ import annotations

import os
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problem
from ..textnorm import DROP, FOLD

if TYPE_CHECKING:
    from difflib import SequenceMatcher

    from ..document.load import Level, LoadedDocument, Loc
    from ..document.model import Source

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
    index: FoldIndex  # folded[i] came from text[index[i]]
    line_starts: Sequence[int]

    @cached_property
    def words(self) -> SourceWords:
        """Words for the closest-passage search, built once per source version."""
        return source_words(self.folded)

    def line_at(self, offset: int) -> int:
        """1-based line number of an offset into ``text``."""
        return bisect_right(self.line_starts, offset)


class FoldIndex(Sequence[int]):
    """Where each character of a folded text came from, kept as runs, not one int a character.

    Folding changes offsets only where it drops characters or collapses whitespace, so the
    map is a few (folded offset, source offset) pairs: ``index[i]`` is the source offset of
    ``folded[i]``. Two arrays of 8-byte ints instead of a tuple of Python ints keeps a 20 MB
    source at tens of MB, not a gigabyte.
    """

    __slots__ = ("_folded", "_length", "_source")

    def __init__(self, folded_at: array, source_at: array, length: int):
        self._folded, self._source, self._length = folded_at, source_at, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        k = bisect_right(self._folded, i) - 1
        return self._source[k] + (i - self._folded[k])

    def __iter__(self) -> Iterator[int]:
        return (self[i] for i in range(self._length))


_DROP_CLASS = "".join(sorted(DROP))
# The runs folding changes: two or more spaces and invisible characters, any other single
# whitespace character (a line break becomes a space) or invisible one, and a lone space at
# either end. A lone space between words stays as it is, so the text is not cut at every word.
_FOLD_RUN = re.compile(rf"[\s{_DROP_CLASS}]{{2,}}|[^\S ]|[{_DROP_CLASS}]|\A | \Z")


def fold_with_offsets(text: str) -> tuple[str, FoldIndex]:
    """Fold ``text`` for comparison; return it with the original offset of each character.

    The folding is :mod:`explainer.textnorm`'s (FOLD is one character for one, so offsets
    survive it); then invisible characters go and each run of whitespace, line breaks
    included, becomes one space (none at either end). One regex pass: linear in the text.
    """
    text = text.translate(FOLD)
    pieces: list[str] = []
    folded_at, source_at = array("q", [0]), array("q", [0])
    size, last, delta = 0, 0, 0  # delta: source offset minus folded offset, in this run

    def mark(folded: int, source: int) -> None:
        nonlocal delta
        if source - folded != delta:
            folded_at.append(folded)
            source_at.append(source)
            delta = source - folded

    for match in _FOLD_RUN.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        size += start - last
        space = _SPACE.search(text, start, end)
        if space is not None and size and end < len(text):
            mark(size, space.start())
            pieces.append(" ")
            size += 1
        mark(size, end)
        last = end
    pieces.append(text[last:])
    size += len(text) - last
    return "".join(pieces), FoldIndex(folded_at, source_at, size)


_SPACE = re.compile(r"\s")


def fold_text(text: str) -> str:
    return fold_with_offsets(unicodedata.normalize("NFC", text))[0]


def load_source_text(path: str | Path, root: str | Path | None = None) -> str:
    """The text of a source file (NFC), read once per file version.

    Decoded by explainer.inputs.decode, as ``score`` reads it: UTF-8, any other byte as
    Windows-1252, never an error, so the quotes around a stray byte still verify.
    Raises guarded_files.FileRefused for a file that fails the guarded reader's checks.
    """
    return read_source(path, root).text


def read_source(path: str | Path, root: str | Path | None = None) -> SourceText:
    """A source file with its folded form, cached like load_source_text.

    Read through the guarded reader: the real path must stay inside ``root`` (the sources
    folder; default the file's own folder), be a regular file and within the source limit.
    """
    from ..inputs.guarded_files import check_file

    path = Path(path)
    real, stat = check_file(path, "source", root if root is not None else path.parent)
    # The cache key includes mtime and size so an edited file is re-read.
    return _read_source(str(real), str(root or path.parent), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_source(path: str, root: str, _mtime_ns: int, _size: int) -> SourceText:
    from ..inputs.decode import decode_text
    from ..inputs.guarded_files import read_bytes

    raw = read_bytes(path, "source", root=root)  # reports the bytes to the build's snapshot
    return source_from_text(decode_text(raw), Path(path))


def source_from_text(text: str, path: Path | None = None) -> SourceText:
    """A SourceText for text already in memory (NFC-normalised here)."""
    text = unicodedata.normalize("NFC", text)
    folded, index = fold_with_offsets(text)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return SourceText(path or Path(""), text, folded, index, array("q", starts))


def source_candidates(source: Source, sources_dir: Path) -> list[Path]:
    """Where a source's file may be: its path under sources_dir, then its bare name there."""
    first = sources_dir / source.file
    bare = sources_dir / Path(source.file).name
    return [first] if bare == first else [first, bare]


def find_source_file(source: Source, sources_dir: Path) -> Path | None:
    """The first candidate that exists (as any kind of file: the guarded reader then
    refuses what may not be read, with a reason, rather than calling it missing)."""
    return next((p for p in source_candidates(source, sources_dir) if _exists(p)), None)


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):  # a name the file system cannot hold
        return False


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
    start = _search(folded, source.folded)
    return source.index[start] if start is not None else None


_WORD_CHAR = re.compile(r"\w")


def _search(quote: str, text: str) -> int | None:
    """Where ``_pattern(quote)`` first matches ``text``, found with str.find: compiling a
    regex for every quote of every topic cost more than the search (a quote is new each
    time, so re's own cache never helps)."""
    first, rest = quote[0], quote[1:]
    heads = ({c + rest for c in first.lower() + first.upper()}  # _pattern's [xX] class
             if first.isalpha() and first.lower() != first.upper() else {quote})
    word_start = _WORD_CHAR.match(quote) is not None
    word_end = _WORD_CHAR.match(quote[-1]) is not None
    found = [at for head in heads
             if (at := _first_whole(head, text, word_start, word_end)) is not None]
    return min(found, default=None)


def _first_whole(head: str, text: str, word_start: bool, word_end: bool) -> int | None:
    """The first place ``head`` is in ``text`` with no word character before it (when
    ``word_start``) or after it (when ``word_end``)."""
    at = text.find(head)
    while at >= 0:
        end = at + len(head)
        if not (word_start and at > 0 and _WORD_CHAR.match(text, at - 1)) and not (
                word_end and end < len(text) and _WORD_CHAR.match(text, end)):
            return at
        at = text.find(head, at + 1)
    return None


def _bare(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).lower()


@dataclass(frozen=True)
class SourceWords:
    """A source's words for the closest-passage search: each word's span in the folded text
    and its bare form as an id into ``vocab`` (arrays: a 20 MB source stays small)."""

    starts: array
    ends: array
    ids: array
    vocab: dict[str, int]


def source_words(folded: str) -> SourceWords:
    starts, ends, ids = array("q"), array("q"), array("i")
    vocab: dict[str, int] = {}
    for match in _WORD.finditer(folded):
        word = match.group()
        bare = word.lower() if word[0].isalnum() and word[-1].isalnum() else _bare(word)
        starts.append(match.start())
        ends.append(match.end())
        ids.append(vocab.setdefault(bare, len(vocab)))
    return SourceWords(starts, ends, ids, vocab)


_MAX_WINDOWS = 400  # near misses examined per quote, best candidates first


def _candidate_windows(s_ids: array, wanted: set[int], n: int) -> list[int]:
    """Window starts worth ranking, most quote words first: windows that start or end on a
    word of the quote (the nearby-size pass then moves the edges)."""
    hits = [i for i, w in enumerate(s_ids) if w in wanted]
    if not hits:
        return []
    last = max(0, len(s_ids) - n)
    starts = sorted({min(max(0, p - k), last) for p in hits for k in (0, n - 1)})

    def count(start: int) -> int:
        return bisect_right(hits, start + n - 1) - bisect_right(hits, start - 1)

    ranked = sorted(starts, key=lambda s: (-count(s), s))
    return ranked[:_MAX_WINDOWS]


@dataclass(frozen=True)
class Passage:
    line: int
    text: str
    ratio: float
    differences: list[str]


def closest_passage(quote: str, source: SourceText) -> Passage | None:
    """The run of source words most like the quote (difflib over words); None if none is close."""
    from difflib import SequenceMatcher

    words = source.words
    q_words = [_bare(w) for w in fold_text(quote).split()]
    if not q_words or not len(words.ids):
        return None
    # Quote words as ids in the source's vocabulary; a word the source lacks matches nothing.
    q_ids = [words.vocab.get(w, -1 - i) for i, w in enumerate(q_words)]
    # seq2 is the one SequenceMatcher indexes, so index the quote once (seq1 is each window).
    matcher = SequenceMatcher(a=[], b=q_ids, autojunk=False)
    found = _best_window(matcher, words.ids, q_ids)
    if found is None:
        return None
    lo, hi = _without_context(matcher, words.ids, *found)
    matcher.set_seq1(words.ids[lo:hi])
    ratio = matcher.ratio()
    if ratio < _CLOSEST_MIN_RATIO:
        return None
    shown = [source.folded[a:b] for a, b in zip(words.starts[lo:hi], words.ends[lo:hi],
                                                  strict=True)]
    diffs = _differences(matcher, shown, fold_text(quote).split())
    start = source.index[words.starts[lo]]
    end = source.index[words.ends[hi - 1] - 1] + 1
    text = " ".join(source.text[start:end].split())  # as the source spells it, on one line
    if len(text) > 240:
        text = text[:237] + "..."
    return Passage(source.line_at(start), text, ratio, diffs)


def _rank(matcher: SequenceMatcher[int], s_ids: array, n: int, a: int,
          b: int) -> tuple[int, int, int]:
    """Words in common, then closeness to the quote's length, then fewest source words
    hanging off either end: so a changed word shows as a replacement."""
    matcher.set_seq1(s_ids[a:b])
    ops = matcher.get_opcodes()
    hanging = sum(i2 - i1 for tag, i1, i2, _, _ in (ops[0], ops[-1]) if tag == "delete")
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same, -abs(b - a - n), -hanging


def _best_window(matcher: SequenceMatcher[int], s_ids: array,
                 q_ids: list[int]) -> tuple[int, int] | None:
    """Source word span [lo, hi) with the most words in common with the quote; None if none."""
    n = len(q_ids)
    best, lo, hi = (0, 0, 0), 0, 0
    for start in _candidate_windows(s_ids, set(q_ids), n):
        window = s_ids[start:start + n]
        matcher.set_seq1(window)
        if matcher.quick_ratio() * n <= best[0]:  # an upper bound on the words in common
            continue
        key = _rank(matcher, s_ids, n, start, start + n)
        if key > best or (key == best and start < lo):
            best, lo, hi = key, start, start + n
    # A word added or dropped makes the best window a word longer or shorter: try nearby sizes.
    for a in range(max(0, lo - 2), lo + 3):
        for b in range(max(a + 1, hi - 2), min(len(s_ids), hi + 2) + 1):
            key = _rank(matcher, s_ids, n, a, b)
            if key > best:
                best, lo, hi = key, a, b
    return (lo, hi) if best[0] else None


def _without_context(matcher: SequenceMatcher[int], s_ids: array, lo: int,
                     hi: int) -> tuple[int, int]:
    """Source words beyond either end of the quote are context, not differences: drop them."""
    matcher.set_seq1(s_ids[lo:hi])
    ops = matcher.get_opcodes()
    if ops[-1][0] == "delete":
        hi -= ops[-1][2] - ops[-1][1]
    if ops[0][0] == "delete":
        lo += ops[0][2] - ops[0][1]
    return lo, hi


def _differences(matcher: SequenceMatcher[int], shown: list[str], q_shown: list[str]) -> list[str]:
    """What the quote changes, adds or leaves out, in words (source as seq1, quote as seq2)."""
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
    return diffs


def verify_quotes(
    loaded: LoadedDocument, sources_dir: Path | None = None, require_sources: bool = True
) -> list[Problem]:
    """Check every quote of a findings file against its source file; one Problem per miss.

    Sources are looked up in ``sources_dir`` if given, else in the file's own ``sources_dir``.
    A missing source file is one problem per source (an error if ``require_sources``, else a
    warning) and its quotes are not checked.
    """
    from ..inputs.guarded_files import FileRefused

    base = Path(sources_dir) if sources_dir is not None else loaded.sources_dir
    doc = loaded.doc
    problems: list[Problem] = []
    texts: dict[str, SourceText] = {}
    for i, source in enumerate(doc.sources):
        path = find_source_file(source, base)
        if path is None:
            searched = " or ".join(str(p) for p in source_candidates(source, base))
            level: Level = "error" if require_sources else "warning"
            problems.append(loaded.problem(
                ("sources", i, "file"),
                f"source file not found: {searched} (use --sources DIR or sources_dir:)", level))
            continue
        try:
            texts[source.id] = read_source(path, base)
        except FileRefused as exc:  # refused, whatever require_sources says: never read it
            problems.append(loaded.problem(("sources", i, "file"), str(exc)))

    known = {s.id for s in doc.sources}
    for ref in iter_quotes(loaded):
        if ref.source_id not in known:
            problems.append(loaded.problem(
                (*ref.loc[:-1], "source"),
                f"no source with id {ref.source_id!r} (known: {', '.join(sorted(known))})"))
            continue
        text = texts.get(ref.source_id)
        if text is None:
            continue  # missing file reported once above
        if find_quote(ref.text, text) is not None:
            continue
        problems.append(loaded.problem(ref.loc, _miss_message(ref, text, texts)))
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
    from ..document.load import dotted

    failed = {p.key for p in problems}
    missing = {doc_source.id for i, doc_source in enumerate(loaded.doc.sources)
               if dotted(("sources", i, "file")) in failed}
    refs = list(iter_quotes(loaded))
    ok = sum(1 for r in refs
             if dotted(r.loc) not in failed and dotted((*r.loc[:-1], "source")) not in failed
             and r.source_id not in missing)
    return ok, len(refs)
