""""Put this value in quotes": the fix for YAML errors that an unquoted value causes.

A verbatim quote full of ": ", brackets or commas makes PyYAML report "mapping values are not
allowed here" or, worse, parse silently into extra keys that the schema then calls unknown.
Both send a first-time user to the indentation. This module looks at the raw line a problem
points at and, when its value is what broke, says so and shows the line written with quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

# "key: value" (possibly after "- " list dashes) or a bare "- value" list item.
_KEY_VALUE = re.compile(
    r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[A-Za-z_][\w -]*?):[ \t]+(?P<value>\S.*?)\s*$")
_ITEM = re.compile(r"^(?P<lead>\s*(?:-\s+)+)(?P<value>\S.*?)\s*$")
_INDICATORS = {"*": "an alias (*name)", "&": "an anchor (&name)", "!": "a tag (!name)",
               "%": "a directive", "@": "a reserved character", "`": "a reserved character"}


def _quoted(value: str) -> str:
    """The value as a YAML double-quoted scalar (single quotes when it holds a double one)."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow_problem(value: str) -> str | None:
    """Why a value written as a flow list/mapping ([...] or {...}) does not mean what it says."""
    try:
        data = yaml.safe_load(value)
    except yaml.YAMLError:
        return "it starts with a bracket, so YAML reads it as a list or mapping, and that broke"
    if isinstance(data, dict) and any(v is None for v in data.values()):
        return ("a comma inside a value split the mapping into extra keys "
                f"({', '.join(repr(k) for k, v in data.items() if v is None)})")
    if value.startswith("[") and not value.rstrip().endswith("]"):
        return "it starts with a bracket, so YAML reads it as a list"
    return None


def quote_hint(line: str) -> str | None:
    """If the value on this raw YAML line needs quotes, the message that says so, else None."""
    m = _KEY_VALUE.match(line) or _ITEM.match(line)
    if not m:
        return None
    value = m.group("value")
    key = m.groupdict().get("key")
    first = value[0]
    if first in "|>":
        return None  # a block scalar: its text is on the following lines
    why: str | None = None
    fix_value = value
    if first in "[{":
        why = _flow_problem(value)
        if why and value.rstrip().endswith("]" if first == "[" else "}"):
            # A whole list or mapping was meant: only the value inside it needs quotes.
            return ("put this value in quotes: the one inside the brackets that holds a comma, "
                    f"': ' or bracket ({why}), e.g. {{source: a, quote: \"one: two, three\"}}")
    elif first in "\"'":
        body = value.split(" #")[0].rstrip()
        if len(body) < 2 or body[-1] != first or (first == '"' and body.endswith('\\"')):
            why = "it starts with a quote mark but does not end with one"
    elif first in _INDICATORS:
        why = f"it starts with {first!r}, which YAML reads as {_INDICATORS[first]}"
    elif ": " in value or value.endswith(":"):
        why = "it contains ': ', which YAML reads as the start of another key"
    elif re.search(r"\s#\S", value):
        why = "it contains ' #', and YAML drops everything after it as a comment"
    if why is None:
        return None
    written = f"{key}: {_quoted(fix_value)}" if key else f"- {_quoted(fix_value)}"
    return f"put this value in quotes ({why}): {written}"


def hint_for_lines(lines: list[str], candidates: Iterable[int | None]) -> tuple[int, str] | None:
    """The first of ``candidates`` (1-based line numbers) whose value needs quotes."""
    for n in candidates:
        if n and 1 <= n <= len(lines):
            hint = quote_hint(lines[n - 1])
            if hint:
                return n, hint
    return None


def syntax_hint(text: str, exc: yaml.YAMLError) -> tuple[int, str] | None:
    """For a YAML syntax error: (line, message) when an unquoted value caused it."""
    lines = text.splitlines()
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    # The value at fault is on the reported line, the context line or the line just above.
    candidates = [line, context.line + 1 if context else None, line - 1 if line else None]
    return hint_for_lines(lines, candidates)


def add_quote_hints(path: Path, problems: list) -> list:
    """Schema problems whose line holds a value that needs quotes get that fix appended
    (a comma in a {...} mapping turns into 'unknown key'). Read on the error path only."""
    from dataclasses import replace

    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return problems
    out = []
    for p in problems:
        found = hint_for_lines(lines, [p.line])
        out.append(replace(p, message=f"{p.message}; {found[1]}") if found else p)
    return out


# Keys whose values are prose or verbatim quotes: a " #" after one of them is far more likely
# part of the text than a comment, and YAML silently drops it.
PROSE_KEYS = frozenset({"quote", "text", "patient", "clinician", "press", "plain", "headline",
                        "lede", "handling", "status_note"})


def dropped_comments(path: Path) -> list[tuple[int, str, str]]:
    """(line, key, message) for each unquoted prose value followed by a ' #' comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    if " #" not in text:
        return []
    root = node_tree(text)
    if root is None:
        return []
    lines = text.splitlines()
    found = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if (isinstance(value, yaml.ScalarNode) and not value.style  # plain
                        and key.value in PROSE_KEYS and value.end_mark.line < len(lines)):
                    rest = lines[value.end_mark.line][value.end_mark.column:]
                    if re.match(r"\s+#", rest):
                        whole = f"{value.value}{rest.rstrip()}"
                        found.append((value.end_mark.line + 1, str(key.value),
                                      "the text after ' #' is read as a comment and dropped; if "
                                      f"it belongs to the value, put this value in quotes: "
                                      f"{key.value}: {_quoted(whole)}"))
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found)


def node_tree(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (for line numbers), or None when it does not parse:
    callers that only add warnings leave the error to the loader."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
