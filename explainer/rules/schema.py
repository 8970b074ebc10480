"""One strict schema for every rule file, the findings file and ``explainer.yaml``.

``Strict`` is the one base: unknown keys are refused (a typo ``limts:`` fails instead of
silently dropping a target) and strings lose stray whitespace. Each shipped rule file has a
model, named in ``SCHEMAS``; ``explainer.rules.load_rules`` validates a file with it when the
file is first read, and ``explainer.load.schema_problems`` turns every error into one
``file:line: key: message`` line.

The models live beside this one by the stage that reads them (``schema_sources``,
``schema_guards``, ``schema_render``, ``schema_topic``), each loaded when its first file is
read: ``explainer score`` defines only the targets and plain-word models here, and only
``schema_topic`` imports the findings model.
"""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

Number = Annotated[float, Field(strict=True)]  # a number written as a number: not "6", not true
Weight = float  # checked by field constraints: 0 < weight <= 1


class Strict(BaseModel):
    """The one base of every schema: unknown keys are errors."""

    # defer_build: a model's validator is built when first used, so a command pays only for
    # the schemas it reads (score reads two rule files of fourteen).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    # What the keys of this mapping are called in an "unknown ..." message.
    unknown_word: ClassVar[str] = "key"


def _unique_ids(items: list[Any], what: str) -> None:
    ids = [item.id for item in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate {what} ids {dupes}")


def _known_sources(entries: list[Any], sources: dict[str, str], what: str) -> None:
    unknown = sorted({e.source for e in entries} - set(sources))
    if unknown:
        raise ValueError(f"a {what} names a source not under sources: {unknown}")


def _regex(pattern: str) -> str:
    """``pattern`` if it compiles as a Python regular expression (flags do not change that)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from None
    return pattern


class MatchExamples(Strict):
    """Phrases a pattern rule must find, and phrases it must leave alone (run by the tests)."""

    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


# --- plain_words.yaml -----------------------------------------------------------------------

class PlainWord(Strict):
    word: str = Field(min_length=1)
    forms: list[str] = Field(default_factory=list)
    plain: str
    source: str
    reason: str


class PlainWords(Strict):
    sources: dict[str, str] = Field(min_length=1)
    words: list[PlainWord]

    @model_validator(mode="after")
    def _sources_known(self) -> "PlainWords":
        _known_sources(self.words, self.sources, "word")
        return self


# --- targets.yaml and the readability: section of explainer.yaml ----------------------------

class Limits(Strict):
    """Readability limits: grade metrics are maximums, fre a minimum; null removes one."""

    unknown_word: ClassVar[str] = "metric"
    fk: Number | None = None
    fre: Number | None = None
    smog: Number | None = None
    fog: Number | None = None
    cli: Number | None = None
    ari: Number | None = None
    dc: Number | None = None


class SentenceLimits(Strict):
    hard: Number | None = None
    very_hard: Number | None = None
    min_words: Number | None = None
    long_words: Number | None = None


class Budget(Strict):
    unknown_word: ClassVar[str] = "budget"
    pages: Number | None = Field(None, gt=0)
    words: Number | None = Field(None, gt=0)


class AudienceTargets(Strict):
    limits: Limits | None = None
    sentences: SentenceLimits | None = None
    budget: Budget | None = None
    sources: list[str] | None = None


class Targets(Strict):
    sources: dict[str, str] = Field(default_factory=dict)
    audiences: dict[str, AudienceTargets] = Field(default_factory=dict)


# Rule file name (without .yaml) -> its model; "module:Class" loads a model lazily.
SCHEMAS: dict[str, type[Strict] | str] = {
    "caveat_rules": "explainer.rules.schema_topic:CaveatRules",
    "certainty": "explainer.rules.schema_guards:CertaintyRules",
    "claims": "explainer.rules.schema_guards:ClaimRules",
    "communication": "explainer.rules.schema_guards:CommunicationRules",
    "draft_rules": "explainer.rules.schema_sources:DraftRules",
    "help_lines": "explainer.rules.schema_topic:HelpRules",
    "labels": "explainer.rules.schema_render:LabelRules",
    "phrasebook": "explainer.rules.schema_render:Phrasebook",
    "plain_words": PlainWords,
    "schema_help": "explainer.rules.schema_render:SchemaHelp",
    "source_markers": "explainer.rules.schema_sources:SourceMarkers",
    "spin_lexicon": "explainer.rules.schema_sources:SpinLexicon",
    "targets": Targets,
    "time_sensitive": "explainer.rules.schema_sources:TimeSensitive",
}


def schema_of(name: str) -> type[Strict]:
    """The model of rule file ``name``."""
    model = SCHEMAS[name]
    if isinstance(model, str):
        from importlib import import_module

        module, _, attr = model.partition(":")
        model = getattr(import_module(module), attr)
    return model

