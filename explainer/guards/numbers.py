"""Numbers locked to their evidence.

Two data checks, both naming the findings file line:

* a digit typed into reader-facing prose is an error unless it comes from a ``{placeholder}``
  (or is declared under ``number_exceptions``: years, list numbering, exact phrases); a
  digit inside a word ("mGluR5", "COVID-19", a DOI) is a name, not a quantity;
* every number of a structured figure (value, denominator, interval, p) must appear in one
  of its evidence quotes, written any usual way ("80.3%", "80.3 per cent", "80·3",
  "9,400", "P = .052"), or the figure is ``derived`` and its arithmetic, recomputed here,
  gives the value to the precision it is written with.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from ..document.load import LoadedDocument
from ..document.model import Document, Figure, KeyMessage, NumberExceptions
from ..document.prose import prose
from ..problems import Problem

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A run of characters that holds a digit; one with a letter in it is a name ("mGluR5").
_TOKEN = re.compile(r"[\w.,·/\u2010-\u2015%+-]*\d[\w.,·/\u2010-\u2015%+-]*")
_NUMBER = re.compile(
    r"\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?:[.·]\d+)?(?!\d)|\d+(?:[.·]\d+)?|[.·]\d+")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d(?:s|[,.;:)]*)?$")
_LIST = re.compile(r"(?:^|\n)\s*\(?\d{1,2}[.)](?=\s)")
_CONSTANTS = {Decimal(1), Decimal(10), Decimal(100), Decimal(1000), Decimal(10000),
              Decimal(100000)}


_WORDS = {w: Decimal(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen", "twenty"])}
_WORDS.update({w: Decimal(10 * i) for i, w in enumerate(
    ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=3)})
_WORD = re.compile(r"\b(?:" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


def numbers_in(text: str) -> list[Decimal]:
    """Every number written in a text, as a Decimal (thousands separators and the
    raised decimal point folded away; "three" counts as 3)."""
    out = [_WORDS[m.group(0).lower()] for m in _WORD.finditer(text)]
    for m in _NUMBER.finditer(text):
        raw = re.sub(r"[,\u202f\u00a0 ]", "", m.group(0)).replace("·", ".")
        try:
            out.append(Decimal(raw))
        except InvalidOperation:
            continue
    return out


def _as_decimal(value: object) -> Decimal | None:
    found = numbers_in(str(value))
    return found[0] if len(found) == 1 and re.fullmatch(r"\s*[-−]?[\d.,·]+\s*", str(value)) \
        else None


# --- digits typed into prose ------------------------------------------------------------

class _Declared:
    """The exceptions a text declares; its list numbers and phrases found once per text
    (and only once a token needs them), not once per number in it."""

    def __init__(self, text: str, rules: NumberExceptions):
        self.text, self.rules = text, rules
        self._lists: list[tuple[int, int]] | None = None
        self._phrases: dict[str, list[tuple[int, int]]] = {}

    def __call__(self, start: int, end: int, token: str) -> bool:
        rules = self.rules
        if rules.years and _YEAR.match(token.strip(".,;:")):
            return True
        if rules.list_numbering:
            if self._lists is None:
                self._lists = [m.span() for m in _LIST.finditer(self.text)]
            if any(a <= start < b for a, b in self._lists):
                return True
        # ``token`` is the text at start:end, so only a phrase holding it can cover it.
        return any(a <= start and end <= b for phrase in rules.phrases if token in phrase
                   for a, b in self._spans(phrase))

    def _spans(self, phrase: str) -> list[tuple[int, int]]:
        if phrase not in self._phrases:
            self._phrases[phrase] = list(_occurrences(phrase, self.text))
        return self._phrases[phrase]


def _occurrences(phrase: str, text: str) -> Iterator[tuple[int, int]]:
    """The spans ``re.finditer(re.escape(phrase), text)`` gives, without a regex."""
    if not phrase:
        yield from (m.span() for m in re.finditer("", text))
        return
    at = text.find(phrase)
    while at >= 0:
        yield at, at + len(phrase)
        at = text.find(phrase, at + len(phrase))  # matches do not overlap


_COMPOUND = re.compile(r"[\d.,·]+(?=[-\u2010-\u2015][^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")


def typed_numbers(text: str, rules: NumberExceptions) -> list[str]:
    """The numbers typed into a prose text outside placeholders and declared exceptions."""
    bare = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    declared = _Declared(bare, rules)
    found = []
    for m in _TOKEN.finditer(bare):
        raw = m.group(0)
        token = raw.strip(".,-/+")
        # "12-week" and "5-year" are quantities: the number is what comes before the hyphen.
        compound = _COMPOUND.match(token)
        if compound:
            token = compound.group(0)
        elif not token or _LETTER.search(token.replace("%", "")):  # a name: mGluR5
            continue
        start = m.start() + len(raw) - len(raw.lstrip(".,-/+"))
        if declared(start, start + len(token), token):
            continue
        found.append(token)
    return found


def _key_message_figures(doc: Document, loc: tuple) -> set[str]:
    """A key message's placeholders take the figures of the findings it rests on."""
    if not loc or loc[0] != "key_messages":
        return set()
    node: Any = doc  # models, then lists of them, down the key path
    for part in loc[:-1]:
        node = node[part] if isinstance(part, int) else getattr(node, part, None)
        if node is None:
            return set()
    if not isinstance(node, KeyMessage):
        return set()
    from ..render.keymessages import message_figures

    return set(message_figures(doc, node))


