"""What to fix, where: every hard or long sentence, long word, passive verb and plainer word of a
scored draft as a diagnostic with a line and column in the file, in the forms editors' tools
read: ``file:line:col: level: message`` (like Vale), JSON, GitHub Actions annotations and SARIF.

Positions come from finding each scored sentence back in the input: its words, in order, among
the words of the file (tags, entities and Markdown syntax in between are skipped). Lines count
from 1, columns count characters from 1. For .docx, .odt and tagged PDFs a "line" is a
paragraph, in reading order (the body, then notes).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from .formulas import long_words_in, passive_spans, plain_word_spans

if TYPE_CHECKING:
    from .scoring import DocumentScore

Level = Literal["error", "warning", "suggestion"]
RULES: dict[str, tuple[Level, str]] = {  # rule id -> (level, what it flags)
    "very-hard-sentence": ("error", "A sentence at or above the audience's 'very hard' grade."),
    "hard-sentence": ("warning", "A sentence at or above the audience's 'hard' grade."),
    "long-sentence": ("warning", "A sentence longer than the audience's word limit."),
    "long-word": ("suggestion", "A word of 3+ syllables that most readers may not know."),
    "passive": ("suggestion", "A passive verb: say who does what."),
    "plain-word": ("suggestion", "A word with a plainer alternative (rules/plain_words.yaml)."),
}
_TOKEN = re.compile(r"\w+")
_MARKUP = re.compile(r"<[^<>]{0,2000}>|&#?\w{1,12};")
_MAX_GAP = 12  # source words allowed between two words of a sentence (link targets, markup)
_WINDOW = 50_000  # source words searched ahead for a sentence before giving up


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    level: Level
    rule: str
    message: str
    sentence: str  # the whole sentence it is in
    text: str  # what it points at: the sentence, word or phrase

    def plain(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _comments(source: str) -> list[tuple[int, int]]:
    """Spans of HTML comments, an unclosed one to the end (one pass: no regex retried at every
    "<!--", which was quadratic on "<!--" x n)."""
    spans = []
    at = 0
    while (start := source.find("<!--", at)) >= 0:
        end = source.find("-->", start + 4)
        end = len(source) if end < 0 else end + 3
        spans.append((start, end))
        at = end
    return spans


class _Locator:
    """Finds sentences and words of the scored text back in the source, moving forward."""

    def __init__(self, source: str, markup: bool) -> None:
        self.source = source
        hidden: list[tuple[int, int]] = []
        if markup:
            hidden = sorted(_comments(source) + [m.span() for m in _MARKUP.finditer(source)])
        tokens: list[tuple[int, str]] = []
        h = 0
        for m in _TOKEN.finditer(source):
            while h < len(hidden) and hidden[h][1] <= m.start():
                h += 1
            if h < len(hidden) and hidden[h][0] <= m.start() < hidden[h][1]:
                continue  # a tag name, an attribute, an entity
            tokens.append((m.start(), m.group().lower()))
        self.offsets = [o for o, _ in tokens]
        self.words = [w for _, w in tokens]
        self.cursor = 0
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", source)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def _align_from(self, start: int, words: list[str]) -> list[int] | None:
        if self.words[start] != words[0]:
            return None
        found = [start]
        at = start
        for w in words[1:]:
            limit = min(len(self.words), at + 1 + _MAX_GAP)
            nxt = next((j for j in range(at + 1, limit) if self.words[j] == w), None)
            if nxt is None:
                if len(found) < 3:
                    return None
                found.append(min(at + 1, len(self.words) - 1))  # keep going: approximate
                at = found[-1]
                continue
            found.append(nxt)
            at = nxt
        return found

    def sentence(self, sentence: str) -> tuple[list[int], list[int]] | None:
        """(character offsets of the sentence's words in the source, each word's offset in the
        sentence), or None when it cannot be found."""
        spans = list(_TOKEN.finditer(sentence))
        if not spans or not self.words:
            return None
        words = [m.group().lower() for m in spans]
        for lo, hi in ((self.cursor, min(len(self.words), self.cursor + _WINDOW)),
                       (max(0, self.cursor - _WINDOW), min(self.cursor, len(self.words)))):
            for i in range(lo, hi):
                if self.words[i] == words[0]:
                    aligned = self._align_from(i, words[:3])
                    if aligned is None:
                        continue
                    full = self._align_from(i, words) or aligned
                    self.cursor = full[-1] + 1
                    full += [full[-1]] * (len(words) - len(full))
                    return [self.offsets[j] for j in full], [m.start() for m in spans]
        return None


def _at(offsets: list[int], in_sentence: list[int], offset: int) -> int:
    """The source offset of the sentence's character at ``offset`` (the word that holds it)."""
    i = max(0, bisect.bisect_right(in_sentence, offset) - 1)
    return offsets[i] if offsets else 0


