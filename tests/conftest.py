"""Shared paths, fixtures and markers. The network is blocked for every test (pytest-socket,
see pyproject).

Markers (registered in pyproject, strict): ``slow`` for a test that writes a PDF, runs Chromium,
starts a server, runs a benchmark or builds a whole topic in a subprocess; ``browser`` for one
that runs Chromium, always together with ``slow``. ``pytest -m "not slow"`` is the fast lane;
plain ``pytest`` runs everything. ``needs(path, ...)`` names a folder outside the repository
(the third-party source texts in ../shared): missing, the test is skipped, or fails when the
environment variable CI is set, where it must run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
FINDINGS = FIXTURES / "findings"
SOURCES = FIXTURES / "sources"  # the source texts the fixture findings files quote
DATA = TESTS / "data"
MIN_TOPIC = FINDINGS / "topic_min.yaml"
QUOTES_OK = FINDINGS / "quotes_ok.yaml"
NURSES = FINDINGS / "screen_nurses.yaml"
GUARD_OK = FIXTURES / "guard_ok.yaml"
SEEDS = REPO / "seeds"
BUNDLED = SEEDS / "ketamine-opioid.yaml"
COFFEE = SEEDS / "coffee-sugar-mortality.yaml"
MASAI = SEEDS / "masai-ai-mammography.yaml"
TEMPLATES = REPO / "templates"
BENCH = REPO / "bench"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"  # the bundled example's source texts
SEEDS_MORE = REPO.parent / "shared" / "seeds-more"  # the coffee and MASAI source texts
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
A11Y_HARNESS = TESTS / "a11y" / "run_axe.mjs"  # axe-core in Chromium over HTML files
SERVE_HARNESS = TESTS / "browser" / "serve_check.mjs"  # serve's live page in Chromium

# The command a user types, as a real process: exit codes, stderr and start-up are what they see.
CLI = (sys.executable, "-m", "explainer")

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


class _CliServer:
    """tests/cli_server.py, started once: it forks each command as its own process."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(TESTS / "cli_server.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, args: list[str], cwd: Path | None, env: dict[str, str] | None,
            input: str | None, timeout: float,
            scratch: Path) -> subprocess.CompletedProcess[str]:
        files = {name: scratch / name for name in ("stdin", "stdout", "stderr")}
        files["stdin"].write_text(input or "", encoding="utf-8")
        for name in ("stdout", "stderr"):
            files[name].write_bytes(b"")
        request = {"argv": args, "cwd": str(cwd or Path.cwd()), "env": dict(env or os.environ),
                   "timeout": timeout, **{k: str(v) for k, v in files.items()}}
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        out, err = (files[n].read_text(encoding="utf-8") for n in ("stdout", "stderr"))
        if reply["timeout"]:
            raise subprocess.TimeoutExpired(["explainer", *args], timeout, out, err)
        return subprocess.CompletedProcess(["explainer", *args], reply["status"], out, err)

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="session")
def _cli_server():
    server = _CliServer()
    yield server
    server.close()


@pytest.fixture
def run_cli(_cli_server, tmp_path_factory) -> RunCli:
    """``run_cli("build", path, "--out", out, cwd=...)``: `explainer` run as its own process,
    returning its exit code, stdout and stderr (text). The process is forked from a server that
    imported the CLI once (tests/cli_server.py); ``fresh=True`` starts a new interpreter instead
    (``python -m explainer``), for a test about what the interpreter itself does."""

    def run(*args: str | Path, cwd: Path | None = None, timeout: float = 300,
            env: dict[str, str] | None = None, input: str | None = None,
            check: bool = False, fresh: bool = False) -> subprocess.CompletedProcess[str]:
        argv = [str(a) for a in args]
        if fresh:
            done = subprocess.run([*CLI, *argv], cwd=cwd, env=env, input=input,
                                  capture_output=True, text=True, timeout=timeout)
        else:
            done = _cli_server.run(argv, cwd, env, input, timeout,
                                   tmp_path_factory.mktemp("cli", numbered=True))
        if check:
            done.check_returncode()
        return done

    return run


@pytest.fixture(scope="session")
def built_example(tmp_path_factory):
    """The bundled example built once (HTML + PDF, all audiences) for the read-only tests."""
    from explainer.build.topic import BuildOptions, build_topic

    out = tmp_path_factory.mktemp("out")
    result = build_topic(BUNDLED, BuildOptions(out_dir=out))
    return result, out


@pytest.fixture(scope="session")
def built_min(tmp_path_factory):
    from explainer.build.topic import BuildOptions, build_topic

    out = tmp_path_factory.mktemp("out-min")
    result = build_topic(MIN_TOPIC, BuildOptions(out_dir=out))
    return result, out


def browser_missing() -> list[str]:
    """What the browser tests need and this machine lacks (Debian chromium, node, npm ci)."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if shutil.which("node") is None:
        missing.append("node")
    for package in ("axe-core", "playwright-core"):
        if not (REPO / "node_modules" / package / "package.json").is_file():
            missing.append(f"node_modules/{package} (npm ci)")
    return missing


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skips a browser test on a developer machine without Chromium or node_modules, but fails
    it in CI (CI set), where .ci/run installs both."""
    missing = browser_missing()
    if missing:
        message = "browser test needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: this test must run, not skip)")
        pytest.skip(message)


# Fixtures that write PDFs: a test using one is slow by definition.
_BUILD_FIXTURES = {"built_example", "built_min", "patient_build"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the fast lane honest: a test that runs Chromium or uses a PDF-building fixture but
    is not marked ``slow`` is an error at collection, not a silently slow fast lane."""
    unmarked = []
    for item in items:
        if item.get_closest_marker("slow"):
            continue
        uses = _BUILD_FIXTURES & set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("browser") or uses:
            unmarked.append(f"{item.nodeid} ({'browser' if not uses else ', '.join(uses)})")
    if unmarked:
        raise pytest.UsageError("mark these tests slow:\n  " + "\n  ".join(unmarked))


def require(*paths: Path) -> None:
    """Skip unless every path exists (the source texts beside the checkout); with CI set, fail."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        message = "needs " + ", ".join(missing) + " (the source texts, beside the checkout)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this test must run, not skip")
        pytest.skip(message)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        require(*mark.args)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Drop the process's WeasyPrint font configuration while its modules still exist: left to
    interpreter shutdown, its finalizer may run after them and print an ignored exception."""
    render = sys.modules.get("explainer.pdf.render")
    if render is not None:
        render.font_config.cache_clear()
        import gc

        gc.collect()
