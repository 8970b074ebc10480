"""Source screening: is a source text what it seems, and do the sources agree about a study?

Three flags per source text, each with a score in [0, 1] and the lines that earned it:

* ``spun``: a machine-reworded copy ("nan encephalon" for "the brain"). Two independent signals
  (see :func:`spin_signals`): a lexicon of spinner swaps (rules/spin_lexicon.yaml) and a
  function-word statistic that needs no word list.
* ``ai_generated``: an AI-written explanation, found by its disclaimers and sign-up footers.
* ``preprint``: the text says the work is a preprint or has not been peer reviewed.

:func:`screen_document` screens every source of a findings file, compares what the sources say
about each study (journal, year, peer-review status, sample size) and turns the results into
Problems: undeclared disagreements (warnings) and studies, findings or caveats that rest only
on flagged sources without an ``accepted:`` reason (errors).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..problems import Problem

if TYPE_CHECKING:
    from ..document.load import LoadedDocument, Loc
    from ..document.model import Document
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
    pattern: re.Pattern[str]
    source: str
    why: str


@dataclass(frozen=True)
class Marker:
    id: str
    kind: FlagKind
    weight: float
    pattern: re.Pattern[str]
    why: str


@dataclass(frozen=True)
class Rules:
    swaps: tuple[Swap, ...]
    half_score: float
    function_words: frozenset[str]
    function_word_rate: float  # their share of running English words
    markers: tuple[Marker, ...]
    literals: tuple[str, ...] = ()  # per swap: text each of its matches contains


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The bundled spin lexicon and source markers, compiled once. A malformed rule raises."""
    from ..rules import load_rules

    lex = load_rules("spin_lexicon")
    holders = {f"<{k}>": v for k, v in lex["placeholders"].items()}
    swaps = []
    for entry in lex["swaps"]:
        where = f"spin_lexicon.yaml swap {entry.get('spun')!r}"
        if entry.get("source") not in lex["sources"] or not entry.get("why"):
            raise ValueError(f"{where}: needs a known source and a why")
        if not 0 < float(entry["weight"]) <= 1:
            raise ValueError(f"{where}: weight must be in (0, 1]")
        regex = entry.get("match") or rf"\b{re.escape(entry['spun'])}\b"
        for holder, value in holders.items():
            regex = regex.replace(holder, value)
        flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
        swaps.append(Swap(entry["spun"], str(entry["for"]), float(entry["weight"]),
                          re.compile(regex, flags), entry["source"], entry["why"]))
    counts = lex["function_words"]
    markers_data = load_rules("source_markers")
    markers = []
    for kind in ("ai_generated", "preprint"):
        for entry in markers_data[kind]:
            if not entry.get("why") or not 0 < float(entry["weight"]) <= 1:
                raise ValueError(f"source_markers.yaml {entry.get('id')!r}: needs why and weight")
            markers.append(Marker(entry["id"], kind, float(entry["weight"]),
                                  re.compile(entry["pattern"], re.IGNORECASE), entry["why"]))
    return Rules(tuple(swaps), float(lex["half_score_per_100_words"]),
                 frozenset(counts), sum(counts.values()) / 1_000_000, tuple(markers),
                 tuple(_required_literal(s.pattern) for s in swaps))


def _required_literal(pattern: re.Pattern[str]) -> str:
    """Text every match of ``pattern`` contains: its longest run of plain characters at the
    top level (not inside a group, a branch or a repeat), case-folded; "" when it has none.
    Only ASCII runs count, whose case variants ``_folded`` is proven to keep."""
    from re import _constants, _parser  # type: ignore[attr-defined]

    runs, run = [], ""
    for op, value in _parser.parse(pattern.pattern, pattern.flags):
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
    r = rules()
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


class _Lines:
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
        if sum(ch.isupper() for ch in token) >= 2:
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
    r = rules()
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
    r = rules()
    lines = _Lines(text)
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
    expected = rules().function_word_rate
    return (f"{lexicon}; common function words are {100 * s.function_word_rate:.1f}% of words "
            f"(English ~{100 * expected:.0f}%)")


# --- markers ---------------------------------------------------------------------------------


def _marker_flag(kind: FlagKind, text: str, lines: _Lines) -> tuple[float, list[EvidenceLine]]:
    """Noisy-OR score of the distinct markers found, and one evidence line per line they are on."""
    weights: list[float] = []
    by_line: dict[int, tuple[int, int, list[str]]] = {}
    for marker in rules().markers:
        if marker.kind != kind:
            continue
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
    lines = _Lines(text)
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


