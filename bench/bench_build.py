"""Build throughput of `explainer build` against headless Chromium, at several batch sizes.

    .venv/bin/python bench/bench_build.py [--sizes 1 10 100] [--jobs N] [--chromium auto]

For each N it writes N synthetic findings files (bench/corpus.py: three studies, ten
findings, eight caveats each), then times, each in a fresh process as a user would run it:
  * `explainer build --format html` and `--format pdf` (3 documents per topic),
  * headless Chromium printing the same HTML documents to PDF, with as many pages at once
    as explainer has workers (playwright-core with one browser if node_modules has it,
    else one `chromium --headless --print-to-pdf` per document),
and prints wall time, documents per second, peak memory of the build's processes, and the
explainer / Chromium throughput ratio. Then: a rebuild of the largest batch with nothing
changed, and a warm render of one patient leaflet in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus import make_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PLAYWRIGHT_SCRIPT = r"""
// Print HTML files to PDF with one headless Chromium and `jobs` pages working at once.
const fs = require("fs");
const { createRequire } = require("module");
const [repo, jobs, listFile, chromiumPath] = process.argv.slice(2);
const { chromium } = createRequire(repo + "/package.json")("playwright-core");
(async () => {
  const items = JSON.parse(fs.readFileSync(listFile, "utf8"));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  let next = 0;
  async function work() {
    const page = await browser.newPage();
    while (next < items.length) {
      const [html, pdf] = items[next++];
      await page.goto("file://" + html, { waitUntil: "load" });
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true, tagged: true });
    }
    await page.close();
  }
  await Promise.all(Array.from({ length: Number(jobs) }, work));
  await browser.close();
})().catch((err) => { console.error(err); process.exit(1); });
"""


# --- memory of a process tree -------------------------------------------------------------


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Memory:
    """Peak RSS (MB) of the top process, of its largest descendant, and of all at once."""

    parent: float = 0.0
    worker: float = 0.0
    total: float = 0.0
    _peaks: dict[int, int] = field(default_factory=dict)

    def sample(self, root: int) -> None:
        tree, pids, total = _children_of(), [root], 0
        for pid in pids:
            pids += tree.get(pid, [])
        for pid in pids:
            total += _status_kb(pid, "VmRSS:")
            # VmHWM is the kernel's own high-water mark, so peaks between samples count.
            self._peaks[pid] = max(self._peaks.get(pid, 0), _status_kb(pid, "VmHWM:"))
        self.total = max(self.total, total / 1024)
        self.parent = self._peaks.get(root, 0) / 1024
        others = [kb for pid, kb in self._peaks.items() if pid != root]
        self.worker = max(others, default=0) / 1024


def run_measured(cmd: list[str], cwd: Path, interval: float = 0.2) -> tuple[float, int, Memory]:
    """Wall seconds, exit code and peak memory of ``cmd`` and everything it starts."""
    memory = Memory()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    while proc.poll() is None:
        memory.sample(proc.pid)
        time.sleep(interval)
    seconds = time.perf_counter() - start
    reader.join()
    if proc.returncode not in (0, None):
        tail = b"".join(errors).decode(errors="replace").strip().splitlines()[-5:]
        print(f"  ! {' '.join(cmd[:3])}... exited {proc.returncode}: {' | '.join(tail)}")
    return seconds, proc.returncode, memory


# --- the runs ----------------------------------------------------------------------------


def explainer_cmd() -> list[str]:
    script = Path(sys.executable).with_name("explainer")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "explainer"]


def chromium_driver() -> str:
    if not Path(CHROMIUM).is_file():
        return "none"
    if shutil.which("node") and (REPO / "node_modules" / "playwright-core").is_dir():
        return "playwright"
    return "cli"


def print_with_chromium(html_files: list[Path], out: Path, jobs: int, driver: str) -> float:
    """Wall seconds for Chromium to print ``html_files`` to PDFs in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    pairs = [(str(p.resolve()), str(out / f"{i:05d}-{p.stem}.pdf"))
             for i, p in enumerate(html_files)]
    start = time.perf_counter()
    if driver == "playwright":
        script, listing = out / "print.cjs", out / "files.json"
        script.write_text(PLAYWRIGHT_SCRIPT)
        listing.write_text(json.dumps(pairs))
        subprocess.run(["node", str(script), str(REPO), str(jobs), str(listing), CHROMIUM],
                       check=True, cwd=out)
    else:
        def one(pair: tuple[str, str]) -> None:
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--print-to-pdf={pair[1]}",
                            f"file://{pair[0]}"], check=True, capture_output=True)

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, pairs))
    seconds = time.perf_counter() - start
    missing = [pdf for _, pdf in pairs if not Path(pdf).is_file()]
    if missing:
        raise RuntimeError(f"Chromium wrote {len(pairs) - len(missing)} of {len(pairs)} PDFs")
    return seconds


