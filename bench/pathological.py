"""Time `explainer score` on hostile inputs at two sizes and print the cost ratio (issue #9).

Each input is scored the way `explainer score --details` scores it (scores, diagnosis and the
positioned diagnostics), in this process, at n and 2n. Linear work gives a ratio near 2; the
target is at most about 2.2. A run that raises is reported and makes the script exit 1.

    .venv/bin/python bench/pathological.py [--scale 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES: list[tuple[str, str, Callable[[int], str], int]] = [
    # (name, format, input of size n, n at scale 1)
    ("'The cat sat. ' x n, one line", "txt", lambda n: "The cat sat. " * n, 20_000),
    ("one word of n characters", "txt", lambda n: "a" * n, 50_000),
    ("Markdown '_a ' x n", "md", lambda n: "_a " * n, 5_000),
    ("Markdown '<!--' x n", "md", lambda n: "<!--" * n, 5_000),
    ("Markdown '![' x n", "md", lambda n: "![" * n, 5_000),
    ("Markdown '[a](' x n", "md", lambda n: "[a](" * n, 10_000),
    ("HTML '<div>' x n then '</b>' x n", "html", lambda n: "<div>" * n + "</b>" * n, 5_000),
    ("HTML n nested <div> and a descendant selector", "html",
     lambda n: "<style>div p { display: none }</style>" + "<div>" * n + "<p>Hi there.</p>",
     5_000),
]


def score_once(text: str, fmt: str) -> None:
    from explainer.readability import scoring

    result = scoring.score_content(text, fmt, "patient")  # type: ignore[arg-type]
    try:
        from explainer.readability.diagnostics import diagnostics_for
    except ImportError:  # an older checkout: no positioned diagnostics to time
        return
    diagnostics_for("bench", text, fmt, result)


def clear_caches() -> None:
    """Every run starts cold: the word, syllable and extracted-HTML caches would otherwise make
    the second run of the same input nearly free."""
    from explainer.readability import formulas as readability
    from explainer.readability import syllables
    from explainer.seen import html as html_text

    readability._word_cache.clear()
    html_text.extract.cache_clear()
    counter = syllables.default_counter()
    if isinstance(getattr(counter, "_cache", None), dict):
        counter._cache.clear()


def timed(text: str, fmt: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        score_once(text, fmt)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n by this")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--only", default="", help="comma-separated case numbers (1-based)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="checkout whose explainer package to time (for before/after)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    sys.setrecursionlimit(1000)  # the interpreter's default, whatever the caller set
    failed = 0
    score_once("Warm up: imports and rule files are loaded once.", "txt")
    print(f"{'input':50} {'n':>8} {'t(n) s':>9} {'t(2n) s':>9} {'ratio':>6}")
    chosen = {int(x) for x in args.only.split(",") if x.strip()}
    for number, (name, fmt, make, n) in enumerate(CASES, 1):
        if chosen and number not in chosen:
            continue
        n = max(1, int(n * args.scale))
        try:
            small = timed(make(n), fmt, args.repeat)
            large = timed(make(2 * n), fmt, args.repeat)
        except Exception:
            failed += 1
            print(f"{name:50} {n:8d}  FAILED")
            traceback.print_exc(limit=3)
            continue
        ratio = large / small if small > 0 else float("inf")
        flag = "" if ratio <= 2.2 else "  > 2.2"
        print(f"{name:50} {n:8d} {small:9.3f} {large:9.3f} {ratio:6.2f}{flag}")
    if failed:
        print(f"{failed} input(s) FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
