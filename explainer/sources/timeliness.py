"""Time-sensitive claims (approval, licensing, availability) resting on old or undated sources.

The terms and the age limit are data (rules/time_sensitive.yaml). A claim is looked for in a
caveat's or finding's wording and in its evidence quotes; a record check about the same item
(``record_checks: about:``) means an editor has compared it with the published record.
"""

from __future__ import annotations

import datetime as dt
import re

from ..document.load import LoadedDocument
from ..document.model import AUDIENCES
from ..problems import Problem


def _rules() -> tuple[int, re.Pattern[str]]:
    from ..rules import load_rules

    data = load_rules("time_sensitive")
    terms = sorted((str(t) for t in data["terms"]), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])",
                         re.I)
    return int(data["max_age_years"]), pattern


def timeliness_problems(loaded: LoadedDocument) -> list[Problem]:
    doc = loaded.doc
    max_age, pattern = _rules()
    today = doc.date or dt.date.today()
    sources = {s.id: s for s in doc.sources}
    checked = {r.about for r in doc.record_checks}
    problems: list[Problem] = []
    items = [("caveats", i, c.id, [c.text.for_(a) or "" for a in AUDIENCES], c.evidence)
             for i, c in enumerate(doc.caveats)]
    items += [("findings", i, f.id, [f.clinician, f.plain, f.press or ""], f.evidence)
              for i, f in enumerate(doc.findings)]
    for group, i, item_id, wordings, evidence in items:
        if item_id in checked:
            continue
        for j, ev in enumerate(evidence):
            hit = pattern.search(ev.quote) or next(
                (m for m in (pattern.search(w) for w in wordings) if m), None)
            src = sources.get(ev.source)
            if hit is None or src is None:
                continue
            if src.date is None:
                why = f"source {src.id!r} gives no date"
            elif (today - src.date).days > max_age * 365:
                why = f"source {src.id!r} is from {src.date.isoformat()}"
            else:
                continue
            problems.append(loaded.problem(
                (group, i, "evidence", j),
                f"time-sensitive claim (“{hit.group()}”) and {why}: check it against the current "
                "record and add a record check (record_checks:), or date the source", "warning"))
            break
    return problems
