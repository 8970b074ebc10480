"""`explainer draft` as a library: source texts -> a findings skeleton whose facts carry quotes.

Deterministic and offline: regular expressions from rules/draft_rules.yaml on top of the
screening module's own fact patterns (journal, year, sample size), its source screening and its
value comparison. Nothing is inferred: every fact keeps the verbatim phrase it was read from and
its source. Plain wording for each audience is left as TODO.

Per source: the article is cut at its end markers (ENDS, Notes to editors...) and paragraphs
about other studies are skipped; then identifiers and dates, sample sizes, doses, ages and the
rest are read, and every number not claimed by one of those and shaped like a result (a percent,
a statistic, a rate, an estimate with its confidence interval, a count of outcomes) becomes a
result. Sources are grouped into studies by journal and sample size, and what the sources of one
study disagree about is listed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document.audiences import AUDIENCES
from ..problems import InputError, Problem

if TYPE_CHECKING:
    from ..sources.facts import CountRole

_NUM = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\w])"
_WORD_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10}
_NUMW = (rf"(?:{_NUM}|(?:{'|'.join(_WORD_NUMS)})(?:\s+and\s+a\s+half)?)")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_CI = (r"\(?\s*95\s?%\s*(?:CI|confidence interval)(?:\s*\[CI\])?\s*[=,:]?\s*-?\d*\.?\d+\s?%?"
       r"\s*(?:‒|–|-|to)\s*-?\d*\.?\d+\s?%?\s*\)?")
SCORED = ("n", "journal", "doi", "date", "dose", "result")


@dataclass(frozen=True)
class Fact:
    """One fact a source states, with the verbatim phrase it was read from."""

    kind: str  # n, journal, doi, date, dose, result, design, blinding, age, setting, ...
    value: str  # canonical: "26", "Nature Medicine", "50 mg", "29%", "r 0.56", "6.1 per 1000"
    source: str  # source id
    quote: str
    line: int
    start: int
    number: str | None = None  # a figure as written ("46,345"), for results and doses
    unit: str | None = None
    label: str | None = None  # statistic, confidence interval, drug, route...


@dataclass
class SourceDraft:
    id: str
    path: Path
    text: str  # the whole file
    kind: str
    notes: list[str]
    flags: list[str]
    facts: list[Fact] = field(default_factory=list)


@dataclass
class StudyDraft:
    id: str
    sources: list[SourceDraft]

    def facts(self, kind: str) -> list[Fact]:
        return [f for s in self.sources for f in s.facts if f.kind == kind]


@dataclass
class Disagreement:
    study: str
    field: str
    facts: list[Fact]


@dataclass
class Draft:
    sources: list[SourceDraft]
    studies: list[StudyDraft]
    disagreements: list[Disagreement]
    document: dict[str, Any]
    caveat_kinds: list[str]


@cache
def draft_rules() -> dict[str, Any]:
    from ..rules import load_rules

    return load_rules("draft_rules")


@cache
def _compiled(key: str) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in draft_rules()[key]]


def _any(key: str, text: str) -> bool:
    return any(p.search(text) for p in _compiled(key))


# --- text helpers ------------------------------------------------------------------------------


def _blank(text: str, start: int, end: int) -> str:
    """The text with [start, end) replaced by spaces (newlines kept), so offsets still hold."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def main_text(text: str) -> str:
    """The article alone: cut at its end marker, other-study paragraphs blanked out."""
    end = len(text)
    for pattern in _compiled("article_end"):
        m = pattern.search(text)
        if m and m.start() < end:
            end = m.start()
    out = _blank(text, end, len(text))
    skipping = False
    for m in re.finditer(r"[^\n]+", out):
        para = m.group(0)
        if _any("other_study", para):
            skipping = True
        elif skipping and _any("back_to_study", para):
            skipping = False
        if skipping:
            out = _blank(out, m.start(), m.end())
    return out


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for mark in (". ", "\n", "; "):
        i = text.rfind(mark, 0, start)
        if i != -1:
            left = max(left, i + len(mark))
    stops = [i for i in (text.find(". ", end), text.find("\n", end), text.find("; ", end))
             if i != -1]
    right = min(stops) if stops else len(text)
    return left, right


