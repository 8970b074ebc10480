"""`explainer serve` tested as a user meets it: the real server as a subprocess, the page in
headless Chromium. An edit shows within 2 s; a broken save shows its error and keeps the last
good preview; only the built outputs are served; stopping it leaves no process behind."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, CLI, REPO, SERVE_HARNESS, SHARED_SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.needs(SHARED_SEEDS)]  # a server and a PDF build


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc (the PDF child, anything it started)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.fixture
def topic(tmp_path, run_cli):
    for src in SHARED_SEEDS.glob("*.txt"):
        shutil.copy(src, tmp_path / src.name)
    run = run_cli("new", "demo", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    path = tmp_path / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title: "TODO: the title readers see"', "title: Coffee and a long life"), encoding="utf-8")
    return path


def _serve_dirs() -> set[Path]:
    import tempfile

    return set(Path(tempfile.gettempdir()).glob("explainer-serve-*"))


@pytest.fixture
def server(topic):
    before = _serve_dirs()
    proc = subprocess.Popen([*CLI, "serve", str(topic), "--port", "0"], cwd=topic.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line + proc.stderr.read() if proc.poll() is not None else line
    proc.made = _serve_dirs() - before  # the server's own temporary output folder
    yield proc, int(m.group(1)), topic
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _stop(proc) -> None:
    tree = _descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    time.sleep(0.2)
    alive = {pid for pid in tree if Path(f"/proc/{pid}").exists()}
    assert not alive, f"left behind: {alive}"


@pytest.mark.browser
def test_live_preview_in_chromium(browser_ready, server):
    proc, port, findings = server
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    run = subprocess.run(
        ["node", str(SERVE_HARNESS), f"http://127.0.0.1:{port}/", str(findings),
         "Coffee and a long life", "Tea and a long life", "findings: [unclosed"],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert "failure" not in out, out.get("failure")
    assert out["loaded"] and out["panes"] == 3 and out["rows"] == 3
    assert out["problemItems"] >= 1  # the TODO warnings, each with its line
    assert not out["axe"], out["axe"]
    assert out["editMs"] < 2000, out
    assert re.search(r"demo\.yaml:\d+:", out["errorText"]), out["errorText"]
    assert out["keptPreview"], "a broken save must keep the last good preview"
    assert out["tabsVisible"] and out["visiblePanes"] == 1 and out["pressShown"]
    assert out["recoverMs"] < 5000
    assert not out["blocked"], out["blocked"]
    assert proc.poll() is None, "a broken save must not stop the server"
    print(f"edit shown after {out['editMs']} ms, error after {out['errorMs']} ms")
    _stop(proc)


def _get(port: int, path: str, host: str | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.enable_socket
def test_serves_only_the_built_outputs(server):
    proc, port, findings = server
    status, body = _get(port, "/out/patient.html")
    assert status == 200 and b"Coffee and a long life" in body
    assert _get(port, "/")[0] == 200
    for path in ["/out/../demo.yaml", "/out/%2e%2e/demo.yaml", "/out/..%2fdemo.yaml",
                 "/demo.yaml", "/out/demo.yaml", "/out//etc/passwd", "/../../etc/passwd",
                 "/out/patient.html/../../demo.yaml", "/out/%2Fetc%2Fpasswd",
                 f"/out/{findings}", "/preview.js/../../demo.yaml"]:
        status, body = _get(port, path)
        assert status == 404, path
        assert b"topic:" not in body and b"root:" not in body
    assert _get(port, "/out/patient.html", host="evil.example")[0] == 421  # DNS rebinding
    assert _get(port, "/out/patient.html", method="POST")[0] == 405
    _stop(proc)


@pytest.mark.enable_socket
def test_stopping_during_a_pdf_build_leaves_nothing_behind(server):
    proc, port, _ = server
    deadline = time.monotonic() + 60
    while json.loads(_get(port, "/status.json")[1])["pdf"] != "building":
        assert time.monotonic() < deadline, "the PDF build never started"
        time.sleep(0.05)
    out = Path(json.loads(_get(port, "/status.json")[1])["findings"]).parent
    assert _descendants(proc.pid), "a PDF child should be running"
    assert len(proc.made) == 1
    _stop(proc)  # asserts no process below the server is left
    assert out.is_dir()  # the user's folder is untouched
    assert not [p for p in proc.made if p.exists()], "temporary output folder left behind"
