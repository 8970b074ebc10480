"""One problem = one line a user can act on: file, line, key, message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAX_MESSAGE = 600


def one_line(text: str, limit: int) -> str:
    """``text`` with control characters escaped, cut to ``limit`` characters."""
    text = str(text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    key: str
    message: str
    level: Literal["error", "warning"] = "error"

    def __post_init__(self) -> None:
        # One line a person can read: no control characters (a newline would split the
        # line), and no 5 MB value echoed whole.
        for name, limit in (("file", 240), ("key", 160), ("message", MAX_MESSAGE)):
            object.__setattr__(self, name, one_line(getattr(self, name), limit))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        tag = "" if self.level == "error" else " warning:"
        return f"{where}:{tag}{key} {self.message}"


class InputError(Exception):
    """Bad input: the CLI prints each problem on one line and exits 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]
