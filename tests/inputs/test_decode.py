"""One text decoder: score, check and sources read the same non-UTF-8 file the same way."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import FIXTURES
from typer.testing import CliRunner

from explainer.cli import app
from explainer.inputs.decode import decode_text
from explainer.readability.drafts import Input, read_draft
from explainer.sources.quotes import load_source_text
from explainer.sources.texts import source_text

QUOTES_OK = FIXTURES / "findings" / "quotes_ok.yaml"
RELEASE = FIXTURES / "sources" / "quotes_release.txt"
runner = CliRunner()


def test_utf8_with_or_without_bom_and_legacy_bytes_as_windows_1252() -> None:
    assert decode_text("café – “x”".encode()) == "café – “x”"
    assert decode_text(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"  # the BOM goes
    assert decode_text("café “x”".encode("cp1252")) == "café “x”"  # a whole legacy file
    # one pasted legacy line in a UTF-8 file: each part read as what it is
    assert decode_text("naïve ".encode() + "caf\xe9 ".encode("cp1252") + b"\x81") == \
        "naïve café \ufffd"  # 0x81 means nothing in Windows-1252 either


def test_score_check_and_sources_read_a_windows_1252_source_alike(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    legacy = sources / RELEASE.name
    # the fixture's curly quotes, dashes and no-break space all exist in Windows-1252
    legacy.write_bytes(RELEASE.read_text(encoding="utf-8").encode("cp1252"))
    text = RELEASE.read_text(encoding="utf-8")

    assert read_draft(Input(str(legacy), "txt")).text == text
    assert load_source_text(legacy) == text  # check and draft
    assert source_text(legacy) == text  # sources

    findings = yaml.safe_load(QUOTES_OK.read_text(encoding="utf-8"))
    findings["sources_dir"] = str(sources)
    path = tmp_path / "quotes.yaml"
    path.write_text(yaml.safe_dump(findings, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    run = runner.invoke(app, ["check", "--json", str(path)])
    report = json.loads(run.stdout)
    # every quote verifies, the ones with curly quotes and em dashes included
    assert (report["quotes_verified"], report["quotes_total"]) == (5, 5)
