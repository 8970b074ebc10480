"""A value that needs quotes gets "put this value in quotes" with its line, not "check the
indentation" or "unknown key"."""

from __future__ import annotations

import shutil

import pytest
from conftest import MIN_TOPIC, SOURCES

from explainer.document.load import load_document
from explainer.problems import InputError

QUOTE_LINE = '      - {source: release, quote: "fell by 18% in the walking group and by 4% in the"}'


def _broken(tmp_path, replacement: str):
    text = MIN_TOPIC.read_text(encoding="utf-8")
    assert QUOTE_LINE in text
    lines = text.splitlines()
    line = lines.index(QUOTE_LINE) + 1
    target = tmp_path / "findings" / "t.yaml"
    target.parent.mkdir()
    shutil.copytree(SOURCES, tmp_path / "sources")
    target.write_text(text.replace(QUOTE_LINE, replacement), encoding="utf-8")
    return target, line


@pytest.mark.parametrize("replacement", [
    "      - source: release\n        quote: the result: it worked",
    '      - source: release\n        quote: "fell by" 18% in the walking group',
    "      - source: release\n        quote: [18%] in the walking group",
    "      - source: release\n        quote: *walking group",
    "      - {source: release, quote: fell by 18%, in the walking group}",
    "      - {source: release, quote: result: fell by 18%}",
])
def test_unquoted_value_gets_the_fix_with_its_line(tmp_path, replacement):
    path, line = _broken(tmp_path, replacement)
    with pytest.raises(InputError) as err:
        load_document(path)
    messages = [str(p) for p in err.value.problems]
    hinted = [m for m in messages if "put this value in quotes" in m]
    assert hinted, messages
    # the line of the value at fault: the quote line (the second when split over two)
    wanted = line + (1 if "\n" in replacement else 0)
    assert any(m.startswith(f"{path}:{wanted}:") for m in hinted), messages
    assert not any("check the indentation" in m for m in messages)


def test_real_indentation_error_keeps_its_own_advice(tmp_path):
    path, _ = _broken(tmp_path, "      - source: release\n     quote: fine words")
    with pytest.raises(InputError) as err:
        load_document(path)
    assert not any("quotes" in str(p) for p in err.value.problems)


def test_cli_prints_the_fix_and_exits_2(tmp_path, run_cli):
    path, line = _broken(tmp_path, "      - source: release\n        quote: walking: 18% less pain")
    run = run_cli("validate", path)
    assert run.returncode == 2
    assert f"{path}:{line + 1}:" in run.stderr
    assert 'put this value in quotes' in run.stderr and '"walking: 18% less pain"' in run.stderr
    assert "Traceback" not in run.stderr


def test_a_hash_inside_a_prose_value_is_a_warning_with_the_fix(tmp_path):
    from explainer.guards.checks import data_checks

    path, line = _broken(tmp_path, QUOTE_LINE + "\n  - id: second\n    study: example-2024\n"
                         "    kind: descriptive\n    clinician: Trial #2 of the programme\n"
                         "    plain: Trial two  # a comment the writer meant\n    evidence:\n"
                         "  " + QUOTE_LINE.strip().join(["    ", ""]))
    loaded = load_document(path)
    assert loaded.doc.findings[1].clinician == "Trial"  # YAML dropped the rest as a comment
    warned = [p for p in data_checks(loaded, None, require_sources=False)
              if "read as a comment" in p.message]
    assert [p.line for p in warned] == [line + 4, line + 5]
    assert all(p.level == "warning" for p in warned)
    assert 'clinician: "Trial #2 of the programme"' in warned[0].message
