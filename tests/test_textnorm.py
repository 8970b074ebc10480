"""The typographic folding that the quote check, the caveat proof and the claim guard share."""

from __future__ import annotations

from explainer.guards.caveats import words_of
from explainer.guards.claims import guard_text
from explainer.sources.quotes import fold as quote_fold
from explainer.sources.quotes import fold_text
from explainer.textnorm import FOLD, fold


def test_quotes_apostrophes_and_primes_become_straight():
    assert fold("‘It’s’ “so” „so‟ «so» 5′ 5″ itʼs") == "'It's' \"so\" \"so\" \"so\" 5' 5\" it's"


def test_hyphens_and_dashes_become_hyphens():
    assert fold("self\u2010harm non\u2011stop 10\u201320 a \u2014 b \u22123 \u2012\u2015") == (
        "self-harm non-stop 10-20 a - b -3 --")


def test_dashes_can_be_kept():
    kept = fold("self\u2011harm 10\u201320 a\u2014b", dashes=False)
    assert kept == "self-harm 10\u201320 a\u2014b"


def test_spaces_become_plain_and_invisible_characters_go():
    assert fold("a\u00a0b\u202fc\u2009d\u3000e") == "a b c d e"
    assert fold("\ufeffzero\u200bwidth\u2060joined\u200d") == "zerowidthjoined"


def test_a_soft_hyphen_goes_with_the_line_break_after_it():
    assert fold("break\u00adthrough") == "breakthrough"
    assert fold("opi\u00ad\n  ates and more") == "opiates and more"
    assert fold("plain\nlines stay") == "plain\nlines stay"


def test_fold_table_is_one_character_for_one():
    # quotes.fold relies on it to map folded offsets back to the source.
    assert all(len(v) == 1 for v in FOLD.values())
    text = "“Don’t” — he said\u00a0so"
    folded, index = quote_fold(text)
    assert folded == '"Don\'t" - he said so'
    for ch, i in zip(folded, index, strict=True):
        assert fold(text[i]) == ch or (ch == " " and text[i].isspace())


def test_the_three_users_agree():
    typographic = "It’s a life\u2011saving “breakthrough”\u00a0\u2014 self\u00adharm"
    plain = "It's a life-saving \"breakthrough\" - selfharm"
    assert fold_text(typographic) == fold_text(plain)
    assert words_of(typographic) == words_of(plain)
    rules = {h.rule for h in guard_text(typographic)}
    assert rules == {h.rule for h in guard_text(plain)} and rules