def diagnostics_for(path: str, source: str, fmt: str, score: DocumentScore,
                    glossary_terms: set[str] | frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every diagnostic of ``score``, positioned in ``source`` (the file's text as read)."""
    from .formulas import explained_forms
    from .inflection import suggest

    locator = _Locator(source, markup=fmt in ("html", "md"))
    rule = score.target.sentences
    explained = explained_forms(glossary_terms)
    found: list[Diagnostic] = []

    def add(rule_id: str, where: tuple[int, int], message: str, sentence: str, text: str) -> None:
        found.append(Diagnostic(path, where[0], where[1], RULES[rule_id][0], rule_id, message,
                                sentence, text))

    for section in score.sections:
        for block in section.blocks:
            for s in block:
                located = locator.sentence(s.text)
                if located is None:
                    offsets, in_sentence = [0], [0]
                else:
                    offsets, in_sentence = located
                start = locator.position(offsets[0])
                if s.level != "ok":
                    label = "very hard" if s.level == "very_hard" else "hard"
                    add(f"{s.level.replace('_', '-')}-sentence", start,
                        f"{label} sentence: grade {s.grade:g}, {s.words} words (split it or use "
                        f"shorter words)", s.text, s.text)
                if s.words > rule.long_words:
                    add("long-sentence", start, f"long sentence: {s.words} words (over "
                        f"{rule.long_words})", s.text, s.text)
                for begin, _, info, _ in long_words_in(s.text, explained):
                    add("long-word", locator.position(_at(offsets, in_sentence, begin)),
                        f"long word '{info.text}' ({info.syllables} syllables): explain it or "
                        f"use a shorter one", s.text, info.text)
                for begin, phrase in passive_spans(s.text):
                    add("passive", locator.position(_at(offsets, in_sentence, begin)),
                        f"passive verb '{phrase}': say who does it", s.text, phrase)
                for begin, written, previous, entry in plain_word_spans(s.text):
                    advice = suggest(written, entry.plain, previous)
                    message = (f"plainer word: '{advice.found}' -> {advice.describe()}"
                               if advice.swap else
                               f"plainer word for '{written}': {advice.describe()}")
                    add("plain-word", locator.position(_at(offsets, in_sentence, begin)),
                        message, s.text, written)
    order = list(RULES)
    found.sort(key=lambda d: (d.line, d.col, order.index(d.rule)))
    return found


# ---------------------------------------------------------------------------------------------
# Output forms


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}


def github_line(d: Diagnostic) -> str:
    """A GitHub Actions workflow command: an annotation on the file, line and column."""
    return (f"::{_GITHUB_LEVEL[d.level]} file={_github_escape(d.path, prop=True)},"
            f"line={d.line},col={d.col},title={_github_escape(d.rule, prop=True)}::"
            f"{_github_escape(d.message)}")


_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def sarif(diagnostics: list[Diagnostic], misses: list[tuple[str, str]], version: str) -> dict:
    """A SARIF 2.1.0 log: one result per diagnostic, and one per file over its target."""
    rules = [{"id": rid, "shortDescription": {"text": text},
              "defaultConfiguration": {"level": _SARIF_LEVEL[level]}}
             for rid, (level, text) in RULES.items()]
    rules.append({"id": "over-target", "shortDescription": {"text": "A file over its "
                  "audience's readability target."}, "defaultConfiguration": {"level": "error"}})
    results: list[dict[str, Any]] = []
    for d in diagnostics:
        results.append({
            "ruleId": d.rule,
            "level": _SARIF_LEVEL[d.level],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": d.path},
                "region": {"startLine": d.line, "startColumn": d.col,
                           "snippet": {"text": d.text}},
            }}],
            "properties": {"sentence": d.sentence},
        })
    for path, message in misses:
        results.append({"ruleId": "over-target", "level": "error", "message": {"text": message},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}]})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "explainer", "version": version, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def sarif_text(diagnostics: list[Diagnostic], misses: list[tuple[str, str]], version: str
               ) -> str:
    return json.dumps(sarif(diagnostics, misses, version), indent=2)
