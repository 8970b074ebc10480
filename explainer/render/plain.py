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
from collections.abc import Iterator, Mapping
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
_EXACT = frozenset(_SCALARS)


def plain(value: Any) -> Any:
    """``value`` as template data: Records, tuples, str, numbers, bools and None."""
    return _Plain().convert(value)


class _Plain:
    def __init__(self) -> None:
        # The same object reached twice (view.doc and doc) becomes the same Record, once.
        self.memo: dict[int, Any] = {}
        self.keep: list[Any] = []  # keeps ids in memo valid while converting

    def convert(self, value: Any) -> Any:
        if type(value) in _EXACT:  # most values: taken as they are, before the checks below
            return value
        if isinstance(value, _SCALARS):
            return value if type(value) in _SCALARS else _scalar(value)
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return self.convert(value.value)
        if isinstance(value, PurePath):
            return str(value)
        if isinstance(value, numbers.Real):  # Decimal, Fraction: a number, without methods
            return float(value)
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        self.keep.append(value)
        out = self._container(value)
        self.memo[key] = out
        return out

    def _container(self, value: Any) -> Any:
        if type(value) in (list, tuple):  # the commonest container, before the ABC checks
            return tuple(self.convert(v) for v in value)
        from pydantic import BaseModel

        if isinstance(value, BaseModel):
            names = _field_names(type(value))
            return Record({n: self.convert(getattr(value, n)) for n in names})
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return Record({f.name: self.convert(getattr(value, f.name))
                           for f in dataclasses.fields(value)})
        if isinstance(value, Mapping):
            return Record({str(self.convert(k)): self.convert(v) for k, v in value.items()})
        if isinstance(value, (list, tuple, set, frozenset)):
            return tuple(self.convert(v) for v in value)
        raise TypeError(f"{type(value).__name__} cannot be passed to a template")


@functools.cache
def _field_names(model: type) -> tuple[str, ...]:
    return (*model.model_fields, *model.model_computed_fields)  # type: ignore[attr-defined]


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
