"""Findings YAML -> validated Document, with every problem tied to a file line.

PyYAML's composer gives each node a start mark; we keep a map from key path
(e.g. ``("findings", 2, "evidence", 0, "quote")``) to line so that schema and
reference errors can name the line a user has to edit.
"""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..problems import InputError, Problem
from .model import Document

Loc = tuple[str | int, ...]
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadedDocument:
    doc: Document
    path: Path
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        return line_of(self.lines, loc)

    def problem(self, loc: Loc, message: str, level: str = "error") -> Problem:
        return Problem(str(self.path), self.line_of(loc), dotted(loc), message, level)  # type: ignore[arg-type]

    @property
    def sources_dir(self) -> Path:
        base = self.path.parent
        return (base / self.doc.sources_dir).resolve() if self.doc.sources_dir else base


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_map(node: yaml.Node, lines: dict[Loc, int]) -> list[tuple[Loc, int, int]]:
    """Fill ``lines`` with key path -> line. Returns what must be refused, as
    (loc, line, first line): duplicate keys, and aliases (first line 0), since following
    aliases lets a small file ("billion laughs") expand without bound."""
    duplicates: list[tuple[Loc, int, int]] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Loc]] = [(node, ())]
    while stack:
        node, loc = stack.pop()
        lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in seen:  # an alias: refused, or a small file could expand to billions
            duplicates.append((loc, node.start_mark.line + 1, 0))
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, value_node in node.value:
                key, line = key_node.value, key_node.start_mark.line + 1
                if key in first:
                    duplicates.append(((*loc, key), line, first[key]))
                    continue
                first[key] = line
                lines[(*loc, key)] = line  # a key's own line, not its value's
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
    return duplicates


def _yaml_problem(path: Path, exc: yaml.YAMLError, text: str = "") -> Problem:
    from .yaml_hints import syntax_hint

    hint = syntax_hint(text, exc)
    if hint:  # an unquoted value broke the syntax: say so, not "check the indentation"
        return Problem(str(path), hint[0], "", f"YAML syntax: {hint[1]}")
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {what}" + (f" ({context})" if context else "")
    return Problem(
        str(path), line, "", message + "; check the indentation on this line or the one above"
    )


def _pydantic_message(err: dict) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see `explainer schema`)"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error" and "error" in err.get("ctx", {}):
        return str(err["ctx"]["error"])  # our own validator's words, without "Value error, "
    return err["msg"]


def _schema_problems(loaded: LoadedDocument, errs: list) -> list[Problem]:
    """Schema errors as lines; a misspelt key is one problem ("did you mean"), not two."""
    missing = {tuple(e["loc"]) for e in errs if e["type"] == "missing"}
    absorbed: set[Loc] = set()
    problems = []
    for err in errs:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            guess = difflib.get_close_matches(str(loc[-1]), siblings, n=1)
            if guess:
                absorbed.add((*loc[:-1], guess[0]))
                problems.append(loaded.problem(loc, f"unknown key; did you mean {guess[0]!r}?"))
                continue
        problems.append((loc, err))  # type: ignore[arg-type]
    out = []
    for item in problems:
        if isinstance(item, Problem):
            out.append(item)
        elif item[0] not in absorbed:
            out.append(loaded.problem(item[0], _pydantic_message(item[1])))
    return out


def read_yaml(path: Path, what: str, root: Path | None = None) -> tuple[Any, dict[Loc, int]]:
    """Safe-load a YAML file and map each key path to its line. Raises InputError.

    The file is read through the guarded reader (a regular file, within its size limit,
    inside ``root`` if given); every failure, a bad value included, is one line."""
    text = _read_guarded_text(path, what, root)
    # One pass: compose the node tree (for line numbers), then build data from it with the
    # safe constructor, exactly what yaml.safe_load does. libyaml's loader when available.
    node, data = _compose_and_construct(path, text)
    lines: dict[Loc, int] = {}
    if node is not None:
        duplicates = _line_map(node, lines)
        if duplicates:
            raise InputError([
                Problem(str(path), line, dotted(loc),
                        f"duplicate key (first given on line {first})" if first
                        else "YAML aliases (*name) are not allowed; write the value out")
                for loc, line, first in duplicates])
    return data, lines


