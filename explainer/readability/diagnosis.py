"""Diagnosis of a text: what to fix first. Its hardest and long sentences (each by its own
Flesch-Kincaid grade), long words the glossary does not explain, passive verbs and words with
a plainer alternative (:mod:`.plain_words`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal

from ..textnorm import word_set
from .formulas import (
    _APOSTROPHES,
    Counts,
    Scores,
    WordInfo,
    count_sentence,
    familiar_words,
    word_info,
)
from .plain_words import PlainWordNote, plain_word_notes
from .sentences import split_sentences

Level = Literal["ok", "hard", "very_hard"]


@dataclass(frozen=True)
class SentenceRule:
    """When a sentence is marked hard or very hard (by its own Flesch-Kincaid grade)."""

    hard: float = 10.0
    very_hard: float = 14.0
    min_words: int = 8  # a short sentence is never marked: its grade is noise
    long_words: int = 25


@dataclass(frozen=True)
class SentenceScore:
    text: str
    words: int
    syllables: int
    grade: float
    level: Level


@dataclass(frozen=True)
class WordNote:
    word: str
    syllables: int
    count: int


@dataclass(frozen=True)
class PassiveNote:
    sentence: str
    phrase: str


@dataclass
class Diagnosis:
    hardest: list[SentenceScore] = field(default_factory=list)
    long_sentences: list[SentenceScore] = field(default_factory=list)
    unexplained_words: list[WordNote] = field(default_factory=list)
    passive: list[PassiveNote] = field(default_factory=list)
    plain_words: list[PlainWordNote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "plain_words": [p.to_dict() for p in self.plain_words]}


def score_sentence(
    sentence: str, rule: SentenceRule | None = None, counts: Counts | None = None
) -> SentenceScore:
    """One sentence's own Flesch-Kincaid grade and whether ``rule`` marks it hard."""
    rule = rule or SentenceRule()
    c = counts if counts is not None else count_sentence(sentence)
    grade = Scores.from_counts(c).flesch_kincaid_grade if c.words else 0.0
    level: Level = "ok"
    if c.words >= rule.min_words:
        if grade >= rule.very_hard:
            level = "very_hard"
        elif grade >= rule.hard:
            level = "hard"
    return SentenceScore(sentence, c.words, c.syllables, round(grade, 1), level)


def _singular(word: str) -> str:
    w = word.lower().translate(_APOSTROPHES)
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def explained_forms(glossary_terms: set[str] | frozenset[str]) -> set[str]:
    """Glossary terms and each of their words, singular and lower-case, for matching."""
    forms: set[str] = set()
    for term in glossary_terms:
        forms.add(_singular(" ".join(term.split())))
        for part in re.split(r"[\s\-/]+", term):
            if part:
                forms.add(_singular(part))
    return forms


_BE = r"(?:am|is|are|was|were|be|been|being)"
_FILLER = r"(?:not|never|also|often|then|still|always|usually|generally|now|already|just|only|" \
          r"mostly|largely|widely|all|both|\w+ly)"
_PASSIVE = re.compile(rf"\b{_BE}\b(?:\s+{_FILLER}\b)*\s+([A-Za-z]+)\b", re.I)
_IRREGULAR_PARTICIPLES = word_set(
    """arisen awoken been beaten become begun bent bet bitten bled blown broken bred brought
    built burnt burst bought caught chosen come cost crept cut dealt done drawn dreamt driven
    drunk dug eaten fallen fed felt fought found fled flown forbidden forgotten forgiven frozen
    got gotten given gone ground grown hung had heard hidden hit held hurt kept knelt known laid
    led leant learnt left lent let lain lit lost made meant met mistaken overcome overseen
    overtaken paid proven put quit read rid ridden rung risen run said seen sought sold sent set
    shaken shed shone shot shown shut sung sunk sat slain slept slid spoken spent spilt spun
    split spread sprung stood stolen stuck stung struck sworn swept swum swung taken taught torn
    told thought thrown understood undertaken undergone upset woken worn woven wed wept won
    wound withdrawn withheld written"""
)
_NOT_PARTICIPLES = word_set(
    """bed bleed breed creed deed embed exceed feed greed heed hundred indeed need proceed red
    seed shed sled speed succeed weed wed sacred naked wicked rugged ragged"""
)


