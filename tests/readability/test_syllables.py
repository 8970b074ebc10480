"""Syllable counts: CMU data read offline, spelling rules for the rest, textstat without nltk."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zlib

import pytest
from conftest import BENCH

from explainer.readability import syllables
from explainer.readability.syllables import CmuDictionary, SyllableCounter, count, rule_syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ketamine", 3),  # ket-a-mine: not in CMU, rules
        ("esketamine", 4),
        ("naltrexone", 3),
        ("midazolam", 4),
        ("anaesthetic", 4),
        ("randomised", 3),  # British spelling, not in CMU
        ("titrated", 3),  # stem "titrate" + -ed after t
        ("dissociation", 5),
        ("ideation", 4),
        ("suicidal", 4),
        ("psilocybin", 4),
        ("placebo", 3),
        ("antidepressants", 5),
        ("well-known", 2),  # parts of a hyphenated word
        ("treatment-resistant", 5),
        ("COVID-19", 3),
        ("nurse's", 2),
        ("don’t", 1),  # curly apostrophe
        ("NMDA", 4),  # said letter by letter: en-em-dee-ay
        ("MADRS", 5),
        ("WWF", 7),  # double-u double-u ef
        ("e.g.", 2),
        ("2025", 1),  # a number is one syllable, as textstat counts it
    ],
)
def test_tricky_medical_words(word: str, expected: int) -> None:
    assert count(word) == expected


def test_dictionary_wins_over_spelling_rules() -> None:
    # the rules get these wrong; the CMU dictionary has them
    for word, expected in [("business", 2), ("chocolate", 2), ("interesting", 3)]:
        assert rule_syllables(word) != expected
        assert count(word) == expected


def test_bisection_finds_what_the_whole_file_has() -> None:
    """The lazy lookup (used for short texts) agrees with a full read of the file."""
    text = syllables._cmu_data().read_text(encoding="utf-8")
    full = CmuDictionary(text).all()
    lazy = CmuDictionary(text)
    lazy.PARSE_AFTER = 10**9  # never fall back to the full parse in this test
    words = random.Random(3).sample(sorted(full), 3000)
    words += ["a", "aalborg", "sepulveda", "sepultura", "stilton", "stilted", "zywicki"]
    for word in words:
        found = lazy.phones(word)
        assert found is not None, word
        assert syllables.phones_syllables(found) == syllables.phones_syllables(full[word]), word
    assert lazy.phones("ketamine") is None
    assert lazy.phones("zzzzunknown") is None


def test_rules_alone_are_right_for_nine_words_in_ten() -> None:
    """A floor for the fallback on words it was not tuned on (the held-out tenth)."""
    phones = syllables.cmu_phones()
    held = [w for w in sorted(phones) if re.fullmatch(r"[a-z]+", w)
            and zlib.crc32(w.encode()) % 10 == 0][:4000]
    right = sum(rule_syllables(w) == syllables.phones_syllables(phones[w]) for w in held)
    assert right / len(held) >= 0.90


def test_unknown_words_are_counted_from_known_parts() -> None:
    counter = SyllableCounter({"ketamine": 3, "es": 1, "treat": 1, "titrate": 2})
    assert counter("esketamine") == 4  # es + ketamine
    assert counter("ketamines") == 3  # plural of a known word
    assert counter("treated") == 2  # -ed after t is said
    assert counter("titrating") == 3  # stem + e, then -ing


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_scoring_never_imports_nltk() -> None:
    """textstat imports nltk, whose downloader would fetch cmudict; we never import either."""
    out = _run(
        "import sys\n"
        "from explainer.readability.formulas import score_text\n"
        "score_text('Ketamine helped some people with depression. It works fast.')\n"
        "print('nltk' in sys.modules, 'textstat' in sys.modules)"
    )
    assert out == "False False"


def test_textstat_uses_our_cmu_data_without_nltk() -> None:
    out = _run(
        "import sys\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "from textstat_offline import install_into_textstat\n"
        "install_into_textstat()\n"
        "import textstat\n"
        "print(textstat.syllable_count('business'), textstat.syllable_count('esketamine'),"
        " 'nltk' in sys.modules)"
    )
    assert out == "2 4 False"


class _CountingDictionary(dict):
    """A dictionary that counts lookups, to see how much work one word costs."""

    lookups = 0

    def get(self, word, default=None):  # type: ignore[override]
        self.lookups += 1
        return super().get(word, default)


def test_a_huge_word_costs_no_lookup_per_letter() -> None:
    """A 100,000-letter token (pasted data, a stuck key) is counted by spelling rules in one
    pass; before the cap, each split point cost two dictionary lookups of a long slice."""
    d = _CountingDictionary({"walk": 1, "ing": 1})
    counter = SyllableCounter(d)
    word = "walking" * 15_000
    assert counter(word) == rule_syllables(word)
    assert d.lookups == 0
    assert counter.from_parts(word) is None
    # Words of dictionary length still get the dictionary and the two-word join.
    assert counter("walkwalking") == 3
    assert 0 < d.lookups < 40


def test_a_huge_hyphenated_token_is_counted_part_by_part() -> None:
    d = _CountingDictionary({"knee": 1})
    counter = SyllableCounter(d)
    assert counter("-".join(["knee"] * 20_000)) == 20_000
    assert d.lookups == 1  # each part is the same cached word