def _read_guarded_text(path: Path, what: str, root: Path | None) -> str:
    from ..inputs.guarded_files import FileRefused, read_bytes
    from .yaml_errors import decode_problem

    kind = "config" if "config" in what else "findings"
    try:
        raw = read_bytes(path, kind, root=root)
    except FileRefused as exc:
        message = f"{what} not found" if exc.missing else exc.reason
        raise InputError([Problem(str(path), None, "", message)]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([decode_problem(path, raw, exc)]) from None


def _compose_and_construct(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree and the data of one YAML document; any failure is an InputError."""
    from .yaml_errors import CONSTRUCTOR_ERRORS, constructor_problem, reader_problem

    loader = _SAFE_LOADER(text)
    node = None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        raise InputError([reader_problem(path, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(path, exc, text)]) from None
    except CONSTRUCTOR_ERRORS as exc:  # safe-constructor value errors carry no line
        raise InputError([constructor_problem(path, node, exc)]) from None
    finally:
        loader.dispose()
    return node, data


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc`` or of its nearest ancestor that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), 1)


def load_document(path: str | Path) -> LoadedDocument:
    """Parse and validate a findings file. Raises InputError listing every problem."""
    path = Path(path)
    data, lines = read_yaml(path, "findings file")
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, "", "a findings file is a YAML mapping of keys")])
    try:
        doc = Document.model_validate(data)
    except ValidationError as exc:
        loaded = LoadedDocument(None, path, lines)  # type: ignore[arg-type]
        from .yaml_hints import add_quote_hints

        raise InputError(add_quote_hints(path, _schema_problems(loaded, exc.errors()))) from None
    loaded = LoadedDocument(doc, path, lines)
    problems = check_references(loaded)
    if problems:
        raise InputError(problems)
    return loaded


def _placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a statement. A format spec or conversion ({x:.2f},
    {x!r}) would print the figure differently per audience, so it is refused."""
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"write a figure as {{name}}, not {{{written}}}")
        names.add(name)
    return names


def check_references(loaded: LoadedDocument) -> list[Problem]:
    """Cross-references the schema cannot see: ids that must exist, ids that must be unique."""
    doc, problems = loaded.doc, []
    source_ids = {s.id for s in doc.sources}
    study_ids = {s.id for s in doc.studies}

    for name, items in (
        ("sources", doc.sources),
        ("studies", doc.studies),
        ("findings", doc.findings),
        ("caveats", doc.caveats),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(loaded.problem((name, i, "id"), f"duplicate id {item.id!r}"))
            seen.add(item.id)

    def need_source(loc: Loc, source_id: str) -> None:
        if source_id not in source_ids:
            problems.append(
                loaded.problem(
                    loc, f"no source with id {source_id!r} (known: {', '.join(sorted(source_ids))})"
                )
            )

    def need_study(loc: Loc, study_id: str) -> None:
        if study_id not in study_ids:
            problems.append(
                loaded.problem(
                    loc, f"no study with id {study_id!r} (known: {', '.join(sorted(study_ids))})"
                )
            )

    for loc, ev in doc.evidence():
        need_source((*loc, "source"), ev.source)
    for i, study in enumerate(doc.studies):
        for j, sid in enumerate(study.reported_by):
            need_source(("studies", i, "reported_by", j), sid)
    for i, finding in enumerate(doc.findings):
        need_study(("findings", i, "study"), finding.study)
        allowed = set(finding.figures) | {"n"}
        for key in ("clinician", "plain", "press"):
            text = getattr(finding, key)
            if not text:
                continue
            try:
                names = _placeholders(text)
            except ValueError as exc:
                problems.append(loaded.problem(("findings", i, key), f"bad placeholder: {exc}"))
                continue
            for name in sorted(names - allowed):
                problems.append(
                    loaded.problem(
                        ("findings", i, key),
                        f"placeholder {{{name}}} has no figure (define it under figures:)",
                    )
                )
    for i, caveat in enumerate(doc.caveats):
        if not caveat.evidence and not caveat.guidance:
            problems.append(
                loaded.problem(
                    ("caveats", i), "a caveat needs evidence from a source, or a guidance reference"
                )
            )
        for aud in caveat.mandatory_for:
            if not caveat.text.for_(aud):
                problems.append(
                    loaded.problem(
                        ("caveats", i, "text"), f"mandatory for {aud} but has no {aud} wording"
                    )
                )
    for i, quote in enumerate(doc.quotes):
        need_source(("quotes", i, "source"), quote.source)
    for i, dis in enumerate(doc.disagreements):
        need_study(("disagreements", i, "study"), dis.study)
    return problems