def passive_spans(sentence: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each passive verb in ``sentence``: a form of "be" and a participle."""
    found = []
    for m in _PASSIVE.finditer(sentence):
        verb = m.group(1).lower()
        if verb in _IRREGULAR_PARTICIPLES or (
            len(verb) > 4 and verb.endswith("ed") and verb not in _NOT_PARTICIPLES
        ):
            found.append((m.start(), m.group(0)))
    return found


def _passive_phrases(sentence: str) -> list[str]:
    return [phrase for _, phrase in passive_spans(sentence)]


_CHUNK = re.compile(r"\S+")
_PART = re.compile(r"[^-–/]+")


def long_words_in(sentence: str, explained: set[str] | frozenset[str] = frozenset()
                  ) -> list[tuple[int, int, WordInfo, str]]:
    """(start, end, word, key) of each long word in ``sentence`` that a reader may not know: 3+
    syllables, not a number, abbreviation, name, familiar word or glossary term. Each part of a
    hyphenated word counts on its own ("treatment-resistant" -> "resistant")."""
    return [(start, end, info, key) for start, end, info, key in _long_words(sentence)
            if not (key in explained or info.text.lower() in explained)]


@lru_cache(maxsize=16384)  # a pure function of the sentence: outputs repeat many sentences
def _long_words(sentence: str) -> tuple[tuple[int, int, WordInfo, str], ...]:
    """long_words_in before the glossary's terms are left out."""
    found = []
    for i, chunk in enumerate(_CHUNK.finditer(sentence)):
        for part in _PART.finditer(chunk.group()):
            info = word_info(part.group())
            if info is None or info.syllables < 3 or not info.text.isalpha() \
                    or info.text.isupper() or info.familiar \
                    or _singular(info.text) in familiar_words():
                continue  # short, a number, an abbreviation or a familiar word
            if i > 0 and info.text[0].isupper():
                continue  # a capital inside a sentence: most likely a name
            key = _singular(info.text)
            start = chunk.start() + part.start()
            found.append((start, start + len(part.group()), info, key))
    return tuple(found)


def diagnose(
    text: str,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    rule: SentenceRule | None = None,
    *,
    hardest: int = 10,
) -> Diagnosis:
    """What makes ``text`` hard: its hardest and long sentences, long words the glossary does not
    explain, passive verbs and words with a plainer alternative."""
    return diagnose_sentences(split_sentences(text), glossary_terms, rule, hardest=hardest)


def diagnose_sentences(
    sentences: list[str],
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    rule: SentenceRule | None = None,
    *,
    hardest: int = 10,
    scored: list[SentenceScore] | None = None,
) -> Diagnosis:
    rule = rule or SentenceRule()
    scored = scored if scored is not None else [score_sentence(s, rule) for s in sentences]
    ranked = sorted((s for s in scored if s.words >= rule.min_words), key=lambda s: -s.grade)
    explained = explained_forms(glossary_terms)
    long_words: Counter[str] = Counter()
    first_form: dict[str, tuple[str, int]] = {}
    passive: list[PassiveNote] = []
    for sentence in sentences:
        for _, _, info, key in long_words_in(sentence, explained):
            long_words[key] += 1
            first_form.setdefault(key, (info.text.lower(), info.syllables))
        passive.extend(PassiveNote(sentence, p) for p in _passive_phrases(sentence))
    return Diagnosis(
        hardest=ranked[:hardest],
        long_sentences=[s for s in scored if s.words > rule.long_words],
        unexplained_words=[
            WordNote(first_form[k][0], first_form[k][1], n) for k, n in long_words.most_common()
        ],
        passive=passive,
        plain_words=plain_word_notes(sentences),
    )
