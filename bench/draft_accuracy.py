"""Precision and recall of `explainer draft` against hand-made truth (tests/data/draft_truth/).

For each topic: run the drafting library on every source text of the topic, take the facts of
the scored kinds (n, journal, DOI, dates, doses and regimens, numeric results) per source, and
compare them with the truth file, fact by fact, per source. Prints a table per topic and kind;
--verbose lists every false positive and miss. Exits 1 when a topic misses 90 % (or --target).

    .venv/bin/python bench/draft_accuracy.py [--verbose] [--target 0.9]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TRUTH = REPO / "tests" / "data" / "draft_truth"
HELD_OUT = REPO / "tests" / "data" / "draft_heldout"  # texts the rules were not tuned on
sys.path.insert(0, str(REPO))

from explainer.authoring.drafting import SCORED, draft  # noqa: E402
from explainer.document.model import SOURCE_SUFFIXES  # noqa: E402
from explainer.sources.screening import same_journal  # noqa: E402


def norm(kind: str, value: object) -> str:
    v = re.sub(r"\s+", " ", str(value)).strip().lower().replace("per cent", "%")
    return v.replace(",", "") if kind != "journal" else v


def same(kind: str, a: str, b: str) -> bool:
    return same_journal(a, b) if kind == "journal" else a == b


def score_topic(truth_file: Path) -> tuple[dict, list[str], float]:
    truth = yaml.safe_load(truth_file.read_text(encoding="utf-8"))
    folder = (truth_file.parent / truth["sources_dir"]).resolve()
    paths = sorted(p for p in folder.iterdir()
                   if p.suffix in SOURCE_SUFFIXES and p.name != "SOURCES.md"
                   and p.name in truth.get("files", [p.name]))
    started = time.perf_counter()
    result = draft(paths, truth["topic"])
    seconds = time.perf_counter() - started
    counts = {k: [0, 0, 0] for k in SCORED}  # true positives, extracted, truth
    notes = []
    for source in result.sources:
        want = truth["facts"].get(source.path.name, {})
        for kind in SCORED:
            got = [norm(kind, f.value) for f in source.facts if f.kind == kind]
            expected = [norm(kind, v) for v in want.get(kind, [])]
            matched: set[int] = set()
            for g in got:
                hit = next((i for i, e in enumerate(expected)
                            if i not in matched and same(kind, g, e)), None)
                if hit is None:
                    notes.append(f"  false positive {source.path.name} {kind}: {g}")
                else:
                    matched.add(hit)
            for i, e in enumerate(expected):
                if i not in matched:
                    notes.append(f"  missed         {source.path.name} {kind}: {e}")
            c = counts[kind]
            c[0] += len(matched)
            c[1] += len(got)
            c[2] += len(expected)
    return counts, notes, seconds


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--target", type=float, default=0.9)
    args = parser.parse_args()
    failed = False
    for truth_file in [*sorted(TRUTH.glob("*.yaml")), *sorted(HELD_OUT.glob("*.yaml"))]:
        counts, notes, seconds = score_topic(truth_file)
        tp = sum(c[0] for c in counts.values())
        got = sum(c[1] for c in counts.values())
        want = sum(c[2] for c in counts.values())
        p, r = ratio(tp, got), ratio(tp, want)
        print(f"{truth_file.stem}: precision {p:.1%} ({tp}/{got}), recall {r:.1%} ({tp}/{want}),"
              f" {seconds * 1000:.0f} ms")
        for kind, (k_tp, k_got, k_want) in counts.items():
            print(f"  {kind:<8} precision {ratio(k_tp, k_got):6.1%} ({k_tp}/{k_got})"
                  f"  recall {ratio(k_tp, k_want):6.1%} ({k_tp}/{k_want})")
        if args.verbose:
            print("\n".join(notes))
        if truth_file.parent == HELD_OUT:
            print("  (held out: reported, not held to the target)")
        elif p < args.target or r < args.target:
            failed = True
            print(f"  BELOW TARGET {args.target:.0%}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
