"""The quote check's folding keeps a map back to source offsets (quotes.fold_with_offsets).

Since a 20 MB source must fold in one pass with a compact map, the map is kept as runs;
these tests pin it to the character-by-character definition on random typographic text.
"""

from __future__ import annotations

import random

from explainer.sources.quotes import closest_passage, fold_with_offsets, source_from_text
from explainer.textnorm import DROP, FOLD

PIECES = ["a", "b", "é", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u200b", "\u00ad", "\ufeff",
          "\u2019", "\u2014", "x.", ","]


def reference(text: str) -> tuple[str, list[int]]:
    """Folding defined one character at a time: drop invisibles, one space per run of
    whitespace between visible characters, each kept character's source offset."""
    out, index, space_at = [], [], None
    for i, ch in enumerate(text.translate(FOLD)):
        if ch in DROP:
            continue
        if ch.isspace():
            space_at = i if space_at is None else space_at
            continue
        if space_at is not None and out:
            out.append(" ")
            index.append(space_at)
        space_at = None
        out.append(ch)
        index.append(i)
    return "".join(out), index


def test_fold_matches_the_character_by_character_definition():
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        folded, index = fold_with_offsets(text)
        assert (folded, list(index)) == reference(text), repr(text)


def test_closest_passage_in_a_large_source_names_the_right_line():
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    filler = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(40_000))
    text = filler + "\nThe trial found that walking eased knee pain a little.\n" + filler
    source = source_from_text(text)
    passage = closest_passage("the trial found that walking cured knee pain", source)
    assert passage is not None and passage.line == 40_001
    assert 'quote has "cured" where the source has "eased"' in passage.differences
