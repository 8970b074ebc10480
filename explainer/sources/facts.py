"""Facts a source text states about a study: its journal, year, peer-review status and sample
size, each with where the text says so (for cross-source agreement and ``explainer draft``).

A count of people is a sample size only where its sentence ties it to the study; see
:func:`people_counts` for the roles a count can have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .screening import LineIndex, screening_rules

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
    out = [count for sentence, hits in _counts_by_sentence(text).items()
           for count in _sentence_counts(text, sentence, hits)]
    out.sort(key=lambda c: c.start)
    return out


def _counts_by_sentence(text: str) -> dict[str, list[tuple[re.Match[str], bool]]]:
    """Each count of people found (with whether it is written "n = ..."), by its sentence."""
    found = []
    for m in _N_EQUALS.finditer(text):
        found.append((m, True))
    for m in _N_COUNT.finditer(text):
        if not set(m.group("mid").lower().split()) & _N_MID_BAD:
            found.append((m, False))
    by_sentence: dict[str, list[tuple[re.Match[str], bool]]] = {}
    for m, explicit in found:
        by_sentence.setdefault(_sentence_at(text, m.start(), m.end()), []).append((m, explicit))
    return by_sentence


def _sentence_counts(text: str, sentence: str, hits: list[tuple[re.Match[str], bool]]
                     ) -> list[PeopleCount]:
    """The counts of one sentence, each with the role the sentence gives it."""
    cue = _N_STUDY.search(sentence) is not None
    population = _N_NOT_SAMPLE.search(sentence) is not None
    exact = [(m, e) for m, e in hits
             if not _APPROX.search(text[max(0, m.start() - 14):m.start()])]
    values = {words_to_int(m.group("num")) for m, _ in exact} - {None, 0}
    tied = bool(exact) and (cue or all(e for _, e in exact))
    out = []
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
    lines = LineIndex(text)
    found = [*_journal_hits(text), *_year_hits(text), *_preprint_hits(text),
             *(("n", str(value), start, end) for value, start, end in _sample_sizes(text))]
    facts = [Fact(fld, value, start, lines.line(start), lines.excerpt(start, end))
             for fld, value, start, end in found]
    facts.sort(key=lambda f: f.offset)
    # One hit can match two patterns ("published in X" and "in the journal X"): keep one.
    unique: dict[tuple[str, str, int], Fact] = {}
    for f in facts:
        unique.setdefault((f.field, f.value, f.line), f)
    return list(unique.values())


_Hit = tuple[FactField, str, int, int]  # field, value, start, end


def _journal_hits(text: str) -> Iterator[_Hit]:
    """A journal named says peer reviewed too, and the year when the pattern has one."""
    for pattern in _JOURNAL_PATTERNS:
        for m in pattern.finditer(text):
            journal = _clean_journal(m.group("j"))
            if not journal:
                continue
            yield "journal", journal, m.start("j"), m.end("j")
            yield "status", "peer_reviewed", m.start(), m.end()
            if "y" in pattern.groupindex and m.group("y"):
                yield "year", m.group("y"), m.start("y"), m.end("y")


def _year_hits(text: str) -> Iterator[_Hit]:
    for pattern in _YEAR_PATTERNS:
        for m in pattern.finditer(text):
            yield "year", m.group("y"), m.start(), m.end()


def _preprint_hits(text: str) -> Iterator[_Hit]:
    for marker in screening_rules().markers:
        if marker.kind == "preprint":
            for m in marker.pattern.finditer(text):
                yield "status", "preprint", m.start(), m.end()


def same_value(fld: str, a: str, b: str) -> bool:
    if fld == "journal":
        return same_journal(a, b)
    return a == b
