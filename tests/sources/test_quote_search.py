"""The quote search without a regex per quote finds what the quote's regex finds."""

from __future__ import annotations

import random

from explainer.sources.quotes import _pattern, _search

# Letters in both cases, ones whose case changes length (ß, the fi ligature) or that have
# a title case (ǅ), an accented pair, and word and non-word characters around them.
ALPHABET = "abAB ß_-.1ǅﬁéÉ,"


def test_search_agrees_with_the_quote_pattern():
    rng = random.Random(15)
    found = 0
    for _ in range(20_000):
        quote = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 4))).strip()
        if not quote:
            continue
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        match = _pattern(quote).search(text)
        assert _search(quote, text) == (match.start() if match else None), (quote, text)
        found += match is not None
    assert found > 500  # many of the cases are hits, not only misses


def test_whole_words_and_either_case_of_the_first_letter():
    text = "Ketamine's effect; the effects of ketamine, ketamines"
    assert _search("ketamine", text) == 0  # "Ketamine's": the first letter in either case
    assert _search("effect", text) == 11  # not "effects"
    assert _search("Ketamine", "ketamines and ketamine.") == 14
    assert _search("amine", text) is None  # inside a word
