"""Time `explainer score` as an editor runs it: a fresh process each time.

Prints the seconds for a short file (about 150 words; the start-up cost dominates, target under
0.6 s) and for a generated 1 MB text file, with Python's own start-up for comparison. Each run is
repeated and the fastest and median times are printed; the machine's load moves the median.

Usage: python bench/score_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SHORT = """Ketamine is a medicine that doctors use to put people to sleep for surgery. At low doses,
it can ease depression within hours. In this study, 26 people with depression took part. Each
person came on two different days. On one day they had naltrexone, which blocks the opioid
system, then ketamine. On the other day they had a dummy dose, then ketamine. Which day came
first was picked at random. With naltrexone first, ketamine had less effect on mood. This was a
small study, so we cannot be sure. Talk to your doctor before you change any treatment. If you
feel unsafe, call 999 or go to the nearest emergency department. Dr. L. A. Jelen et al. (2025)
led the work at King's College London; see https://doi.org/10.1038/example for the paper.
"""

VOCABULARY = """people doctors study ketamine depression treatment medicine dose brain system mood
effect patients trial placebo results researchers hospital blood pressure infusion naltrexone
opioid receptor glutamate anaesthetic antidepressant randomised participants weeks hours days
scores measured improved reduced symptoms side effects nausea dizziness evidence small large
the a an of to in and with for on at by from that this these which who when after before
was were is are had has have can may might will would could should not only also more less
"""
WORDS = VOCABULARY.split()


def generate(size: int, seed: int = 7) -> str:
    """Plain text of about ``size`` bytes: paragraphs of sentences of varied length."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(4, 30))]
            words[0] = words[0].capitalize()
            if rng.random() < 0.1:
                words.insert(rng.randrange(len(words)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}")
            if rng.random() < 0.05:
                words.insert(1, "(e.g. Dr. Smith et al.)")
            sentences.append(" ".join(words) + rng.choice([".", ".", ".", "?", "!"]))
        paragraph = " ".join(sentences)
        parts.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(parts)[:size]


def timed(cmd: list[str], runs: int) -> list[float]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env=env, cwd=REPO)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return times


def show(label: str, times: list[float]) -> None:
    print(f"{label:<44} fastest {min(times):6.3f} s   median {statistics.median(times):6.3f} s"
          f"   ({len(times)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    args = parser.parse_args()
    runs = max(1, args.runs)
    explainer = [sys.executable, "-m", "explainer"]
    with tempfile.TemporaryDirectory() as tmp:
        short = Path(tmp) / "short.txt"
        short.write_text(SHORT, encoding="utf-8")
        big = Path(tmp) / "big.txt"
        big.write_text(generate(1_000_000), encoding="utf-8")
        words = len(big.read_text(encoding="utf-8").split())
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
              f"big file {big.stat().st_size / 1e6:.2f} MB, {words:,} words")
        timed([*explainer, "score", str(short)], 1)  # warm the disk cache and .pyc files
        show("python -c pass (interpreter start-up)", timed([sys.executable, "-c", "pass"], runs))
        show("explainer --help (CLI start-up)", timed([*explainer, "--help"], runs))
        show("explainer score short.txt", timed([*explainer, "score", str(short)], runs))
        show("explainer score short.txt --json", timed([*explainer, "score", str(short), "--json"],
                                                       runs))
        big_runs = max(1, min(runs, 3))
        big_times = timed([*explainer, "score", str(big)], big_runs)
        show("explainer score big.txt (1 MB)", big_times)
        print(f"{'':<44} {words / min(big_times):,.0f} words/second, start-up included")


if __name__ == "__main__":
    main()
