"""Every file the tool opens goes through one guarded reader (explainer.inputs.guarded_files).

Per input kind (findings, config, source, template, asset, logo), through the real code
path that reads it: a symlink or '..' leaving its root, a FIFO, a device (/dev/zero behind a
symlink) and an oversized file are each refused with one line, nothing hangs, and no
message or output holds a byte of the refused file.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from conftest import FIXTURES, MIN_TOPIC, REPO, TEMPLATES
from helpers import png

from explainer.build.topic import BuildOptions, build_topic
from explainer.document.load import load_document
from explainer.inputs import guarded_files
from explainer.inputs.guarded_files import LIMITS, FileRefused, check_file, read_bytes
from explainer.problems import InputError
from explainer.render.html import RenderOptions

SECRET = "TOPSECRET-d41d8cd9 the opioid system was involved in the walking trial"
ATTACKS = ("symlink", "dotdot", "fifo", "device", "oversized")


@pytest.fixture(autouse=True)
def no_hang():
    """A read that blocks (a FIFO opened for reading) fails the test instead of hanging."""

    def hung(*_):
        raise TimeoutError("a guarded read blocked")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def make_topic(tmp_path: Path) -> Path:
    folder = tmp_path / "topic"
    (folder / "sources").mkdir(parents=True)
    text = MIN_TOPIC.read_text().replace("sources_dir: ../sources", "sources_dir: sources")
    (folder / "findings.yaml").write_text(text)
    for name in ("walking_release.txt",):
        (folder / "sources" / name).write_bytes((FIXTURES / "sources" / name).read_bytes())
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    (tmp_path / "secret.png").write_bytes(png(4, 4, (1, 2, 3)) + SECRET.encode())
    return folder / "findings.yaml"


def plant(target: Path, attack: str, tmp_path: Path, kind: str, secret: Path) -> None:
    """Make ``target`` one of the attacks, pointing at ``secret`` where it points anywhere."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        target.unlink()
    if attack == "symlink":
        target.symlink_to(secret)
    elif attack == "dotdot":  # a symlinked folder: the name has no '..' but the path leaves
        hop = target.parent / "hop"
        hop.symlink_to(secret.parent)
        target.symlink_to(Path("hop") / ".." / "hop" / secret.name)
    elif attack == "fifo":
        os.mkfifo(target)
    elif attack == "device":
        target.symlink_to("/dev/zero")
    elif attack == "oversized":
        with open(target, "wb") as fh:  # sparse: the size is real, the disk is not used
            fh.truncate(LIMITS[kind] + 1)


def refused_lines(exc: InputError) -> list[str]:
    lines = [str(p) for p in exc.problems]
    for line in lines:
        assert SECRET[:20] not in line and "\n" not in line
    return lines


def expected_reason(attack: str) -> str:
    return {"symlink": "is outside", "dotdot": "is outside", "fifo": "FIFO",
            "device": "is outside", "oversized": "the limit is"}[attack]


