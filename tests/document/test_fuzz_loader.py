"""Fuzz the findings loader and the CLI: every mangled file is a clean result or clean error.

Real findings files are mutated (fixed seed) the ways files get broken by hand and by
tools: lines deleted, duplicated and re-indented, values swapped for other types and tags,
truncation, random unicode and random bytes. Each case goes through ``load_document`` and
through ``explainer validate`` and ``explainer check`` in-process (typer's CliRunner, the
CLI's own error handling). On every case: exit 0, 1 or 2, no traceback, and every problem
line names the file.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, MIN_TOPIC
from typer.testing import CliRunner

from explainer.cli import app
from explainer.document.load import load_document
from explainer.problems import InputError

SEED = 20261201
CASES = 330
SEEDS = [MIN_TOPIC, FIXTURES / "findings" / "quotes_ok.yaml"]

# Values a hand or a tool might put where another type belongs.
SWAPS = [
    "", "~", "null", "yes", "no", "0", "-1", "1e400", "3.5", ".nan", "[]", "{}", "[1, [2, [3]]]",
    "{a: {b: c}}", "2024-02-30", "2024-13-01", "!!float abc", "!!int 12x", "!!bool maybe",
    "!!binary '@@@'", "!!timestamp 2024-99-99", "!!python/object:os.system x", "!!set [1]",
    "&a x", "*a", "<<: 3", "'unterminated", '"\\ud800"', '"\\x01"', "9" * 5000,
    "x" * 50_000, "- a\n- b", "|\n  block", ">-", "? [1]\n: 2", "{[1]: 2}", "'a\\0b.txt'",
    '"a\\0b.txt"', "x" * 300 + ".txt", "../../etc/passwd.txt", "/etc/passwd.txt",
    "%TAG ! tag:x,2000:", "--- \n...", "@", "`", "\t", "{{ doc }}", "\u202e", "\ufeff",
]
UNICODE = ["\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\u0085", "\u00a0", "\u200b",
           "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\U0001f600", "\u0301", "é",
           "\u202e", "\t", "\r", "\r\n", ":", "-", "#", "&", "*", "!", "|", ">", "'", '"',
           "{", "}", "[", "]", ",", "?", "%", "@", "`"]


def mutate(rng: random.Random, text: str) -> bytes:
    lines = text.split("\n")
    kinds = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["delete", "duplicate", "indent", "swap", "truncate", "unicode",
                           "bytes", "swap"])
        kinds.append(kind)
        i = rng.randrange(len(lines)) if lines else 0
        if kind == "delete" and lines:
            del lines[i:i + rng.randint(1, 3)]
        elif kind == "duplicate" and lines:
            lines[i:i] = lines[i:i + rng.randint(1, 4)]
        elif kind == "indent" and lines:
            line = lines[i]
            lines[i] = (" " * rng.choice([1, 2, 3, 4, 8]) + line if rng.random() < 0.5
                        else line.lstrip() if rng.random() < 0.5 else "\t" + line)
        elif kind == "swap" and lines:
            line = lines[i]
            if ":" in line:
                key = line.split(":", 1)[0]
                lines[i] = f"{key}: {rng.choice(SWAPS)}"
            else:
                prefix = line[: len(line) - len(line.lstrip(" -"))]
                lines[i] = prefix + rng.choice(SWAPS)
        elif kind == "unicode" and lines:
            line = lines[i]
            at = rng.randint(0, len(line))
            lines[i] = line[:at] + "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 4))
                                           ) + line[at:]
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if "truncate" in kinds:
        data = data[: rng.randint(0, len(data))]
    if "bytes" in kinds:
        at = rng.randint(0, len(data))
        data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at:]
    return data


def cases() -> list[tuple[int, bytes]]:
    rng = random.Random(SEED)
    texts = [p.read_text() for p in SEEDS]
    return [(n, mutate(rng, texts[n % len(texts)])) for n in range(CASES)]


def write(tmp_path: Path, n: int, data: bytes) -> Path:
    path = tmp_path / f"case{n:03d}.yaml"
    path.write_bytes(data)
    return path


@pytest.mark.slow  # 330 cases through validate and check
def test_fuzzed_findings_files_give_clean_results(tmp_path):
    runner = CliRunner()
    outcome: Counter[str] = Counter()
    crashes: list[str] = []
    for n, data in cases():
        path = write(tmp_path, n, data)
        # The sources folder of each seed is ../sources relative to the fixture: keep it.
        text = path.read_bytes().replace(b"sources_dir: ../sources",
                                         b"sources_dir: " + str(FIXTURES / "sources").encode())
        path.write_bytes(text)
        try:
            load_document(path)
            outcome["loaded"] += 1
        except InputError as exc:
            outcome["refused"] += 1
            for problem in exc.problems:
                assert problem.file == str(path), (n, problem)
                assert "\n" not in str(problem) and len(str(problem)) < 1000, (n, problem)
        except Exception as exc:  # that is what the fuzzer looks for
            crashes.append(f"case {n}: load_document: {type(exc).__name__}: {exc}"[:300])
            continue
        commands = [["validate", str(path)]] + ([["check", str(path)]] if n % 2 == 0 else [])
        for args in commands:
            result = runner.invoke(app, args)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                crashes.append(f"case {n}: {args[0]}: {type(result.exception).__name__}: "
                               f"{result.exception}"[:300])
                continue
            output = result.stdout + result.stderr
            assert result.exit_code in (0, 1, 2), (n, args, result.exit_code, output[-500:])
            assert "Traceback" not in output, (n, args, output[-2000:])
            if result.exit_code:
                problem_lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
                if args[0] == "check":
                    problem_lines += [ln for ln in result.stdout.splitlines()
                                      if ln.strip() and " verified of " not in ln]
                assert problem_lines, (n, args, output)
                for line in problem_lines:
                    assert line.startswith(str(path)), (n, args, line)
            outcome[f"{args[0]} exit {result.exit_code}"] += 1
    assert not crashes, "\n".join(crashes)
    print(dict(outcome))
    assert outcome["loaded"] + outcome["refused"] == CASES
    assert outcome["refused"] > CASES // 3  # the mutations really break files


@pytest.mark.parametrize("text", [
    "topic: x\nvalue: !!float abc\n", "topic: x\ndate: 2024-02-30\n",
    "topic: x\nn: " + "9" * 5000 + "\n", "topic: x\nok: !!bool maybe\n",
    "topic: x\nbad: \"a\\x01b\"\nctrl: a\x01b\n",
])
def test_constructor_and_reader_errors_name_their_line(tmp_path, text):
    path = tmp_path / "f.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_document(path)
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.line == text.count("\n"), problem
    assert len(str(problem)) < 300


def test_non_utf8_bytes_are_reported_by_line_not_offset(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"topic: x\ntitle: caf\xe9 au lait\n")
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert str(caught.value) == f"{path}:2: not UTF-8 text: byte 0xe9 at column 11; save the " \
                                "file as UTF-8"


def test_a_huge_value_is_not_echoed(tmp_path):
    path = tmp_path / "f.yaml"
    huge = "k" * 50_000
    path.write_text(MIN_TOPIC.read_text() + f"{huge}: 1\nsources_dir_x: {huge}\n")
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert all(len(str(p)) < 1000 for p in caught.value.problems)


def test_config_and_rule_files_get_the_same_treatment(tmp_path):
    from explainer.document.config import load_config

    config = tmp_path / "explainer.yaml"
    config.write_text("brand:\n  organisation: x\n  footer: !!float abc\n")
    with pytest.raises(InputError) as caught:
        load_config(config)
    assert [str(p) for p in caught.value.problems] == [
        f"{config}:3: 'abc' cannot be read as a float (could not convert string to float: "
        "'abc'); correct it, or put it in quotes if it is text"]
    from explainer.document.load import read_yaml

    rule = tmp_path / "rule.yaml"
    rule.write_text("rules:\n  - id: x\n    since: 2024-02-30\n")
    with pytest.raises(InputError) as caught:
        read_yaml(rule, "rule file")
    assert str(caught.value).startswith(f"{rule}:3: '2024-02-30' cannot be read as a date")


@pytest.mark.parametrize("name", ['"a\\0b.txt"', "x" * 300 + ".txt", '"notes\\nfile.txt"'])
def test_source_file_names_the_file_system_cannot_hold_are_schema_errors(tmp_path, name):
    path = tmp_path / "f.yaml"
    text = MIN_TOPIC.read_text()
    line = text.splitlines().index(next(ln for ln in text.splitlines()
                                        if "file: walking_release.txt" in ln)) + 1
    path.write_text(text.replace("file: walking_release.txt", f"file: {name}"))
    with pytest.raises(InputError) as caught:
        load_document(path)
    [problem] = caught.value.problems
    assert problem.key == "sources[0].file" and problem.line == line, problem
    assert "file name" in problem.message


@pytest.mark.parametrize("command", ["validate", "check", "build"])
def test_a_findings_name_too_long_for_the_file_system_is_one_line(tmp_path, command):
    runner = CliRunner()
    name = str(tmp_path / ("x" * 300 + ".yaml"))
    args = [command, name] + (["--out", str(tmp_path / "out")] if command == "build" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "File name too long" in lines[0], lines
    assert lines[0].startswith(str(tmp_path)) and "Traceback" not in result.output
