"""Findings YAML -> validated Document, with every problem tied to a file line.

PyYAML's composer gives each node a start mark; we keep a map from key path
(e.g. ``("findings", 2, "evidence", 0, "quote")``) to line so that schema and
reference errors can name the line a user has to edit.
"""

from __future__ import annotations

import difflib
import string
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from ..problems import InputError, Problem
from .yaml_errors import SAFE_LOADER

if TYPE_CHECKING:
    from .model import Caveat, Document, Finding, Source, Study

Loc = tuple[str | int, ...]
Parsed = tuple[Any, dict[Loc, int]]  # a YAML file's data and the line of each key path
Level = Literal["error", "warning"]


@dataclass
class LoadedDocument:
    doc: Document
    path: Path
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        return line_of(self.lines, loc)

    def problem(self, loc: Loc, message: str, level: Level = "error") -> Problem:
        return Problem(str(self.path), self.line_of(loc), dotted(loc), message, level)

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
                key_loc = (*loc, key)
                lines[key_loc] = line  # a key's own line, not its value's
                stack.append((value_node, key_loc))
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


def schema_problems(path: Path | str, data: Any, lines: dict[Loc, int], errs: list,
                    model: type | None = None, prefix: Loc = ()) -> list[Problem]:
    """Pydantic errors as ``file:line: key: message`` lines: the one formatter for findings,
    config and rule files. A misspelt key is one problem ("did you mean"), not two.

    ``data`` is what was validated (at ``prefix`` in the file): pydantic's union and validator
    tags are dropped from each location, so the key names what the file says. With ``model``
    (the schema validated against) an unknown key names the keys allowed there."""
    errs = _one_union_branch(data, errs)
    located = [(_file_loc(data, e), e) for e in errs]
    missing = {loc for loc, e in located if e["type"] == "missing"}
    absorbed: set[Loc] = set()
    picked: list[tuple[Loc, str | None, dict]] = []
    for loc, err in located:
        guess = None
        if err["type"] == "extra_forbidden":
            siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1)
            if close:
                guess = close[0]
                absorbed.add((*loc[:-1], guess))
        picked.append((loc, guess, err))
    out = []
    for loc, guess, err in picked:
        if loc in absorbed and err["type"] == "missing":
            continue
        if guess:
            message = f"unknown key; did you mean {guess!r}?"
        elif err["type"] == "extra_forbidden" and model is not None:
            message = _unknown_key_message(model, loc)
        else:
            message = _pydantic_message(err)
        where = (*prefix, *loc)
        out.append(Problem(str(path), line_of(lines, where), dotted(where), message))
    return out


_KEY_ERRORS = ("missing", "extra_forbidden")  # their last part is a key of the file


def _walk(data: Any, err: dict) -> tuple[Loc, Loc | None]:
    """The error's location as the file has it, and the location of the first union or
    validator tag (``When``, ``literal['always']``, ``function-after[...]``) if any: the parts
    that do not index ``data``."""
    loc, node = tuple(err["loc"]), data
    out: list[str | int] = []
    first_tag = None
    for i, part in enumerate(loc):
        if _indexes(node, part):
            node = node[part]
        elif i == len(loc) - 1 and err["type"] in _KEY_ERRORS:
            pass  # an unknown or a missing key
        else:
            if first_tag is None:
                first_tag = tuple(out)
            continue
        out.append(part)
    return tuple(out), first_tag


def _indexes(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _file_loc(data: Any, err: dict) -> Loc:
    return _walk(data, err)[0]


def _one_union_branch(data: Any, errs: list) -> list:
    """For a value that may be one of several things (``when: always`` or a mapping of
    tests), keep the errors of the branch the file meant: a mapping's for a mapping."""
    tags: dict[Loc, set[str]] = {}
    where: list[Loc | None] = []
    for err in errs:
        _, tag_at = _walk(data, err)
        where.append(tag_at)
        if tag_at is not None:
            tags.setdefault(tag_at, set()).add(str(err["loc"][len(tag_at)]))
    keep = []
    for err, tag_at in zip(errs, where, strict=True):
        if tag_at is not None and len(tags[tag_at]) > 1:
            model_branch = str(err["loc"][len(tag_at)])[:1].isupper()
            if model_branch != isinstance(_at(data, tag_at), dict):
                continue
        keep.append(err)
    return keep or errs


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _unknown_key_message(model: type, loc: Loc) -> str:
    """"unknown key; did you mean 'limits'?", or the keys allowed there."""
    from ..rules.schema import Strict

    owner = _model_at(model, loc[:-1])
    if owner is None:
        return "unknown key"
    word = owner.unknown_word if issubclass(owner, Strict) else "key"
    names = [f.alias or name for name, f in owner.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), names, n=1)
    if close:
        return f"unknown {word}; did you mean {close[0]!r}?"
    return f"unknown {word} (use {', '.join(names)})"


