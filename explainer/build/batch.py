"""Build many findings files: find them, skip the unchanged, build the rest in parallel.

Discovery reads only the first bytes of each YAML file; the skip check hashes files
(explainer.build.manifest). Neither imports YAML, pydantic or WeasyPrint, so a rebuild where
nothing changed costs milliseconds per topic. The rest is built in a process pool whose
workers each warm WeasyPrint once (fonts, stylesheet) and then build topic after topic.
One topic's failure is its own: the others still build.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import InputError, Problem
from .manifest import (
    Entry,
    Hashes,
    Manifest,
    changed_since,
    config_candidates,
    make_entry,
    run_key,
)

if TYPE_CHECKING:
    from .topic import BuildOptions, TopicResult

YAML_SUFFIXES = (".yaml", ".yml")
SAVE_EVERY = 5.0  # seconds between manifest saves during a batch (and one at the end)
_TOP_KEY = re.compile(rb"^(topic|findings)[ \t]*:", re.MULTILINE)
_TOPIC = re.compile(rb"^topic[ \t]*:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", re.MULTILINE)


def declared_topic(path: Path) -> str | None:
    """The ``topic:`` slug a findings file declares, read without parsing YAML."""
    try:
        match = _TOPIC.search(path.read_bytes()[: 1 << 20])
    except OSError:
        return None
    return match.group(1).decode() if match else None


def looks_like_findings(path: Path) -> bool:
    """A YAML file with top-level ``topic:`` and ``findings:`` keys (not parsed, just seen)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    return {m.group(1) for m in _TOP_KEY.finditer(head)} == {b"topic", b"findings"}


def _is_findings(path: Path) -> bool:
    return (path.suffix in YAML_SUFFIXES and path.name != "explainer.yaml"
            and looks_like_findings(path))


