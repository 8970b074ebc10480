"""TODO placeholders: warnings while a findings file is a draft, a refusal when it is published.

``explainer new`` and ``explainer draft`` leave the wording a person must write as values that
contain ``TODO``. ``explainer check`` lists each with its line (a warning). A build of a file
marked ``draft: true`` renders them on outputs marked DRAFT; a build without it publishes,
and an output whose visible text still shows a TODO is refused (not written) with the line of
each placeholder it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from ..problems import Problem

if TYPE_CHECKING:
    from .load import LoadedDocument, Loc

MARK = "TODO"
_MARK = re.compile(r"\bTODO\b")


@dataclass(frozen=True)
class Placeholder:
    loc: Loc
    line: int
    text: str


def placeholders(loaded: LoadedDocument) -> list[Placeholder]:
    """Every scalar value of the findings file that holds TODO, with its key path and line."""
    try:
        text = loaded.path.read_text(encoding="utf-8")
    except OSError:
        return []
    if MARK not in text:
        return []
    from .yaml_hints import node_tree

    root = node_tree(text)
    if root is None:
        return []
    found: list[Placeholder] = []
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if _MARK.search(node.value):
                found.append(Placeholder(loc, node.start_mark.line + 1, node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((v, (*loc, k.value)) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node.value))
    return sorted(found, key=lambda p: p.line)


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def todo_problems(loaded: LoadedDocument) -> list[Problem]:
    """One warning per TODO placeholder, for `explainer check`."""
    from .load import dotted

    return [Problem(str(loaded.path), p.line, dotted(p.loc),
                    f"TODO placeholder left: {_short(p.text)!r}", "warning")
            for p in placeholders(loaded)]


def _folded(text: str) -> str:
    return " ".join(text.split()).lower()


def publish_problems(loaded: LoadedDocument, text: str, output: str) -> list[Problem]:
    """For a published (non-draft) build: an error for each TODO the output's visible text
    still shows, naming the findings line to edit. Empty for a draft."""
    if loaded.doc.draft or not _MARK.search(text):
        return []
    from .load import dotted

    shown = _folded(text)
    places = placeholders(loaded)
    # A placeholder is shown when its text (or its first words, once placeholders are filled
    # in) is in the output; if none can be matched, name them all rather than none.
    hits = [p for p in places if _folded(p.text)[:40] in shown] or places
    where = f"{output}: " if output else ""
    if not hits:
        return [Problem(output, None, "todo", "the output shows 'TODO'; replace it before "
                        "publishing, or set draft: true")]
    return [Problem(str(loaded.path), p.line, dotted(p.loc),
                    f"{where}not published: it still shows the TODO {_short(p.text)!r}; write "
                    "the text, or set draft: true to build a marked draft") for p in hits]
