"""The ``explainer.yaml`` config file: branding for every explainer, without forking templates.

The file sits next to a findings file (or is named with ``--config``) and may hold::

    brand:
      organisation: Example Health Trust
      logo: logo.png              # relative to this file; PNG, JPEG, GIF, WebP or SVG
      logo_alt: Example Health Trust
      colours: {accent: "#0b5394", ink: "#1a1a1a", background: "#ffffff"}
      contact: ["Patient advice line: 0300 000 0000"]
      footer: Example Health Trust patient information
    readability: ...              # read by explainer.readability.targets, not here

This module loads the whole file once and validates ``brand``; other sections are left to
their owners. Every problem is one line with file:line, and the CLI exits 2.
"""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, ValidationError, field_validator

from ..problems import InputError, Problem
from ..render.contrast import DEFAULT_PALETTE, palette_failures, parse_colour
from ..rules.schema import Strict, Targets
from .load import Loc, dotted, line_of, read_yaml, schema_problems

if TYPE_CHECKING:
    pass

CONFIG_NAME = "explainer.yaml"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


class Colours(Strict):
    """Palette entries a brand may replace; the names match the CSS custom properties."""

    accent: str | None = Field(None, description="Headings, links and evidence labels.")
    ink: str | None = Field(None, description="Body text.")
    background: str | None = Field(None, description="Page background.")
    muted: str | None = Field(None, description="Small print, kicker and footer.")
    accent_ink: str | None = Field(None, description="Text drawn on an accent fill.")
    caveat_bg: str | None = None
    caveat_edge: str | None = None
    help_bg: str | None = None
    help_edge: str | None = None
    table_head_bg: str | None = None

    @field_validator("*")
    @classmethod
    def _is_colour(cls, v: str | None) -> str | None:
        if v is not None:
            parse_colour(v)
        return v


class Brand(Strict):
    organisation: str | None = Field(None, max_length=200)
    logo: str | None = Field(None, description="Logo image, relative to the config file.")
    logo_alt: str | None = Field(None, max_length=200, description="Alt text for the logo.")
    colours: Colours = Field(default_factory=Colours)
    contact: list[str] = Field(default_factory=list, max_length=6)
    footer: str | None = Field(None, max_length=120, description="Start of the running footer.")
    feedback: str | None = Field(None, max_length=300,
                                 description="How readers send feedback on the explainer.")
    review_years: int = Field(3, ge=1, le=10,
                              description="Years from publication to the next review (PIF TICK).")


class ConfigFile(Strict):
    """The whole file: ``readability:`` has the shape of rules/targets.yaml."""

    unknown_word: ClassVar[str] = "section"
    brand: Brand | None = None
    readability: Targets | None = None


