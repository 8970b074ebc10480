"""One very long "word" in a findings field or a draft: syllable counting and readability
scoring timed at two sizes, with the ratio (linear cost gives about 2 for twice the input).

    .venv/bin/python bench/long_word.py [--sizes 100000 200000]

Words longer than syllables.MAX_WORD_LETTERS skip the dictionary and its two-word join and
are counted by spelling rules alone, in one pass. Fails loudly when a count is wrong.
"""

from __future__ import annotations

import argparse
import time

from explainer.readability import syllables
from explainer.readability.formulas import score_text


def timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 200_000])
    args = parser.parse_args()
    syllables.count("warm")  # load the dictionary outside the timings
    print("| what | n chars | seconds |\n|---|---:|---:|")
    for label, make in (("counter, one word", lambda n: ("ab" * n)[:n]),
                        ("score_text, one word in a sentence",
                         lambda n: "The " + ("ab" * n)[:n] + " was long.")):
        times = []
        for n in args.sizes:
            text = make(n)
            fresh = syllables.SyllableCounter(syllables.CmuSyllables(syllables.cmu()))
            if label.startswith("counter"):
                value, seconds = timed(fresh, text)
                if value != n // 2:
                    raise SystemExit(f"wrong count {value} for {n} letters of 'ab'")
            else:
                syllables.default_counter.cache_clear()
                value, seconds = timed(score_text, text)
                if value is None:
                    raise SystemExit("score_text returned nothing")
            times.append(seconds)
            print(f"| {label} | {n:,} | {seconds:.3f} |")
        print(f"| {label}: ratio for 2x | | {times[1] / max(times[0], 1e-9):.2f} |")


if __name__ == "__main__":
    main()
