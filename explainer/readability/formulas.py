"""Readability scores and a per-sentence diagnosis, offline and without nltk.

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
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from . import syllables
from .sentences import split_sentences

MetricKey = Literal["fk", "fre", "smog", "fog", "cli", "ari", "dc"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @classmethod
    def total(cls, parts: Iterable[Counts]) -> Counts:
        sums = [0] * len(fields(cls))
        for part in parts:
            for i, n in enumerate(astuple(part)):
                sums[i] += n
        return cls(*sums)


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


def words_of(text: str) -> list[WordInfo]:
    return [w for w in map(word_info, text.split()) if w is not None]


def count_sentence(sentence: str) -> Counts:
    words = words_of(sentence)
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


# ---------------------------------------------------------------------------------------------
# Diagnosis: what to fix first.

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


@dataclass(frozen=True)
class PlainWordNote:
    found: str
    plain: str
    reason: str
    source: str
    count: int
    suggestion: str = ""  # the plain words inflected to fit (inflection.suggest), or a hint
    swap: bool = True  # False: no alternative fits in place, so it is a hint to reword


@dataclass
class Diagnosis:
    hardest: list[SentenceScore] = field(default_factory=list)
    long_sentences: list[SentenceScore] = field(default_factory=list)
    unexplained_words: list[WordNote] = field(default_factory=list)
    passive: list[PassiveNote] = field(default_factory=list)
    plain_words: list[PlainWordNote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
_IRREGULAR_PARTICIPLES = _words(
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
_NOT_PARTICIPLES = _words(
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
            if key in explained or info.text.lower() in explained:
                continue
            start = chunk.start() + part.start()
            found.append((start, start + len(part.group()), info, key))
    return found


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


# ---------------------------------------------------------------------------------------------
# Plainer words, from explainer/rules/plain_words.yaml.


@dataclass(frozen=True)
class PlainWord:
    word: str
    plain: str
    reason: str
    source: str
    forms: tuple[str, ...]


def _inflections(word: str) -> set[str]:
    if " " in word:
        return {word}
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ion", word[:-1] + "ions"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


@cache
def plain_words() -> tuple[PlainWord, ...]:
    from ..rules import load_rules

    data = load_rules("plain_words")
    entries = []
    for item in data["words"]:
        forms: set[str] = set()
        for w in [item["word"], *item.get("forms", [])]:
            forms |= _inflections(w.lower())
        entries.append(PlainWord(item["word"], item["plain"], item["reason"], item["source"],
                                 tuple(sorted(forms, key=len, reverse=True))))
    return tuple(entries)


@cache
def _plain_index() -> tuple[dict[tuple[str, ...], PlainWord], int]:
    """Word sequence -> entry; a dictionary lookup per word beats one huge regex."""
    index: dict[tuple[str, ...], PlainWord] = {}
    for entry in plain_words():
        for form in entry.forms:
            index.setdefault(tuple(form.split()), entry)
    return index, max((len(k) for k in index), default=1)


_PLAIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def plain_word_spans(sentence: str) -> list[tuple[int, str, str, PlainWord]]:
    """(offset, words as written, the word before them, entry) for each word or phrase of
    plain_words.yaml in ``sentence``, longest match first."""
    index, longest = _plain_index()
    tokens = list(_PLAIN_TOKEN.finditer(sentence))
    lower = [t.group().lower() for t in tokens]
    found = []
    i = 0
    while i < len(lower):
        for n in range(min(longest, len(lower) - i), 0, -1):
            entry = index.get(tuple(lower[i:i + n]))
            if entry is not None:
                written = sentence[tokens[i].start():tokens[i + n - 1].end()]
                found.append((tokens[i].start(), written, tokens[i - 1].group() if i else "",
                              entry))
                i += n
                break
        else:
            i += 1
    return found


def plain_word_notes(sentences: list[str]) -> list[PlainWordNote]:
    """Words and phrases of plain_words.yaml found in ``sentences``, most frequent first, each
    with a suggestion inflected to fit its first use (or a hint when no swap fits)."""
    from .inflection import suggest

    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, str]] = {}
    for sentence in sentences:
        for _, written, previous, entry in plain_word_spans(sentence):
            counts[entry.word] += 1
            first.setdefault(entry.word, (written, previous))
    entries = {e.word: e for e in plain_words()}
    notes = []
    for w, n in counts.most_common():
        written, previous = first[w]
        advice = suggest(written, entries[w].plain, previous)
        notes.append(PlainWordNote(written, entries[w].plain, entries[w].reason,
                                   entries[w].source, n, advice.describe(), advice.swap))
    return notes
