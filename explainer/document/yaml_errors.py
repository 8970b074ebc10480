"""YAML failures that PyYAML does not report with a line, turned into one-line problems.

Three kinds reach us without a usable mark:

* bytes that are not UTF-8 (Python's decoder gives a byte offset);
* characters YAML refuses, such as control characters (a ReaderError gives a position);
* values the safe constructor rejects with a plain Python exception rather than a
  YAMLError: a bad ``!!float`` or ``!!int``, ``!!bool maybe``, an impossible date, an
  integer with more digits than Python converts. The failing node is found again by
  constructing each scalar on its own, so the message names its line.

No message carries more than a short piece of the offending value. Nothing here imports
pydantic, so the rules loader can use it too.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..problems import Problem

# What the safe constructor raises besides YAMLError on a bad value.
CONSTRUCTOR_ERRORS = (ValueError, KeyError, TypeError, OverflowError, IndexError,
                      RecursionError)
_SHOWN = 40


def shown_value(value: object) -> str:
    """A value as it may appear in a message: repr, control characters escaped, cut short."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "...'"


def decode_problem(path: Path | str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """Non-UTF-8 bytes, named by line and column rather than byte offset."""
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = raw[exc.start:exc.start + 1].hex()
    return Problem(str(path), line, "", f"not UTF-8 text: byte 0x{byte} at column {column}; "
                   "save the file as UTF-8")


def reader_problem(path: Path | str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a control character, say), with its line."""
    position = exc.position if isinstance(exc.position, int) else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character
    code = f"U+{ord(char) if isinstance(char, str) else int(char or 0):04X}"
    return Problem(str(path), line, "", f"character {code} at column {column} is not allowed "
                   "in YAML (control characters cannot be written in a file; remove it)")


def constructor_problem(path: Path | str, node: yaml.Node | None,
                        exc: BaseException) -> Problem:
    """A value the safe constructor refused with a plain exception, at the line it is on."""
    bad = _failing_scalar(node) if node is not None else None
    reason = _reason(exc)
    if bad is None:
        line = node.start_mark.line + 1 if node is not None else None
        return Problem(str(path), line, "", f"a value cannot be read: {reason}")
    scalar, tag = bad
    kind = {"timestamp": "a date", "int": "an integer"}.get(tag, f"a {tag}")
    return Problem(str(path), scalar.start_mark.line + 1, "",
                   f"{shown_value(scalar.value)} cannot be read as {kind} ({reason}); "
                   "correct it, or put it in quotes if it is text")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, KeyError):
        return "not a value of this type"
    text = " ".join(str(exc).split(";")[0].split())  # drop Python's advice on set_int_max...
    return text if len(text) <= 120 else text[:117] + "..."


def _failing_scalar(root: yaml.Node) -> tuple[yaml.ScalarNode, str] | None:
    """The first scalar, in file order, that the safe constructor cannot build."""
    constructor = yaml.SafeLoader("")
    stack, seen = [root], set()
    scalars: list[yaml.ScalarNode] = []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            scalars.append(node)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    for node in sorted(scalars, key=lambda n: n.start_mark.index):
        try:
            constructor.construct_object(node, deep=True)
        except CONSTRUCTOR_ERRORS:
            return node, node.tag.rsplit(":", 1)[-1]
        except yaml.YAMLError:
            continue
    return None