def quote_around(text: str, start: int, end: int, width: int = 150) -> str:
    """A verbatim phrase of the source around [start, end): its clause, cut at word
    boundaries to about ``width`` characters."""
    left, right = _sentence(text, start, end)
    if right - left > width:
        pad = max(0, (width - (end - start)) // 2)
        lo, hi = max(left, start - pad), min(right, end + pad)
        if lo > left:  # begin on a word, not inside one
            space = text.find(" ", lo, start)
            lo = space + 1 if space != -1 else start
        if hi < right:
            space = text.rfind(" ", end, hi)
            hi = space if space != -1 else end
        left, right = lo, hi
    elif right - left < 30:  # a bare "(2025)." says little: take the next sentence too
        _, right = _sentence(text, right + 1, min(right + 2, len(text)))
        if right > left + width:
            space = text.rfind(" ", end, left + width)
            right = space if space != -1 else end
    quote = text[left:right].strip(" \t\n,;:“”\"'(")
    quote = re.sub(r"[\s(\[]+$", "", quote)
    if quote.endswith(")") and quote.count("(") < quote.count(")"):
        quote = quote[:-1]
    return quote


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _number(text: str) -> str:
    """'46,345' -> '46345', 'two' -> '2', 'one and a half' -> '1.5'."""
    t = text.strip().lower()
    if t[0].isalpha():
        base = t.split()[0]
        value = _WORD_NUMS[base] + (0.5 if "half" in t else 0)
        return f"{value:g}"
    return t.replace(",", "")


def _is_journal(fact_value: str, others: list[str]) -> bool:
    from ..sources.facts import same_journal

    return any(same_journal(fact_value, o) for o in others)


# --- one source --------------------------------------------------------------------------------


class _Reader:
    """Reads the facts of one source, each claimed span taken once."""

    def __init__(self, source: SourceDraft) -> None:
        self.source = source
        self.text = main_text(source.text)
        self.claimed: list[tuple[int, int]] = []
        self.facts: list[Fact] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.claimed)

    def claim(self, start: int, end: int) -> None:
        self.claimed.append((start, end))

    def add(self, kind: str, value: str, start: int, end: int, *, number: str | None = None,
            unit: str | None = None, label: str | None = None, claim: bool = True) -> None:
        if claim:
            self.claim(start, end)
        quote = quote_around(self.text, start, end)
        if len(quote) < 3:
            return
        self.facts.append(Fact(kind, value, self.source.id, quote, _line(self.text, start), start,
                               number, unit, label))

    def sentence_of(self, start: int, end: int) -> str:
        a, b = _sentence(self.text, start, end)
        return self.text[a:b]

    def read(self) -> list[Fact]:
        t = self.text
        for m in re.finditer(_CI, t, re.IGNORECASE):
            self.claim(m.start(), m.end())
        self._identifiers(t)
        self._study_facts(t)
        self._descriptions(t)
        self._doses(t)
        self._results(t)
        seen: set[tuple[str, str]] = set()
        unique = []
        for f in sorted(self.facts, key=lambda f: f.start):
            if (f.kind, f.value.lower()) not in seen:
                seen.add((f.kind, f.value.lower()))
                unique.append(f)
        return unique

    def _identifiers(self, t: str) -> None:
        for m in re.finditer(draft_rules()["doi"], t):
            self.add("doi", m.group(1), m.start(1), m.end(1))
        for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])(?!\d)", t):
            if self.free(m.start(), m.end()):
                self.add("date", m.group(0), m.start(), m.end())
        months = "|".join(_MONTHS)
        for m in re.finditer(rf"\b({months})\s+(\d{{1,2}})(?:,?\s+((?:19|20)\d\d))?\b", t,
                             re.IGNORECASE):
            month = _MONTHS.index(m.group(1).lower()) + 1
            day = int(m.group(2))
            value = (f"{m.group(3)}-" if m.group(3) else "") + f"{month:02d}-{day:02d}"
            if self.free(m.start(), m.end()):
                self.add("date", value, m.start(), m.end())
        for m in re.finditer(rf"\b(\d{{1,2}})\s+({months})\s+((?:19|20)\d\d)\b", t, re.IGNORECASE):
            month = _MONTHS.index(m.group(2).lower()) + 1
            if self.free(m.start(), m.end()):
                self.add("date", f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}",
                         m.start(), m.end())

    def _study_facts(self, t: str) -> None:
        from ..sources.facts import people_counts

        journals = self._screened_facts(t)
        # Every count of people, not only the sample sizes screening compares across sources:
        # a draft also wants each arm's size (n = 39,996) and a rounded total (more than
        # 80,000 women), and reads an outcome per arm (244 women ... 203 women) as a result.
        for c in people_counts(t):
            self._sample(t, c.start, str(c.value), c.role)
        self._more_journals(t, journals)
        people = "|".join(draft_rules()["extra_people"])
        for m in re.finditer(rf"({_NUM})\s+(?:{people})\b", t):
            self._sample(t, m.start(), _number(m.group(1)))

    def _screened_facts(self, t: str) -> list[str]:
        """The journals and years source screening finds; the journals named."""
        from ..sources.facts import extract_facts

        journals: list[str] = []
        for f in extract_facts(t):
            span_end = f.offset + max(len(f.value), 1)
            if f.field == "journal":
                journals.append(f.value)
                self.add("journal", f.value, f.offset, span_end)
            elif f.field == "year":
                m = re.compile(re.escape(f.value)).search(t, f.offset)
                if m and self.free(m.start(), m.end()):
                    self.add("date", f.value, m.start(), m.end())
        return journals

    def _more_journals(self, t: str, journals: list[str]) -> None:
        """Journals by the draft's own patterns (a "by" pattern only with a journal word in the
        name) that are not one of ``journals`` already; each added to it."""
        from ..sources.facts import _clean_journal

        named = "|".join(draft_rules()["journal_words"])
        for pattern, need_word in [*((p, False) for p in draft_rules()["journal_patterns"]),
                                   *((p, True) for p in draft_rules()["journal_by_patterns"])]:
            for m in re.finditer(pattern, t):
                name = _clean_journal(m.group("j").strip())
                if need_word and not re.search(rf"\b(?:{named})\b", name):
                    continue
                if name and not _is_journal(name, journals):
                    journals.append(name)
                    self.add("journal", name, m.start("j"), m.end("j"))

    def _sample(self, t: str, offset: int, value: str, role: CountRole | None = None) -> None:
        """A count of people: a sample size when screening takes it as the study's (``role``
        sample) or the sentence says they took part, else (two digits or more) a result such
        as "244 women were found to have cancer". A count in a sentence about a population
        or a rate ("die each year") is never a sample size."""
        m = re.compile(rf"(?:[nN]\s*=\s*[\d,]*\d|{_NUMW}|[A-Za-z]+(?:-[a-z]+)?)").match(t, offset)
        end = m.end() if m else offset + len(value)
        if not self.free(offset, end):
            return
        sentence = self.sentence_of(offset, end)
        if _any("n_exclude", sentence) or t[max(0, offset - 4):offset].lower().endswith("per "):
            self.claim(offset, end)
            return
        equals = t[offset] in "nN" and "=" in t[offset:end]
        taken = role in ("sample", "repeat") or equals or _any("n_cues", sentence)
        if taken and role != "population":
            self.add("n", value, offset, end)
        elif value.isdigit() and int(value) >= 10:
            self.add("result", value, offset, end, number=t[offset:end].split()[0])

    def _descriptions(self, t: str) -> None:
        """Unscored study details: design, blinding, ages, setting, comparators, measures."""
        self._first_of(t, "designs", "design")
        self._first_of(t, "blinding", "blinding")
        for key, kind in (("ages", "age"), ("settings", "setting"), ("comparators", "comparator")):
            for pattern in _compiled(key):
                for m in pattern.finditer(t):
                    if self.free(m.start(), m.end()):
                        self.add(kind, m.group(0).strip(), m.start(), m.end(),
                                 claim=kind == "age")
        self._measures(t)
        for cond in draft_rules()["conditions"]:
            hit = re.search(rf"\b{re.escape(cond)}\b", t, re.IGNORECASE)
            if hit:
                self.add("condition", cond, hit.start(), hit.end(), claim=False)

    def _first_of(self, t: str, key: str, kind: str) -> None:
        """The first rule under ``key`` (in rule order) that matches: its ``kind`` value."""
        for spec in draft_rules()[key]:
            m = re.search(spec["pattern"], t, re.IGNORECASE)
            if m:
                self.add(kind, spec[kind], m.start(), m.end(), claim=False)
                break

    def _measures(self, t: str) -> None:
        """Named measures with their abbreviation: "Montgomery-Asberg Depression Rating Scale
        (MADRS)"."""
        words = "|".join(re.escape(w) for w in draft_rules()["measure_words"])
        name = rf"((?:[A-Z][\w'’‒–-]*\s+(?:of\s+|and\s+)?){{0,6}}[\w'’‒–-]*(?:{words}))"
        for m in re.finditer(rf"{name}\s*[\(\[]([A-Z][A-Za-z0-9-]{{1,10}})[\)\]]", t):
            self.add("measure", m.group(1).strip(), m.start(1), m.end(2), claim=False,
                     label=m.group(2))

    def _doses(self, t: str) -> None:
        units = "|".join(re.escape(u) for u in draft_rules()["dose_units"])
        routes = "|".join(re.escape(r) for r in draft_rules()["dose_routes"])
        for m in re.finditer(rf"({_NUM})\s?({units})(?![\w/])(?:/(kg))?", t):
            unit = m.group(2) + (f"/{m.group(3)}" if m.group(3) else "")
            end = m.end()
            timing = re.compile(r"\s+(over\s+\d+\s+(?:min|minutes|h|hours))").match(t, end)
            before = t[max(0, m.start() - 40):m.start()]
            drug = re.findall(r"([A-Za-z][a-z]{3,})\W*$", before)
            route = re.findall(rf"\b({routes})\b", before, re.IGNORECASE)
            label = ", ".join(x for x in (drug[-1] if drug else None,
                                          route[-1] if route else None,
                                          timing.group(1) if timing else None) if x)
            self.add("dose", f"{_number(m.group(1))} {unit}", m.start(), end,
                     number=m.group(1), unit=unit, label=label or None)
        for m in re.finditer(rf"({_NUMW})\s+(minutes|min|hours|times)\s+(?:a|per|each)\s+day",
                             t, re.IGNORECASE):
            unit = {"minutes": "min", "hours": "h"}.get(m.group(2).lower(), m.group(2).lower())
            self.add("dose", f"{_number(m.group(1))} {unit}/day", m.start(), m.end())
        servings = "|".join(draft_rules()["servings"])
        per_day = r"(?:\s+of\s+\w+)?\s+(?:a|per|each)\s+day|(?:\s+of\s+\w+)?\s+daily"
        ranged = rf"(?:more\s+than\s+)?(?:between\s+)?({_NUMW})\s+(?:to|and|-|–)\s+({_NUMW})"
        for m in re.finditer(rf"{ranged}\s+({servings})(?:{per_day})", t, re.IGNORECASE):
            unit = _plural(m.group(3))
            self.add("dose", f"{_number(m.group(1))}-{_number(m.group(2))} {unit}/day",
                     m.start(), m.end())
        for m in re.finditer(rf"(more\s+than\s+)?({_NUMW})\s+({servings})(?:{per_day})", t,
                             re.IGNORECASE):
            if self.free(m.start(), m.end()):
                more = ">" if m.group(1) else ""
                self.add("dose", f"{more}{_number(m.group(2))} {_plural(m.group(3))}/day",
                         m.start(), m.end())

    def _results(self, t: str) -> None:
        # In this order: a span taken by one kind of result is not read again by the next.
        self._stat_results(t)
        self._percent_results(t)
        self._count_results(t)

    def _result_ok(self, m: re.Match[str], group: int = 0) -> bool:
        """The match is not yet taken, and its sentence is not one that results skip."""
        return (self.free(m.start(group), m.end(group))
                and not _any("result_exclude", self.sentence_of(m.start(), m.end())))

    def _stat_results(self, t: str) -> None:
        """Named statistics (d = 0.4), ratios (HR 0.89), P values and rates per 1,000."""
        ok = self._result_ok
        stats = draft_rules()["stats"]
        names = "|".join(sorted((re.escape(k) for k in stats), key=len, reverse=True))
        for m in re.finditer(rf"\b({names})\s*[=:]\s*(-?{_NUM})", t):
            if ok(m):
                self.add("result", f"{stats[m.group(1)]} {m.group(2)}", m.start(), m.end(),
                         number=m.group(2), label=stats[m.group(1)])
        for m in re.finditer(rf"\b(HR|OR|RR)\s+(?:of\s+)?({_NUM})", t):  # "adjusted HR 0.89"
            if ok(m):
                self.add("result", f"{m.group(1)} {m.group(2)}", m.start(), m.end(),
                         number=m.group(2), label=m.group(1))
        for m in re.finditer(rf"\bP\s*([=<>])\s*({_NUM}|\.\d+)", t):
            if ok(m):
                self.add("result", f"P {m.group(2)}", m.start(), m.end(), number=m.group(2),
                         label="P")
        for m in re.finditer(rf"({_NUM})\s*(?:\([^)]*\)\s*)?per\s+(1,000|10,000|100,000)\b", t):
            if ok(m, 1):
                per = m.group(2).replace(",", "")
                self.add("result", f"{_number(m.group(1))} per {per}", m.start(), m.end(),
                         number=m.group(1), unit=f" per {m.group(2)}")

    def _percent_results(self, t: str) -> None:
        """Percentages, pairs of them ("12 and 15%"), and "2 times"."""
        ok = self._result_ok
        pct = r"(?:%|\s?per\s?cent\b|\s?percent\b)"
        not_after = "|".join(draft_rules()["percent_not_after"])
        for m in re.finditer(rf"({_NUM})\s+(?:and|or)\s+({_NUM}){pct}", t):
            if ok(m):
                for g in (1, 2):
                    self.add("result", f"{_number(m.group(g))}%", m.start(g), m.end(g),
                             number=m.group(g), unit="%")
                self.claim(m.start(), m.end())
        for m in re.finditer(rf"({_NUM}){pct}(?!\s+(?:{not_after})\b)", t):
            if ok(m):
                self.add("result", f"{_number(m.group(1))}%", m.start(), m.end(),
                         number=m.group(1), unit="%")
        for m in re.finditer(rf"({_NUM})\s+times\b", t):
            if ok(m):
                self.add("result", f"{_number(m.group(1))} times", m.start(), m.end(),
                         number=m.group(1), unit=" times")

    def _count_results(self, t: str) -> None:
        """Estimates before a confidence interval, counts of people or events, large numbers."""
        ok = self._result_ok
        for m in re.finditer(rf"({_NUM})\s*(?={_CI})", t, re.IGNORECASE):
            if ok(m, 1):
                ci = re.match(_CI, t[m.end():], re.IGNORECASE)
                self.add("result", _number(m.group(1)), m.start(1), m.end(1), number=m.group(1),
                         label=ci.group(0).strip(" ()") if ci else None)
        nouns = "|".join(draft_rules()["count_nouns"])
        counts = (rf"({_NUM})\s+(?:\(\d+(?:\.\d+)?%\)\s+)?(?:of\s+)?(?:[\w-]+\s+){{0,2}}?"
                  rf"(?:{nouns})\b")
        for pattern in (counts, rf"({_NUM})\s*\(\d+(?:\.\d+)?%\)"):
            for m in re.finditer(pattern, t):
                if ok(m, 1):
                    self.add("result", _number(m.group(1)), m.start(1), m.end(1),
                             number=m.group(1))
        for m in re.finditer(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w]|,\d|\.\d)", t):
            if ok(m) and not _any("n_exclude", self.sentence_of(m.start(), m.end())):
                self.add("result", _number(m.group(0)), m.start(), m.end(), number=m.group(0))