# --- facts about a study ---------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORD = (rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_UNITS[1:10])}))?"
                rf"|{'|'.join(sorted(_UNITS[1:], key=len, reverse=True))})")
_NUMBER = rf"(?:\d{{1,3}}(?:[,\u202f\u2009 ]\d{{3}})+|\d+|{_NUMBER_WORD})"
_PEOPLE = (r"(?:adults|individuals|participants|patients|people|persons|subjects|volunteers|men|"
           r"women|children|adolescents|nurses|veterans|smokers|outpatients|inpatients)")
_N_COUNT = re.compile(
    rf"\b(?P<num>{_NUMBER})\s+(?P<mid>(?:[a-z][\w-]*\s+){{0,2}}?){_PEOPLE}\b", re.IGNORECASE)
_N_EQUALS = re.compile(r"(?<![A-Za-z])[nN]\s*=\s*(?P<num>\d{1,3}(?:[,\u202f\u2009 ]\d{3})+|\d+)")
# A count is a sample size only where its sentence ties it to the study (enrolled, took
# part, a cohort of ...), and never where it is a rate of the population ("die each year").
_N_STUDY = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|participa\w*|took\s+part|enrol+\w*|recruit\w*|randomi[sz]\w*|"
    r"cohort|involv\w*|included|examin\w*|analy[sz]\w*|followed|data\s+(?:from|of|on)|"
    r"assigned|sample|screened|surveyed|interviewed)\b", re.IGNORECASE)
_N_NOT_SAMPLE = re.compile(
    r"\b(?:each|every|per)\s+year\b|\b(?:annually|yearly|nationwide|worldwide|die|dies|"
    r"died|deaths?|population\s+of)\b", re.IGNORECASE)
_APPROX = re.compile(r"\b(?:more\s+than|over|about|around|nearly|almost|some|up\s+to|"
                     r"roughly|approximately|at\s+least|fewer\s+than|less\s+than)\s+$",
                     re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


def _sentence_at(text: str, start: int, end: int) -> str:
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0: after.start() if after else len(text)]


CountRole = Literal["sample", "repeat", "group", "bound", "population", "untied"]


@dataclass(frozen=True)
class PeopleCount:
    """A count of people a text states, and what screening makes of it.

    role: "sample" (the study's size: the one count a sentence ties to the study; "repeat" if
    the sentence says it again), "group" (one of several counts in a sentence: a breakdown by
    arm, or an outcome per arm), "bound" ("more than 171,000"), "population" (a rate or a
    population: "die each year") or "untied" (nothing in the sentence ties it to a study)."""

    value: int
    start: int
    end: int
    role: CountRole
    explicit: bool  # written as "n = 1,204"
    study_cue: bool  # its sentence says enrolled, took part, a cohort of ...


def people_counts(text: str) -> list[PeopleCount]:
    """Every count of people (n = 26, 26 adults) in text order, each with its role.

    Only "sample" counts are sample sizes to compare across sources: a sentence with several
    counts is a breakdown by group (n = 39,996 and n = 40,024), not the study's size; a bound
    cannot disagree with the exact figure (171,000 and 171,616). `explainer draft` reads the
    others too, as group sizes, totals or results."""
    found = []
    for m in _N_EQUALS.finditer(text):
        found.append((m, True))
    for m in _N_COUNT.finditer(text):
        if not set(m.group("mid").lower().split()) & _N_MID_BAD:
            found.append((m, False))
    by_sentence: dict[str, list] = {}
    for m, explicit in found:
        by_sentence.setdefault(_sentence_at(text, m.start(), m.end()), []).append((m, explicit))
    out = []
    for sentence, hits in by_sentence.items():
        cue = _N_STUDY.search(sentence) is not None
        population = _N_NOT_SAMPLE.search(sentence) is not None
        exact = [(m, e) for m, e in hits
                 if not _APPROX.search(text[max(0, m.start() - 14):m.start()])]
        values = {words_to_int(m.group("num")) for m, _ in exact} - {None, 0}
        tied = bool(exact) and (cue or all(e for _, e in exact))
        for m, explicit in hits:
            value = words_to_int(m.group("num"))
            if not value:
                continue
            role: CountRole
            if population:
                role = "population"
            elif not any(m is x for x, _ in exact):
                role = "bound"
            elif len(values) != 1:
                role = "group"
            elif not tied:
                role = "untied"
            else:
                role = "sample" if m is exact[0][0] else "repeat"
            out.append(PeopleCount(value, m.start(), m.end(), role, explicit, cue))
    out.sort(key=lambda c: c.start)
    return out


