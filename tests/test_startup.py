"""The CLI starts without its heavy libraries: WeasyPrint and nltk load only for commands
that use them (timings are measured by bench/startup.py, not here)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import MIN_TOPIC

HEAVY = ("weasyprint", "nltk")
# Run the CLI in this interpreter, then list the heavy packages that ended up imported.
PROBE = f"""
import sys
from explainer.cli import main
sys.argv = ["explainer", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("HEAVY=" + ",".join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)
"""


def heavy_modules_after(*args: str, cwd=None) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         cwd=cwd)
    line = next(x for x in run.stderr.splitlines() if x.startswith("HEAVY="))
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


def test_importing_the_cli_loads_no_heavy_library():
    code = f"import sys, explainer.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", str(MIN_TOPIC)]],
                         ids=["help", "build-help", "validate"])
def test_light_commands_load_no_heavy_library(args):
    assert heavy_modules_after(*args) == []


def test_scoring_a_text_file_loads_no_heavy_library(tmp_path):
    (tmp_path / "short.txt").write_text("We walked. It helped a little. The trial was small.\n")
    assert heavy_modules_after("score", "short.txt", cwd=tmp_path) == []


def test_the_probe_sees_a_heavy_import():
    # The check above is only worth something if it notices WeasyPrint when it is loaded.
    code = PROBE.replace("import sys\n", "import sys\nimport weasyprint\n", 1)
    run = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True)
    assert "HEAVY=weasyprint" in run.stderr
