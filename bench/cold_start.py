"""What the caches kept between runs save a cold single-topic PDF build, in CPU seconds.

    .venv/bin/python bench/cold_start.py [--runs 5]

Builds one synthetic topic (bench/corpus.py, seed 7) with
``explainer build findings --jobs 1 --force --format pdf`` in a fresh process, alternately:

* **first run**: an empty temp folder (TMPDIR), so neither the built-in templates' compiled
  code (explainer.render.template_cache) nor the rule files' parses
  (explainer.rules.parsed_cache) are there: every template compiled, every rule file parsed,
  as on the first build after an install or an upgrade;
* **later run**: a temp folder an earlier build filled, as on every build after that.

Prints the best of N of each (user + sys CPU of the build process) and the difference.
Exits 1 if any build fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))


def explainer() -> list[str]:
    script = Path(sys.executable).with_name("explainer")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "explainer"]


def build_cpu(folder: Path, tmpdir: Path) -> float:
    """CPU seconds of one cold build process; a failed build ends the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([*explainer(), "build", "findings", "--jobs", "1", "--force",
                           "--format", "pdf", "--out", "out-pdf"], cwd=folder,
                          env={**os.environ, "TMPDIR": str(tmpdir)}, capture_output=True,
                          text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the build failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from corpus import make_corpus

    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        folder = root / "topic"
        folder.mkdir()
        make_corpus(folder, 1, seed=7)
        kept = root / "kept"
        kept.mkdir()
        build_cpu(folder, kept)  # fills the caches the later runs find
        first, later = [], []
        for i in range(args.runs):
            empty = root / f"empty-{i}"
            empty.mkdir()
            first.append(build_cpu(folder, empty))
            later.append(build_cpu(folder, kept))
            shutil.rmtree(empty)
    print(f"cold single-topic PDF build, CPU best of {args.runs}:")
    print(f"  first run (nothing kept)   {min(first):.2f} s")
    print(f"  later run (caches kept)    {min(later):.2f} s")
    print(f"  saved                      {min(first) - min(later):.2f} s")


if __name__ == "__main__":
    main()
