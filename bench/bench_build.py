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
from contextlib import suppress
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


class BenchError(SystemExit):
    """A timed run failed: the benchmark stops with the error instead of printing a row."""

    def __init__(self, message: str) -> None:
        super().__init__(f"bench_build: {message}")


def _become_subreaper() -> None:
    """Adopt orphaned descendants (Linux): a pool's fork server outlives the build process
    that started it and is never waited for by it, so its workers' CPU time reached no one's
    ``children_*`` times. Adopted and reaped here, it counts towards this process's."""
    import ctypes

    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap_adopted(patience: float = 10.0) -> None:
    """Wait for the adopted descendants still running (a fork server exits by itself once
    its parent is gone), so their CPU time is counted; give up on any after ``patience`` s."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.02)


def run_measured(cmd: list[str], cwd: Path, interval: float = 0.2) -> tuple[float, float, Memory]:
    """Wall seconds, CPU seconds (the whole process tree, pool workers included) and peak
    memory of ``cmd``.

    A non-zero exit aborts the benchmark: a failed build must never be timed as a result."""
    _become_subreaper()
    memory = Memory()
    before = os.times()
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
    _reap_adopted()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                           - before.children_system)
    if proc.returncode != 0:
        tail = b"".join(errors).decode(errors="replace").strip().splitlines()[-5:]
        raise BenchError(f"{' '.join(cmd)} (in {cwd}) exited {proc.returncode}: "
                         + " | ".join(tail))
    return seconds, cpu, memory


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


def print_with_chromium(html_files: list[Path], out: Path, jobs: int,
                        driver: str) -> tuple[float, int]:
    """Wall seconds for Chromium to print ``html_files`` to PDFs in ``out``, and how many
    non-empty PDFs it actually wrote (only those count towards its throughput)."""
    out.mkdir(parents=True, exist_ok=True)
    pairs = [(str(p.resolve()), str(out / f"{i:05d}-{p.stem}.pdf"))
             for i, p in enumerate(html_files)]
    start = time.perf_counter()
    if driver == "playwright":
        script, listing = out / "print.cjs", out / "files.json"
        script.write_text(PLAYWRIGHT_SCRIPT)
        listing.write_text(json.dumps(pairs))
        done = subprocess.run(["node", str(script), str(REPO), str(jobs), str(listing),
                               CHROMIUM], cwd=out, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"Chromium (playwright) exited {done.returncode}: "
                             f"{done.stderr.strip()[-400:]}")
    else:
        def one(pair: tuple[str, str]) -> None:
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--no-first-run",
                            "--no-pdf-header-footer", f"--print-to-pdf={pair[1]}",
                            f"file://{pair[0]}"], capture_output=True)

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, pairs))
    seconds = time.perf_counter() - start
    written = sum(1 for _, pdf in pairs
                  if Path(pdf).is_file() and Path(pdf).read_bytes()[:5] == b"%PDF-")
    if written < len(pairs):
        raise BenchError(f"Chromium wrote {written} of {len(pairs)} PDFs")
    return seconds, written


@dataclass
class Row:
    n: int
    html_s: float
    pdf_s: float
    pdf_cpu: float
    chromium_s: float | None
    chromium_cpu: float | None
    chromium_docs: int
    memory: Memory


READER_DOCUMENTS = ("patient", "clinician", "press")  # not report.html or editor.html


def _documents(out: Path, suffix: str) -> list[Path]:
    return sorted(p for p in out.glob(f"*/*.{suffix}") if p.stem in READER_DOCUMENTS)


def _count_outputs(out: Path, suffix: str) -> int:
    return len(_documents(out, suffix))


def bench_size(n: int, root: Path, jobs: int, driver: str) -> tuple[Row, Path]:
    work = root / f"n{n}"
    make_corpus(work, n)
    base = [*explainer_cmd(), "build", "findings", "--jobs", str(jobs)]
    html_s, _, _ = run_measured([*base, "--format", "html", "--out", "out-html"], work)
    pdf_s, pdf_cpu, memory = run_measured([*base, "--format", "pdf", "--out", "out-pdf"], work)
    html_files = _documents(work / "out-html", "html")
    for what, count in (("HTML", len(html_files)), ("PDF", _count_outputs(work / "out-pdf",
                                                                            "pdf"))):
        if count != 3 * n:
            raise BenchError(f"N={n}: explainer wrote {count} {what} documents, not {3 * n}")
    chromium_s = chromium_cpu = None
    chromium_docs = 0
    if driver != "none":
        before = os.times()
        chromium_s, chromium_docs = print_with_chromium(html_files, work / "out-chromium",
                                                        jobs, driver)
        _reap_adopted()
        after = os.times()
        chromium_cpu = (after.children_user - before.children_user
                        + after.children_system - before.children_system)
    return Row(n, html_s, pdf_s, pdf_cpu, chromium_s, chromium_cpu, chromium_docs,
               memory), work


def no_change_rebuild(work: Path, jobs: int) -> float:
    cmd = [*explainer_cmd(), "build", "findings", "--jobs", str(jobs), "--format", "pdf",
           "--out", "out-pdf"]
    return min(run_measured(cmd, work, interval=0.05)[0] for _ in range(3))


WEASYPRINT_ALONE = r"""
# WeasyPrint alone: the same HTML files to PDF/UA-1 in one process, nothing else.
import sys
from weasyprint import HTML
for path in sys.argv[1:]:
    data = HTML(filename=path).write_pdf(pdf_variant="pdf/ua-1")
    assert data[:5] == b"%PDF-", path
