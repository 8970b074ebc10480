"""The CLI starts without its heavy libraries: WeasyPrint and nltk load only for commands
that use them (timings are measured by bench/startup.py, not here)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import MIN_TOPIC

HEAVY = ("weasyprint", "nltk")


def probe(watch: tuple[str, ...], before: str = "") -> str:
    """Python code that runs the CLI in-process, then lists the watched modules it imported."""
    return f"""
import sys
{before}
from explainer.cli import main
sys.argv = ["explainer", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("HEAVY=" + ",".join(m for m in {watch!r} if m in sys.modules), file=sys.stderr)
"""


def run_probe(*args: str, watch: tuple[str, ...] = HEAVY, before: str = "",
              cwd=None) -> tuple[list[str], subprocess.CompletedProcess]:
    run = subprocess.run([sys.executable, "-c", probe(watch, before), *args],
                         capture_output=True, text=True, cwd=cwd)
    line = next(x for x in run.stderr.splitlines() if x.startswith("HEAVY="))
    return [m for m in line.removeprefix("HEAVY=").split(",") if m], run


def test_importing_the_cli_loads_no_heavy_library():
    code = f"import sys, explainer.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", str(MIN_TOPIC)]],
                         ids=["help", "build-help", "validate"])
def test_light_commands_load_no_heavy_library(args):
    assert run_probe(*args)[0] == []


def test_scoring_a_text_file_loads_no_heavy_library(tmp_path):
    (tmp_path / "short.txt").write_text("We walked. It helped a little. The trial was small.\n")
    assert run_probe("score", "short.txt", cwd=tmp_path)[0] == []


def test_the_probe_sees_a_heavy_import():
    # The checks above are only worth something if the probe notices WeasyPrint when loaded.
    assert run_probe("--help", before="import weasyprint")[0] == ["weasyprint"]


@pytest.mark.slow
def test_a_build_with_nothing_changed_skips_before_loading_the_pipeline(tmp_path):
    """The skip check hashes files only: no YAML, templates or PDF engine get imported."""
    watch = ("weasyprint", "nltk", "jinja2", "yaml")
    args = ("build", str(MIN_TOPIC), "--out", str(tmp_path / "out"), "--format", "html")
    loaded, first = run_probe(*args, watch=watch)
    assert first.stdout.count(".html") >= 3 and {"jinja2", "yaml"} <= set(loaded)  # it built

    loaded, again = run_probe(*args, watch=watch)

    assert "unchanged since the last build" in again.stdout
    assert loaded == []


def test_a_build_never_loads_the_word_inflector_that_score_uses(tmp_path):
    """lemminflect (a third of a second of CPU to load) serves `score`'s inflected
    suggestions; a build's report lists plainer words without them, so it never loads it."""
    watch = ("lemminflect",)
    args = ("build", str(MIN_TOPIC), "--out", str(tmp_path / "out"), "--format", "html")
    loaded, built = run_probe(*args, watch=watch)
    assert built.stdout.count(".html") >= 3 and loaded == []

    (tmp_path / "plain.txt").write_text("The participants reported better outcomes.\n")
    loaded, scored = run_probe("score", "plain.txt", "--details", watch=watch, cwd=tmp_path)
    assert "'people taking part'" in scored.stdout and loaded == ["lemminflect"]


def test_the_cli_never_scans_installed_packages_for_pydantic_plugins():
    """Validating a findings file needs no pydantic plugin: the CLI does not search every
    installed package's entry points for one (7 ms of a cold build)."""
    watch = ("pydantic.plugin._loader",)
    after = ("import pydantic.plugin._loader as L; "
             "print('SCANNED=' + str(L._plugins is not None), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe(watch) + after, "validate", str(MIN_TOPIC)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "SCANNED=False" in run.stderr
    assert "HEAVY=pydantic.plugin._loader" in run.stderr  # validators were built all the same