def discover(args: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Findings files named by ``args`` (explainer.inputs.paths' rules): files as given,
    folders searched recursively and glob patterns expanded; from folders and patterns only
    files that look like findings files count. A folder or pattern with none is a problem."""
    from ..inputs.paths import expand_paths

    def empty(arg: str, pattern: bool) -> str:
        where = "match this pattern" if pattern else "in this folder"
        return f"no findings files {where} (YAML files with top-level topic: and findings: keys)"

    # A file named explicitly is always taken: a bad or missing file is reported by load.
    return expand_paths(args, _is_findings, empty=empty)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Outcome:
    """What became of one findings file."""

    path: Path
    result: TopicResult | None = None  # None when skipped, bad input or crashed
    entry: Entry | None = None  # the manifest entry: recorded, or made by a good build
    input_problems: list[Problem] = field(default_factory=list)
    crash: str | None = None
    write_error: str | None = None  # the environment refused the outputs (exit 1)
    skipped: bool = False

    @property
    def topic(self) -> str | None:
        if self.result is not None:
            return self.result.topic
        return self.entry.topic if self.entry is not None else None

    @property
    def bad_input(self) -> bool:
        return bool(self.input_problems)

    @property
    def failed(self) -> bool:
        return (self.crash is not None or self.write_error is not None
                or (self.result is not None and not self.result.ok))

    def problem_lines(self) -> list[str]:
        """Every line to show the user for this file, warnings included."""
        lines = [str(p) for p in self.input_problems]
        if self.skipped and self.entry is not None:
            lines += self.entry.warnings
        if self.crash:
            lines.append(f"{self.path}: error: the build crashed: {self.crash}")
        if self.write_error:
            lines.append(self.write_error)
        if self.result is not None:
            lines += [str(p) for p in self.result.problems]
            lines += [str(p) for o in self.result.outputs for p in o.problems]
        return lines


def summary_rows(result: TopicResult) -> list[dict[str, Any]]:
    """One row per output for the summary table (also kept in the manifest)."""
    rows = []
    for o in result.outputs:
        body = getattr(o.score, "body", None)
        target: Any = getattr(o.score, "target", None)  # a readability DocumentScore's
        status = "written" if o.written else "FAILED"
        if o.written and (o.misses or o.budget_misses):
            status = "over"
        rows.append({
            "audience": o.audience,
            "fk": getattr(body, "flesch_kincaid_grade", None),
            "smog": getattr(body, "smog", None),
            "target": target.describe() if hasattr(target, "describe") else "",
            "status": status,
            "files": [p.name for p in o.paths] if o.written else [],
            "pages": o.main_pages, "words": o.main_words, "budget": o.budget,
        })
    return rows


def build_one(path: Path, options: BuildOptions, key: str, config: list[Path],
              templates: dict[str, str | None] | None = None) -> Outcome:
    """Build one findings file and say what happened; never raises for one bad topic.

    The manifest entry is made only when every output was written and no input changed
    while the build read it, from hashes the build took (inputs before reading them,
    outputs from the bytes written), never by reading the files again afterwards.
    """
    from ..render.html import template_files
    from .output import WriteError
    from .topic import build_topic

    outcome = Outcome(path)
    try:
        result = build_topic(path, options)
    except InputError as exc:
        outcome.input_problems = exc.problems
    except WriteError as exc:
        outcome.write_error = str(exc)
    except Exception as exc:  # one topic's crash must not stop the batch
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.crash = f"{type(exc).__name__}: {exc} ({Path(frame.filename).name}:{frame.lineno})"
    else:
        outcome.result = result
        if templates is not None:  # the run key hashed these: still what this build used?
            for changed in changed_since(templates, template_files(options.render.templates)):
                result.changed_inputs.append(changed)
                result.problems.append(Problem(changed, None, "", "changed while the build was "
                                               "using it; the next build rebuilds this topic",
                                               "warning"))
        if result.ok and all(o.written for o in result.outputs) and not result.changed_inputs:
            warnings = [str(p) for p in result.problems]
            warnings += [str(p) for o in result.outputs for p in o.problems]
            inputs = dict(result.input_hashes)
            for extra in config:  # recorded even when absent, so a new config file rebuilds
                inputs.setdefault(str(extra.resolve()), None)
            outcome.entry = make_entry(result.topic, key, inputs, result.output_hashes,
                                       options.out_dir, summary_rows(result), warnings)
    return outcome


def prepare_process(pdf: bool = True) -> None:
    """Pay the one-off costs once per process, not per topic: imports, and fonts for PDFs.

    Then freeze what is there: the garbage collector stops scanning the imported modules'
    objects again and again during builds (a sixth of a build's CPU time, measured).
    """
    import gc

    # No collections while importing: about 130 of them (one full) freed almost nothing for
    # 25-30 ms of a cold build's CPU. The imports leave about a thousand objects in cycles
    # (some 100 kB), frozen below with the rest instead of freed.
    enabled = gc.isenabled()
    gc.disable()
    try:
        from . import topic  # noqa: F401  (imports the pipeline)

        if pdf:
            from ..pdf.render import warm_up

            warm_up()
    finally:
        if enabled:
            gc.enable()
    if not gc.get_freeze_count():  # once per process: later calls would freeze live data
        # No collection first: it would free those cycles for 20-25 ms of CPU (measured on a
        # cold build).
        gc.freeze()


# A build makes millions of short-lived objects (WeasyPrint's boxes, parsed pages), few of
# them in cycles: collecting the youngest generation every 700 allocations, Python's default,
# cost about 7 % of a build's CPU. Every 20,000 leaves a few MB more garbage at any time.
GC_THRESHOLD = (20_000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The garbage collector at GC_THRESHOLD while a build runs in this process, as before
    afterwards (a program that calls build_many keeps its own setting)."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def exit_with_parent() -> None:
    """Linux: SIGTERM this process when the one that started it ends, so a killed build
    leaves neither its fork server nor a worker behind (they would build on, unasked).
    Only pool processes call this, never the process a user started."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


FORK_SERVER: int | None = None  # the fork server's pid, set in it by worker_preload


def _start_worker(pdf: bool) -> None:
    """A pool worker's start: it ends with the fork server (which ends with the build), then
    prepares as any build process and keeps the build's GC setting for good."""
    import gc

    exit_with_parent()
    if FORK_SERVER is not None and os.getppid() != FORK_SERVER:
        os._exit(1)  # the fork server ended before this worker could tie itself to it
    prepare_process(pdf)
    gc.set_threshold(*GC_THRESHOLD)


# Imported once by the fork server, before it forks any worker: each worker then starts
# with the pipeline, WeasyPrint and the PDF reader already imported (0.4-0.5 s of CPU per
# worker otherwise) and the lot frozen for the GC. Fonts are not:
# each worker loads them (prepare_process, 10 ms), since Pango may start a thread to load
# them and a process with threads is unsafe to fork.
WORKER_PRELOAD = ("explainer.build.topic", "explainer.pdf.render", "explainer.pdf.tagging",
                  "explainer.pdf.content_stream", "explainer.build.batch",
                  "explainer.pdf.reader", "pikepdf", "explainer.guards.caveats",
                  "explainer.guards.claims", "explainer.guards.checks",
                  "explainer.readability.scoring", "explainer.seen.html", "explainer.document.load",
                  "explainer.build.worker_preload")  # last: it freezes what the others loaded


def _pool_context() -> Any:
    import multiprocessing

    # forkserver: children start from a clean process, so a parent's threads (the progress
    # bar) or open state never leak into them; spawn where there is no forkserver.
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the fork server starts (the first pool of this process).
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


def build_many(paths: Sequence[Path], options: BuildOptions, *, jobs: int | None = None,
               force: bool = False, config: Path | None = None,
               on_start: Callable[[int], None] | None = None,
               on_done: Callable[[Outcome], None] | None = None,
               on_error: Callable[[str], None] | None = None) -> list[Outcome]:
    """Build ``paths`` into ``options.out_dir``, skipping topics the manifest shows unchanged.

    ``on_start(n)`` is called with the number of topics to build, ``on_done`` with each
    outcome as it finishes (skipped ones first). Returns outcomes in the order of ``paths``.
    A manifest the output folder refuses (read-only, full disk) is one line to ``on_error``
    (without it, output.WriteError is raised after every topic was tried); its topics then
    simply rebuild next time.
    """
    from ..render.html import template_files
    from .output import WriteError, recover_tree

    # A killed build's half-done commits rolled forward, its temp files deleted. A folder
    # that refuses (read-only) is reported once, by the writes that follow.
    with suppress(WriteError):
        recover_tree(options.out_dir)
    batch = _Batch(Manifest.load(options.out_dir), on_done)
    hashes = Hashes()
    used = template_files(options.render.templates)
    key = run_key(options, used, hashes)
    templates = {str(p): hashes(p) for p in used}  # the very digests in the key
    todo = batch.plan(paths, key, None if force else hashes, config)
    if on_start:
        on_start(len(todo))

    jobs = max(1, min(jobs or default_jobs(), len(todo)))
    try:
        if jobs == 1:
            if todo:
                prepare_process("pdf" in options.formats)
            with fewer_collections():
                for path in todo:
                    batch.finish(build_one(path, options, key, config_candidates(path, config),
                                           templates))
        else:
            _build_in_pool(todo, options, key, config, jobs, batch.finish, templates)
    finally:
        batch.save()
    if batch.save_errors:
        if on_error is None:
            raise WriteError(batch.save_errors[0])
        for line in batch.save_errors:
            on_error(line)
    return [batch.outcomes[p] for p in paths if p in batch.outcomes]


class _Batch:
    """One batch's bookkeeping: the manifest (saved now and then, so a long batch killed later
    keeps what it finished), each topic's folder claimed once, the outcomes so far."""

    def __init__(self, manifest: Manifest, on_done: Callable[[Outcome], None] | None) -> None:
        import time

        self.manifest = manifest
        self.on_done = on_done
        self.save_errors: list[str] = []
        self.last_save = time.monotonic()
        self.outcomes: dict[Path, Outcome] = {}
        self.topics: dict[str, Path] = {}

    def save(self) -> None:
        import time

        from .output import WriteError

        self.last_save = time.monotonic()
        try:
            self.manifest.save()
        except WriteError as exc:
            if str(exc) not in self.save_errors:
                self.save_errors.append(str(exc))

    def plan(self, paths: Sequence[Path], key: str, hashes: Hashes | None,
             config: Path | None) -> list[Path]:
        """The paths to build. Two files with one topic would write into one folder: all but
        the first are refused before anything is built, so the outcome does not depend on
        which finishes first. With ``hashes`` (not forced), unchanged topics are skipped."""
        first_of: dict[str, Path] = {}
        todo: list[Path] = []
        for path in paths:
            topic = declared_topic(path)
            if topic is not None and first_of.setdefault(topic, path) != path:
                self.finish(Outcome(path, input_problems=[Problem(
                    str(path), None, "topic",
                    f"topic {topic!r} is also built from {first_of[topic]}; both would write "
                    "to one folder, so give each findings file its own topic")]))
                continue
            entry = None if hashes is None else self.manifest.fresh(
                path, key, config_candidates(path, config), hashes)
            if entry is None:
                todo.append(path)
            else:
                self.finish(Outcome(path, entry=entry, skipped=True))
        return todo

    def finish(self, outcome: Outcome) -> None:
        import time

        self._claim_folder(outcome)
        if outcome.entry is not None and not outcome.skipped:
            self.manifest.record(outcome.path, outcome.entry)
        elif outcome.entry is None and outcome.write_error is None:
            # (A refused write changed nothing on disk: the old entry still describes it.)
            self.manifest.forget(outcome.path)
        self.outcomes[outcome.path] = outcome
        if self.on_done:
            self.on_done(outcome)
        if self.manifest.changed and time.monotonic() - self.last_save > SAVE_EVERY:
            self.save()  # a long batch killed later keeps what it finished

    def _claim_folder(self, outcome: Outcome) -> None:
        """Two findings files with one topic overwrite each other's outputs: the second is a
        problem, and neither keeps a manifest entry."""
        topic = outcome.topic
        if topic is None or self.topics.setdefault(topic, outcome.path) == outcome.path:
            return
        other = self.topics[topic]
        outcome.input_problems.append(Problem(
            str(outcome.path), None, "topic",
            f"topic {topic!r} is also built from {other}; both write to one folder, "
            "so give each findings file its own topic"))
        self.manifest.forget(other)
        outcome.entry = None


def _build_in_pool(todo: list[Path], options: BuildOptions, key: str, config: Path | None,
                   jobs: int, finish: Callable[[Outcome], None],
                   templates: dict[str, str | None]) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(),
                             initializer=_start_worker,
                             initargs=("pdf" in options.formats,)) as pool:
        futures = {pool.submit(build_one, p, options, key, config_candidates(p, config),
                               templates): p
                   for p in todo}
        try:
            for future in as_completed(futures):
                path = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker died or the result would not pickle
                    outcome = Outcome(path, crash=f"{type(exc).__name__}: {exc}")
                finish(outcome)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise

