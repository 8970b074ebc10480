"""Source screening: is a source text what it seems, and do the sources agree about a study?

Three flags per source text, each with a score in [0, 1] and the lines that earned it:

* ``spun``: a machine-reworded copy ("nan encephalon" for "the brain"). Two independent signals
  (see :func:`spin_signals`): a lexicon of spinner swaps (rules/spin_lexicon.yaml) and a
  function-word statistic that needs no word list.
* ``ai_generated``: an AI-written explanation, found by its disclaimers and sign-up footers.
* ``preprint``: the text says the work is a preprint or has not been peer reviewed.

:func:`screen_document` screens every source of a findings file, compares what the sources say
about each study (journal, year, peer-review status, sample size: :mod:`.facts` finds them,
:mod:`.agreement` compares them) and turns the results into Problems: undeclared
disagreements (warnings) and studies, findings or caveats that rest only on flagged sources
without an ``accepted:`` reason (errors).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..problems import Problem

if TYPE_CHECKING:
    from ..document.load import LoadedDocument
    from .agreement import SourceDisagreement
    from .facts import Fact
    from .quotes import SourceText

FlagKind = Literal["spun", "ai_generated", "preprint"]
FLAG_AT = 0.5  # a score at or above this raises the flag

# Function-word statistic, calibrated on the texts under tests/fixtures/sources/screen_*.txt:
# clean prose has deficits of 0.00-0.34 (a headline listing and a terse abstract are the high
# end; the seed news summary 003 reaches 0.43), copies spun by the test spinner 0.29-0.55. The
# statistic scores 0 up to DEFICIT_FLOOR and 1 at DEFICIT_FULL, so on its own it flags only a
# text that has lost over half its function words, and otherwise adds weight to lexicon hits.
DEFICIT_FLOOR, DEFICIT_FULL = 0.35, 0.70
MIN_STAT_WORDS = 120  # below this the function-word rate is too noisy to mean anything

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Swap:
    spun: str
    original: str
    weight: float
    regex: str  # placeholders filled in; screening_rules has checked that it compiles
    flags: int
    source: str
    reason: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: a text is scanned only for the swaps whose required
        literal it holds, so most sources never need most of the 87."""
        return re.compile(self.regex, self.flags)


@dataclass(frozen=True)
class Marker:
    id: str
    kind: FlagKind
    weight: float
    pattern: re.Pattern[str]
    reason: str


@dataclass(frozen=True)
class Rules:
    swaps: tuple[Swap, ...]
    half_score: float
    function_words: frozenset[str]
    function_word_rate: float  # their share of running English words
    markers: tuple[Marker, ...]
    literals: tuple[str, ...] = ()  # per swap: text each of its matches contains


@lru_cache(maxsize=1)
def screening_rules() -> Rules:
    """The bundled spin lexicon and source markers, compiled once. A malformed rule file is
    an InputError (validated by explainer/rules/schema.py)."""
    from ..problems import InputError
    from ..rules import rule_model, rule_problem

    lex = rule_model("spin_lexicon")
    holders = {f"<{k}>": v for k, v in lex.placeholders.items()}
    # The stdlib's private regex parser, which typeshed does not describe.
    from re import _parser  # type: ignore[attr-defined]

    swaps, literals = [], []
    for i, entry in enumerate(lex.swaps):
        regex = entry.match or rf"\b{re.escape(entry.spun)}\b"
        for holder, value in holders.items():
            regex = regex.replace(holder, value)
        flags = 0 if entry.case_sensitive else re.IGNORECASE
        try:  # only now, with its placeholders filled
            literals.append(_required_literal(_parser.parse(regex, flags)))
            if "(?<" in regex:  # a look-behind's width is checked only by compiling; else
                re.compile(regex, flags)  # what parses compiles (the Swap, on first use)
        except re.error as exc:
            raise InputError([rule_problem("spin_lexicon", ("swaps", i, "match"),
                                           f"not a regular expression ({exc})")]) from None
        swaps.append(Swap(entry.spun, str(entry.for_), float(entry.weight), regex, int(flags),
                          entry.source, entry.reason))
    counts = lex.function_words
    markers_data = rule_model("source_markers")
    markers = []
    for kind in ("ai_generated", "preprint"):
        for marker in getattr(markers_data, kind):
            markers.append(Marker(marker.id, kind, float(marker.weight),
                                  re.compile(marker.pattern, re.IGNORECASE), marker.reason))
    return Rules(tuple(swaps), float(lex.half_score_per_100_words),
                 frozenset(counts), sum(counts.values()) / 1_000_000, tuple(markers),
                 tuple(literals))


