"""Would one topic build faster with its audiences in two processes? (issue 15, item 3)

    .venv/bin/python bench/parallel_audiences.py [--rounds 5]

Builds one synthetic topic (bench/corpus.py) cold, `explainer build --jobs 1 --format pdf`,
each round in two fresh processes run alternately: as shipped (the three audiences one after
another), and with a prototype that forks after the topic's data checks, the parent building
two audiences and the child the third (the child's outputs and results come back pickled
through a pipe). Prints wall and CPU seconds (the process and its waited-for child) for each,
best and median. The prototype lives only here: it is not kept in the package, since it
costs more CPU than it saves wall time (see the README's speed section). Any build that exits
non-zero or does not write its three PDFs aborts the benchmark with exit status 1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import make_corpus  # noqa: E402

# Run in a fresh process with argv: MODE OUT. Prints "wall cpu" on its last line.
CHILD = r'''
import os, pickle, resource, sys, time
start = time.perf_counter()
mode, out = sys.argv[1], sys.argv[2]
from explainer.cli import main
import explainer.build.topic as topic

sequential = topic._build_outputs


def in_two_processes(loaded, options, result):
    import dataclasses
    audiences = list(options.audiences)
    if len(audiences) < 2 or len(os.listdir("/proc/self/task")) > 1:  # threads: never fork
        return sequential(loaded, options, result)
    mine, theirs = audiences[:-1], audiences[-1:]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        part = dataclasses.replace(result, outputs=[])
        files = sequential(loaded, dataclasses.replace(options, audiences=tuple(theirs)), part)
        with os.fdopen(write, "wb") as fh:
            pickle.dump((part.outputs, files), fh)
        os._exit(0)
    os.close(write)
    files = sequential(loaded, dataclasses.replace(options, audiences=tuple(mine)), result)
    with os.fdopen(read, "rb") as fh:
        outputs, more = pickle.load(fh)
    _, status = os.waitpid(pid, 0)
    if status:
        raise SystemExit(f"the audience process failed ({status})")
    result.outputs += outputs
    files.update(more)
    return files


if mode == "parallel":
    topic._build_outputs = in_two_processes
sys.argv = ["explainer", "build", "findings", "--jobs", "1", "--force", "--format", "pdf",
            "--out", out]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
me, child = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + child.ru_utime + child.ru_stime
print(f"{time.perf_counter() - start:.3f} {cpu:.3f}")
sys.exit(code)
'''


def one_build(mode: str, work: Path) -> tuple[float, float]:
    out = work / f"out-{mode}"
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(out)], cwd=work,
                          capture_output=True, text=True)
    pdfs = sorted(p.stem for p in out.glob("*/*.pdf"))
    if done.returncode != 0 or pdfs != ["clinician", "patient", "press"]:
        sys.exit(f"parallel_audiences: the {mode} build failed (exit {done.returncode}, "
                 f"PDFs {pdfs}): {done.stderr.strip()[-400:]}")
    wall, cpu = map(float, done.stdout.strip().splitlines()[-1].split())
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="explainer-par-") as tmp:
        work = Path(tmp)
        make_corpus(work, 1, seed=7)
        one_build("sequential", work)  # fills the per-user caches both modes then use
        runs: dict[str, list[tuple[float, float]]] = {"sequential": [], "parallel": []}
        for _ in range(opts.rounds):
            for mode in runs:
                runs[mode].append(one_build(mode, work))
    for mode, figures in runs.items():
        walls, cpus = [w for w, _ in figures], [c for _, c in figures]
        print(f"{mode:10s} wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s;"
              f" CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s")
    seq, par = runs["sequential"], runs["parallel"]
    print(f"parallel / sequential, medians: wall "
          f"{statistics.median(w for w, _ in par) / statistics.median(w for w, _ in seq):.2f}, "
          f"CPU {statistics.median(c for _, c in par) / statistics.median(c for _, c in seq):.2f}")


if __name__ == "__main__":
    main()