"""


def build_vs_weasyprint(root: Path) -> tuple[float, float, int]:
    """CPU seconds of a cold single-topic PDF build (every check included), and of WeasyPrint
    alone rendering that build's three HTML files to PDF/UA-1, each a fresh process."""
    work = root / "single"
    make_corpus(work, 1, seed=7)
    cmd = [*explainer_cmd(), "build", "findings", "--jobs", "1", "--force"]
    run_measured([*cmd, "--format", "html", "--out", "out-html"], work)
    html_files = _documents(work / "out-html", "html")
    if len(html_files) != 3:
        raise BenchError(f"single topic: {len(html_files)} HTML files, not 3")
    _, build_cpu, _ = run_measured([*cmd, "--format", "pdf", "--out", "out-pdf"], work)
    if _count_outputs(work / "out-pdf", "pdf") != 3:
        raise BenchError("single topic: the PDF build did not write 3 PDFs")
    alone = [sys.executable, "-c", WEASYPRINT_ALONE, *map(str, html_files)]
    _, alone_cpu, _ = run_measured(alone, work)
    return build_cpu, alone_cpu, len(html_files)


def warm_leaflet(root: Path, runs: int = 9) -> tuple[float, float, int]:
    """Median ms of render_pdf, and of render_pdf + read-back, for one warm patient leaflet."""
    from explainer.build.batch import prepare_process
    from explainer.build.topic import BuildOptions, asset_dirs
    from explainer.document.load import load_document
    from explainer.pdf.render import pdf_text, render_pdf
    from explainer.render.html import render_html

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
        text = pdf_text(data)
        end = time.perf_counter()
        if not text.strip():
            raise BenchError("warm leaflet: the PDF read back no text")
        render_ms.append((middle - start) * 1000)
        total_ms.append((end - start) * 1000)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    return statistics.median(render_ms), statistics.median(total_ms), pages


def print_table(rows: list[Row]) -> None:
    print("| N topics | docs | HTML wall | HTML docs/s | PDF wall | PDF docs/s | PDF CPU s/doc "
          "| Chromium docs | Chromium wall | Chromium docs/s | Chromium CPU s/doc "
          "| explainer/Chromium (wall) | peak RSS parent / largest worker / all (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        docs = 3 * r.n
        if r.chromium_s and r.chromium_docs:
            chromium_rate = r.chromium_docs / r.chromium_s
            chromium = (f"{r.chromium_docs} | {r.chromium_s:.1f} s | {chromium_rate:.2f} | "
                        f"{(r.chromium_cpu or 0) / r.chromium_docs:.2f} | "
                        f"{(docs / r.pdf_s) / chromium_rate:.2f}")
        else:
            chromium = "- | - | - | - | -"
        print(f"| {r.n} | {docs} | {r.html_s:.1f} s | {docs / r.html_s:.2f} | "
              f"{r.pdf_s:.1f} s | {docs / r.pdf_s:.2f} | {r.pdf_cpu / docs:.2f} | {chromium} | "
              f"{r.memory.parent:.0f} / {r.memory.worker:.0f} / {r.memory.total:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--chromium", choices=["auto", "playwright", "cli", "none"],
                        default="auto")
    parser.add_argument("--runs", type=int, default=9, help="Warm leaflet renders to time.")
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
        print_table(rows)
        seconds = no_change_rebuild(last, opts.jobs)
        print(f"\nNo-change rebuild of N={rows[-1].n} topics (PDF): {seconds:.2f} s wall "
              "(best of 3)")
        build_cpu, alone_cpu, docs = build_vs_weasyprint(root)
        print(f"Single topic, cold, CPU: full build {build_cpu:.2f} s, WeasyPrint alone on the "
              f"same {docs} HTML files {alone_cpu:.2f} s, full build / WeasyPrint alone "
              f"{build_cpu / alone_cpu:.2f}")
        render_ms, total_ms, pages = warm_leaflet(root, opts.runs)
        print(f"Warm patient leaflet ({pages} pages, PDF/UA-1): render_pdf {render_ms:.0f} ms, "
              f"with read-back check {total_ms:.0f} ms (median of {opts.runs})")
    finally:
        if opts.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
