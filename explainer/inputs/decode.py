"""Bytes of a text file -> text, one way for every command (score, sources, check, draft).

UTF-8, with a byte order mark dropped. A byte that is not part of valid UTF-8 is read as
Windows-1252, the legacy encoding of most non-UTF-8 English text (a Word export, an old web
page saved from a browser), so "caf\\xe9" reads as "café" whether the whole file is in that
encoding or a single pasted line is; the five bytes Windows-1252 leaves undefined become
U+FFFD. Decoding never fails and never drops a character: a quote around a bad byte still
verifies, and ``score`` and ``check`` see the same text. Binary data is refused by the
callers that must (``score``), before decoding.
"""

from __future__ import annotations

import codecs

_HANDLER = "explainer-cp1252"


def _cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error(_HANDLER, _cp1252)


def decode_text(data: bytes) -> str:
    """``data`` as text: UTF-8 (BOM dropped), any other byte as Windows-1252."""
    return data.decode("utf-8-sig", errors=_HANDLER)
