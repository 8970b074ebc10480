"""Plain, immutable data for templates, built generically from views and models.

A template folder may come from someone else, so a template gets no object with methods:
a pydantic model would bring ``parse_raw`` (pickle!), ``model_validate_json`` and friends.
Every dataclass, pydantic model and mapping becomes a read-only :class:`Record`, every list
a tuple, dates ISO strings; only str, int, float, bool and None pass as they are. Whatever
fields the view and the model gain later pass through without a change here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import numbers
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any


class Record(Mapping):
    """A read-only mapping whose keys templates reach as attributes (``doc.title``).

    The sandbox looks keys up before attributes, so a field named ``items`` is the field.
    """

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("template data is read-only")

    def __repr__(self) -> str:
        return f"Record({self._data!r})"


_SCALARS = (str, bool, int, float, type(None))


def plain(value: Any) -> Any:
    """``value`` as template data: Records, tuples, str, numbers, bools and None."""
    return _converter().convert(value)


_held = threading.local()


@contextmanager
def document_converted_once(doc: Any) -> Iterator[None]:
    """While one document's outputs are rendered (it does not change meanwhile), its
    template data is built at the first render and shared by the others: each render
    starts from what converting the document left, then converts its own view."""
    _held.state = [doc, None]
    try:
        yield
    finally:
        _held.state = None


def _converter() -> _Plain:
    state = getattr(_held, "state", None)
    if state is None:
        return _Plain()
    held: _Plain | None = state[1]
    if held is None:
        held = state[1] = _Plain()
        held.convert(state[0])
    out = _Plain()
    out.memo = dict(held.memo)  # ids of the document's parts, kept alive by ``held.keep``
    out.keep = [held.keep]
    return out


class _Plain:
    def __init__(self) -> None:
        # The same object reached twice (view.doc and doc) becomes the same Record, once.
        self.memo: dict[int, Any] = {}
        self.keep: list[Any] = []  # keeps ids in memo valid while converting

    def convert(self, value: Any) -> Any:
        kind = _KINDS.get(type(value)) or _kind(value)
        if kind is _AS_IS:
            return value
        if kind is _SCALAR:
            return _scalar(value)
        if kind is _DATE:
            return value.isoformat()
        if kind is _ENUM:
            return self.convert(value.value)
        if kind is _PATH:
            return str(value)
        if kind is _REAL:  # Decimal, Fraction: a number, without methods
            return float(value)
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        self.keep.append(value)
        out = self._container(value, kind)
        self.memo[key] = out
        return out

    def _container(self, value: Any, kind: str) -> Any:
        convert = self.convert
        if kind is _SEQUENCE:
            return tuple(map(convert, value))
        if kind is _MODEL or kind is _DATACLASS:
            cls: Any = type(value)  # a class is hashable (functools.cache keys on it)
            names = _model_names(cls) if kind is _MODEL else _dataclass_names(cls)
            return Record({n: convert(getattr(value, n)) for n in names})
        if kind is _MAPPING:
            return Record({str(convert(k)): convert(v) for k, v in value.items()})
        raise TypeError(f"{type(value).__name__} cannot be passed to a template")


# What a value becomes depends on its type only: each type is sorted once, by the checks
# below in their order, and looked up after that.
_AS_IS, _SCALAR, _DATE, _ENUM, _PATH, _REAL = "as is", "scalar", "date", "enum", "path", "real"
_MODEL, _DATACLASS, _MAPPING, _SEQUENCE, _REFUSED = (
    "model", "dataclass", "mapping", "sequence", "refused")
_KINDS: dict[type, str] = {t: _AS_IS for t in _SCALARS}


def _kind(value: Any) -> str:
    from pydantic import BaseModel

    if isinstance(value, _SCALARS):
        kind = _AS_IS if type(value) in _SCALARS else _SCALAR
    elif isinstance(value, (dt.date, dt.datetime, dt.time)):
        kind = _DATE
    elif isinstance(value, enum.Enum):
        kind = _ENUM
    elif isinstance(value, PurePath):
        kind = _PATH
    elif isinstance(value, numbers.Real):
        kind = _REAL
    elif isinstance(value, BaseModel):
        kind = _MODEL
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = _DATACLASS
    elif isinstance(value, Mapping):
        kind = _MAPPING
    elif isinstance(value, (list, tuple, set, frozenset)):
        kind = _SEQUENCE
    else:
        kind = _REFUSED
    _KINDS[type(value)] = kind
    return kind


@functools.cache
def _model_names(model: type) -> tuple[str, ...]:
    return (*model.model_fields, *model.model_computed_fields)  # type: ignore[attr-defined]


@functools.cache
def _dataclass_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _scalar(value: Any) -> Any:
    """A subclass of a scalar (an IntEnum, markupsafe.Markup) as its plain base value.

    Markup stays Markup: it is our own, already-escaped HTML, and its methods only escape.
    """
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(str(value))
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return base(value)
    return value
