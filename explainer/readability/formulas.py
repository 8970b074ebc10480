"""Readability scores (the seven published formulas) and the counts behind them, offline and
without nltk. The per-sentence diagnosis is in :mod:`.diagnosis`.

The formulas are the published ones. Words are counted as textstat counts them (punctuation
removed, hyphenated words and contractions kept whole) so that our figures can be checked against
textstat's; sentences come from :mod:`explainer.readability.sentences`, which knows medical
abbreviations, and syllables from :mod:`explainer.readability.syllables`. Two choices differ from
textstat on purpose: every sentence counts, even a two-word list item (textstat drops sentences
of two words or fewer), and Coleman-Liau and ARI count letters and digits as their authors did
(textstat uses 0.058 instead of 0.0588 for Coleman-Liau and counts punctuation as characters in
ARI).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Literal

from . import syllables
from .sentences import split_sentences

MetricKey = Literal["fk", "fre", "smog", "fog", "cli", "ari", "dc"]


@dataclass(frozen=True)
class Metric:
    key: str
    attr: str
    label: str
    easier: Literal["lower", "higher"]  # which way is easier to read


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("fk", "flesch_kincaid_grade", "Flesch-Kincaid grade", "lower"),
        Metric("fre", "flesch_reading_ease", "Flesch Reading Ease", "higher"),
        Metric("smog", "smog", "SMOG grade", "lower"),
        Metric("fog", "gunning_fog", "Gunning Fog", "lower"),
        Metric("cli", "coleman_liau", "Coleman-Liau", "lower"),
        Metric("ari", "ari", "ARI", "lower"),
        Metric("dc", "dale_chall", "Dale-Chall", "lower"),
    )
}


@dataclass(frozen=True)
class Counts:
    """What the formulas need; counts add up, so sections can be summed without re-reading."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0  # 3+ syllables (SMOG)
    complex_words: int = 0  # 3+ syllables and not on the Dale-Chall list (Gunning Fog)
    unfamiliar_words: int = 0  # not on the Dale-Chall list of familiar words
    letters: int = 0  # letters and digits (Coleman-Liau, ARI)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(_counts(self), _counts(other), strict=True)))

    @classmethod
    def total(cls, parts: Iterable[Counts]) -> Counts:
        sums = [0] * len(_COUNT_FIELDS)
        for part in parts:
            for i, n in enumerate(_counts(part)):
                sums[i] += n
        return cls(*sums)


# The fields' values in order: a plain getter, not astuple(), which deep-copies each value.
_COUNT_FIELDS = tuple(f.name for f in fields(Counts))
_counts = attrgetter(*_COUNT_FIELDS)


@dataclass(frozen=True)
class Scores:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog: float
    gunning_fog: float
    coleman_liau: float
    ari: float
    dale_chall: float
    words: int
    sentences: int
    syllables: int
    polysyllables: int

    @classmethod
    def from_counts(cls, c: Counts) -> Scores:
        if not c.words or not c.sentences:
            return cls(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, c.words, c.sentences, c.syllables,
                       c.polysyllables)
        wps = c.words / c.sentences
        spw = c.syllables / c.words
        unfamiliar = 100 * c.unfamiliar_words / c.words
        return cls(
            # Flesch (1948)
            flesch_reading_ease=206.835 - 1.015 * wps - 84.6 * spw,
            # Kincaid, Fishburne, Rogers & Chissom (1975)
            flesch_kincaid_grade=0.39 * wps + 11.8 * spw - 15.59,
            # McLaughlin (1969), the regression form used by textstat and most tools
            smog=1.043 * math.sqrt(30 * c.polysyllables / c.sentences) + 3.1291,
            # Gunning (1952), with familiar words not counted as complex (as textstat)
            gunning_fog=0.4 * (wps + 100 * c.complex_words / c.words),
            # Coleman & Liau (1975): letters and sentences per 100 words
            coleman_liau=0.0588 * 100 * c.letters / c.words
            - 0.296 * 100 * c.sentences / c.words - 15.8,
            # Senter & Smith (1967)
            ari=4.71 * c.letters / c.words + 0.5 * wps - 21.43,
            # Dale & Chall (1948)
            dale_chall=0.1579 * unfamiliar + 0.0496 * wps + (3.6365 if unfamiliar > 5 else 0.0),
            words=c.words,
            sentences=c.sentences,
            syllables=c.syllables,
            polysyllables=c.polysyllables,
        )

    def value(self, key: str) -> float:
        return float(getattr(self, METRICS[key].attr))

    def to_dict(self, digits: int = 2) -> dict[str, float | int]:
        return {k: round(v, digits) if isinstance(v, float) else v for k, v in asdict(self).items()}


