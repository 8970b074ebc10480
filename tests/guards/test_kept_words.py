"""The words the claim rules' patterns need are kept between runs (guards.kept_words): a
later run reads them instead of parsing, and gets exactly the words a parse gives; a damaged
or foreign entry only means parsing again."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BUNDLED

from explainer.document.load import load_document
from explainer.guards import claims
from explainer.guards.kept_words import ENTRY, KeptWords
from explainer.guards.prefilter import source_words


def _sources() -> list[tuple[str, int]]:
    rules = claims.load_claim_rules()
    values = claims._placeholders(rules.vocab, rules.fragments, claims._DrugKey(()))
    return [(claims._filled(t, values, r.id, "patterns"), re.IGNORECASE)
            for r in rules.rules for t in claims._sources(r)]


def test_a_later_run_reads_the_words_a_parse_gives(tmp_path: Path):
    first = KeptWords(tmp_path)
    words = [first.get(*s) for s in _sources()]
    assert first.added and words == [source_words(*s) for s in _sources()]
    assert any(words)  # the rules' patterns need words: this compared something
    first.save()
    later = KeptWords(tmp_path)
    assert [later.get(*s) for s in _sources()] == words
    assert not later.added  # every one was read from the entry, none parsed


def test_a_damaged_or_foreign_entry_is_parsed_again(tmp_path: Path):
    source = _sources()[0]
    for blob in (b"\x00garbage", b""):
        (tmp_path / ENTRY).write_bytes(blob)
        kept = KeptWords(tmp_path)
        assert kept.words == {} and kept.get(*source) == source_words(*source)
    kept.save()
    entry = (tmp_path / ENTRY).read_bytes()
    forged = entry.replace(kept_fingerprint(), b"0" * 64)  # another Python or prefilter
    (tmp_path / ENTRY).write_bytes(forged)
    assert KeptWords(tmp_path).words == {}
    assert KeptWords(None).get(*source) == source_words(*source)  # no folder: parsed


def kept_fingerprint() -> bytes:
    from explainer.guards.kept_words import fingerprint

    return fingerprint().encode()


def test_the_compiled_rules_are_the_same_with_kept_words_as_without(tmp_path: Path,
                                                                     monkeypatch):
    from explainer.guards import kept_words

    key = claims._DrugKey.of(load_document(BUNDLED).doc)
    rules = claims.load_claim_rules()

    def prefilters(folder: Path | None):
        monkeypatch.setattr(kept_words, "kept_words", lambda: KeptWords(folder))
        monkeypatch.setattr(claims, "kept_words", kept_words.kept_words)
        return [([[w.pattern for w in g] for g in c.prefilters],
                 c.gate.pattern if c.gate else None) for c in claims._compile_all(rules, key)]

    parsed = prefilters(None)
    prefilters(tmp_path)  # fills the entry
    assert (tmp_path / ENTRY).is_file()
    assert prefilters(tmp_path) == parsed
