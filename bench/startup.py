"""How long the CLI takes to start: each command run N times, each in a fresh process.

    .venv/bin/python bench/startup.py [--runs 15] [--importtime]

Prints min and median wall time per command (targets: --help under 0.25 s, score of a short
text under 0.6 s) and whether WeasyPrint or nltk got imported. --importtime adds the ten
slowest imports of each command, from ``python -X importtime``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHORT_TEXT = (
    "Walking each day may ease knee pain a little. In a small trial, forty adults took part. "
    "Half walked for thirty minutes a day. The others kept to their usual routine. "
    "Pain fell more in the walking group. The trial was small and short.\n"
)
HEAVY = ("weasyprint", "nltk")
# Runs the CLI in-process, then reports which heavy packages it imported.
PROBE = (
    "import sys\n"
    "from explainer.cli import main\n"
    "sys.argv = ['explainer', *sys.argv[1:]]\n"
    "try:\n    main()\n"
    "except SystemExit:\n    pass\n"
    f"print('HEAVY:', ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
)


def command_line() -> list[str]:
    script = Path(sys.executable).with_name("explainer")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "explainer"]


def wall_times(cmd: list[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def heavy_imports(args: list[str], cwd: Path) -> str:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True,
                         text=True)
    line = next((x for x in run.stderr.splitlines() if x.startswith("HEAVY:")), "HEAVY: ?")
    return line.split(":", 1)[1].strip() or "none"


def slowest_imports(args: list[str], cwd: Path, top: int = 10) -> list[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "explainer", *args],
                         cwd=cwd, capture_output=True, text=True)
    rows = []
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line[12:].split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    return [f"{us / 1000:8.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--importtime", action="store_true")
    opts = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="explainer-startup-"))
    try:
        (work / "short.txt").write_text(SHORT_TEXT, encoding="utf-8")
        findings = REPO / "tests" / "fixtures" / "findings" / "topic_min.yaml"
        commands = {
            "explainer --help": ["--help"],
            "explainer score short.txt": ["score", "short.txt"],
            "explainer validate topic_min.yaml": ["validate", str(findings)],
        }
        base = command_line()
        print(f"{opts.runs} runs each, fresh process per run ({' '.join(base)}); "
              f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
        print(f"| {'command':<36} | {'min':>7} | {'median':>7} | heavy imports |")
        print(f"|{'-' * 38}|{'-' * 9}|{'-' * 9}|---------------|")
        for label, args in commands.items():
            wall_times(base + args, 1, work)  # let the OS cache the files first
            times = wall_times(base + args, opts.runs, work)
            print(f"| {label:<36} | {min(times):6.3f}s | {statistics.median(times):6.3f}s "
                  f"| {heavy_imports(args, work)} |")
        if opts.importtime:
            for label, args in commands.items():
                print(f"\nslowest imports (cumulative) for {label}:")
                print("\n".join(slowest_imports(args, work)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
