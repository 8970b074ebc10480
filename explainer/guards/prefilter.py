"""Cheap necessary conditions for regexes: skip a scan that cannot match.

The claim guard runs some 65 case-insensitive patterns over every sentence, and almost no
sentence matches any. Python's ``re`` gets no prefix speed-up for case-insensitive letters,
so each scan tries every alternative at every position. Most patterns, though, need one of
a few literal words to be in the text (``stop``, ``skip``... or ``treatment``): a
case-sensitive search for those words in the lower-cased sentence is far cheaper, and when
it finds none the pattern cannot match. The answer is the same; only the work is less.

The literals are read from the pattern's own parse tree (``re``'s parser); a construct it
does not understand gives no prefilter, so the full pattern always runs then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
# Shorter literals are in too many sentences to be worth a search of their own.
MIN_LITERAL = 3
MAX_GROUPS = 3  # after a few groups a sentence that has them all is worth the full scan


# The only characters beyond ASCII that re.IGNORECASE takes for an ASCII one (the dotted
# and dotless i, the long s, the Kelvin sign); tests/guards/test_prefilter.py checks it.
ASCII_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def lowered(text: str) -> str:
    """``text`` in lower case, each ASCII twin as its ASCII letter: an ASCII literal matches
    ``text`` case-insensitively only where it is in this, case-sensitively."""
    return text.lower() if text.isascii() else text.translate(ASCII_TWINS).lower()


def prefilter(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """Regexes that each find something in ``lowered(text)`` whenever ``pattern`` (with or
    without re.IGNORECASE) matches ``text``: one per group of words the pattern needs, the
    most selective first; none when it needs no literal (then it always has to run)."""
    return tuple(map(words_regex, required_words(pattern)))


@lru_cache(maxsize=512)  # a Pattern hashes by its source and flags: keyed on content
def cached_prefilter(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """:func:`prefilter`, worked out once per pattern (for rule patterns used again and
    again)."""
    return prefilter(pattern)


def might_match(needs: tuple[re.Pattern[str], ...], lower: str) -> bool:
    """False only when a pattern whose prefilter is ``needs`` cannot match the text whose
    :func:`lowered` form is ``lower``."""
    return all(words.search(lower) for words in needs)


def required_words(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Groups of ASCII literals, at least MIN_LITERAL long: every match of ``pattern``
    holds a word of each group. The most selective group first (at most MAX_GROUPS)."""
    try:
        return source_words(pattern.pattern, pattern.flags)
    except Exception:  # an unfamiliar parse tree: no prefilter, the full scan runs
        return ()


@lru_cache(maxsize=1024)  # keyed on the source and flags: rule patterns recur
def source_words(source: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """:func:`required_words` of ``re.compile(source, flags)``, read from ``re``'s parse
    alone (no compile); re.error when ``source`` does not parse."""
    parsed = _sre_parse.parse(source, flags)
    try:
        groups = _required(parsed)
    except Exception:  # an unfamiliar parse tree: no prefilter, the full scan runs
        return ()
    # Not ASCII: e.g. the Kelvin sign matches "k"; short: in too many sentences to help.
    useful = {g for g in groups if all(w.isascii() and len(w) >= MIN_LITERAL for w in g)}
    return tuple(sorted(useful, key=_selectivity, reverse=True)[:MAX_GROUPS])


def words_regex(literals: Iterable[str]) -> re.Pattern[str]:
    """Any of ``literals``, lower case, matched case-sensitively (on :func:`lowered` text)."""
    # Longest first, then alphabetical: the same source whatever order a set gives them in.
    words = sorted({w.lower() for w in literals}, key=lambda w: (-len(w), w))
    return _words_regex("|".join(map(re.escape, words)))


@lru_cache(maxsize=1024)  # the same groups of words recur across rules and documents
def _words_regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _selectivity(group: frozenset[str]) -> tuple[int, int, str]:
    # The longer its shortest word and the fewer its words, the rarer a group is in text.
    return min(map(len, group)), -len(group), min(group)


def _required(seq) -> list[frozenset[str]]:
    """Groups of literals: every match of ``seq`` holds one literal of each group."""
    groups: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in seq:
        if op.name == "LITERAL":
            run.append(chr(av))
            continue
        if run:  # consecutive literals: a string the match holds as it is
            head = "".join(run)
            groups.append(frozenset({head}))
            if op.name == "BRANCH":  # re's parser takes "le" out of "leads|led": put it back
                groups.append(frozenset(head + _leading(branch) for branch in av[1]))
            run = []
        groups += _required_by(op.name, av)
    if run:
        groups.append(frozenset({"".join(run)}))
    return groups


def _leading(seq) -> str:
    """The literal characters a sequence starts with."""
    head = []
    for op, av in seq:
        if op.name != "LITERAL":
            break
        head.append(chr(av))
    return "".join(head)


def _required_by(name: str, av) -> list[frozenset[str]]:
    """What one item of a sequence requires: groups and repeats of one or more pass on
    their own requirements, an alternation one group, the union of its branches' best."""
    if name == "SUBPATTERN":
        return _required(av[-1])
    if name == "ATOMIC_GROUP":
        return _required(av)
    if name in _REPEATS and av[0] >= 1:
        return _required(av[2])
    if name == "BRANCH":
        best = [max(groups, key=_selectivity, default=None)
                for groups in map(_required, av[1])]
        if all(best):
            return [frozenset().union(*best)]  # type: ignore[arg-type]
    return []  # a class, an anchor, a lookaround, an optional part: nothing required
