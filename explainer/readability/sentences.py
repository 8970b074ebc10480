"""Sentence splitting that survives medical writing.

A full stop does not always end a sentence: "Dr. Jelen", "e.g. ketamine", "Jelen et al. (2025)",
"L. A. Jelen", "0.5 mg/kg", "r=0.56", "https://doi.org/10.1038/x". And a sentence does not always
end with a full stop: a heading, a list item or a table cell is read as a unit of its own. So text
is first cut into blocks (lines, list items, paragraphs) and sentences are found within blocks.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Never end a sentence after these (compared lower-case, without the final full stop).
_ABBREVIATIONS = _words(
    """dr mr mrs ms mx prof rev hon st mt vs v e.g eg i.e ie cf fig figs eq eqs approx ca
    c incl dept univ est min max avg lt col gen sgt capt jan feb mar apr jun jul aug sep sept oct
    nov dec mon tue wed thu fri sat sun ed eds trans viz resp"""
)
# Abbreviations of this kind only before a number: "No. 5", "p. 12", "vol. 3".
_BEFORE_NUMBER = _words("no nos p pp vol vols ch sec para art")
# These end sentences often enough ("... in the U.K. The study"), so they end one when the next
# word is a common way to start a sentence.
_WEAK_ABBREVIATIONS = _words("etc inc ltd co corp plc jr sr al")
_SENTENCE_STARTERS = _words(
    """the this that these those it its in on at we they he she you i a an but and however there
    our their his her what when where why how if as for so yet after before during while although
    though because since some many most all no not one two three both each other such then also
    researchers patients people doctors"""
)
# A capital letter and a full stop is an initial ("L. A. Jelen") unless one of these precedes it.
_LETTER_NAMES = _words(
    "vitamin group type phase arm plan class grade stage part appendix section schedule "
    "hepatitis category level model option table figure box"
)
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, e.g, a.m, Ph.D
# A sentence end, with the closing quotes, brackets and emphasis marks that follow it:
# "a striking truth!" and _Help!_ (italics in plain-text books) end where the mark closes.
_END = re.compile(r"[.!?…]+[\"'”’)\]»›*_]*(?=\s)")
_OPENERS = "\"'“‘([«‹*_¡¿"
_NEXT_CHAR = re.compile(r"\s*(\S?)(\S?)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•+–·▪‣◦]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\([A-Z]\))\s+")
_HAS_WORD = re.compile(r"[^\W\d_]")  # a letter: page numbers and bare figures are not prose
_WRAPPED_LINE = 50  # characters: a line this long that runs on is wrapped prose, not a heading


def split_blocks(text: str) -> list[str]:
    """Cut plain text into blocks: paragraphs, list items and lines that stand alone.

    Hard-wrapped prose (as in a PDF) is joined back: a line runs on into the next when the next
    starts in lower case, or when it is long enough to be a wrapped line of a paragraph.
    """
    blocks: list[str] = []
    current: list[str] = []
    previous = ""
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            _flush(current, blocks)
            previous = ""
            continue
        marker = _LIST_MARKER.match(line)
        if marker:
            _flush(current, blocks)
            line = line[marker.end():]
        elif current and not _runs_on(previous, line):
            _flush(current, blocks)
        if current and current[-1].endswith("-") and line[:1].islower():
            current[-1] += line  # a word broken over two lines: treat-ment
        else:
            current.append(line)
        previous = line
    _flush(current, blocks)
    return blocks


def _runs_on(previous: str, line: str) -> bool:
    if line[:1].islower():
        return True
    return len(previous) >= _WRAPPED_LINE or previous.endswith(",")


def _flush(lines: list[str], blocks: list[str]) -> None:
    if lines:
        block = " ".join(lines)
        if _HAS_WORD.search(block):
            blocks.append(block)
        lines.clear()


def split_block(block: str) -> list[str]:
    """Sentences of one block (a paragraph, list item, heading or table cell)."""
    block = " ".join(block.split())
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(block):
        end = match.end()
        if _ends_sentence(block, match.start(), end):
            _keep(block[start:end], sentences)
            start = end
    _keep(block[start:], sentences)
    return sentences


def _keep(sentence: str, sentences: list[str]) -> None:
    sentence = sentence.strip()
    if sentence and _HAS_WORD.search(sentence):
        sentences.append(sentence)


def _ends_sentence(block: str, stop: int, end: int) -> bool:
    # Look at the next characters in place: copying the rest of the block at every full stop
    # made a long one-line block quadratic.
    ahead = _NEXT_CHAR.match(block, end)
    first, second = ahead.group(1), ahead.group(2)  # type: ignore[union-attr]
    if not first:
        return True
    following_at = ahead.start(1)  # type: ignore[union-attr]
    if first in _OPENERS and second:
        first = second
    if not (first.isupper() or first.isdigit()):
        return False  # "e.g. ketamine", "approx. three", "Why? because"
    if block[stop] != ".":
        return True  # ! ? … end a sentence before a capital
    if block[stop:end].startswith(".."):
        return True  # ellipsis before a capital
    space = block.rfind(" ", 0, stop)
    token = block[space + 1:stop].lstrip(_OPENERS)
    lower = token.lower()
    next_word = _NEXT_WORD.match(block, following_at)
    next_lower = next_word.group(1).lower() if next_word else ""
    if lower in _ABBREVIATIONS:
        return False
    if lower in _BEFORE_NUMBER:
        return not first.isdigit()
    if lower in _WEAK_ABBREVIATIONS or _DOTTED.match(token):
        if lower == "al" and block[max(0, space - 8):space].rstrip().lower().endswith("et"):
            return next_lower in _SENTENCE_STARTERS and next_lower not in ("in", "on", "a")
        return next_lower in _SENTENCE_STARTERS
    if len(token) == 1 and token.isupper():
        previous_space = block.rfind(" ", 0, space) if space > 0 else -1
        previous_word = block[previous_space + 1:space].lower() if space > 0 else ""
        return previous_word in _LETTER_NAMES
    return True


_NEXT_WORD = re.compile(r"[\"'“‘(\[«‹*_¡¿]*([\w’']+)")


def split_sentences(text: str) -> list[str]:
    """Sentences of plain text: blocks first, then sentences within each block."""
    return [s for block in split_blocks(text) for s in split_block(block)]