def typed_number_problems(loaded: LoadedDocument) -> list[Problem]:
    doc = loaded.doc
    problems = []
    for field in prose(doc):
        if not field.numbers_locked:
            continue
        text = field.text if field.finding is not None else doc.raw_text(field.loc, field.text)
        if field.finding is None:
            known = set(doc.figures) | _key_message_figures(doc, field.loc)
            for name in sorted(set(re.findall(r"\{([A-Za-z_]\w*)\}", text)) - known):
                problems.append(loaded.problem(field.loc, (
                    f"numbers: {{{name}}} is no document figure; define it under figures: at "
                    "the top level, with its evidence")))
        for token in typed_numbers(text, doc.number_exceptions):
            problems.append(loaded.problem(field.loc, (
                f"numbers: “{token}” is typed into prose; put it under a finding's figures: "
                "and write its {placeholder}, or declare it under number_exceptions:")))
    return problems


# --- figures and their evidence -------------------------------------------------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


def evaluate(expression: str, names: dict[str, Decimal]) -> tuple[Decimal, list[Decimal]]:
    """The value of ``a / b * 100``-style arithmetic over numbers and figure names, and the
    literal numbers it uses. Anything else is refused."""
    literals: list[Decimal] = []

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            value = Decimal(str(node.value))
            literals.append(value)
            return value
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        raise ValueError("use numbers, figure names, + - * / and brackets only")

    try:
        tree = ast.parse(expression.replace("×", "*").replace("÷", "/"), mode="eval")
    except SyntaxError:
        raise ValueError("not arithmetic") from None
    return walk(tree), literals


def _places(value: object) -> int:
    text = str(value)
    return len(text.split(".")[1]) if "." in text else 0


def _parts(fig: Figure) -> list[tuple[str, Decimal]]:
    parts = []
    for name, raw in (("value", fig.value), ("of", fig.of), ("p", fig.p)):
        if raw is not None and (value := _as_decimal(raw)) is not None:
            parts.append((name, value))
    if fig.ci is not None:
        parts += [("ci", Decimal(str(fig.ci.low))), ("ci", Decimal(str(fig.ci.high)))]
    if fig.value is not None and _as_decimal(fig.value) is None:
        parts += [("value", n) for n in numbers_in(str(fig.value))]
    return parts


def _in_quotes(number: Decimal, quotes: list[list[Decimal]]) -> bool:
    return any(abs(number) == abs(n) for q in quotes for n in q)


def figure_problems(loaded: LoadedDocument) -> list[Problem]:
    doc: Document = loaded.doc
    groups: list[tuple[tuple, dict[str, Figure], list]] = [
        (("figures",), doc.figures, [])]
    groups += [(("findings", i, "figures"), f.figures, f.evidence)
               for i, f in enumerate(doc.findings)]
    problems = []
    for where, figures, shared_evidence in groups:
        siblings = {name: v for name, fig in figures.items()
                    if (v := _as_decimal(fig.value)) is not None}
        for name, fig in figures.items():
            problems += _one_figure(loaded, (*where, name), name, fig,
                                    fig.evidence or shared_evidence, siblings)
    return problems


def _one_figure(loaded: LoadedDocument, loc: tuple, name: str, fig: Figure, evidence: list,
                siblings: dict[str, Decimal]) -> list[Problem]:
    """A figure's numbers that no evidence quote holds, or arithmetic that does not add up."""
    if not evidence and not fig.derived:
        return [loaded.problem(loc, (
            f"numbers: {name} has no evidence; give it evidence: with a quote that "
            "holds it, or derived: with the arithmetic"))]
    quotes = [numbers_in(ev.quote) for ev in evidence]
    problems = []
    if fig.derived:
        try:
            result, literals = evaluate(fig.derived, {k: v for k, v in siblings.items()
                                                      if k != name})
        except (ValueError, ZeroDivisionError, ArithmeticError) as exc:
            return [loaded.problem((*loc, "derived"), f"numbers: {exc}")]
        problems += _arithmetic_problems(loaded, loc, fig, result, literals, quotes)
        checked = [(k, v) for k, v in _parts(fig) if k != "value"]
    else:
        checked = _parts(fig)
    for part, number in checked:
        if not _in_quotes(number, quotes):
            problems.append(loaded.problem((*loc, part), (
                f"numbers: {name} {part} {number} is in none of its evidence quotes; "
                "correct it, quote the passage that gives it, or declare it derived: "
                "with the arithmetic")))
    return problems


def _arithmetic_problems(loaded: LoadedDocument, loc: tuple, fig: Figure, result: Decimal,
                         literals: list[Decimal], quotes: list[list[Decimal]]) -> list[Problem]:
    """A derived figure whose arithmetic gives another value, or uses an unquoted number."""
    problems = []
    value = _as_decimal(fig.value)
    places = _places(fig.value)
    if value is None or round(result, places) != value:
        problems.append(loaded.problem((*loc, "derived"), (
            f"numbers: {fig.derived} = {round(result, places + 2)}, "
            f"not {fig.value}")))
    for lit in literals:
        if lit not in _CONSTANTS and not _in_quotes(lit, quotes):
            problems.append(loaded.problem((*loc, "derived"), (
                f"numbers: {lit} in the arithmetic is in none of the evidence "
                "quotes")))
    return problems


def number_problems(loaded: LoadedDocument) -> list[Problem]:
    return typed_number_problems(loaded) + figure_problems(loaded)