@dataclass
class Row:
    n: int
    html_s: float
    pdf_s: float
    chromium_s: float | None
    memory: Memory
    ok: bool


def bench_size(n: int, root: Path, jobs: int, driver: str) -> tuple[Row, Path]:
    work = root / f"n{n}"
    make_corpus(work, n)
    base = [*explainer_cmd(), "build", "findings", "--jobs", str(jobs)]
    html_s, html_rc, _ = run_measured([*base, "--format", "html", "--out", "out-html"], work)
    pdf_s, pdf_rc, memory = run_measured([*base, "--format", "pdf", "--out", "out-pdf"], work)
    html_files = sorted((work / "out-html").glob("*/[a-z]*.html"))
    html_files = [p for p in html_files if p.name != "report.html"]
    pdfs = list((work / "out-pdf").glob("*/*.pdf"))
    ok = html_rc == 0 and pdf_rc == 0 and len(html_files) == len(pdfs) == 3 * n
    chromium_s = (print_with_chromium(html_files, work / "out-chromium", jobs, driver)
                  if driver != "none" else None)
    return Row(n, html_s, pdf_s, chromium_s, memory, ok), work


def no_change_rebuild(work: Path, jobs: int) -> tuple[float, int]:
    cmd = [*explainer_cmd(), "build", "findings", "--jobs", str(jobs), "--format", "pdf",
           "--out", "out-pdf"]
    times = []
    for _ in range(3):
        seconds, rc, _ = run_measured(cmd, work, interval=0.05)
        times.append(seconds)
    return min(times), rc


def warm_leaflet(root: Path, runs: int = 9) -> tuple[float, float, int]:
    """Median ms of render_pdf, and of render_pdf + read-back, for one warm patient leaflet."""
    from explainer.batch import prepare_process
    from explainer.build import BuildOptions, asset_dirs
    from explainer.load import load_document
    from explainer.pdf import pdf_text, render_pdf
    from explainer.render import render_html

    work = root / "leaflet"
    (path,) = make_corpus(work, 1)
    html = render_html(load_document(path).doc, "patient")
    dirs = asset_dirs(BuildOptions())
    prepare_process(pdf=True)  # as a build worker starts: imports, fonts, frozen GC
    data = render_pdf(html, dirs)  # first render: stylesheet parsed, caches filled
    render_ms, total_ms = [], []
    for _ in range(runs):
        start = time.perf_counter()
        data = render_pdf(html, dirs)
        middle = time.perf_counter()
        pdf_text(data)
        end = time.perf_counter()
        render_ms.append((middle - start) * 1000)
        total_ms.append((end - start) * 1000)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    return statistics.median(render_ms), statistics.median(total_ms), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--chromium", choices=["auto", "playwright", "cli", "none"],
                        default="auto")
    parser.add_argument("--keep", type=Path, help="Keep the generated files in this folder.")
    opts = parser.parse_args()
    driver = chromium_driver() if opts.chromium == "auto" else opts.chromium

    root = opts.keep or Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        load = os.getloadavg()[0]
        print(f"explainer build, {opts.jobs} jobs, {os.cpu_count()} CPUs, load {load:.1f} "
              f"before start; Chromium via {driver}")
        rows, last = [], root
        for n in opts.sizes:
            row, last = bench_size(n, root, opts.jobs, driver)
            rows.append(row)
            print(f"  N={n} done", flush=True)
        print()
        print("| N topics | docs | HTML wall | HTML docs/s | PDF wall | PDF docs/s | ms/PDF doc "
              "| Chromium wall | Chromium docs/s | explainer/Chromium | peak RSS parent / "
              "largest worker / all (MB) |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            docs = 3 * r.n
            chromium = (f"{r.chromium_s:.1f} s | {docs / r.chromium_s:.2f} | "
                        f"{(docs / r.pdf_s) / (docs / r.chromium_s):.2f}"
                        if r.chromium_s else "- | - | -")
            flag = "" if r.ok else " (check failed)"
            print(f"| {r.n}{flag} | {docs} | {r.html_s:.1f} s | {docs / r.html_s:.2f} | "
                  f"{r.pdf_s:.1f} s | {docs / r.pdf_s:.2f} | {1000 * r.pdf_s / docs:.0f} | "
                  f"{chromium} | {r.memory.parent:.0f} / {r.memory.worker:.0f} / "
                  f"{r.memory.total:.0f} |")
        seconds, rc = no_change_rebuild(last, opts.jobs)
        print(f"\nNo-change rebuild of N={rows[-1].n} topics (PDF): {seconds:.2f} s wall "
              f"(best of 3, exit {rc})")
        render_ms, total_ms, pages = warm_leaflet(root)
        print(f"Warm patient leaflet ({pages} pages, PDF/UA-1): render_pdf {render_ms:.0f} ms, "
              f"with read-back check {total_ms:.0f} ms (median of 9)")
    finally:
        if opts.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
