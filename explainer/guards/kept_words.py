"""The words the claim rules' patterns need (guards.prefilter), kept between runs.

Reading them parses some 65 rule patterns with ``re``'s parser: about 10 ms of a cold
build's CPU, for an answer that depends only on each pattern's source and flags and on the
code that reads it (this Python's parser, guards/prefilter.py). One entry in the rule files'
cache folder (rules.parsed_cache: this user's own, mode 0700) holds the words of every
pattern seen, under a checksum of that code: a changed Python or prefilter starts it again,
and a pattern not in it (a changed rule file) is parsed as before and added. A folder that
cannot be had, a damaged entry or a refused write only means parsing as before.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path

from . import prefilter

Words = tuple[frozenset[str], ...]
ENTRY = "claim-words.marshal"
MAX_KEPT = 4096  # patterns; more (rule files edited many times over) starts the entry again


@cache
def fingerprint() -> str:
    """What the words depend on besides the pattern: the parser and the code reading it."""
    code = Path(prefilter.__file__).read_bytes()
    return hashlib.sha256(f"{sys.version}\0{marshal.version}\0".encode() + code).hexdigest()


class KeptWords:
    """:func:`prefilter.source_words` of each (source, flags), from ``folder`` when an
    earlier run kept them there; :meth:`save` writes back what this run added."""

    def __init__(self, folder: Path | None):
        self.path = folder / ENTRY if folder is not None else None
        self.words: dict[tuple[str, int], Words] = self._load()
        self.added = False

    def _load(self) -> dict[tuple[str, int], Words]:
        if self.path is None:
            return {}
        with suppress(OSError, EOFError, ValueError, TypeError):
            kept = marshal.loads(self.path.read_bytes())
            if (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == fingerprint()
                    and isinstance(kept[1], dict) and all(map(_well_formed, kept[1].items()))):
                return kept[1]
        return {}

    def get(self, source: str, flags: int) -> Words:
        """The words; re.error when ``source`` does not parse (nothing kept then)."""
        key = (source, int(flags))  # a plain int: marshal holds no re.RegexFlag
        words = self.words.get(key)
        if words is None:
            words = prefilter.source_words(*key)
            if len(self.words) >= MAX_KEPT:
                self.words.clear()
            self.words[key] = words
            self.added = True
        return words

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        from ..rules.parsed_cache import write_entry

        with suppress(ValueError):  # data marshal cannot hold: parsed again next time
            write_entry(self.path, marshal.dumps((fingerprint(), self.words)))
        self.added = False


def _well_formed(item: tuple[object, object]) -> bool:
    key, words = item
    return (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str)
            and isinstance(key[1], int) and isinstance(words, tuple)
            and all(isinstance(g, frozenset) and all(isinstance(w, str) for w in g)
                    for g in words))


@cache
def kept_words() -> KeptWords:
    """This process's store (the folder looked up once)."""
    from ..rules.parsed_cache import cache_dir

    return KeptWords(cache_dir())
