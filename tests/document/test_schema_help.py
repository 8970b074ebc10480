"""Every property of the findings schema has hover help (description and example)."""

from __future__ import annotations

import json

from explainer.document.schema_help import findings_schema, undescribed, unknown_help_keys


def test_every_property_has_a_description():
    missing = undescribed(findings_schema())
    # A field added to model.py needs an entry in explainer/rules/schema_help.yaml:
    assert not missing, "add to explainer/rules/schema_help.yaml: " + ", ".join(missing)


def test_help_names_only_real_fields():
    stale = unknown_help_keys(findings_schema())
    assert not stale, "schema_help.yaml entries for fields that do not exist: " + ", ".join(stale)


def test_examples_and_the_models_own_words():
    schema = findings_schema()
    study = schema["$defs"]["Study"]["properties"]
    assert study["doi"]["examples"] == ["10.1000/xyz123"]
    # a Field(description=...) in the model is kept, not replaced by the help file
    assert study["short_name"]["description"].startswith("How the study is cited in text, e.g.")
    assert schema["properties"]["date"]["examples"] == ["2026-11-22"]


def test_schema_command_prints_and_writes_it(tmp_path, run_cli):
    run = run_cli("schema", check=True)
    printed = json.loads(run.stdout)
    assert not undescribed(printed)
    target = tmp_path / "findings.schema.json"
    run_cli("schema", "-o", target, check=True)
    assert json.loads(target.read_text(encoding="utf-8")) == printed
