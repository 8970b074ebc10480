"""Every rule file, and explainer.yaml, is checked by its schema when it is read: a misspelt key
or a value of the wrong type is one ``file:line: key: message`` line, never a silently
dropped rule. Each test puts the mistake into a copy of the shipped file and reads the copy
through the real loader (``explainer.rules.load_rules`` with ``RULES_DIR`` pointed at it)."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from explainer import rules
from explainer.cli import app
from explainer.document.config import load_config
from explainer.document.load import _model_at, dotted, read_yaml
from explainer.problems import InputError
from explainer.rules.schema import SCHEMAS, schema_of

SHIPPED = Path(rules.__file__).parent
NAMES = sorted(SCHEMAS)


@pytest.fixture
def rule_copy(tmp_path, monkeypatch):
    """A copy of the shipped rule folder that the loader reads instead; the cache is cleared
    before and after, so no other test sees the broken copy."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for f in SHIPPED.glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    rules.clear_cache()
    monkeypatch.setattr(rules, "RULES_DIR", folder)
    yield folder
    rules.clear_cache()


def _rewrite(path: Path, data) -> dict:
    """Write ``data`` as the file; return its key path -> line map."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return read_yaml(path, "rule file")[1]


def _model_keys(model, data, loc=()):
    """Every (key path, value) whose key is a field of a schema model, in file order."""
    if isinstance(data, dict):
        owner = _model_at(model, loc)
        for key, value in data.items():
            if owner is not None and key in {f.alias or n for n, f in owner.model_fields.items()}:
                yield (*loc, key), value
            yield from _model_keys(model, value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _model_keys(model, item, (*loc, i))


def _at(data, loc):
    for part in loc[:-1]:
        data = data[part]
    return data


def _field_type(model, loc):
    owner = _model_at(model, loc[:-1])
    field = next(f for n, f in owner.model_fields.items() if (f.alias or n) == loc[-1])
    return field.annotation


def _load_error(name: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        rules.load_rules(name)
    return [str(p) for p in caught.value.problems]


def test_every_rule_file_has_a_schema():
    assert {f.stem for f in SHIPPED.glob("*.yaml")} == set(SCHEMAS)


@pytest.mark.parametrize("name", NAMES)
def test_shipped_rule_file_is_valid(name):
    rules.clear_cache()
    assert rules.rule_model(name) is not None
    assert isinstance(rules.load_rules(name), dict)


@pytest.mark.parametrize("name", NAMES)
def test_a_misspelt_key_in_a_rule_file_is_its_file_line_and_key(rule_copy, name):
    path = rule_copy / f"{name}.yaml"
    model = schema_of(name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # The first key inside one rule (a list item or a nested mapping), as a typo in one rule
    # would be; a file with top-level keys only (time_sensitive) gets its first key misspelt.
    keys = [loc for loc, _ in _model_keys(model, data)]
    loc = next((loc for loc in keys if len(loc) > 1), keys[0])
    parent, key = _at(data, loc), loc[-1]
    typo = key[:-1] + key[-1] * 2  # "limits" -> "limitss"
    renamed = {(typo if k == key else k): v for k, v in parent.items()}
    parent.clear()
    parent.update(renamed)
    lines = _rewrite(path, data)
    bad = (*loc[:-1], typo)
    errors = _load_error(name)
    assert f"{path}:{lines[bad]}: {dotted(bad)}: unknown key; did you mean {key!r}?" in errors


@pytest.mark.parametrize("name", NAMES)
def test_a_value_of_the_wrong_type_in_a_rule_file_is_its_file_line_and_key(rule_copy, name):
    path = rule_copy / f"{name}.yaml"
    model = schema_of(name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    loc = next(loc for loc, v in _model_keys(model, data)
               if isinstance(v, str | int | float) and not isinstance(v, bool)
               and _field_type(model, loc) is not typing.Any)
    _at(data, loc)[loc[-1]] = {"oops": 1}  # a mapping where the schema wants text or a number
    lines = _rewrite(path, data)
    errors = _load_error(name)
    assert any(e.startswith(f"{path}:{lines[loc]}: {dotted(loc)}: ") for e in errors), errors


def test_the_misspelt_patient_limits_in_targets_fail_instead_of_dropping_the_target(rule_copy):
    path = rule_copy / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    limits:\n      fk: 6", "    limts:\n      fk: 6", 1),
                    encoding="utf-8")
    line = next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if "limts:" in ln)
    assert _load_error("targets") == [
        f"{path}:{line}: audiences.patient.limts: unknown key; did you mean 'limits'?"]


def test_a_rule_file_with_a_yaml_alias_is_refused_with_its_line(rule_copy):
    path = rule_copy / "time_sensitive.yaml"
    path.write_text("source: &s x\nmax_age_years: 2\nterms: [*s]\n", encoding="utf-8")
    errors = _load_error("time_sensitive")
    assert len(errors) == 1 and errors[0].startswith(f"{path}:")
    assert errors[0].endswith("YAML aliases (*name) are not allowed; write the value out")


@pytest.mark.parametrize("name", NAMES)
def test_a_rule_file_reads_the_same_without_libyaml(name):
    """The loader uses libyaml when PyYAML has it and pure-Python PyYAML otherwise: both must
    read each file alike (libyaml accepts a '?' in a flow mapping that PyYAML refuses)."""
    text = (SHIPPED / f"{name}.yaml").read_text(encoding="utf-8")
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    assert pure == yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_a_bad_rule_file_is_one_line_and_exit_2_from_the_cli(rule_copy, tmp_path):
    path = rule_copy / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  patient:\n", "  patient:\n"
                                                             "    limts: {fk: 5}\n", 1))
    text = tmp_path / "short.txt"
    text.write_text("We walked. It helped a little.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(text)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{path}:" in result.stderr and "audiences.patient.limts: unknown key" in result.stderr


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def test_a_claim_pattern_that_does_not_compile_is_its_file_line_and_key(rule_copy):
    from explainer.guards.claims import load_claim_rules

    path = rule_copy / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    good = "      - '\\b(?:leads?|leading|led)\\s+to\\b'\n"
    assert good in text
    path.write_text(text.replace(good, good.replace("to\\b'", "to\\b('"), 1), encoding="utf-8")
    rule = next(i for i, r in enumerate(yaml.safe_load(text)["rules"])
                if r["id"] == "causal-on-correlational")
    with pytest.raises(InputError) as caught:
        load_claim_rules.__wrapped__()  # the cached one holds the shipped rules
    (problem,) = caught.value.problems
    lines = path.read_text().splitlines()
    start = lines.index("  - id: causal-on-correlational")
    key_line = lines.index("    patterns:", start) + 1
    assert (problem.file, problem.line, problem.key) == (str(path), key_line,
                                                         f"rules[{rule}].patterns")
    assert problem.message.startswith("rule causal-on-correlational: bad pattern")


def test_a_spin_swap_whose_match_does_not_compile_is_its_file_line_and_key(rule_copy):
    from explainer.sources.screening import screening_rules

    path = rule_copy / "spin_lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(r"match: '\b[Nn]an\b'", r"match: '\b[Nn]an(\b'", 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screening_rules.__wrapped__()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line_of(path, 'spun: nan,')}: swaps[0].match: not a regular expression "
        "(missing ), unterminated subpattern at position 8)"]


@pytest.mark.parametrize(("name", "good", "key"), [
    ("draft_rules", "  - '^\\s*ENDS?\\s*$'", "article_end[0]"),
    ("source_markers", "    pattern: '\\bpre-?prints?\\b'", "preprint[0].pattern"),
])
def test_a_rule_regex_that_does_not_compile_is_refused_at_load(rule_copy, name, good, key):
    path = rule_copy / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert good in text
    path.write_text(text.replace(good, good[:-1] + "[a-'", 1), encoding="utf-8")
    (error,) = _load_error(name)
    assert error.startswith(f"{path}:{_line_of(path, good[:-1] + '[a-')}: {key}: "
                            "not a regular expression (")


def test_a_help_line_rule_for_an_unknown_condition_is_its_file_line_and_key(rule_copy):
    from explainer.render.help_lines import load_help_rules

    path = rule_copy / "help_lines.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("conditions: [cancer]", "conditions: [cancre]", 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_help_rules.__wrapped__()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line_of(path, 'cancre')}: rules[1].conditions[0]: no condition_terms for "
        "'cancre' in caveat_rules.yaml"]


def test_a_communication_item_with_an_unknown_check_is_its_file_line_and_key(rule_copy):
    from explainer.guards.commcheck import load_items

    path = rule_copy / "communication.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("check: main_message_first", "check: main_mesage_first", 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_items.__wrapped__()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line_of(path, 'main_mesage_first')}: items[1].check: unknown check "
        "'main_mesage_first' (explainer/guards/commcheck.py)"]


def test_a_bad_rule_file_is_said_once_however_many_topics_it_fails(rule_copy, tmp_path):
    from conftest import BUNDLED, MIN_TOPIC

    # targets.yaml: read afresh by every build (other readers keep what they compiled).
    path = rule_copy / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nzz_typo: 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(MIN_TOPIC), str(BUNDLED), "--jobs", "1",
                                      "--format", "html", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(str(path))]
    assert lines == [f"{path}:{len(path.read_text().splitlines())}: zz_typo: unknown key "
                     "(use sources, audiences)"]
    assert "2 bad input" in result.stderr + result.stdout


# --- explainer.yaml --------------------------------------------------------------------------


def _config_error(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    path = tmp_path / "explainer.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    return path, [str(p) for p in caught.value.problems]


def test_a_misspelt_key_in_explainer_yaml_is_its_file_line_and_key(tmp_path):
    path, errors = _config_error(tmp_path, "brand:\n  organisation: X\nreadability:\n"
                                 "  audiences:\n    patient:\n      limts: {fk: 5}\n")
    assert errors == [f"{path}:6: readability.audiences.patient.limts: unknown key; "
                      "did you mean 'limits'?"]


def test_a_misspelt_section_in_explainer_yaml_is_its_file_line_and_key(tmp_path):
    path, errors = _config_error(tmp_path, "brand:\n  organisation: X\nreadabilty: {}\n")
    assert errors == [f"{path}:3: readabilty: unknown section; did you mean 'readability'?"]


def test_a_value_of_the_wrong_type_in_explainer_yaml_is_its_file_line_and_key(tmp_path):
    path, errors = _config_error(tmp_path, "brand:\n  organisation: X\n  review_years: soon\n"
                                 "readability:\n  audiences:\n    patient:\n"
                                 "      limits: {fk: six}\n")
    assert errors == [f"{path}:3: brand.review_years: Input should be a valid integer, "
                      "unable to parse string as an integer",
                      f"{path}:7: readability.audiences.patient.limits.fk: "
                      "Input should be a valid number"]


# --- the examples inside the rules -----------------------------------------------------------


def test_every_spin_swap_finds_its_examples_and_leaves_the_ordinary_use_alone():
    from explainer.sources.screening import screening_rules, swap_hits

    entries = rules.rule_model("spin_lexicon").swaps
    swaps = screening_rules().swaps
    assert [e.spun for e in entries] == [s.spun for s in swaps]
    for entry, swap in zip(entries, swaps, strict=True):
        for text in entry.examples.match:
            assert any(s is swap for s, _ in swap_hits(text)), (swap.spun, text)
        for text in entry.examples.no_match:
            assert not any(s is swap for s, _ in swap_hits(text)), (swap.spun, text)


def test_every_source_marker_finds_its_examples_and_nothing_in_the_counter_examples():
    from explainer.sources.screening import screening_rules

    model = rules.rule_model("source_markers")
    entries = {m.id: m for m in [*model.ai_generated, *model.preprint]}
    markers = screening_rules().markers
    assert sorted(entries) == sorted(m.id for m in markers)
    for marker in markers:
        examples = entries[marker.id].examples
        assert all(marker.pattern.search(t) for t in examples.match), marker.id
        assert not any(marker.pattern.search(t) for t in examples.no_match), marker.id


def test_every_marker_and_swap_cites_a_known_source():
    for name in ("source_markers", "spin_lexicon"):
        model = rules.rule_model(name)
        entries = model.swaps if name == "spin_lexicon" else [*model.ai_generated,
                                                             *model.preprint]
        assert entries and all(e.source in model.sources and e.reason for e in entries)


def test_the_limits_schema_names_every_readability_metric():
    from explainer.readability.formulas import METRICS
    from explainer.rules.schema import Limits

    assert list(Limits.model_fields) == list(METRICS)


def test_a_claim_pattern_a_drug_fills_in_that_does_not_compile_stops_the_check(rule_copy,
                                                                                 tmp_path):
    """Patterns no drug fills in are compiled when the rules load; one a document's drugs
    fill in is compiled with them, at the first guard, before anything is written: the same
    one line as the load-time check gave (file:line: key, exit 2), whatever the document."""
    from conftest import BUNDLED, GUARD_OK

    from explainer.document.load import load_document
    from explainer.guards import claims

    path = rule_copy / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    good = "(?:you\\s+)?(?:\\w+\\s+){0,2}?{drug}\\b'\n"
    assert text.count(good) == 1 and "{drug}" in good
    path.write_text(text.replace(good, good.replace("\\b'", "\\b('")), encoding="utf-8")
    rule = next(i for i, r in enumerate(yaml.safe_load(text)["rules"]) if any(
        good.strip().rstrip("'") in p for p in r.get("patterns", ())))
    claims.load_claim_rules.cache_clear()
    claims._compiled.cache_clear()
    try:
        claims.load_claim_rules()  # the drug-free patterns compile: no error yet
        seen = []
        for doc in (BUNDLED, GUARD_OK):
            with pytest.raises(InputError) as caught:
                claims.guard_text("Ask your doctor for it.", load_document(doc).doc)
            seen += caught.value.problems
        result = CliRunner().invoke(app, ["check", str(BUNDLED)])
    finally:
        claims.load_claim_rules.cache_clear()
        claims._compiled.cache_clear()
    first, second = seen
    assert str(first) == str(second)  # the same line for documents with different drugs
    rule_id = yaml.safe_load(text)["rules"][rule]["id"]
    lines = path.read_text().splitlines()
    key_line = lines.index("    patterns:", lines.index(f"  - id: {rule_id}")) + 1
    assert (first.file, first.line, first.key) == (str(path), key_line,
                                                   f"rules[{rule}].patterns")
    assert first.message.startswith(f"rule {rule_id}: bad pattern")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(first) in result.stderr
