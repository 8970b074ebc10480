"""The build benchmark runs end to end at N=1 and refuses to time a failed build.

It asserts that the benchmark ran and printed every row, never a time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import BENCH, REPO

pytestmark = pytest.mark.slow  # runs the benchmark script

sys.path.insert(0, str(BENCH))


def test_benchmark_runs_at_n1_and_prints_every_row(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_build.py"), "--sizes", "1", "--runs", "1",
         "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    row = next(line for line in out.splitlines() if line.startswith("| 1 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "3"  # three documents for one topic
    assert "No-change rebuild of N=1" in out
    assert "full build / WeasyPrint alone" in out
    assert "Warm patient leaflet" in out
    # Every document of the run is on disk: three HTML and three PDF files.
    assert len([p for p in (tmp_path / "n1" / "out-html").glob("*/*.html")
                if p.stem in ("patient", "clinician", "press")]) == 3
    assert len(list((tmp_path / "n1" / "out-pdf").glob("*/*.pdf"))) == 3


def test_a_failed_build_aborts_the_benchmark(tmp_path):
    import bench_build

    (tmp_path / "findings").mkdir()
    (tmp_path / "findings" / "broken.yaml").write_text("topic: [unclosed\n")
    cmd = [*bench_build.explainer_cmd(), "build", "findings", "--out", "out"]
    with pytest.raises(SystemExit) as exc:
        bench_build.run_measured(cmd, tmp_path)
    assert "exited 2" in str(exc.value)
