"""Validate the readability engine on real data and print the figures.

1. OneStopEnglish (Vajjala & Lučić 2018, CC BY-SA 4.0): 189 news texts, each rewritten at three
   reading levels (elementary, intermediate, advanced). A good metric rates the three versions
   of a text in that order. For each metric this prints how often all three are in order and
   how often each of the three pairs is (ties count as wrong), and the speed in words/second.
   The corpus is read where it lies (default ../shared/validation/onestopenglish/
   Texts-SeparatedByReadingLevel, relative to the repository); it is never copied.
2. The same for textstat (when importable), given our CMU data so that it never downloads, and
   how far its figures are from ours.
3. Syllable counts against the CMU Pronouncing Dictionary: the spelling rules alone on every
   plain word, and the whole counter on a held-out tenth of the words (removed from the
   dictionary it looks in), with textstat's own fallback (Pyphen hyphenation) for comparison.

Usage: python bench/validate_readability.py [CORPUS_DIR] [--skip-textstat] [--skip-syllables]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textstat_offline import install_into_textstat  # noqa: E402  (bench/, beside this script)

from explainer.readability import syllables  # noqa: E402
from explainer.readability.formulas import METRICS, Scores, score_text  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "validation" / "onestopenglish" / \
    "Texts-SeparatedByReadingLevel"
LEVELS = (("ele", "Ele-Txt"), ("int", "Int-Txt"), ("adv", "Adv-Txt"))
LEVEL_LABEL = re.compile(r"^\s*(elementary|intermediate|advanced)\s*$", re.I)


def read_corpus_text(path: Path, harmonise: bool = True) -> str:
    """Decode one corpus file: UTF-8 with or without BOM, else Windows-1252.

    Some intermediate files lost the high byte of their Unicode characters (U+2019 became 0x19,
    a combining acute U+0301 became 0x01): those control characters are mapped back. Each
    intermediate file also starts with the line "Intermediate", a level label, not text.

    The intermediate files also lost nearly all apostrophes in a conversion to ASCII ("world's"
    became "worlds", "don't" became "dont"; 78 apostrophes left against 1,444 in the elementary
    files). With ``harmonise`` apostrophes are removed from every level alike, so that the
    comparison is between levels of writing, not between encodings.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    repaired = []
    for ch in text:
        code = ord(ch)
        if 0x10 <= code <= 0x1F:
            repaired.append(chr(0x2000 + code))  # punctuation: ’ “ ” – —
        elif 0x01 <= code <= 0x08:
            repaired.append(chr(0x0300 + code))  # combining accents
        else:
            repaired.append(ch)
    text = unicodedata.normalize("NFC", "".join(repaired))
    lines = text.split("\n")
    if lines and LEVEL_LABEL.match(lines[0]):
        lines = lines[1:]
    text = "\n".join(lines)
    if harmonise:
        text = re.sub(r"(?<=\w)['’‘](?=\w)", "", text)
    return text


def load_triples(corpus: Path) -> dict[str, dict[str, Path]]:
    """Text name -> {level: path}, matched by the file name without its level suffix."""
    triples: dict[str, dict[str, Path]] = {}
    for level, folder in LEVELS:
        for path in sorted((corpus / folder).glob("*.txt")):  # not the nested copy Int-Txt/Int-Txt
            name = re.sub(rf"-{level}\.txt$", "", path.name, flags=re.I).strip().lower()
            triples.setdefault(name, {})[level] = path
    return {name: paths for name, paths in triples.items() if len(paths) == 3}


def difficulty(scores: Scores, key: str) -> float:
    value = scores.value(key)
    return -value if METRICS[key].easier == "higher" else value


def ordering(results: dict[str, dict[str, Scores]], key: str) -> tuple[float, float]:
    """(share of texts with ele < int < adv, share of correctly ordered pairs)."""
    full = pairs = 0
    for by_level in results.values():
        e, i, a = (difficulty(by_level[lv], key) for lv in ("ele", "int", "adv"))
        full += e < i < a
        pairs += (e < i) + (i < a) + (e < a)
    n = len(results)
    return full / n, pairs / (3 * n)


def score_all(texts: dict[str, dict[str, str]],
              scorer: Callable[[str], Scores]) -> tuple[dict[str, dict[str, Scores]], float]:
    start = time.perf_counter()
    results = {name: {lv: scorer(t) for lv, t in by_level.items()}
               for name, by_level in texts.items()}
    return results, time.perf_counter() - start


def print_ordering(title: str, results: dict[str, dict[str, Scores]]) -> None:
    print(f"\n{title}")
    print(f"  {'metric':<22} {'ele<int<adv':>11} {'pairs':>7}   mean ele / int / adv")
    for key, m in METRICS.items():
        full, pairs = ordering(results, key)
        means = [statistics.fmean(r[lv].value(key) for r in results.values())
                 for lv in ("ele", "int", "adv")]
        print(f"  {m.label:<22} {full:>10.1%} {pairs:>7.1%}   "
              + " / ".join(f"{v:.1f}" for v in means))


def textstat_scorer() -> Callable[[str], Scores] | None:
    install_into_textstat()  # before the import: textstat then never imports nltk
    try:
        import textstat
    except ImportError:
        return None

    def scorer(text: str) -> Scores:
        return Scores(
            flesch_reading_ease=textstat.flesch_reading_ease(text),
            flesch_kincaid_grade=textstat.flesch_kincaid_grade(text),
            smog=textstat.smog_index(text),
            gunning_fog=textstat.gunning_fog(text),
            coleman_liau=textstat.coleman_liau_index(text),
            ari=textstat.automated_readability_index(text),
            dale_chall=textstat.dale_chall_readability_score(text),
            words=textstat.lexicon_count(text),
            sentences=textstat.sentence_count(text),
            syllables=textstat.syllable_count(text),
            polysyllables=textstat.polysyllabcount(text),
        )

    return scorer


