"""The audiences an explainer is written for and the formats it is written in, named once.

Every module and the CLI import these from here. Nothing heavy is imported, so the CLI can
check ``--audience`` and ``--format`` before pydantic or WeasyPrint load.
"""

from __future__ import annotations

from typing import Literal

Audience = Literal["patient", "clinician", "press"]
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician", "press")
FORMATS: tuple[str, ...] = ("html", "pdf")
