"""Time the claim guard over a findings file's prose fields, as `check` runs it.

Prints, per findings file: the number of prose fields, the milliseconds per run of
`claims.claim_problems` (the fastest and the median of N runs, after one warm-up), and the
number of `comparable_words` calls per run (the folding the correlational context needs; it was
once per field and is now once per document). Fails loudly if the guard raises.

The compiled rules hold each sentence's matches (claims._RuleSet), so a second run of the same
file would time only the lookups: every timed run starts with them dropped, as a first pass
over a new topic does.

Usage: python bench/guard_speed.py [FILES...] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    files = args.files or sorted((REPO / "seeds").glob("*.yaml"))

    from explainer.document.load import load_document
    from explainer.guards import caveats, claims

    for path in files:
        loaded = load_document(path)
        claims.claim_problems(loaded)  # warm: rules compiled, caches filled
        calls = 0
        original = caveats.comparable_words

        def counting(*a, _original=original, **k):
            nonlocal calls
            calls += 1
            return _original(*a, **k)

        claims.comparable_words = counting
        try:
            claims.claim_problems(loaded)
        finally:
            claims.comparable_words = original
        times = []
        held = claims._compiled(claims._DrugKey.of(loaded.doc))
        for _ in range(args.runs):
            held.scans.clear()  # a first pass: no sentence's matches held from the last run
            start = time.perf_counter()
            claims.claim_problems(loaded)
            times.append((time.perf_counter() - start) * 1000)
        fields = sum(1 for _ in claims.prose_fields(loaded.doc))
        print(f"{path.name}: {fields} prose fields, {min(times):.1f} ms fastest, "
              f"{statistics.median(times):.1f} ms median of {args.runs}, "
              f"{calls} comparable_words calls per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