def _sample_sizes(text: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of the counts a source ties to its study as the number studied."""
    return [(c.value, c.start, c.end) for c in people_counts(text) if c.role == "sample"]


# Words that may stand between a number and "adults" without changing what is counted.
_N_MID_BAD = {"of", "in", "than", "more", "million", "thousand", "hundred", "billion", "percent",
              "per", "out", "every", "to", "and", "or"}

_J_WORD = r"[A-Z][\w'’&-]*\.?"
_JOURNAL = rf"(?P<j>{_J_WORD}(?:\s+(?:{_J_WORD}|of|and|&|for|the))*)"
_JOURNAL_PATTERNS = (
    re.compile(r"(?i:\bpublished\s+(?:[a-z]+\s+){0,2}?in\s+(?:the\s+)?(?:journal\s+)?)" + _JOURNAL),
    re.compile(r"(?i:\bin\s+the\s+journal\s+)" + _JOURNAL),
    # Vancouver style: "Am J Psychiatry 2026;183:..." or "2026;doi:..."
    re.compile(_JOURNAL + r"\.?\s+(?P<y>(?:19|20)\d{2})\s*;"),
    # APA style: "(2025). Title of the paper. Nature Medicine. doi..."
    re.compile(r"\((?P<y>(?:19|20)\d{2})\)\.\s+[^.\n]{10,300}?\.\s+" + _JOURNAL
               + r"[.,]\s*(?:\d|doi|https?:|www\.)"),
)
_YEAR_PATTERNS = (re.compile(r"\bet\s+al\.?,?\s*\(?(?P<y>(?:19|20)\d{2})\b"),)
_JOURNAL_STOP = {"of", "and", "&", "for", "the"}

FactField = Literal["journal", "year", "status", "n"]
FIELDS: tuple[FactField, ...] = ("journal", "year", "status", "n")
# disagreements[].field is free text ("publication status", "sample size"): a declared entry
# covers one of our fields if its words include one of these.
FIELD_WORDS: dict[str, set[str]] = {
    "journal": {"journal", "venue"},
    "year": {"year"},
    "status": {"status", "peer", "preprint", "review", "reviewed"},
    "n": {"n", "sample", "participants", "enrolled", "enrollment", "enrolment"},
}


@dataclass(frozen=True)
class Fact:
    """One value a source gives for a study field, with where it says so."""

    field: FactField
    value: str
    offset: int
    line: int
    excerpt: str


def words_to_int(text: str) -> int | None:
    """'Twenty-six' -> 26, '2 310' -> 2310, '26' -> 26."""
    t = text.strip().lower()
    digits = re.sub(r"[,\u202f\u2009 ]", "", t)
    if digits.isdigit():
        return int(digits)
    parts = re.split(r"[-\s]+", t)
    total = 0
    for part in parts:
        if part in _UNITS:
            total += _UNITS.index(part)
        elif part in _TENS:
            total += 20 + 10 * _TENS.index(part)
        else:
            return None
    return total


def _clean_journal(name: str) -> str:
    words = name.rstrip(".").split()
    while words and words[-1].lower() in _JOURNAL_STOP:
        words.pop()
    if words and words[0].lower() == "the":
        words.pop(0)
    return " ".join(words).rstrip(".")


def _journal_key(name: str) -> list[str]:
    return [w.strip(".").lower() for w in name.split() if w.lower() not in _JOURNAL_STOP]


def same_journal(a: str, b: str) -> bool:
    """True if one name abbreviates the other word by word ('Am J Psychiatry' and
    'American Journal of Psychiatry'; 'Nat Med' and 'Nature Medicine')."""
    ka, kb = _journal_key(a), _journal_key(b)
    if len(ka) != len(kb):
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(ka, kb, strict=True))


def extract_facts(text: str) -> list[Fact]:
    """Every journal, year, peer-review status and sample size a text states, in text order."""
    lines = _Lines(text)
    facts: list[Fact] = []

    def add(fld: FactField, value: str, start: int, end: int) -> None:
        facts.append(Fact(fld, value, start, lines.line(start), lines.excerpt(start, end)))

    for pattern in _JOURNAL_PATTERNS:
        for m in pattern.finditer(text):
            journal = _clean_journal(m.group("j"))
            if not journal:
                continue
            add("journal", journal, m.start("j"), m.end("j"))
            add("status", "peer_reviewed", m.start(), m.end())
            if "y" in pattern.groupindex and m.group("y"):
                add("year", m.group("y"), m.start("y"), m.end("y"))
    for pattern in _YEAR_PATTERNS:
        for m in pattern.finditer(text):
            add("year", m.group("y"), m.start(), m.end())
    for marker in rules().markers:
        if marker.kind == "preprint":
            for m in marker.pattern.finditer(text):
                add("status", "preprint", m.start(), m.end())
    for value, start, end in _sample_sizes(text):
        add("n", str(value), start, end)
    facts.sort(key=lambda f: f.offset)
    # One hit can match two patterns ("published in X" and "in the journal X"): keep one.
    unique: dict[tuple[str, str, int], Fact] = {}
    for f in facts:
        unique.setdefault((f.field, f.value, f.line), f)
    return list(unique.values())


def same_value(fld: FactField, a: str, b: str) -> bool:
    if fld == "journal":
        return same_journal(a, b)
    return a == b


# --- document screening ----------------------------------------------------------------------

WINDOW = 2000  # characters: how far from a study's quotes a fact may be in a multi-study source


@dataclass(frozen=True)
class SourceFact:
    source_id: str
    file: str
    fact: Fact


@dataclass
class SourceDisagreement:
    """Sources (or the findings file) giving different values for one field of one study."""

    study: str
    field: FactField
    facts: list[SourceFact]
    declared: str | None
    known: bool
    between: Literal["sources", "file"]  # sources among themselves, or sources vs the file

    def describe(self) -> str:
        said = "; ".join(f'{sf.file}:{sf.fact.line} says {sf.fact.value} ("{sf.fact.excerpt}")'
                         for sf in self.facts)
        declared = f"; the findings file says {self.declared}" if self.declared else ""
        return f"{self.field}: {said}{declared}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study, "field": self.field, "between": self.between,
            "declared": self.declared, "known": self.known,
            "sources": [{"source": sf.source_id, "file": sf.file, "line": sf.fact.line,
                         "value": sf.fact.value, "excerpt": sf.fact.excerpt} for sf in self.facts],
        }


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


def _study_sources(doc: Document) -> dict[str, list[str]]:
    """Study id -> ids of the sources that report it: reported_by, then the sources quoted as
    evidence for the study or its findings. Disagreement claims are left out: a source may be
    quoted there only to contrast it with another study."""
    out: dict[str, list[str]] = {}
    for study in doc.studies:
        sids = out.setdefault(study.id, list(study.reported_by))
        sids += [ev.source for ev in study.evidence if ev.source not in sids]
    for finding in doc.findings:
        sids = out.setdefault(finding.study, [])
        sids += [ev.source for ev in finding.evidence if ev.source not in sids]
    return out


def _anchors(doc: Document, study_id: str, source_id: str, source: SourceText) -> list[int]:
    """Offsets in a source's text that are about this study: its quotes and its names."""
    from .quotes import find_quote

    text = source.text
    study = doc.study(study_id)
    quotes = [ev.quote for ev in study.evidence if ev.source == source_id]
    quotes += [ev.quote for f in doc.findings if f.study == study_id
               for ev in f.evidence if ev.source == source_id]
    quotes += [ev.quote for d in doc.disagreements if d.study == study_id
               for ev in d.claims if ev.source == source_id]
    if len(doc.studies) == 1:  # with one study, every quote of the file is about it
        quotes += [ev.quote for c in doc.caveats for ev in c.evidence if ev.source == source_id]
    offsets = [o for q in quotes if (o := find_quote(q, source)) is not None]
    names = [study.doi, study.lead_author]
    surname = re.match(r"\s*([A-Z][\w'’-]+)", study.short_name)
    if surname and "et al" in study.short_name:
        names.append(surname.group(1))
    for name in filter(None, names):
        offsets += [m.start() for m in re.finditer(re.escape(name), text)]
    return sorted(offsets)


# Words that open a passage about some other study ("The findings chime with a study
# published in March ..."): counts after them, before the study is quoted again, are not its.
_OTHER_STUDY = re.compile(
    r"\b(?:another|a\s+separate|a\s+different|an?\s+(?:earlier|previous|older|similar|"
    r"separate|second|other)|(?:chimes?|agrees?|fits?)\s+with\s+an?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:study|studies|trial|trials|analysis|review|research)\b|\ba\s+study\s+published\s+in\b",
    re.IGNORECASE)


def _about_another_study(text: str, offset: int, anchors: list[int]) -> bool:
    before = [a for a in anchors if a <= offset]
    return _OTHER_STUDY.search(text, max(before) if before else 0, offset) is not None


def _pick(facts: list[Fact], anchors: list[int], limit: int | None,
          text: str = "") -> dict[str, Fact]:
    """Per field, the fact nearest the study's anchors (first in the text when there are none).

    A sample size that comes after the source turns to another study ("chime with a study
    published in March ... 382,535 people"), and before it quotes this study again, is not
    compared."""
    chosen: dict[str, tuple[int, Fact]] = {}
    for fact in facts:
        if fact.field == "n" and text and _about_another_study(text, fact.offset, anchors):
            continue
        dist = min((abs(fact.offset - a) for a in anchors), default=fact.offset)
        if limit is not None and dist > limit:
            continue
        if fact.field not in chosen or dist < chosen[fact.field][0]:
            chosen[fact.field] = (dist, fact)
    return {fld: f for fld, (_, f) in chosen.items()}


def _declared(doc: Document, study_id: str) -> dict[str, str | None]:
    s = doc.study(study_id)
    return {"journal": s.journal, "year": str(s.year) if s.year else None,
            "status": s.status, "n": str(s.participants.n)}


def _is_known(doc: Document, study_id: str, fld: str) -> bool:
    if fld == "status" and doc.study(study_id).status == "disputed":
        return True
    words = FIELD_WORDS[fld]
    return any(d.study == study_id and words & set(re.findall(r"[a-z]+", d.field.lower()))
               for d in doc.disagreements)


def _field_loc(index: int, fld: str) -> Loc:
    return ("studies", index, "participants", "n") if fld == "n" else ("studies", index, fld)


def _enough_reason(text: str | None) -> bool:
    return bool(text) and len(text.split()) >= 3  # a bare "yes"/"ok" is not a reason


def screen_document(loaded: LoadedDocument, sources_dir: Path | None = None) -> ScreenReport:
    """Screen every source of a findings file and compare what they say about each study."""
    from ..inputs.guarded_files import FileRefused
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

    _compare_studies(loaded, texts, report)
    _flagged_only_evidence(loaded, report)
    return report


def _compare_studies(
    loaded: LoadedDocument, texts: dict[str, SourceText], report: ScreenReport
) -> None:
    doc = loaded.doc
    reporters = _study_sources(doc)
    studies_of: dict[str, int] = {}
    for sids in reporters.values():
        for sid in sids:
            studies_of[sid] = studies_of.get(sid, 0) + 1
    all_facts = {sid: extract_facts(source.text) for sid, source in texts.items()}
    for index, study in enumerate(doc.studies):
        per_source: dict[str, dict[str, Fact]] = {}
        for sid in reporters.get(study.id, []):
            if sid not in texts:
                continue
            anchors = _anchors(doc, study.id, sid, texts[sid])
            shared = studies_of.get(sid, 0) > 1
            if shared and not anchors:
                continue  # cannot tell which study the source's facts are about
            per_source[sid] = _pick(all_facts[sid], anchors, WINDOW if shared else None,
                                    texts[sid].text)
        report.facts[study.id] = {sid: list(f.values()) for sid, f in per_source.items()}
        declared = _declared(doc, study.id)
        for fld in FIELDS:
            said = [SourceFact(sid, Path(report.files[sid]).name, facts[fld])
                    for sid, facts in per_source.items() if fld in facts]
            groups: list[list[SourceFact]] = []
            for sf in said:
                group = next((g for g in groups if same_value(fld, g[0].fact.value, sf.fact.value)),
                             None)
                if group is None:
                    groups.append([sf])
                else:
                    group.append(sf)
            value = declared[fld]
            if len(groups) >= 2:
                between: Literal["sources", "file"] = "sources"
            elif (groups and value is not None and not (fld == "status" and value == "disputed")
                  and not same_value(fld, value, groups[0][0].fact.value)):
                between = "file"
            else:
                continue
            dis = SourceDisagreement(study.id, fld, said, value,
                                     _is_known(doc, study.id, fld), between)
            report.disagreements.append(dis)
            if dis.known:
                continue
            what = ("sources disagree about" if between == "sources"
                    else "the sources and this file disagree about")
            report.problems.append(loaded.problem(
                _field_loc(index, fld),
                f"{what} {study.id} {dis.describe()}; check the sources, then declare it under "
                f"disagreements: (study: {study.id}, field: {fld})", "warning"))


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