def _required_literal(parsed: Any) -> str:
    """Text every match of the pattern ``parsed`` (re's parse of it) contains: its longest
    run of plain characters at the top level (not inside a group, a branch or a repeat),
    case-folded; "" when it has none. Only ASCII runs count, whose case variants
    ``_folded`` is proven to keep."""
    from re import _constants  # type: ignore[attr-defined]

    runs, run = [], ""
    for op, value in parsed:  # re's parse of the pattern
        if op is _constants.LITERAL and value < 128:
            run += chr(value)
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len).casefold()


def _folded(text: str) -> str:
    """``text`` case-folded, so that wherever a swap's regex matches (with or without
    IGNORECASE) its required literal occurs. The only characters that IGNORECASE matches to
    an ASCII letter but casefold() does not fold to it are the Turkish dotted and dotless I
    (tests/test_screening.py checks every code point)."""
    return text.casefold().replace("i\u0307", "i").replace("\u0131", "i")


def swap_hits(text: str) -> list[tuple[Swap, re.Match[str]]]:
    """Each swap's matches in ``text``, swap by swap in lexicon order: exactly what each
    swap's own ``finditer`` gives, but a swap whose required literal is not in the text is
    not scanned for (87 scans of every source cost 4x more than this)."""
    r = screening_rules()
    folded = _folded(text)
    return [(swap, m) for swap, literal in zip(r.swaps, r.literals, strict=True)
            if literal in folded for m in swap.pattern.finditer(text)]


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLine:
    line: int
    text: str
    note: str = ""


@dataclass
class Flag:
    kind: FlagKind
    score: float
    message: str
    evidence: list[EvidenceLine] = field(default_factory=list)


@dataclass
class SpinSignals:
    """The two spin signals and their combination."""

    words: int
    lexicon_hits: int
    lexicon_per_100: float  # weighted hits per 100 words
    lexicon_score: float
    function_word_rate: float
    function_word_deficit: float
    statistic_score: float
    score: float
    top_swaps: list[tuple[str, str, int]] = field(default_factory=list)  # (spun, for, count)


