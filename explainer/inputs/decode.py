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
import re

# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_MULTIBYTE = (rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
              rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
              rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_ANY_MULTIBYTE = re.compile(_MULTIBYTE)
_HANDLER = "explainer-cp1252"


def _cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return bytes(error.object[error.start:error.end]).decode("cp1252", errors="replace"), \
        error.end


codecs.register_error(_HANDLER, _cp1252)


def decode_text(data: bytes) -> str:
    """``data`` as text: UTF-8 (BOM dropped), any other byte as Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not _ANY_MULTIBYTE.search(data):  # a legacy file through and through: in one go
        return data.decode("cp1252", errors="replace")
    return data.decode("utf-8", errors=_HANDLER)  # mixed: each bad sequence as Windows-1252
