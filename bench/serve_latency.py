"""How soon `explainer serve` shows a save: from writing the findings file to the new HTML
being shown (announced to the page, which reloads on that event), and to every check done.

Starts the real server on a copy of a findings file (default: the bundled example), saves a
changed title N times and polls /status.json. Prints min, median and max; exits 1 if a save
was not built or the server stopped.

    .venv/bin/python bench/serve_latency.py [FILE] [--saves 10]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/status.json", timeout=5) as r:
        return json.load(r)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(REPO / "seeds" / "ketamine-opioid.yaml"))
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args()
    original = Path(args.file).resolve()
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    text = original.read_text(encoding="utf-8")
    m = re.search(r"^sources_dir:\s*(.+)$", text, re.M)
    if m:  # keep the sources reachable from the copy
        sources = (original.parent / m.group(1).strip()).resolve()
        text = text.replace(m.group(0), f"sources_dir: {sources}")
    target = work / original.name
    target.write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "explainer", "serve", str(target), "--port",
                             "0", "--no-pdf"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        port = int(re.search(r":(\d+)/", line).group(1))
        first = status(port)
        if first["error"]:
            print("first build failed:", first["error"][:3])
            return 1
        times: list[float] = []
        checked: list[float] = []
        title = re.search(r"^title:.*$", text, re.M).group(0)
        for i in range(args.saves):
            before = status(port)["version"]
            time.sleep(0.3)
            started = time.perf_counter()
            target.write_text(text.replace(title, f"title: Preview run {i}"), encoding="utf-8")
            while True:
                s = status(port)
                if s["version"] > before:
                    break
                if proc.poll() is not None or time.perf_counter() - started > 10:
                    print("save not built within 10 s")
                    return 1
                time.sleep(0.005)
            if s["error"]:
                print("build failed:", s["error"][:3])
                return 1
            times.append(time.perf_counter() - started)
            while status(port)["checking"]:
                time.sleep(0.005)
            checked.append(time.perf_counter() - started)
        for what, values in (("save -> preview HTML shown", times),
                             ("save -> all checks done", checked)):
            print(f"{original.name}: {len(values)} saves, {what}: min {min(values):.3f} s, "
                  f"median {statistics.median(values):.3f} s, max {max(values):.3f} s")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