def syllable_figures() -> None:
    import importlib.util

    phones = syllables.cmu_phones()
    all_counts = {w: syllables.phones_syllables(p) for w, p in phones.items()}
    words = [w for w in phones if re.fullmatch(r"[a-z]+", w)]
    held = {w for w in words if zlib.crc32(w.encode()) % 10 == 0}
    held_sorted = sorted(held)

    def share(pred: Callable[[str], bool], items: list[str]) -> float:
        return sum(1 for w in items if pred(w)) / len(items)

    print("\nSyllables against the CMU Pronouncing Dictionary (first pronunciation)")
    rules_all = share(lambda w: syllables.rule_syllables(w) == all_counts[w], words)
    rules_held = share(lambda w: syllables.rule_syllables(w) == all_counts[w], held_sorted)
    near = share(lambda w: abs(syllables.rule_syllables(w) - all_counts[w]) <= 1, words)
    print(f"  spelling rules alone, all {len(words):,} plain words: {rules_all:.1%} exact, "
          f"{near:.1%} within one")
    print(f"  spelling rules alone, held-out tenth ({len(held):,} words, never used for tuning):"
          f" {rules_held:.1%}")
    reduced = {w: n for w, n in all_counts.items() if w not in held}
    counter = syllables.SyllableCounter(reduced)
    full_held = share(lambda w: counter(w) == all_counts[w], held_sorted)
    parts = [w for w in held_sorted if counter.from_parts(w) is not None]
    print(f"  whole counter on the held-out tenth, those words removed from its dictionary: "
          f"{full_held:.1%}")
    print(f"    of which {len(parts):,} found from known parts (stem + suffix, two words): "
          f"{share(lambda w: counter(w) == all_counts[w], parts):.1%}")
    print("  with the dictionary (words it has): 100% by construction")
    if importlib.util.find_spec("pyphen"):
        import pyphen

        hyphenator = pyphen.Pyphen(lang="en_US")
        pyphen_held = share(lambda w: len(hyphenator.positions(w)) + 1 == all_counts[w],
                            held_sorted)
        print(f"  for comparison, textstat's fallback (Pyphen) on the held-out tenth: "
              f"{pyphen_held:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="Texts-SeparatedByReadingLevel folder of OneStopEnglish")
    parser.add_argument("--skip-textstat", action="store_true", help="do not compare textstat")
    parser.add_argument("--skip-syllables", action="store_true", help="skip syllable figures")
    parser.add_argument("--keep-apostrophes", action="store_true",
                        help="do not remove apostrophes from all levels (see read_corpus_text)")
    args = parser.parse_args()
    corpus: Path = args.corpus
    if not corpus.is_dir():
        sys.exit(f"{corpus}: no such folder (pass the Texts-SeparatedByReadingLevel folder)")

    triples = load_triples(corpus)
    harmonise = not args.keep_apostrophes
    texts = {name: {lv: read_corpus_text(p, harmonise) for lv, p in paths.items()}
             for name, paths in triples.items()}
    print(f"OneStopEnglish: {len(texts)} texts with all three levels, from {corpus}")
    print("Apostrophes inside words removed from all levels, as the intermediate files lost "
          "theirs" if harmonise else "Apostrophes kept as they are in the files")

    start = time.perf_counter()
    syllables.cmu()  # reading the dictionary file once, timed apart
    load = time.perf_counter() - start
    ours, seconds = score_all(texts, score_text)
    words = sum(s.words for r in ours.values() for s in r.values())
    print(f"Scored {words:,} words in {seconds:.2f} s: {words / seconds:,.0f} words/second "
          f"(plus {load:.2f} s to open the CMU data)")
    print_ordering("explainer (ordering of the three versions by difficulty)", ours)

    if not args.skip_textstat:
        scorer = textstat_scorer()
        if scorer is None:
            print("\ntextstat is not installed: no comparison")
        else:
            theirs, t_seconds = score_all(texts, scorer)
            t_words = sum(s.words for r in theirs.values() for s in r.values())
            print(f"\ntextstat scored {t_words:,} words in {t_seconds:.2f} s: "
                  f"{t_words / t_seconds:,.0f} words/second")
            print_ordering("textstat with our CMU data, for comparison", theirs)
            print("\nMean absolute difference explainer - textstat per text "
                  "(sentence splitting differs; see explainer/readability/formulas.py "
                  "for the rest)")
            for key, m in METRICS.items():
                diffs = [abs(ours[n][lv].value(key) - theirs[n][lv].value(key))
                         for n in texts for lv in ("ele", "int", "adv")]
                print(f"  {m.label:<22} {statistics.fmean(diffs):6.2f}")
            same = [(n, lv) for n in texts for lv in ("ele", "int", "adv")
                    if ours[n][lv].sentences == theirs[n][lv].sentences
                    and ours[n][lv].words == theirs[n][lv].words]
            if same:
                gap = max(abs(ours[n][lv].value("fk") - theirs[n][lv].value("fk"))
                          for n, lv in same)
                print(f"  texts where both count the same words and sentences: {len(same)}; "
                      f"largest FK difference there: {gap:.4f}")

    if not args.skip_syllables:
        syllable_figures()


if __name__ == "__main__":
    main()
