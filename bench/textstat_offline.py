"""textstat without nltk: make textstat count syllables from our CMU data.

textstat fetches the CMU Pronouncing Dictionary with ``nltk.download``. The readability
validation (``validate_readability.py``) and the tests that compare our scores with textstat's
call :func:`install_into_textstat` first, so textstat reads the dictionary explainer already
has and nltk is never imported. explainer itself never imports textstat's code.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator, Mapping

from explainer.readability.syllables import cmu, cmu_phones, count

_TEXTSTAT_CMU = "textstat.backend.utils._get_cmudict"


class _TextstatPhones(Mapping[str, list[list[str]]]):
    """What textstat expects from nltk's cmudict: word -> list of pronunciations.

    Words the dictionary lacks get a stand-in pronunciation with our counter's syllables, so
    textstat counts them as we do instead of guessing with its hyphenation fallback.
    """

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = cmu().phones(word)
        if phones is not None:
            return [phones.split()]
        return [["AH0"] * count(word)]

    def __iter__(self) -> Iterator[str]:
        return iter(cmu_phones())

    def __len__(self) -> int:
        return len(cmu_phones())


def _textstat_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    return _TextstatPhones() if lang.split("_")[0].lower() == "en" else None


def install_into_textstat() -> None:
    """Make textstat read our CMU data instead of calling ``nltk.download('cmudict')``.

    Call before ``import textstat`` to keep nltk out of the process altogether: our module
    takes the place of textstat's, which is the only one that imports nltk.
    """
    if _TEXTSTAT_CMU not in sys.modules:
        stub = types.ModuleType(_TEXTSTAT_CMU)
        stub.get_cmudict = _textstat_cmudict  # type: ignore[attr-defined]
        sys.modules[_TEXTSTAT_CMU] = stub
        return
    # textstat is already imported: replace the function where it was imported by name.
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    _get_cmudict.get_cmudict = _textstat_cmudict  # type: ignore[assignment]
    _count_syllables.get_cmudict = _textstat_cmudict  # type: ignore[assignment]
    _count_syllables.count_syllables.cache_clear()
