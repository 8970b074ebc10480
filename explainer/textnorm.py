"""Typographic folding shared by the quote check, the caveat proof and the claim guard.

Copying text between a source, a findings file, an HTML page and a PDF changes typography but
not words: curly quotes and apostrophes become straight ones or back, dashes become hyphens,
spaces become non-breaking, and invisible characters (soft hyphens, zero-width spaces, a byte
order mark) come and go. :func:`fold` undoes all of that in one way for every module, so that
they agree on what counts as the same text. Each caller adds its own steps on top (the quote
check keeps a map back to source offsets, the caveat proof joins words a PDF hyphenated).
"""

from __future__ import annotations

import re

# One character for one (FOLD), so a caller can keep offsets into the original text.
SINGLE_QUOTES = "‘’‚‛′ʼ`´"  # curly single quotes, apostrophes and the prime -> '
DOUBLE_QUOTES = "“”„‟″«»"  # curly double quotes, guillemets and the double prime -> "
HYPHENS = "\u2010\u2011"  # hyphen, non-breaking hyphen -> -
DASHES = "\u2012\u2013\u2014\u2015\u2212"  # figure, en, em dash, horizontal bar, minus -> -
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
         "\u202f\u205f\u3000"  # no-break, en, em, thin, narrow no-break and other spaces -> " "
SOFT_HYPHEN = "\u00ad"
# Invisible characters that copy-and-paste from web pages and PDFs leaves behind: removed.
DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff" + SOFT_HYPHEN)

FOLD: dict[int, str] = str.maketrans(
    {**dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DOUBLE_QUOTES, '"'),
     **dict.fromkeys(HYPHENS + DASHES, "-"), **dict.fromkeys(SPACES, " ")})
_INVISIBLE = dict.fromkeys(map(ord, DROP - {SOFT_HYPHEN}))  # the soft hyphen: _SOFT_BREAK
_TABLE = {**FOLD, **_INVISIBLE}
_TABLE_NO_DASHES = {k: v for k, v in _TABLE.items() if chr(k) not in DASHES}
_FOLDABLE = re.compile("[" + "".join(map(re.escape, map(chr, _TABLE))) + "]")
_FOLDABLE_NO_DASHES = re.compile("[" + "".join(map(re.escape, map(chr, _TABLE_NO_DASHES))) + "]")
# A soft hyphen marks where a word may break; at a line end (text read back from a PDF) the
# word goes on after the line break, so the break goes too. Before a space it breaks nothing,
# and the space stays ("not\u00ad an" is "not an").
_SOFT_BREAK = re.compile(rf"{SOFT_HYPHEN}(?:[ \t]*\r?\n[ \t]*)?")


def fold(text: str, *, dashes: bool = True) -> str:
    """``text`` with quotes, apostrophes and primes straight, hyphens and dashes as ``-``,
    every kind of space as a plain space and invisible characters removed (a soft hyphen
    together with a line break after it).

    ``dashes=False`` keeps en and em dashes (and the figure dash, horizontal bar and minus)
    for a caller to whom a dash is punctuation rather than a hyphen.
    """
    table, foldable = (_TABLE, _FOLDABLE) if dashes else (_TABLE_NO_DASHES, _FOLDABLE_NO_DASHES)
    # str.translate with this table looks up every character (a third of a millisecond for a
    # page); a text holds a few of them, so they are found by a pattern and only they mapped.
    text = foldable.sub(lambda m: table[ord(m[0])] or "", text)
    return _SOFT_BREAK.sub("", text) if SOFT_HYPHEN in text else text


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list: how modules write their word lists."""
    return frozenset(text.split())