@pytest.mark.parametrize("attack", ATTACKS)
def test_source(tmp_path, attack):
    findings = make_topic(tmp_path)
    target = findings.parent / "sources" / "walking_release.txt"
    plant(target, attack, tmp_path, "source", tmp_path / "secret.txt")
    from explainer.sources.quotes import verify_quotes

    problems = verify_quotes(load_document(findings), require_sources=False)
    [problem] = [p for p in problems if p.key == "sources[0].file"]
    assert problem.level == "error" and expected_reason(attack) in problem.message, problem
    assert all(SECRET[:20] not in p.message for p in problems)  # no "closest passage" from it
    with pytest.raises(InputError) as caught:  # the build stops before anything is written
        build_topic(findings, BuildOptions(out_dir=tmp_path / "out", formats=("html",)))
    assert any(expected_reason(attack) in line for line in refused_lines(caught.value))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_template(tmp_path, attack):
    findings = make_topic(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "patient.html").write_text('{% extends "base.html" %}{% block body %}'
                                         '{% include "leak.txt" %}{% endblock %}')
    plant(folder / "leak.txt", attack, tmp_path, "template", tmp_path / "secret.txt")
    options = BuildOptions(out_dir=tmp_path / "out", formats=("html",), audiences=("patient",),
                           render=RenderOptions(templates=folder))
    with pytest.raises(InputError) as caught:
        build_topic(findings, options)
    [line] = refused_lines(caught.value)
    assert line.startswith(f"{folder / 'patient.html'}:1: template:"), line
    assert expected_reason(attack) in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_template_asset(tmp_path, attack):
    findings = make_topic(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    css = (TEMPLATES / "style.css").read_text()
    (folder / "style.css").write_text(css + "\n.masthead { background: url(leak.png); }\n")
    plant(folder / "leak.png", attack, tmp_path, "asset", tmp_path / "secret.png")
    from explainer.render.html import render_html

    # Not inlined into the HTML: left as written, for the browser's own rules...
    html = render_html(load_document(findings).doc, "patient", RenderOptions(templates=folder))
    assert "url(leak.png)" in html and SECRET[:20] not in html
    # ...and the PDF fetcher refuses it by name: the audience's files are not written.
    options = BuildOptions(out_dir=tmp_path / "out", audiences=("patient",),
                           render=RenderOptions(templates=folder))
    [out] = build_topic(findings, options).outputs
    assert not out.ok and any("leak.png" in p.message for p in out.problems), out.problems
    assert not (tmp_path / "out" / "walking-knee-pain" / "patient.pdf").exists()


def write_config(findings: Path, logo: str) -> None:
    (findings.parent / "explainer.yaml").write_text(
        f"brand:\n  organisation: Example Health Trust\n  logo: {logo}\n  logo_alt: Example\n")


@pytest.mark.parametrize("attack", [*ATTACKS, "absolute", "parent"])
def test_logo(tmp_path, attack):
    findings = make_topic(tmp_path)
    if attack == "absolute":
        write_config(findings, str(tmp_path / "secret.png"))
    elif attack == "parent":
        write_config(findings, "../secret.png")
    else:
        write_config(findings, "logo.png")
        plant(findings.parent / "logo.png", attack, tmp_path, "logo", tmp_path / "secret.png")
    with pytest.raises(InputError) as caught:
        build_topic(findings, BuildOptions(out_dir=tmp_path / "out", formats=("html",)))
    [line] = refused_lines(caught.value)
    assert "brand.logo:" in line, line
    reason = "is outside" if attack in ("absolute", "parent") else expected_reason(attack)
    assert reason in line, line
    assert not (tmp_path / "out").exists()


def test_logo_in_the_template_folder_is_allowed(tmp_path):
    findings = make_topic(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "logo.png").write_bytes(png(8, 8, (0, 77, 64)))
    write_config(findings, str(folder / "logo.png"))
    options = BuildOptions(out_dir=tmp_path / "out", formats=("html",), audiences=("patient",),
                           render=RenderOptions(templates=folder))
    result = build_topic(findings, options)
    assert result.ok
    html = (tmp_path / "out" / "walking-knee-pain" / "patient.html").read_text()
    assert 'src="data:image/png;base64,' in html


@pytest.mark.parametrize("attack", ATTACKS)
def test_config_beside_findings(tmp_path, attack):
    findings = make_topic(tmp_path)
    (tmp_path / "secret.yaml").write_text(f"brand: {{organisation: '{SECRET}'}}\n")
    plant(findings.parent / "explainer.yaml", attack, tmp_path, "config",
          tmp_path / "secret.yaml")
    with pytest.raises(InputError) as caught:
        build_topic(findings, BuildOptions(out_dir=tmp_path / "out", formats=("html",)))
    [line] = refused_lines(caught.value)
    assert line.startswith(str(findings.parent / "explainer.yaml")), line
    assert expected_reason(attack) in line, line


@pytest.mark.parametrize("attack", ["fifo", "device", "oversized", "folder"])
def test_findings_file(tmp_path, run_cli, attack):
    # A findings file is named by the user, so it has no root; the other checks hold.
    target = tmp_path / "findings.yaml"
    if attack == "folder":
        target.mkdir()
    else:
        plant(target, attack, tmp_path, "findings", tmp_path / "secret.txt")
    run = run_cli("validate", target, timeout=60)
    assert run.returncode == 2
    reason = {"fifo": "FIFO", "device": "a device", "oversized": "the limit is",
              "folder": "a folder"}[attack]
    assert run.stderr.strip().startswith(f"{target}: findings file ") and reason in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1


def test_devices_and_special_files_are_refused_without_opening(tmp_path):
    for path in ("/dev/zero", "/dev/null", "/dev/urandom"):
        with pytest.raises(FileRefused, match="a device"):
            read_bytes(path, "source", root="/dev")
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(FileRefused, match="FIFO"):
        check_file(tmp_path / "pipe.txt", "source", root=tmp_path)


def test_names_the_file_system_cannot_hold_are_one_line(tmp_path):
    for name in ("a\x00b.txt", "x" * 300 + ".txt", "d/" * 3000 + "x.txt"):
        with pytest.raises(FileRefused) as caught:
            read_bytes(tmp_path / name, "source", root=tmp_path)
        message = str(caught.value)
        assert "\n" not in message and "\x00" not in message and len(message) < 400


def test_limits_are_documented():
    readme = (REPO / "README.md").read_text()
    for kind, limit in LIMITS.items():
        assert f"{guarded_files.KIND_NAMES[kind]} {limit // 1_000_000} MB" in readme, kind


@pytest.mark.slow
@pytest.mark.parametrize("which", ["source", "config"])
def test_rebuild_after_an_input_became_a_fifo_is_refused_not_hung(tmp_path, run_cli, which):
    # The skip check hashes the last build's inputs before anything loads: a FIFO there
    # must not block the open.
    findings = make_topic(tmp_path)
    out = tmp_path / "out"

    def build():
        return run_cli("build", findings, "--out", out, "--format", "html", timeout=120)

    assert build().returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    target = (findings.parent / "sources" / "walking_release.txt" if which == "source"
              else findings.parent / "explainer.yaml")
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    run = build()
    assert run.returncode == 2, run.stdout + run.stderr
    assert "FIFO" in run.stderr and "Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.html")} == before  # last good outputs kept
