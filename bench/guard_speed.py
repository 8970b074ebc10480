"""Time the claim guard over a findings file's prose fields, as `check` runs it.

Prints, per findings file: the number of prose fields, the milliseconds per run of
`claims.claim_problems` (the fastest and the median of N runs, after one warm-up), and the
number of `words_of` calls per run (the folding the correlational context needs; it was
once per field and is now once per document). Fails loudly if the guard raises.

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
        original = caveats.words_of

        def counting(*a, _original=original, **k):
            nonlocal calls
            calls += 1
            return _original(*a, **k)

        claims.words_of = counting
        try:
            claims.claim_problems(loaded)
        finally:
            claims.words_of = original
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            claims.claim_problems(loaded)
            times.append((time.perf_counter() - start) * 1000)
        fields = sum(1 for _ in claims.prose_fields(loaded.doc))
        print(f"{path.name}: {fields} prose fields, {min(times):.1f} ms fastest, "
              f"{statistics.median(times):.1f} ms median of {args.runs}, "
              f"{calls} words_of calls per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
