"""The claim guard for any topic: unsafe advice in any prose field of any example fails
`check` with exit 2 and the line of that field; no topic vocabulary is built in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, GUARD_OK, SEEDS
from typer.testing import CliRunner

from explainer.document.load import load_document
from explainer.document.prose import prose
from explainer.guards.claims import claim_problems, guard_text, load_claim_rules

EXAMPLES = [*sorted(SEEDS.glob("*.yaml")), GUARD_OK]
UNSAFE = [
    "You can skip chemotherapy if you exercise instead. Stop your chemo and start walking.",
    "Exercise could replace chemotherapy for some patients.",
]


def _set(data: object, loc: tuple, value: str) -> None:
    for key in loc[:-1]:
        data = data[key]  # type: ignore[index]
    data[loc[-1]] = value  # type: ignore[index]


def _every_field_says(path: Path, sentence: str, tmp_path: Path) -> tuple[Path, list]:
    """A copy of the example with every prose field replaced by the sentence."""
    loaded = load_document(path)
    locs = [f.loc for f in prose(loaded.doc)]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for loc in locs:
        _set(data, loc, sentence)
    if data.get("sources_dir"):  # keep the sources reachable from the copy's folder
        data["sources_dir"] = str((path.parent / data["sources_dir"]).resolve())
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out, locs


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("sentence", UNSAFE)
def test_unsafe_advice_in_every_prose_field_is_an_error_at_its_line(example, sentence,
                                                                    tmp_path):
    copy, locs = _every_field_says(example, sentence, tmp_path)
    loaded = load_document(copy)
    flagged = {(p.key, p.line) for p in claim_problems(loaded)
               if p.level == "error" and "advice-stop-treatment" in p.message}
    from explainer.document.load import dotted

    missing = [dotted(loc) for loc in locs if (dotted(loc), loaded.line_of(loc)) not in flagged]
    assert locs and missing == []


def test_unsafe_advice_fails_check_with_exit_2_and_the_line(tmp_path):
    from explainer.cli.app import app

    example = BUNDLED
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["sources_dir"] = str((example.parent / data["sources_dir"]).resolve())
    data["sources"][0]["notes"] = [UNSAFE[1]]
    copy = tmp_path / "k.yaml"
    copy.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = load_document(copy).line_of(("sources", 0, "notes", 0))
    result = CliRunner().invoke(app, ["check", str(copy)])
    assert result.exit_code == 2
    assert f"{copy}:{line}: sources[0].notes[0]: advice-stop-treatment" in result.output


def test_no_topic_vocabulary_is_a_default():
    rules = load_claim_rules()
    assert not {"ketamine", "esketamine", "naltrexone"} & {
        w.lower() for words in rules.vocab.model_dump().values() for w in words}
    # Without a document the guard knows no drug names: a drug claim needs the file's subject.
    assert guard_text("Ketamine is an opioid.") == []
    for rule in rules.rules:
        assert "ketamine" not in rule.fix.lower() and "small study" not in rule.reason.lower()


@pytest.mark.parametrize(("sentence", "rule"), [
    ("A landmark trial of exercise after bowel cancer.", "hype-landmark"),
    ("A world-first AI screening study.", "hype-landmark"),
    ("Coffee slashes the risk of early death.", "hype-landmark"),
    ("Refuse the vaccine until more is known.", "advice-stop-treatment"),
    ("You do not need dialysis if you follow this diet.", "advice-stop-treatment"),
    ("Put off your surgery and try the app instead.", "advice-stop-treatment"),
    ("Radiotherapy is no longer needed after this test.", "advice-stop-treatment"),
    ("Stop your insulin once you start the programme.", "advice-stop-treatment"),
])
def test_hype_and_advice_over_any_topic(sentence, rule):
    assert rule in {h.rule for h in guard_text(sentence)}


def test_statistics_rule_runs_on_patient_text_only():
    text = "The hazard ratio was 0.79 (95% CI 0.70 to 0.90)."
    assert "patient-no-statistics" in {h.rule for h in guard_text(text, audience="patient")}
    assert guard_text(text, audience="clinician") == []
    assert guard_text("Call 999 in the UK or 911 in the US.", audience="patient") == []


def test_the_prose_walker_covers_fields_the_model_gains_later():
    # Another part of the model may gain prose (key messages, a new note): the walk finds
    # it by type, with no list of field names to keep up to date.
    from pydantic import Field

    from explainer.document.model import Document, PerAudience

    class Later(Document):
        key_messages: list[PerAudience] = Field(default_factory=list)
        editor_note: str | None = None

    doc = load_document(EXAMPLES[-1]).doc
    later = Later.model_validate({**doc.model_dump(), "editor_note": "A landmark trial.",
                                  "key_messages": [{"patient": "Stop your chemo now."}]})
    found = {f.loc: f.text for f in prose(later)}
    assert found[("key_messages", 0, "patient")] == "Stop your chemo now."
    assert found[("editor_note",)] == "A landmark trial."