@dataclass(frozen=True)
class Config:
    """A loaded config file. ``data`` is the whole file, for sections other modules own."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    brand: Brand = field(default_factory=Brand)
    logo_uri: str | None = None
    # Each key path's line in the file: a section another module checks (readability:) is
    # then checked from this parse, not from a second one.
    lines: dict[Loc, int] = field(default_factory=dict, repr=False, compare=False)

    def palette(self) -> dict[str, str]:
        palette = dict(DEFAULT_PALETTE)
        for key, value in self.brand.colours.model_dump(exclude_none=True).items():
            palette[key.replace("_", "-")] = value
        return palette

    def render_brand(self) -> dict[str, Any]:
        """The ``brand`` mapping that render.RenderOptions hands to the templates."""
        b = self.brand
        colours = {k.replace("_", "-"): v
                   for k, v in b.colours.model_dump(exclude_none=True).items()}
        return {"organisation": b.organisation, "logo": self.logo_uri, "logo_alt": b.logo_alt or "",
                "contact": list(b.contact), "footer": b.footer, "colours": colours,
                "feedback": b.feedback, "review_years": b.review_years}


def find_config(findings: Path, explicit: Path | None = None) -> Path | None:
    """``--config`` if given, else ``explainer.yaml`` beside the findings file, else none."""
    if explicit is not None:
        return explicit
    beside = findings.parent / CONFIG_NAME
    # Anything by that name counts (a FIFO or a symlink too): the guarded reader then
    # refuses what it may not read, rather than the config being silently ignored.
    return beside if os.path.lexists(beside) else None


def load_config(path: Path | None, template_dirs: list[Path] | None = None,
                root: Path | None = None) -> Config:
    """Read and validate a config file. Raises InputError listing every problem.

    ``root``: the folder the file must really be in (the findings file's, for a config found
    beside it). The logo must really be in the config file's folder or one of
    ``template_dirs``: a brand pack from someone else cannot embed ``~/.ssh/id_rsa``.
    """
    if path is None:
        return Config()
    path = Path(path)
    data, lines = read_yaml(path, "config file", root=root)
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, "", "a config file is a YAML mapping of keys")])
    def problem(loc: Loc, message: str) -> Problem:
        return Problem(str(path), line_of(lines, loc), dotted(loc), message)

    brand = _brand(path, data, lines, problem)
    problems: list[Problem] = []
    logo_uri = None
    if brand.logo:
        roots = [path.parent, *(template_dirs or [])]
        logo_uri = _logo_uri(path.parent / brand.logo, problems, problem, roots)
        if not brand.logo_alt:
            problems.append(problem(("brand", "logo"),
                                    "a logo needs logo_alt: the text a screen reader says for it"))
    config = Config(path=path, data=data, brand=brand, logo_uri=logo_uri, lines=lines)
    problems += _contrast_problems(config, brand, problem)
    if problems:
        raise InputError(problems)
    return config


def _brand(path: Path, data: dict, lines: dict[Loc, int], problem: Callable[[Loc, str], Problem]
           ) -> Brand:
    """The validated ``brand:`` mapping (the default brand when absent)."""
    if not isinstance(data.get("brand") or {}, dict):
        raise InputError([problem(("brand",), "brand is a mapping (organisation, logo, ...)")])
    try:
        return ConfigFile.model_validate(data).brand or Brand()
    except ValidationError as exc:
        raise InputError(schema_problems(path, data, lines, exc.errors(), ConfigFile)) from None


def _contrast_problems(config: Config, brand: Brand, problem: Callable[[Loc, str], Problem]
                       ) -> list[Problem]:
    """One problem per colour pair of the palette below its contrast ratio."""
    problems = []
    palette = config.palette()
    for failure in palette_failures(palette):
        # The defaults pass, so a failing pair holds at least one colour the user set: name it.
        key = next((k for k in (failure.fg, failure.bg)
                    if getattr(brand.colours, k.replace("-", "_"))), failure.fg)
        problems.append(problem(
            ("brand", "colours", key.replace("-", "_")),
            f"{failure.fg} {palette[failure.fg]} on {failure.bg} {palette[failure.bg]} "
            f"({failure.where}) has contrast {failure.ratio:.2f}:1; needs at least "
            f"{failure.needed:g}:1"))
    return problems


def _logo_uri(file: Path, problems: list[Problem], problem, roots: list[Path]) -> str | None:
    """The logo as a data: URI, so the HTML stays one self-contained file."""
    from ..inputs.guarded_files import FileRefused, read_bytes

    kind = LOGO_TYPES.get(file.suffix.lower())
    if kind is None:
        problems.append(problem(("brand", "logo"),
                                f"logo must be {', '.join(sorted(LOGO_TYPES))}: {file.name}"))
        return None
    try:
        data = read_bytes(file, "logo", roots=roots)
    except FileRefused as exc:  # outside its folders, a FIFO, a device, too large
        message = f"logo file not found: {exc.path}" if exc.missing else str(exc)
        problems.append(problem(("brand", "logo"), message))
        return None
    if not _looks_like(kind, data):
        problems.append(problem(("brand", "logo"), f"{file.name} is not a {kind} image"))
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _looks_like(kind: str, data: bytes) -> bool:
    head = data[:512]
    return {
        "image/png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg": head.startswith(b"\xff\xd8\xff"),
        "image/gif": head[:6] in (b"GIF87a", b"GIF89a"),
        "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP",
        "image/svg+xml": b"<svg" in head.lower() or b"<?xml" in head.lower(),
    }[kind]


def apply_config(findings: Path, options: Any) -> tuple[Any, list[Path]]:
    """BuildOptions for one findings file with its config applied, and the files it read.

    The brand goes to the templates; a ``readability:`` section goes to the targets, unless
    the caller already chose targets, and ``--target`` overrides go over them. The file is
    parsed once. Raises InputError for a bad config file (exit 2).
    """
    import dataclasses

    explicit = getattr(options, "config", None)
    path = find_config(findings, explicit)
    if path is None:
        return options, []
    templates = options.render.templates
    config = load_config(path, [templates] if templates else [],
                         root=None if explicit is not None else findings.parent)
    brand = {**config.render_brand(), **options.render.brand}
    changes: dict[str, Any] = {"render": dataclasses.replace(options.render, brand=brand)}
    readability = "readability" in config.data
    overrides = getattr(options, "target_overrides", None)
    if overrides or (options.targets is None and readability):
        from ..readability.targets import load_targets

        # --target goes over the config's targets; both from the one parse of the file
        changes["targets"] = load_targets(config=path if readability else None,
                                          overrides=overrides,
                                          parsed=(config.data, config.lines))
    files = [path] + ([(path.parent / config.brand.logo)] if config.brand.logo else [])
    return dataclasses.replace(options, **changes), files
