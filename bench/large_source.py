"""Reading and quote-checking one large source: time and peak memory at two sizes.

Writes a synthetic source (invented words, seeded) of SIZE MB that holds the fixture's
quoted phrases, plus one quote that is not in it (so the closest-passage search runs),
then times, each in a fresh process: read + fold the source, verify_quotes (which reads it
and searches the near miss), and the source screening. Prints seconds, peak RSS and the
ratio between the two sizes; exits 1 if a timed step fails.

    .venv/bin/python bench/large_source.py [--no-screen] [SIZE_MB ...]   (default: 5 10)

Sources are limited to 20 MB (explainer.inputs.guarded_files.LIMITS), so sizes stay below 20.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "findings" / "topic_min.yaml"
SOURCE = REPO / "tests" / "fixtures" / "sources" / "walking_release.txt"


def make_topic(folder: Path, megabytes: float) -> Path:
    rng = random.Random(9)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "der", "pon", "sel", "tra"]
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize()
        line = sentence + "." + ("\n\n" if rng.random() < 0.1 else "\n")
        lines.append(line)
        size += len(line)
    half = len(lines) // 2
    text = "".join(lines[:half]) + SOURCE.read_text() + "".join(lines[half:])
    (folder / "sources").mkdir()
    (folder / "sources" / SOURCE.name).write_text(text)
    findings = FIXTURE.read_text().replace("sources_dir: ../sources", "sources_dir: sources")
    # One near miss: a quoted phrase with one word changed.
    findings += ("quotes:\n  - text: a sentence about knee pain that the release never says\n"
                 "    source: release\n    speaker: nobody\n    audiences: [press]\n")
    path = folder / "topic.yaml"
    path.write_text(findings)
    return path


STEP = r"""
import json, resource, sys, time
from pathlib import Path
from explainer.document.load import load_document
step, path = sys.argv[1], Path(sys.argv[2])
loaded = load_document(path)
t = time.perf_counter()
if step == "read":
    from explainer.sources.quotes import read_source
    file = loaded.sources_dir / "walking_release.txt"
    try:
        source = read_source(file, loaded.sources_dir)
    except TypeError:  # before the guarded reader: no root argument
        source = read_source(file)
    assert len(source.folded) > 1000
elif step == "verify":
    from explainer.sources.quotes import verify_quotes
    problems = verify_quotes(loaded)
    assert len(problems) == 1, problems
elif step == "screen":
    from explainer.sources.screening import screening_problems
    screening_problems(loaded)
seconds = time.perf_counter() - t
print(json.dumps({"s": seconds, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(step: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", STEP, step, str(path)], capture_output=True,
                          text=True, cwd=REPO, timeout=1800)
    if proc.returncode != 0:
        sys.exit(f"{step} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--no-screen"]
    sizes = [float(a) for a in args] or [5.0, 10.0]
    steps = ("read", "verify") if "--no-screen" in sys.argv else ("read", "verify", "screen")
    results: dict[float, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            folder = Path(tmp) / f"s{mb}"
            folder.mkdir()
            path = make_topic(folder, mb)
            results[mb] = {}
            for step in steps:
                started = time.perf_counter()
                results[mb][step] = run(step, path)
                print(f"{mb:5.1f} MB  {step:<7} {results[mb][step]['s']:7.2f} s  "
                      f"peak {results[mb][step]['mb']:7.0f} MB  "
                      f"(process {time.perf_counter() - started:.1f} s)", flush=True)
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        for step in steps:
            ratio = results[b][step]["s"] / max(results[a][step]["s"], 1e-9)
            print(f"{step:<7} time ratio {b:g} MB / {a:g} MB = {ratio:.2f} "
                  f"(input ratio {b / a:.2f})")


if __name__ == "__main__":
    main()
