"""Faults, counted: kill -9 at seeded points and random times, and concurrent builds.

    .venv/bin/python bench/faults.py [--kills 12] [--rounds 5] [--code DIR]

For each kill: a real `explainer build` subprocess of one topic (three audiences, HTML and
PDF) is SIGKILLed, either on the N-th call of os.replace / os.fsync (points inside the
write path, seeded) or after a random delay. Counted right after the kill: temp files,
audiences whose HTML and PDF come from different builds, and how many of those had no
journal to repair them. Then a normal build: a skip ("unchanged") or any output not of the
latest findings counts as a stale result, and the temps still there after it are counted.
Then --rounds rounds of two builds of different topics into one out dir at once, counting
manifest entries lost. ``--code DIR`` runs another checkout's code (e.g. /work/main) for a
before/after comparison. Exits 1 when the current code loses anything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
AUDIENCES = ("patient", "clinician", "press")
TOPIC = "walking-knee-pain"
KILLER = """
import os, signal, sys
name, nth = sys.argv[1], int(sys.argv[2])
real = getattr(os, name)
calls = [0]
def hook(*args, **kwargs):
    calls[0] += 1
    if calls[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, name, hook)
from explainer.cli import app
app(sys.argv[3:])
"""


def findings(root: Path, topic: str = TOPIC) -> Path:
    path = root / f"{topic}.yaml"
    text = (FIXTURES / "findings" / "topic_min.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace(f"topic: {TOPIC}", f"topic: {topic}", 1)
                    .replace("sources_dir: ../sources", f"sources_dir: {root / 'sources'}", 1),
                    encoding="utf-8")
    return path


def set_title(path: Path, title: str) -> None:
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", path.read_text(), count=1,
                           flags=re.M))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--code", type=Path, default=REPO)
    args = parser.parse_args()
    code = args.code.resolve()
    env = dict(os.environ, PYTHONPATH=str(code))
    from explainer.pdf.render import pdf_text

    def explainer(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "explainer", *argv], env=env, cwd=code,
                              capture_output=True, text=True, timeout=300)

    root = Path(tempfile.mkdtemp(prefix="faults-"))
    try:
        shutil.copytree(FIXTURES / "sources", root / "sources")
        path, out = findings(root), root / "out"
        if explainer("build", str(path), "--out", str(out)).returncode != 0:
            raise SystemExit("the first build failed")
        rng = random.Random(9)
        counts = dict(kills=0, temps_after_kill=0, mixed=0, mixed_no_journal=0, stale=0,
                      temps_left=0)
        for n in range(args.kills):
            title = f"Walking and knee pain {n}"
            set_title(path, title)
            cmd = ["build", str(path), "--out", str(out)]
            if n % 3 == 2:  # a random time
                proc = subprocess.Popen([sys.executable, "-m", "explainer", *cmd], env=env,
                                        cwd=code, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
                try:
                    proc.wait(timeout=rng.uniform(0.5, 2.0))
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
            else:
                point = rng.choice([("replace", k) for k in range(1, 10)]
                                   + [("fsync", k) for k in range(1, 10)])
                subprocess.run([sys.executable, "-c", KILLER, point[0], str(point[1]), *cmd],
                               env=env, cwd=code, capture_output=True, timeout=300)
            counts["kills"] += 1
            counts["temps_after_kill"] += sum(1 for _ in out.rglob("*.tmp"))
            journal = (out / TOPIC / ".explainer-commit.json").exists()
            for audience in AUDIENCES:
                html = title in (out / TOPIC / f"{audience}.html").read_text()
                pdf = title in " ".join(pdf_text((out / TOPIC / f"{audience}.pdf")
                                                 .read_bytes()).split())
                if html != pdf:
                    counts["mixed"] += 1
                    counts["mixed_no_journal"] += not journal
            again = explainer(*cmd)
            fresh = all(title in (out / TOPIC / f"{a}.html").read_text() for a in AUDIENCES)
            counts["stale"] += again.returncode != 0 or "unchanged" in again.stdout or not fresh
            counts["temps_left"] = sum(1 for _ in out.rglob("*.tmp"))

        a, b = findings(root, "topic-a"), findings(root, "topic-b")
        lost = 0
        conc = root / "conc"
        for n in range(args.rounds):
            for p in (a, b):
                set_title(p, f"Walking and knee pain round {n}")
            procs = [subprocess.Popen([sys.executable, "-m", "explainer", "build", str(p),
                                       "--out", str(conc), "--format", "html"], env=env,
                                      cwd=code, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for p in (a, b)]
            for proc in procs:
                proc.wait(timeout=300)
            topics = json.loads((conc / ".explainer-manifest.json").read_text())["topics"]
            missing = 2 - len({str(a.resolve()), str(b.resolve())} & set(topics))
            # An entry lost (or overwritten by the other build's older copy) rebuilds now.
            again = explainer("build", str(a), str(b), "--out", str(conc), "--format", "html")
            built = re.search(r"(\d+) built", again.stdout)
            lost += max(missing, int(built.group(1)) if built else 2)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"code: {code}")
    print("| count | value |\n|---|---:|")
    for name, label in (("kills", "builds killed with SIGKILL"),
                        ("temps_after_kill", "temp files seen right after the kills (sum)"),
                        ("mixed", "audiences with HTML and PDF of different builds, after a kill"),
                        ("mixed_no_journal", "... of those with no journal to repair them"),
                        ("stale", "next builds that skipped or left a stale output"),
                        ("temps_left", "temp files left after the last rebuild")):
        print(f"| {label} | {counts[name]} |")
    print(f"| concurrent rounds (two topics, one out dir) | {args.rounds} |")
    print(f"| manifest entries lost in those rounds | {lost} |")
    if code == REPO and (counts["mixed_no_journal"] or counts["stale"] or counts["temps_left"]
                         or lost):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