# ---------------------------------------------------------------------------------------------
# Words, the way textstat's list_words finds them.

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?!(?:[tsd]|ve|ll|re)\b)")
_PUNCTUATION = re.compile(r"[^\w\s']")
_KEEP_JOINS = re.compile(r"[^\w\s'/\-–]")  # keep the joins that split a word into spoken parts
_WORD_CHAR = re.compile(r"\w")
_DOTTED_CHUNK = re.compile(r"^[(\[\"'“‘]*((?:[A-Za-z]\.){2,})")


@dataclass(frozen=True)
class WordInfo:
    text: str  # punctuation removed, as counted
    syllables: int
    letters: int
    familiar: bool  # on the Dale-Chall list


@cache
def familiar_words() -> frozenset[str]:
    """The Dale-Chall list of words familiar to most fourth-graders, as textstat ships it."""
    import importlib.util

    spec = importlib.util.find_spec("textstat")  # locate without importing: textstat imports nltk
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textstat is not installed; its Dale-Chall word list is needed")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines())


_word_cache: dict[str, WordInfo | None] = {}


def word_info(chunk: str) -> WordInfo | None:
    """One whitespace-separated chunk of text as a word, or None if it has no letters or digits."""
    info = _word_cache.get(chunk)
    if info is None and chunk not in _word_cache:
        normal = chunk.translate(_APOSTROPHES)
        text = _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", normal))
        if not text:
            info = None
        else:
            dotted = _DOTTED_CHUNK.match(normal)  # e.g. i.e. U.S.: keep the dots for lookup
            spoken = dotted.group(1) if dotted else _KEEP_JOINS.sub("", normal).strip("'")
            info = WordInfo(
                text=text,
                syllables=syllables.count(spoken or text),
                letters=len(_WORD_CHAR.findall(text)),
                familiar=text.lower() in familiar_words(),
            )
        if len(_word_cache) < 200_000:
            _word_cache[chunk] = info
    return info


def counted_words(text: str) -> list[WordInfo]:
    return [w for w in map(word_info, text.split()) if w is not None]


@lru_cache(maxsize=16384)  # a pure function of the sentence; Counts is immutable
def count_sentence(sentence: str) -> Counts:
    words = counted_words(sentence)
    if not words:
        return Counts()
    syl = [w.syllables for w in words]
    return Counts(
        sentences=1,
        words=len(words),
        syllables=sum(syl),
        polysyllables=sum(1 for n in syl if n >= 3),
        complex_words=sum(1 for w in words if w.syllables >= 3 and not w.familiar),
        unfamiliar_words=sum(1 for w in words if not w.familiar),
        letters=sum(w.letters for w in words),
    )


def count_sentences(sentences: list[str]) -> Counts:
    return Counts.total(map(count_sentence, sentences))


def score_sentences(sentences: list[str]) -> Scores:
    return Scores.from_counts(count_sentences(sentences))


def score_text(text: str) -> Scores:
    """All seven scores of plain text (blocks and sentences found by
    :mod:`explainer.readability.sentences`)."""
    return score_sentences(split_sentences(text))
