"""`explainer serve` as a library: a live preview of one findings file, like `mkdocs serve`.

watchfiles (inotify, not polling) reports saves to the findings file, its sources, the templates
and the config. Each change rebuilds the HTML in this process (the three explainers, checks and
scores: well under a second for the bundled example) into a private temporary folder; the PDFs
follow in a child `explainer build` once edits pause, so a long PDF render never delays the HTML.
The open page learns of every build over Server-Sent Events and reloads what changed.

A build that fails (half-written YAML, a broken reference, a caveat missing from an output)
shows its problems on the page and keeps the last good preview: bad input never stops the
server. It binds 127.0.0.1 unless told otherwise, answers only GET, checks the Host header
(DNS rebinding), and serves nothing but its own page and the built outputs, by exact name.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..problems import InputError, Problem

OUTPUT_NAMES = frozenset(f"{a}.{ext}" for a in ("patient", "clinician", "press")
                         for ext in ("html", "pdf")) | {"report.html"}
PDF_DELAY = 1.5  # seconds of quiet after the last HTML build before the PDFs are made
ASSETS = {"/": ("preview.html", "text/html; charset=utf-8"),
          "/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
          "/preview.css": ("preview.css", "text/css; charset=utf-8")}


def _problem_row(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "key": p.key, "message": p.message,
            "level": p.level, "text": str(p)}


def _error_rows(findings: Path, exc: Exception) -> list[dict[str, Any]]:
    if isinstance(exc, InputError):
        return [_problem_row(p) for p in exc.problems]
    message = f"{type(exc).__name__}: {exc}"
    return [{"file": str(findings), "line": None, "key": "", "level": "error",
             "message": message, "text": f"{findings}: build failed: {message}"}]


def _plain(value: Any) -> Any:
    """A result row value as JSON: numbers rounded, paths as names, anything else as text."""
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


@dataclass
class PreviewState:
    """What the page shows: the last good build and the latest attempt's problems."""

    version: int = 0  # bumps on every build attempt
    good_version: int = 0  # the last attempt that wrote outputs
    topic: str | None = None
    ok: bool = False
    error: list[dict[str, Any]] = field(default_factory=list)  # why the latest attempt failed
    problems: list[dict[str, Any]] = field(default_factory=list)  # of the last finished build
    rows: list[dict[str, Any]] = field(default_factory=list)  # summary rows, one per output
    outputs: list[str] = field(default_factory=list)  # served names that exist
    pdf: str = "waiting"  # waiting | building | ready | failed
    pdf_problems: list[str] = field(default_factory=list)
    checking: bool = False  # the preview is shown; its checks are still running
    seconds: float = 0.0  # save -> preview shown (load, validate, render, write)
    check_seconds: float = 0.0  # save -> every check and score done
    built_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