def _plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def read_source_draft(path: Path, sid: str) -> SourceDraft:
    from ..sources.quotes import load_source_text
    from ..sources.screening import screen_text
    from .starter_file import KIND_OF_FLAG

    text = load_source_text(path)
    screen = screen_text(text, path.name)
    flags: list[str] = [f.kind for f in screen.flags]
    notes = [f"screening: {f.kind.replace('_', ' ')} (score {f.score:.2f}): {f.message}"
             for f in screen.flags]
    kind = next((KIND_OF_FLAG[k] for k in flags), "other")
    source = SourceDraft(sid, path, text, kind, notes, flags)
    source.facts = _Reader(source).read()
    return source


# --- studies and disagreements ------------------------------------------------------------------


def _first(source: SourceDraft, kind: str) -> str | None:
    return next((f.value for f in source.facts if f.kind == kind), None)


def group_studies(sources: list[SourceDraft], ratio: float = 1.5) -> list[StudyDraft]:
    """Sources naming the same journal with close sample sizes report one study; a source that
    names no journal joins the one study with its sample size, if there is exactly one."""
    from ..sources.facts import same_journal

    groups: list[list[SourceDraft]] = []
    loose: list[SourceDraft] = []

    def close(a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return True
        x, y = float(a), float(b)
        return max(x, y) / max(min(x, y), 1) <= ratio

    for s in sources:
        journal, n = _first(s, "journal"), _first(s, "n")
        if journal is None:
            loose.append(s)
            continue
        for g in groups:
            gj, gn = _first(g[0], "journal"), _first(g[0], "n")
            if gj and same_journal(gj, journal) and close(gn, n):
                g.append(s)
                break
        else:
            groups.append([s])
    for s in loose:
        n = _first(s, "n")
        same = [g for g in groups if n is not None and any(_first(x, "n") == n for x in g)]
        if len(same) == 1:
            same[0].append(s)
        else:
            groups.append([s])
    return [StudyDraft(f"study-{i}", g) for i, g in enumerate(groups, 1)]


def disagreements(studies: list[StudyDraft]) -> list[Disagreement]:
    """Fields on which the sources of one study give values that are not the same (screening's
    comparison: 'Am J Psychiatry' is 'American Journal of Psychiatry')."""
    from ..sources.facts import same_value

    out = []
    for study in studies:
        for fld in ("n", "journal", "doi"):
            firsts = [next((f for f in s.facts if f.kind == fld), None) for s in study.sources]
            facts = [f for f in firsts if f is not None]
            values: list[Fact] = []
            for f in facts:
                if fld == "doi":  # identifiers: the same when equal, whatever their case
                    known = any(f.value.lower() == v.value.lower() for v in values)
                else:
                    known = any(same_value(fld, f.value, v.value) for v in values)
                if not known:
                    values.append(f)
            if len(values) > 1:
                out.append(Disagreement(study.id, fld, values))
    return out


# --- the skeleton ---------------------------------------------------------------------------------

TODO = "TODO"


def _todo(what: str) -> str:
    return f"{TODO}: {what}"


def _ev(f: Fact) -> dict[str, str]:
    return {"source": f.source, "quote": f.quote}


def _figure_value(f: Fact) -> int | float | str:
    written = f.number or f.value
    plain = written.replace(",", "")
    if re.fullmatch(r"\d+", plain) and "," not in written:
        return int(plain)
    if re.fullmatch(r"\d+\.\d+", plain):
        return written if written.endswith("0") else float(plain)
    return written


def _study_dict(study: StudyDraft, kind_of_finding: dict[str, str]) -> dict[str, Any]:
    def first(kind: str) -> Fact | None:
        return next(iter(study.facts(kind)), None)

    journal, doi, n = first("journal"), first("doi"), first("n")
    years = [f for f in study.facts("date") if re.fullmatch(r"\d{4}", f.value)]
    design, blinding = first("design"), first("blinding")
    preprint = any("preprint" in s.flags for s in study.sources)
    evidence = []
    for f in (n, journal, doi, years[0] if years else None, *study.facts("dose")):
        if f is not None and _ev(f) not in evidence:
            evidence.append(_ev(f))
    ages, setting = first("age"), first("setting")
    doses = []
    for f in study.facts("dose"):
        drug = (f.label or "").split(", ")[0] if f.label else ""
        extra = (f.label or "").split(", ")[1:]
        route = next((x for x in extra if not x.startswith("over")), None)
        timing = next((x for x in extra if x.startswith("over")), None)
        doses.append({k: v for k, v in {"drug": drug or _todo("what was given"),
                                        "amount": f.value if f.number is None
                                        else f"{f.number} {f.unit}",
                                        "route": route, "timing": timing}.items() if v})
    condition = first("condition")
    measures: list[dict[str, str | None]] = []
    for f in study.facts("measure"):
        if all(m["abbreviation"] != f.label for m in measures):
            measures.append({"name": f.value, "abbreviation": f.label})
    comparator = first("comparator")
    d: dict[str, Any] = {
        "id": study.id,
        "short_name": _todo("how the study is cited, e.g. Smith et al. 2025"),
        "journal": journal.value if journal else None,
        "doi": doi.value if doi else None,
        "year": int(years[0].value) if years else None,
        "status": "preprint" if preprint else "peer_reviewed",
        "status_note": (None if journal or preprint else
                        _todo("no source names a journal: is it peer reviewed?")),
        "design": design.value if design else "other",
        "blinding": blinding.value if blinding else "unknown",
        "participants": {"n": int(n.value) if n else 1,
                         "condition": condition.value if condition
                         else _todo("the condition" + ("" if n else ", and set n")),
                         "ages": ages.quote if ages else None,
                         "population": setting.value if setting else None,
                         "plain": _todo("the condition in everyday words")},
        "intervention": {"name": _todo("what the studied group received" + (
            f" (sources name: {', '.join(sorted({x['drug'] for x in doses}))})" if doses else "")),
                         "plain": _todo("the same in everyday words")},
        "comparator": ({"name": comparator.value, "plain": _todo("in everyday words")}
                       if comparator else None),
        "doses": doses,
        "measures": measures,
        "reported_by": [s.id for s in study.sources],
        "evidence": evidence,
    }
    kind_of_finding[study.id] = ("causal" if d["design"].startswith(("randomized", "crossover"))
                                 else "correlational" if d["design"] in
                                 ("cohort", "case_control", "cross_sectional") else "descriptive")
    return _drop_none(d)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if v is None or v == []:
            continue
        out[k] = _drop_none(v) if isinstance(v, dict) else v
    return out


def _findings(studies: list[StudyDraft], kinds: dict[str, str]) -> list[dict[str, Any]]:
    findings = []
    for study in studies:
        seen: dict[str, dict[str, Any]] = {}
        for f in study.facts("result"):
            if f.value in seen:
                seen[f.value]["evidence"].append(_ev(f))
                continue
            name = "x"
            figure = {"value": _figure_value(f)}
            if f.unit:
                figure["unit"] = f.unit
            if f.label:
                figure["label"] = f.label
            finding = {
                "id": f"{study.id}-result-{len(seen) + 1}",
                "study": study.id,
                "kind": kinds[study.id],
                "key": False,
                "figures": {name: figure},
                "clinician": _todo(f"what {{{name}}} measures, for clinicians"),
                "plain": _todo(f"the same in everyday words, with {{{name}}}"),
                "evidence": [_ev(f)],
            }
            seen[f.value] = finding
            findings.append(finding)
    return findings


def _caveats(doc_data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The caveat kinds the caveat rules will demand of this draft, as TODO caveats."""
    from ..document.model import Document
    from ..guards.caveats import required_caveats

    doc = Document.model_validate(doc_data)
    by_kind: dict[str, list[str]] = {}
    for audience, reqs in required_caveats(doc).items():
        for r in reqs:
            by_kind.setdefault(r.kind, []).append(audience)
    caveats = []
    for kind, audiences in by_kind.items():
        if kind == "not-medical-advice":
            caveats.append({"id": kind, "kind": kind, "mandatory_for": audiences, "text": {
                "patient": "This leaflet is not medical advice. Talk to your doctor before you "
                           "change your care.",
                "clinician": "This brief summarises research; it is not a clinical guideline.",
                "press": "This summary is not medical advice."},
                "guidance": "Health On the Net Foundation, HONcode principle 2 (complementarity)"})
            continue
        caveats.append({"id": kind, "kind": kind, "mandatory_for": audiences,
                        "text": {a: _todo(f"the {kind} caveat for {a}") for a in audiences},
                        "guidance": _todo("add evidence quotes from a source, or cite the "
                                          "guideline that asks for this caveat")})
    return caveats, list(by_kind)


def draft(paths: list[Path], topic: str = "draft", out: Path | None = None) -> Draft:
    """Read the source texts and build the skeleton. Raises InputError for unreadable input."""
    from ..document.model import SOURCE_SUFFIXES

    problems = [Problem(str(p), None, "", "not found") for p in paths if not p.is_file()]
    suffixes = ", ".join(sorted(SOURCE_SUFFIXES))
    problems += [Problem(str(p), None, "", f"a source is text: {suffixes}")
                 for p in paths if p.is_file() and p.suffix.lower() not in SOURCE_SUFFIXES]
    if problems:
        raise InputError(problems)
    if not paths:
        raise InputError([Problem("SOURCE", None, "", "give at least one source text")])
    taken: set[str] = set()
    from .starter_file import source_id

    sources = [read_source_draft(p, source_id(p, taken)) for p in paths]
    studies = group_studies(sources)
    found = disagreements(studies)
    resolved = [p.resolve() for p in paths]
    common = Path(os.path.commonpath([p.parent for p in resolved]))
    base = (out.resolve().parent if out is not None else Path.cwd().resolve())
    kinds: dict[str, str] = {}
    conditions = sorted({f.value for s in sources for f in s.facts if f.kind == "condition"})
    drugs = sorted({(f.label or "").split(", ")[0].lower() for s in sources for f in s.facts
                    if f.kind == "dose" and f.label and f.label.split(", ")[0].isalpha()})
    data: dict[str, Any] = {
        "topic": topic,
        "title": _todo("the title readers see"),
        "draft": True,
        "sources_dir": Path(os.path.relpath(common, base)).as_posix(),
        "subject": _drop_none({"conditions": conditions,
                               "drugs": [{"name": d} for d in drugs]}) or {},
        "background": {a: _todo(f"the background for {a}s" if a != "press"
                                else "the background for the press")
                       for a in AUDIENCES},
        "press": {"headline": _todo("a headline that says how sure the result is"),
                  "lede": _todo("who, what, how many, how sure")},
        "sources": [_drop_none({"id": s.id, "file": p.relative_to(common).as_posix(),
                                "kind": s.kind, "date": _iso(s), "notes": s.notes})
                    for s, p in zip(sources, resolved, strict=True)],
        "studies": [_study_dict(st, kinds) for st in studies],
    }
    data["findings"] = _findings(studies, kinds) or [_placeholder_finding(sources[0], studies[0])]
    data["caveats"] = []
    data["disagreements"] = [{
        "study": d.study, "field": {"n": "sample size"}.get(d.field, d.field),
        "claims": [_ev(f) for f in d.facts], "values": [f.value for f in d.facts],
        "handling": _todo("say which value this file uses and why")} for d in found]
    caveats, kinds_demanded = _caveats(data)
    data["caveats"] = caveats
    if "help-line" in kinds_demanded:  # the rules ask for help lines: the writer picks them
        data["help"] = [{"name": _todo("a help line for your readers' region"),
                         "contact": _todo("how to reach it")}]
    return Draft(sources, studies, found, data, kinds_demanded)


def _iso(source: SourceDraft) -> Any:
    import datetime as dt

    for f in source.facts:
        if f.kind == "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", f.value):
            return dt.date.fromisoformat(f.value)
    return None


def _placeholder_finding(source: SourceDraft, study: StudyDraft) -> dict[str, Any]:
    from .starter_file import first_phrase

    return {"id": "finding-1", "study": study.id, "kind": "descriptive",
            "clinician": _todo("a result for clinicians"), "plain": _todo("in everyday words"),
            "evidence": [{"source": source.id, "quote": first_phrase(source.path)}]}


def draft_yaml(result: Draft) -> str:
    """The skeleton as a findings file: a header that says what was found, then the data."""
    import yaml

    counts = {k: sum(1 for s in result.sources for f in s.facts if f.kind == k) for k in SCORED}
    header = [
        "# yaml-language-server: $schema=./findings.schema.json",
        "# Drafted by `explainer draft` from "
        + ", ".join(s.path.name for s in result.sources) + ".",
        "# Every fact below carries the verbatim phrase it was read from (its evidence quote).",
        "# Found: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".",
        "# Studies are grouped by journal and sample size: check the grouping. What is left to",
        "# write is marked TODO; `explainer check` lists each with its line, and the build marks",
        "# every output DRAFT until you remove `draft: true`.",
        "# Check subject.drugs: whether a drug is an opioid or has misuse potential is not read.",
    ]
    if result.caveat_kinds:
        header.append("# Caveat kinds the caveat rules demand: " + ", ".join(result.caveat_kinds))
    body = yaml.safe_dump(result.document, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n" + body
