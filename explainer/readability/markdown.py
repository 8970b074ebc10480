"""Markdown to blocks: enough of the syntax to score the prose (headings apart, code, tables,
links and HTML comments taken out), not a renderer."""

from __future__ import annotations

import re

from .sentences import split_blocks

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
# Every pattern is linear: a construct cannot run over the mark that would open another one
# ("![" x 20k, "_a " x 20k), and spans are bounded, so hostile input costs no more than prose.
_INLINE = [
    (re.compile(r"!\[[^\]\[\n]{0,1000}\]\([^()\n]{0,2000}\)"), ""),  # images
    (re.compile(r"\[\^[^\]\[\n]{1,200}\]"), ""),  # footnote references
    (re.compile(r"\[([^\]\[\n]{1,1000})\]\([^()\n]{0,2000}\)"), r"\1"),  # links
    (re.compile(r"\[([^\]\[\n]{1,1000})\]\[[^\]\[\n]{0,200}\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^<>\s]{1,2000})>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]{0,2000}>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code spans
    (re.compile(r"(\*{1,3})(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\1"), r"\2"),  # emphasis
    (re.compile(r"(_{1,3})(?=[^\s_])([^_\n]{1,2000}?)(?<=[^\s_])\1"), r"\2"),
    (re.compile(r"~~([^~\n]{1,2000})~~"), r"\1"),  # strikethrough
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # escapes
]


def drop_comments(text: str) -> str:
    """Text without HTML comments; an unclosed one runs to the end, as in CommonMark's HTML
    blocks. One pass with str.find: a regex retried at every "<!--" was quadratic."""
    parts: list[str] = []
    at = 0
    while True:
        start = text.find("<!--", at)
        if start < 0:
            parts.append(text[at:])
            return "".join(parts)
        parts.append(text[at:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(parts)
        at = end + 3


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def markdown_blocks(markdown: str) -> tuple[list[str], list[str]]:
    """(body blocks, headings) of a Markdown document, with the syntax stripped."""
    lines = _without_front_matter(drop_comments(markdown.replace("\r\n", "\n")).split("\n"))
    body: list[str] = []
    headings: list[str] = []
    in_fence = skip = False
    for i, line in enumerate(lines):
        if skip:  # the underline of a setext heading
            skip = False
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            body.append("")
            continue
        if in_fence or _LINK_DEFINITION.match(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        previous = lines[i - 1] if i > 0 else ""
        heading = _ATX.match(line)
        if heading or (line.strip() and _SETEXT.match(following) and not previous.strip()):
            headings.append(_inline(heading.group(1) if heading else line.strip()))
            body.append("")
            skip = not heading
            continue
        body += _body_lines(line, previous, following)
    return split_blocks("\n".join(body)), [h for h in headings if h]


def _without_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")),
                   None)
        if end is not None:
            return lines[end + 1:]
    return lines


def _body_lines(line: str, previous: str, following: str) -> list[str]:
    """What one line that is not a heading, fence or link definition adds to the body text:
    a rule ends a block, each table cell is a block of its own, the rest is stripped inline."""
    if _RULE.match(line):
        return [""]
    line = re.sub(r"^\s{0,3}(>\s?)+", "", line)  # block quotes
    line = re.sub(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[[ xX]\]\s+", r"\1", line)  # task lists
    if "|" in line and (line.lstrip().startswith("|") or _TABLE_SEPARATOR.match(following)
                        or _TABLE_SEPARATOR.match(previous)):
        if _TABLE_SEPARATOR.match(line):
            return []
        return [part for cell in line.strip().strip("|").split("|")
                for part in ("", _inline(cell.strip()), "")]
    return [_inline(line)]