class Preview:
    """Builds, watches and keeps state for one findings file; the HTTP side reads ``state``."""

    def __init__(self, findings: Path, config: Path | None = None,
                 templates: Path | None = None, sources: Path | None = None,
                 pdf: bool = True) -> None:
        self.findings = findings.resolve()
        self.config, self.templates, self.sources = config, templates, sources
        self.pdf_enabled = pdf
        self.out = Path(tempfile.mkdtemp(prefix="explainer-serve-"))
        self.state = PreviewState()
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self._watch_stop = threading.Event()
        self._watched: set[Path] = set()
        self._pdf_timer: threading.Timer | None = None
        self._pdf_proc: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one HTML build at a time

    # --- building ------------------------------------------------------------------------

    def options(self, formats: tuple[str, ...]):
        from ..build.topic import BuildOptions
        from ..render.html import RenderOptions

        return BuildOptions(formats=formats, out_dir=self.out, report="html" in formats,
                            sources_dir=self.sources, config=self.config,
                            render=RenderOptions(templates=self.templates.resolve()
                                                 if self.templates else None))

    def rebuild(self) -> None:
        """Show the edit, then check it; never raises (a failure becomes the page's error).

        First the three explainers are rendered straight from the validated file and shown
        (tens of milliseconds); then the full build runs every check and score on them and
        the page's problems and rows follow. A file that does not load shows its error and
        the last good preview stays."""
        with self._lock:
            started = time.perf_counter()
            s = self.state
            try:
                shown = self._render_preview()
            except Exception as exc:  # a preview must outlive any bad input
                s.error, s.checking = _error_rows(self.findings, exc), False
                s.seconds = round(time.perf_counter() - started, 3)
                s.outputs = self._existing()
                s.version += 1  # last: a reader of the state sees a finished attempt
                self._notify()
                return
            s.error, s.checking = [], True
            s.topic = shown
            s.seconds = round(time.perf_counter() - started, 3)
            s.outputs = self._existing()
            s.good_version = s.version = s.version + 1
            self._notify()
            result = self._check(started)
        if result is not None and self.pdf_enabled:
            self._schedule_pdf()

    def _render_preview(self) -> str:
        """Render and write the HTML of each audience; returns the topic. Raises InputError."""
        from ..build.output import write_atomic
        from ..document.config import apply_config
        from ..document.load import load_document
        from ..render.html import render_html

        loaded = load_document(self.findings)
        options, _ = apply_config(self.findings, self.options(("html",)))
        for audience in options.audiences:
            write_atomic(self.out / loaded.doc.topic / f"{audience}.html",
                         render_html(loaded.doc, audience, options.render))
        return loaded.doc.topic

    def _check(self, started: float):
        """The full HTML build (checks, scores, report) behind the preview."""
        from ..build.batch import summary_rows
        from ..build.topic import build_topic

        s = self.state
        result = None
        try:
            result = build_topic(self.findings, self.options(("html",)))
        except Exception as exc:  # data errors (a quote not in its source...) and anything else
            s.error = _error_rows(self.findings, exc)
        s.checking = False
        s.check_seconds = round(time.perf_counter() - started, 3)
        s.built_at = time.time()
        if result is not None:
            problems = [*result.problems, *(p for o in result.outputs for p in o.problems)]
            s.problems = [_problem_row(p) for p in problems]
            s.rows = [{k: _plain(v) for k, v in row.items()} for row in summary_rows(result)]
            s.ok = result.ok
            if self.pdf_enabled:
                s.pdf = "waiting"
            self._watch_inputs(result.inputs)
        s.outputs = self._existing()
        self._notify()
        return result

    def _existing(self) -> list[str]:
        if self.state.topic is None:
            return []
        folder = self.out / self.state.topic
        return sorted(n for n in OUTPUT_NAMES if (folder / n).is_file())

    def _schedule_pdf(self) -> None:
        if self._pdf_timer is not None:
            self._pdf_timer.cancel()
        self._pdf_timer = threading.Timer(PDF_DELAY, self._build_pdf)
        self._pdf_timer.daemon = True
        self._pdf_timer.start()

    def _build_pdf(self) -> None:
        """PDFs in a child process, so WeasyPrint never holds up the next HTML build; a newer
        edit stops a PDF build that is still running."""
        if self.stopping.is_set():
            return
        self._stop_pdf()
        cmd = [sys.executable, "-m", "explainer", "build", str(self.findings), "--format", "pdf",
               "--out", str(self.out), "--force", "--jobs", "1"]
        for flag, value in (("--config", self.config), ("--templates", self.templates),
                            ("--sources", self.sources)):
            if value is not None:
                cmd += [flag, str(value)]
        self.state.pdf = "building"
        self._notify()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, cwd=self.findings.parent)
        self._pdf_proc = proc
        if self.stopping.is_set():  # the stop came while it started: end it here
            self._stop_pdf()
            return
        _, err = proc.communicate()
        if proc is not self._pdf_proc or self.stopping.is_set():
            return  # replaced by a newer build, or stopping
        self._pdf_proc = None
        self.state.pdf = "ready" if proc.returncode == 0 else "failed"
        self.state.pdf_problems = [line for line in err.splitlines() if line.strip()][-20:]
        self.state.outputs = self._existing()
        self._notify()

    def _stop_pdf(self) -> None:
        proc, self._pdf_proc = self._pdf_proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    # --- watching ------------------------------------------------------------------------

    def watch_dirs(self, inputs: list[Path] | None = None) -> set[Path]:
        """Folders holding the findings file, its sources, config and templates."""
        from ..render.templates_dir import builtin_templates

        dirs = {self.findings.parent, builtin_templates()}
        if self.templates:
            dirs.add(self.templates.resolve())
        if self.config:
            dirs.add(self.config.resolve().parent)
        for path in inputs or []:
            parent = Path(path).resolve().parent
            if parent.is_dir():
                dirs.add(parent)
        return {d for d in dirs if d.is_dir() and not d.is_relative_to(self.out)}

    def _watch_inputs(self, inputs: list[Path]) -> None:
        dirs = self.watch_dirs(inputs)
        if dirs != self._watched and self._watched:
            self._watch_stop.set()  # the watch loop restarts on the new folders
        self._watched = dirs

    def watch_forever(self) -> None:
        from watchfiles import watch

        while not self.stopping.is_set():
            self._watch_stop = threading.Event()
            dirs = self._watched or self.watch_dirs()
            self._watched = dirs
            for changes in watch(*dirs, stop_event=self._watch_stop, debounce=400, step=20,
                                 recursive=True, watch_filter=self._relevant,
                                 raise_interrupt=False, yield_on_timeout=False):
                if self.stopping.is_set():
                    return
                if changes:
                    self._stop_pdf()
                    self.rebuild()
                if self._watch_stop.is_set():
                    break

    def _relevant(self, _change: Any, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.suffix in {".tmp", ".swp", ".pyc"} or p.name.endswith("~"):
            return False  # editors' and our own temporary files
        return not p.is_relative_to(self.out) and "__pycache__" not in p.parts

    def stop(self) -> None:
        self.stopping.set()
        self._watch_stop.set()
        if self._pdf_timer is not None:
            self._pdf_timer.cancel()
        self._stop_pdf()
        self._notify()
        shutil.rmtree(self.out, ignore_errors=True)

    # --- what the HTTP side serves -----------------------------------------------------------

    def output_file(self, name: str) -> Path | None:
        """A built output by exact name, or None: nothing else on disk is reachable."""
        if name not in OUTPUT_NAMES or self.state.topic is None:
            return None
        path = self.out / self.state.topic / name
        return path if path.is_file() else None

    def status(self) -> dict[str, Any]:
        data = self.state.to_dict()
        data["findings"] = str(self.findings)
        return data


class _Handler(BaseHTTPRequestHandler):
    server: _PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the page shows builds
        pass

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: HTTPStatus) -> None:
        self._send(status, f"{status.value} {status.phrase}\n".encode(), "text/plain")

    def _host_ok(self) -> bool:
        if self.server.allowed_hosts is None:
            return True  # bound beyond loopback on purpose: any name may reach it
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        return host in self.server.allowed_hosts

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._refuse(HTTPStatus.MISDIRECTED_REQUEST)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        preview = self.server.preview
        if path in ASSETS:
            name, ctype = ASSETS[path]
            body = files("explainer.authoring.serve_page").joinpath(name).read_bytes()
            csp = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                   "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'")
            return self._send(200, body, ctype, {"Content-Security-Policy": csp})
        if path == "/status.json":
            body = json.dumps(preview.status(), ensure_ascii=False).encode()
            return self._send(200, body, "application/json")
        if path == "/events":
            return self._events()
        if path.startswith("/out/"):
            found = preview.output_file(path[len("/out/"):])
            if found is None:
                return self._refuse(HTTPStatus.NOT_FOUND)
            ctype = "application/pdf" if found.suffix == ".pdf" else "text/html; charset=utf-8"
            return self._send(200, found.read_bytes(), ctype)
        return self._refuse(HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        self._refuse(HTTPStatus.METHOD_NOT_ALLOWED)

    do_PUT = do_DELETE = do_PATCH = do_POST

    def _events(self) -> None:
        """Server-Sent Events: one 'build' event per change of state, a comment as keep-alive."""
        preview = self.server.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = None
        try:
            while not preview.stopping.is_set():
                st = preview.state
                mark = (st.version, st.checking, st.pdf, tuple(st.outputs))
                if mark != seen:
                    seen = mark
                    payload = json.dumps({"version": st.version, "pdf": st.pdf})
                    self.wfile.write(f"event: build\ndata: {payload}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                with preview.changed:
                    preview.changed.wait(timeout=10)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


class _PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        super().__init__(address, _Handler)
        self.preview = preview
        loopback = {"127.0.0.1", "localhost", "::1"}
        # On loopback, a page from elsewhere must not reach the preview by DNS rebinding.
        self.allowed_hosts: set[str] | None = (loopback if address[0].lower() in loopback
                                               else None)


def serve(findings: Path, host: str = "127.0.0.1", port: int = 8000, *,
          config: Path | None = None, templates: Path | None = None, sources: Path | None = None,
          pdf: bool = True, on_ready: Any = None) -> None:
    """Build, then serve and watch until interrupted (Ctrl-C or SIGTERM)."""
    import signal

    preview = Preview(findings, config=config, templates=templates, sources=sources, pdf=pdf)
    try:
        httpd = _PreviewServer((host, port), preview)
    except OSError:
        preview.stop()  # removes its temporary folder
        raise
    stop_once = threading.Event()

    def shut(*_: Any) -> None:
        # In a signal handler: only ask everything to stop; the cleanup runs below.
        if not stop_once.is_set():
            stop_once.set()
            preview.stopping.set()
            preview._watch_stop.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, shut)
    watcher = threading.Thread(target=preview.watch_forever, name="watch", daemon=True)
    try:
        preview.rebuild()
        watcher.start()
        if on_ready is not None:
            on_ready(httpd.server_address[0], httpd.server_address[1], preview)
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()  # the PDF child ended and waited for, the temporary folder removed
        httpd.server_close()
        if watcher.is_alive():
            watcher.join(timeout=3)
        with preview._lock:  # a build still running when the stop came has finished now
            shutil.rmtree(preview.out, ignore_errors=True)
