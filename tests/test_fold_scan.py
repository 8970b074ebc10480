"""fold finds the few characters it changes with a pattern instead of translating every
character: the result is the translation's, for every character the table holds and any
text around them, with and without dashes; and the caveat proof's word splitting gives
what its own patterns gave."""

from __future__ import annotations

import random
import re
import unicodedata

from explainer import textnorm
from explainer.guards.caveats import comparable_words


def translated(text: str, dashes: bool) -> str:
    text = text.translate(textnorm._TABLE if dashes else textnorm._TABLE_NO_DASHES)
    return textnorm._SOFT_BREAK.sub("", text) if textnorm.SOFT_HYPHEN in text else text


def soup(rng: random.Random) -> str:
    chars = [chr(k) for k in textnorm._TABLE] + list("ab -\n\t\r.'\"é–—") + ["\u00ad"]
    return "".join(rng.choice(chars) for _ in range(rng.randrange(0, 40)))


def test_fold_is_the_translation_with_and_without_dashes():
    rng = random.Random(15)
    for _ in range(3000):
        text = soup(rng)
        for dashes in (True, False):
            assert textnorm.fold(text, dashes=dashes) == translated(text, dashes), repr(text)


def old_comparable_words(text: str) -> list[str]:
    text = translated(unicodedata.normalize("NFKC", text), False)
    text = re.sub(r"(\w)-[ \t]*\r?\n\s*(\w)", r"\1\2", text)
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)
    return re.findall(r"\w+", text.casefold())


def test_comparable_words_split_as_the_patterns_split_them():
    rng = random.Random(15)
    pieces = ["opi-\nate", "self-\n harm", "a-\nb-\nc", "x-", "-y", "well-known", "non-\u00adstop",
              "end-\r\nline", "a - b", " ", "\n", "word", "–", "é-e"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        assert comparable_words(text) == old_comparable_words(text), repr(text)
