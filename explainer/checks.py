"""Every check that runs on the findings data itself, in one place.

`explainer check` runs them strictly (source files must be there); `explainer build`
runs them with missing source files downgraded to warnings, so a findings file can be
rendered on a machine that does not hold the source texts.
"""

from __future__ import annotations

from pathlib import Path

from .load import LoadedDocument
from .problems import Problem


def data_checks(loaded: LoadedDocument, sources_dir: Path | None = None,
                require_sources: bool = True) -> list[Problem]:
    from .caveats import caveat_rule_problems
    from .claims import claim_problems
    from .quotes import verify_quotes
    from .screening import screen_document

    problems = verify_quotes(loaded, sources_dir, require_sources=require_sources)
    problems += screen_document(loaded, sources_dir).problems
    problems += caveat_rule_problems(loaded)
    problems += claim_problems(loaded)
    return problems
