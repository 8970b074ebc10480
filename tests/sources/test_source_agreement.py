"""Source agreement without false alarms: counts are compared only where the source ties
them to the study, and a warning can be accepted with a reason that is printed nowhere."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import MIN_TOPIC, NURSES, SOURCES

from explainer.document.load import load_document
from explainer.guards.checks import data_checks
from explainer.sources.facts import extract_facts


def sizes(text: str) -> set[str]:
    return {f.value for f in extract_facts(text) if f.field == "n"}


def test_a_yearly_death_count_is_not_a_sample_size():
    text = ("About 9,400 people die of bowel cancer each year in Canada. "
            "The trial enrolled 889 patients after surgery.")
    assert sizes(text) == {"889"}


def test_a_count_with_no_tie_to_the_study_is_not_compared():
    assert sizes("Some 500,000 people live with the condition.") == set()
    assert sizes("The study followed 171,616 participants for seven years.") == {"171616"}


def test_per_group_counts_are_not_the_study_size():
    text = ("Women were randomly assigned to AI-supported screening (n = 39,996) or standard "
            "double reading (n = 40,024). In all, 80,020 women took part in the trial.")
    assert sizes(text) == {"80020"}


def _nurses(tmp_path: Path, accepted: list[dict]) -> Path:
    data = yaml.safe_load(NURSES.read_text(encoding="utf-8"))
    data["sources_dir"] = str(SOURCES)
    data["accepted_warnings"] = accepted
    path = tmp_path / "nurses.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_warning_accepted_with_a_reason_is_not_reported(tmp_path):
    key = "studies[0].participants.n"
    before = [p for p in data_checks(load_document(_nurses(tmp_path, []))) if p.key == key]
    assert len(before) == 1 and before[0].level == "warning"
    accepted = [{"key": key, "match": "screen_nurses_ai.txt",
                 "reason": "the AI explainer counts a pilot group; the paper gives the n"}]
    after = data_checks(load_document(_nurses(tmp_path, accepted)))
    assert [p for p in after if p.key == key] == []
    assert not [p for p in after if p.key.startswith("accepted_warnings")]


def test_an_acceptance_that_matches_nothing_is_reported(tmp_path):
    accepted = [{"key": "studies[0].participants.n", "match": "no such text",
                 "reason": "left over from an older version of the file"}]
    problems = data_checks(load_document(_nurses(tmp_path, accepted)))
    stale = [p for p in problems if p.key == "accepted_warnings[0]"]
    assert len(stale) == 1 and stale[0].level == "warning"


def test_acceptances_are_not_reader_prose():
    from explainer.document.prose import prose

    accepted = [{"key": "x", "match": "y", "reason": "a reason of several words here"}]
    data = yaml.safe_load(NURSES.read_text(encoding="utf-8"))
    data["accepted_warnings"] = accepted
    from explainer.document.model import Document

    doc = Document.model_validate(data)
    assert not [f for f in prose(doc) if f.loc[0] == "accepted_warnings"]


def test_a_bound_is_not_a_count():
    assert sizes("The data of more than 171,000 people was used in this study.") == set()


def _walking_with(tmp_path: Path, extra: str) -> list:

    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    text = (SOURCES / "walking_release.txt").read_text(encoding="utf-8") + "\n" + extra + "\n"
    (folder / "walking_release.txt").write_text(text, encoding="utf-8")
    data = yaml.safe_load(MIN_TOPIC.read_text(encoding="utf-8"))
    data["sources_dir"] = str(folder)
    path = tmp_path / "walking.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return [p for p in data_checks(load_document(path)) if p.key.endswith("participants.n")]


def test_counts_from_another_study_in_the_same_source_are_not_compared(tmp_path):
    other = "Researchers examined data from 382,535 people without knee pain."
    assert _walking_with(tmp_path, other)  # untied, the count is taken for this study
    assert _walking_with(tmp_path, "The findings chime with a study published in March. "
                         + other) == []