@dataclass
class Screen:
    """One text's screening: ``signals`` has all three kinds, ``flags`` those scoring FLAG_AT+."""

    name: str
    spin_score: float
    ai_score: float
    preprint_score: float
    flags: list[Flag]
    spin: SpinSignals
    signals: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def flag(self, kind: FlagKind) -> Flag | None:
        return next((f for f in self.flags if f.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "name": self.name,
            "flagged": self.flagged,
            "scores": {"spun": round(self.spin_score, 3), "ai_generated": round(self.ai_score, 3),
                       "preprint": round(self.preprint_score, 3)},
            "flags": [asdict(f) for f in self.flags],
            "below_flag": [asdict(f) for f in self.signals if f.score > 0 and f not in self.flags],
            "spin": asdict(self.spin),
        }


# --- text helpers ----------------------------------------------------------------------------


class LineIndex:
    """Offsets -> 1-based line numbers and short excerpts."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def excerpt(self, start: int, end: int, width: int = 110) -> str:
        n = self.line(start)
        line_start = self.starts[n - 1]
        line_end = self.starts[n] - 1 if n < len(self.starts) else len(self.text)
        line = self.text[line_start:line_end]
        a, b = start - line_start, min(end, line_end) - line_start
        if len(line) > width:
            pad = max(0, (width - (b - a)) // 2)
            lo = max(0, a - pad)
            hi = min(len(line), lo + width)
            line = ("..." if lo > 0 else "") + line[lo:hi] + ("..." if hi < len(line) else "")
        return " ".join(line.split())


def prose_words(text: str) -> list[str]:
    """Lower-cased running words, leaving out acronyms (CBF, MADRS) and stray letters.

    Abbreviation-dense summaries would otherwise look short of function words for a reason
    that has nothing to do with spinning.
    """
    out = []
    for token in _TOKEN.findall(text):
        if sum(map(str.isupper, token)) >= 2:
            continue
        if len(token) == 1 and token not in ("a", "A", "I"):
            continue
        out.append(token.lower().replace("’", "'"))
    return out


def _noisy_or(weights: list[float]) -> float:
    """Score from independent pieces of evidence: 1 - prod(1 - w)."""
    doubt = 1.0
    for w in weights:
        doubt *= 1 - w
    return 1 - doubt


# --- spin ------------------------------------------------------------------------------------


def function_word_deficit(words: list[str]) -> tuple[float, float]:
    """(rate, deficit) of the most frequent English function words in ``words``.

    Why it works without a lexicon: a synonym spinner can only swap words its thesaurus lists,
    and the most frequent English words ("the", "in", "with", "on", "at", "as", "be", "may")
    are exactly those with many dictionary senses, so a spun copy loses them ("successful" for
    "in", "astatine" for "at"). Across genres these 26 words make up about 30% of running
    English (31.5% in the Brown Corpus, rules/spin_lexicon.yaml); ``deficit`` is the share of
    that expected rate that is missing, ``max(0, 1 - rate / 0.315)``. Acronyms and numbers are
    left out of the count (see prose_words). Terse technical writing also runs low (it drops
    articles), which is why the statistic alone flags only a large deficit and otherwise
    corroborates the lexicon.
    """
    r = screening_rules()
    if not words:
        return 0.0, 0.0
    rate = sum(1 for w in words if w in r.function_words) / len(words)
    return rate, max(0.0, 1 - rate / r.function_word_rate)


def spin_signals(text: str) -> tuple[SpinSignals, list[EvidenceLine]]:
    """Both spin signals for ``text`` and the lines with the most lexicon hits.

    lexicon_score = 1 - 0.5 ** (weighted hits per 100 words / half_score_per_100_words)
    statistic_score = function-word deficit scaled from DEFICIT_FLOOR (0) to DEFICIT_FULL (1)
    score = 1 - (1 - lexicon_score) * (1 - statistic_score): either signal can raise it, and
    together they raise it further, as two independent pieces of evidence should.
    """
    r = screening_rules()
    lines = LineIndex(text)
    words = prose_words(text)
    n = max(len(words), 1)
    weighted = 0.0
    hits = 0
    counts: dict[tuple[str, str], int] = {}
    per_line: dict[int, list[tuple[float, int, int, str]]] = {}
    for swap, m in swap_hits(text):
        weighted += swap.weight
        hits += 1
        counts[(swap.spun, swap.original)] = counts.get((swap.spun, swap.original), 0) + 1
        per_line.setdefault(lines.line(m.start()), []).append(
            (swap.weight, m.start(), m.end(), f"{swap.spun}->{swap.original}"))
    per_100 = 100 * weighted / n
    lexicon_score = 1 - 0.5 ** (per_100 / r.half_score)
    rate, deficit = function_word_deficit(words)
    statistic = 0.0
    if len(words) >= MIN_STAT_WORDS:
        statistic = min(1.0, max(0.0, (deficit - DEFICIT_FLOOR) / (DEFICIT_FULL - DEFICIT_FLOOR)))
    score = 1 - (1 - lexicon_score) * (1 - statistic)
    top = sorted(per_line.items(), key=lambda kv: (-sum(h[0] for h in kv[1]), kv[0]))[:5]
    evidence = []
    for line_no, line_hits in sorted(top):
        line_hits.sort(key=lambda h: h[1])
        notes = list(dict.fromkeys(h[3] for h in line_hits))
        evidence.append(EvidenceLine(line_no, lines.excerpt(line_hits[0][1], line_hits[-1][2]),
                                     ", ".join(notes[:6])))
    top_swaps = sorted(((s, o, c) for (s, o), c in counts.items()), key=lambda t: (-t[2], t[0]))
    signals = SpinSignals(len(words), hits, round(per_100, 3), round(lexicon_score, 3),
                          round(rate, 4), round(deficit, 4), round(statistic, 3), round(score, 3),
                          top_swaps[:10])
    return signals, evidence


def _spin_message(s: SpinSignals) -> str:
    swaps = ", ".join(f"{spun}->{orig} x{c}" for spun, orig, c in s.top_swaps[:5])
    lexicon = (f"{s.lexicon_hits} spinner swaps ({swaps}), {s.lexicon_per_100:.1f} per 100 words"
               if s.lexicon_hits else "no spinner swaps from the lexicon")
    expected = screening_rules().function_word_rate
    return (f"{lexicon}; common function words are {100 * s.function_word_rate:.1f}% of words "
            f"(English ~{100 * expected:.0f}%)")


# --- markers ---------------------------------------------------------------------------------


def _marker_flag(kind: FlagKind, text: str, lines: LineIndex) -> tuple[float, list[EvidenceLine]]:
    """Noisy-OR score of the distinct markers found, and one evidence line per line they are on."""
    from ..guards.prefilter import cached_prefilter, lowered, might_match

    weights: list[float] = []
    by_line: dict[int, tuple[int, int, list[str]]] = {}
    lower = lowered(text)
    for marker in screening_rules().markers:
        if marker.kind != kind:
            continue
        if not might_match(cached_prefilter(marker.pattern), lower):
            continue  # none of the words it needs is in the text: no match
        m = marker.pattern.search(text)
        if m:
            weights.append(marker.weight)
            line = lines.line(m.start())
            start, end, ids = by_line.get(line, (m.start(), m.end(), []))
            by_line[line] = (min(start, m.start()), max(end, m.end()), [*ids, marker.id])
    evidence = [EvidenceLine(line, lines.excerpt(a, b), ", ".join(ids))
                for line, (a, b, ids) in sorted(by_line.items())]
    return _noisy_or(weights), evidence


def screen_text(text: str, name: str = "") -> Screen:
    """Score one source text for spinning, AI generation and preprint status."""
    lines = LineIndex(text)
    spin, spin_evidence = spin_signals(text)
    ai_score, ai_evidence = _marker_flag("ai_generated", text, lines)
    pre_score, pre_evidence = _marker_flag("preprint", text, lines)
    signals = [
        Flag("spun", spin.score, "signs of a machine-reworded copy: " + _spin_message(spin),
             spin_evidence),
        Flag("ai_generated", round(ai_score, 3), "markers of AI-generated text: "
             + (", ".join(e.note for e in ai_evidence) or "none"), ai_evidence),
        Flag("preprint", round(pre_score, 3), "markers of a preprint (not peer reviewed): "
             + (", ".join(e.note for e in pre_evidence) or "none"), pre_evidence),
    ]
    flags = [f for f in signals if f.score >= FLAG_AT]
    return Screen(name, spin.score, round(ai_score, 3), round(pre_score, 3), flags, spin, signals)


# --- document screening ----------------------------------------------------------------------


@dataclass
class ScreenReport:
    path: str
    screens: dict[str, Screen] = field(default_factory=dict)  # by source id
    files: dict[str, str] = field(default_factory=dict)  # source id -> file path
    # study id -> source id -> the facts used for the comparison
    facts: dict[str, dict[str, list[Fact]]] = field(default_factory=dict)
    disagreements: list[SourceDisagreement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": self.path,
            "sources": {sid: {"file": self.files[sid], **s.to_dict()}
                        for sid, s in self.screens.items()},
            "disagreements": [d.to_dict() for d in self.disagreements],
            "problems": [{"file": p.file, "line": p.line, "key": p.key, "message": p.message,
                          "level": p.level} for p in self.problems],
        }


def _enough_reason(text: str | None) -> bool:
    return text is not None and len(text.split()) >= 3  # a bare "yes"/"ok" is not a reason


def screen_document(loaded: LoadedDocument, sources_dir: Path | None = None) -> ScreenReport:
    """Screen every source of a findings file and compare what they say about each study."""
    from ..inputs.guarded_files import FileRefused
    from .agreement import compare_studies
    from .quotes import find_source_file, read_source

    doc = loaded.doc
    base = Path(sources_dir) if sources_dir is not None else loaded.sources_dir
    report = ScreenReport(str(loaded.path))
    texts: dict[str, SourceText] = {}
    for i, source in enumerate(doc.sources):
        path = find_source_file(source, base)
        if path is None:
            continue  # verify_quotes reports missing files; nothing to screen here
        try:
            texts[source.id] = read_source(path, base)
        except FileRefused:
            continue  # verify_quotes reports the refusal; a refused file is never read
        report.files[source.id] = str(path)
        screen = screen_text(texts[source.id].text, path.name)
        report.screens[source.id] = screen
        for flag in screen.flags:
            expected = {"spun": ("copy",), "ai_generated": ("ai_explainer",)}.get(flag.kind)
            if expected and source.kind not in expected:
                report.problems.append(loaded.problem(
                    ("sources", i, "kind"),
                    f"screening flags {path.name} as {flag.kind} (score {flag.score:.2f}) but "
                    f"its kind is {source.kind!r}; set kind: {expected[0]} or check the file",
                    "warning"))

    compare_studies(loaded, texts, report)
    _flagged_only_evidence(loaded, report)
    return report


def _flagged_only_evidence(loaded: LoadedDocument, report: ScreenReport) -> None:
    """A study, finding or caveat resting only on flagged sources needs an ``accepted:`` reason."""
    doc = loaded.doc
    items = [("studies", i, s.evidence, s.accepted) for i, s in enumerate(doc.studies)]
    items += [("findings", i, f.evidence, f.accepted) for i, f in enumerate(doc.findings)]
    items += [("caveats", i, c.evidence, c.accepted) for i, c in enumerate(doc.caveats)]
    for section, i, evidence, accepted in items:
        sources = {ev.source for ev in evidence}
        if not sources or not all(sid in report.screens and report.screens[sid].flagged
                                  for sid in sources):
            continue
        if _enough_reason(accepted):
            continue
        why = "; ".join(
            f"{sid} ({report.screens[sid].name}) is "
            + ", ".join(f"{f.kind} {f.score:.2f}" for f in report.screens[sid].flags)
            for sid in sorted(sources))
        hint = ("accepted: needs a reason of a few words" if accepted
                else "add evidence from an unflagged source, or accepted: <why you trust it>")
        report.problems.append(loaded.problem(
            (section, i, "evidence"), f"all evidence comes from flagged sources: {why}; {hint}"))


def screening_problems(loaded: LoadedDocument, sources_dir: Path | None = None) -> list[Problem]:
    """screen_document's problems, in the shape every check function has."""
    return screen_document(loaded, sources_dir).problems
