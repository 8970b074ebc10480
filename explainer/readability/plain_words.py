"""Plainer words for hard ones, from explainer/rules/plain_words.yaml: where a sentence uses
one, and a suggestion inflected to fit its first use."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any


@dataclass(frozen=True)
class PlainWordNote:
    found: str
    plain: str
    reason: str
    source: str
    count: int
    previous: str = ""  # the word before ``found`` as first used (its article may change)

    # The inflected suggestion is made when first asked for: `score` shows it, a build's
    # report does not, so a build never imports lemminflect (a third of a second of CPU).
    @cached_property
    def _advice(self) -> Any:
        from .inflection import suggest

        return suggest(self.found, self.plain, self.previous)

    @property
    def suggestion(self) -> str:
        """The plain words inflected to fit (inflection.suggest), or a hint."""
        return str(self._advice.describe())

    @property
    def swap(self) -> bool:
        """False: no alternative fits in place, so it is a hint to reword."""
        return bool(self._advice.swap)

    def to_dict(self) -> dict[str, Any]:
        return {"found": self.found, "plain": self.plain, "reason": self.reason,
                "source": self.source, "count": self.count, "suggestion": self.suggestion,
                "swap": self.swap}


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
    return list(_plain_word_spans(sentence))


@lru_cache(maxsize=16384)  # a pure function of the sentence (the word list is read once)
def _plain_word_spans(sentence: str) -> tuple[tuple[int, str, str, PlainWord], ...]:
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
    return tuple(found)


def plain_word_notes(sentences: list[str]) -> list[PlainWordNote]:
    """Words and phrases of plain_words.yaml found in ``sentences``, most frequent first, each
    with a suggestion inflected to fit its first use (or a hint when no swap fits)."""
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
        notes.append(PlainWordNote(written, entries[w].plain, entries[w].reason,
                                   entries[w].source, n, previous))
    return notes
