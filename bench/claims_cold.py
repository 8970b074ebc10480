"""What a cold process pays to get the claim guard's rules compiled for one document, and
the spin screening rules ready, in CPU milliseconds.

    .venv/bin/python bench/claims_cold.py [--runs 5] [--against /work/main]

Each run is a fresh process that loads the bundled ketamine topic, then times (process CPU)
``claims._compiled`` for its drugs (loading and checking claims.yaml included) and, apart,
``screening.screening_rules()`` (its two rule files loaded first, untimed). ``--against``
times another checkout's tree too (its own .venv), alternately with this one, run by run.
The claim guard's kept words (guards/kept_words.py) are timed both ways: **first run** with
the entry removed, **later run** with it as the run before left it.

Prints the best of N of each; exits 1 if any run fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import time
import explainer.guards.claims as C
from explainer.build.topic import bundled_example
from explainer.document.load import load_document
from explainer.rules import rule_model
doc = load_document(bundled_example()).doc
t = time.process_time()
rules = C._compiled(C._DrugKey.of(doc))
claims = (time.process_time() - t) * 1000
assert len(rules) > 10, "no claim rules compiled"
rule_model("spin_lexicon"); rule_model("source_markers")
import explainer.sources.screening as S
t = time.process_time()
screening = S.screening_rules()
spin = (time.process_time() - t) * 1000
assert len(screening.swaps) > 50, "no swaps"
print(f"{claims:.2f} {spin:.2f}")
"""


def run(tree: Path, tmpdir: Path, first: bool) -> tuple[float, float]:
    """(claims ms, screening ms) of one fresh process of ``tree``; a failure ends it."""
    if first:
        for entry in tmpdir.glob("explainer-cache-*/claim-words.marshal"):
            entry.unlink()
    python = tree / ".venv" / "bin" / "python"
    done = subprocess.run([str(python if python.exists() else sys.executable), "-c", PROBE],
                          cwd=tree, capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(tmpdir)})
    if done.returncode != 0:
        sys.exit(f"{tree}: the timed run failed:\n{done.stderr}")
    claims, spin = map(float, done.stdout.split())
    return claims, spin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout to time alternately")
    args = parser.parse_args()
    trees = [REPO] + ([args.against.resolve()] if args.against else [])
    best: dict[tuple[Path, bool], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {tree: Path(tmp) / str(i) for i, tree in enumerate(trees)}
        for folder in folders.values():
            folder.mkdir()
        for _ in range(args.runs):
            for tree in trees:
                for first in (True, False):
                    got = run(tree, folders[tree], first)
                    held = best.get((tree, first), (float("inf"), float("inf")))
                    best[tree, first] = (min(held[0], got[0]), min(held[1], got[1]))
    print(f"best of {args.runs}, CPU ms      claims._compiled   screening_rules")
    for tree in trees:
        for first in (True, False):
            claims, spin = best[tree, first]
            label = f"{tree.name} ({'first run' if first else 'later run'})"
            print(f"{label:<34}{claims:>10.1f}{spin:>18.1f}")


if __name__ == "__main__":
    main()