def _model_at(model: Any, loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that holds the keys at ``loc`` (a path through fields, lists and
    mappings), or None when the path leaves the schema."""
    current = [model]
    for part in loc:
        current = [nxt for ann in current for member in _members(ann)
                   if (nxt := _step(member, part)) is not None]
    return next((m for ann in current for m in _members(ann) if _is_model(m)), None)


def _members(ann: Any) -> list[Any]:
    """The alternatives of a type: ``A | B | None`` -> A, B, None; Annotated unwrapped."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _members(typing.get_args(ann)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(ann) for m in _members(a)]
    return [ann]


def _is_model(ann: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _step(ann: Any, part: str | int) -> Any:
    """The type one step into ``ann``: a model's field, a list's item, a mapping's value."""
    origin = typing.get_origin(ann)
    if _is_model(ann) and isinstance(part, str):
        return next((f.annotation for n, f in ann.model_fields.items()
                     if (f.alias or n) == part), None)
    if origin is list and isinstance(part, int):
        return typing.get_args(ann)[0]
    if origin is dict:
        return typing.get_args(ann)[1]
    return None


def read_yaml(path: Path, what: str, root: Path | None = None, *,
              cache: Callable[[str, Callable[[], Parsed]], Parsed] | None = None) -> Parsed:
    """Safe-load a YAML file and map each key path to its line. Raises InputError.

    The file is read through the guarded reader (a regular file, within its size limit,
    inside ``root`` if given); every failure, a bad value included, is one line.
    ``cache(text, parse)``, if given, returns the parse of that very text (explainer.rules
    keeps its files' parses between runs)."""
    text = _read_guarded_text(path, what, root)
    if cache is not None:
        return cache(text, lambda: _parse_yaml(path, text))
    return _parse_yaml(path, text)


def _parse_yaml(path: Path, text: str) -> Parsed:
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

    loader = SAFE_LOADER(text)
    node = None
    try:
        node = loader.get_single_node()
        data = _construct(loader, node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        raise InputError([reader_problem(path, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(path, exc, text)]) from None
    except CONSTRUCTOR_ERRORS as exc:  # safe-constructor value errors carry no line
        raise InputError([constructor_problem(path, node, exc)]) from None
    finally:
        loader.dispose()
    return node, data


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))


class _NotPlain(Exception):
    """A node the plain path leaves to the safe constructor's full run."""


def _construct(loader: Any, node: yaml.Node) -> Any:
    """``loader.construct_document(node)``, faster for what findings files hold: mappings
    with string keys, lists and strings are built directly, any other value by the safe
    constructor itself. A tree it does not fit (an alias, a merge key, a bad value) goes to
    the safe constructor from the start, so the data, and the first error, are its own."""
    try:
        return _plain(loader, node, set())
    except Exception:
        # Start again clean: a value that failed half-way leaves the constructor's state.
        loader.constructed_objects, loader.recursive_objects = {}, {}
        loader.state_generators, loader.deep_construct = [], False
        return loader.construct_document(node)


def _plain(loader: Any, node: yaml.Node, seen: set[int]) -> Any:
    if id(node) in seen:
        raise _NotPlain("an alias")  # the constructor shares the object; _line_map refuses it
    seen.add(id(node))
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what construct_yaml_str gives
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain(loader, item, seen) for item in node.value]
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                raise _NotPlain("a key that is not a string")  # merge keys (<<) included
            data[key_node.value] = _plain(loader, value_node, seen)
        return data
    return loader.construct_object(node, deep=True)  # numbers, booleans, dates, null ...


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
    from .model import Document

    try:
        doc = Document.model_validate(data)
    except ValidationError as exc:
        from .yaml_hints import add_quote_hints

        problems = schema_problems(path, data, lines, exc.errors())
        raise InputError(add_quote_hints(path, problems)) from None
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
    doc = loaded.doc
    source_ids = {s.id for s in doc.sources}
    study_ids = {s.id for s in doc.studies}
    problems = _duplicate_ids(loaded)
    for loc, ev in doc.evidence():
        problems += _unknown_id(loaded, (*loc, "source"), "source", ev.source, source_ids)
    for i, study in enumerate(doc.studies):
        for j, sid in enumerate(study.reported_by):
            problems += _unknown_id(loaded, ("studies", i, "reported_by", j), "source", sid,
                                    source_ids)
    for i, finding in enumerate(doc.findings):
        problems += _unknown_id(loaded, ("findings", i, "study"), "study", finding.study,
                                study_ids)
        problems += _placeholder_problems(loaded, i, finding)
    for i, caveat in enumerate(doc.caveats):
        problems += _caveat_problems(loaded, i, caveat)
    for i, quote in enumerate(doc.quotes):
        problems += _unknown_id(loaded, ("quotes", i, "source"), "source", quote.source,
                                source_ids)
    for i, dis in enumerate(doc.disagreements):
        problems += _unknown_id(loaded, ("disagreements", i, "study"), "study", dis.study,
                                study_ids)
    return problems


def _duplicate_ids(loaded: LoadedDocument) -> list[Problem]:
    """An id used twice in one list (sources, studies, findings, caveats)."""
    doc, problems = loaded.doc, []
    lists: dict[str, Sequence[Source | Study | Finding | Caveat]] = {
        "sources": doc.sources, "studies": doc.studies,
        "findings": doc.findings, "caveats": doc.caveats,
    }
    for name, items in lists.items():
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(loaded.problem((name, i, "id"), f"duplicate id {item.id!r}"))
            seen.add(item.id)
    return problems


def _unknown_id(loaded: LoadedDocument, loc: Loc, kind: str, wanted: str,
                known: set[str]) -> list[Problem]:
    """A reference to a source or study id that the file does not define."""
    if wanted in known:
        return []
    known_ids = ", ".join(sorted(known))
    return [loaded.problem(loc, f"no {kind} with id {wanted!r} (known: {known_ids})")]


def _placeholder_problems(loaded: LoadedDocument, i: int, finding: Finding) -> list[Problem]:
    """A finding's {placeholders} that are malformed or name no figure of that finding."""
    problems = []
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
        problems += [
            loaded.problem(("findings", i, key),
                           f"placeholder {{{name}}} has no figure (define it under figures:)")
            for name in sorted(names - allowed)
        ]
    return problems


def _caveat_problems(loaded: LoadedDocument, i: int, caveat: Caveat) -> list[Problem]:
    """A caveat with nothing behind it, or mandatory for a reader it has no wording for."""
    problems = []
    if not caveat.evidence and not caveat.guidance:
        problems.append(loaded.problem(
            ("caveats", i), "a caveat needs evidence from a source, or a guidance reference"))
    problems += [
        loaded.problem(("caveats", i, "text"), f"mandatory for {aud} but has no {aud} wording")
        for aud in caveat.mandatory_for if not caveat.text.for_(aud)
    ]
    return problems
