"""Typed payloads for append-only history rows, checked when written and read back typed.

A payload is a frozen dataclass whose fields are built from: `int`, `str`, `bool`,
`datetime` (aware; stored as ISO 8601 in UTC), `Literal[...]`, another payload dataclass
such as `Ref`, and `X | None`. `payload_dump` refuses anything else, so a row on disk always
reads back as the class that wrote it. `Registry` maps each kind of a history model to its
payload class; tickets/events.py is the registry of ticket events.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar, Union, get_args, get_origin

Json = dict[str, Any]


class PayloadError(ValueError):
    """A payload that doesn't have its kind's declared shape."""


@dataclasses.dataclass(frozen=True)
class Ref:
    """Something an event points at: its id for code, its label as people read it then.

    The id is None only in history written before events kept ids (see the migration
    that gave events their payloads).
    """

    id: int | str | None
    label: str

    def __str__(self) -> str:
        return self.label


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def _encode(value: Any, hint: Any, path: str) -> Any:
    if _is_union(hint):
        for option in get_args(hint):
            try:
                return _encode(value, option, path)
            except PayloadError:
                continue
        raise PayloadError(f"{path}: {value!r} is none of {hint}")
    if hint is type(None) and value is None:
        return None
    if get_origin(hint) is Literal and value in get_args(hint):
        return str(value) if isinstance(value, str) else value
    if hint is datetime and isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if dataclasses.is_dataclass(hint) and isinstance(value, hint):  # type: ignore[arg-type]
        return _fields_encode(value, path)
    if hint is bool and isinstance(value, bool):
        return value
    # bool is an int to Python; a flag and a number must not pass for each other.
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if hint is str and isinstance(value, str):
        return str(value)  # a TextChoices member is stored as its plain value
    raise PayloadError(f"{path}: {value!r} is not {getattr(hint, '__name__', hint)}")


def _fields_encode(payload: Any, path: str) -> Json:
    hints = _hints(type(payload))
    return {
        field.name: _encode(getattr(payload, field.name), hints[field.name], f"{path}.{field.name}")
        for field in dataclasses.fields(payload)
    }


def _decode(raw: Any, hint: Any, path: str) -> Any:
    if _is_union(hint):
        options = get_args(hint)
        if raw is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(raw, option, path)
            except PayloadError:
                continue
        raise PayloadError(f"{path}: {raw!r} is none of {hint}")
    if hint is datetime and isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError as error:
            raise PayloadError(f"{path}: {raw!r} is not an ISO moment") from error
    if dataclasses.is_dataclass(hint) and isinstance(hint, type) and isinstance(raw, dict):
        return _fields_decode(hint, raw, path)
    if get_origin(hint) is Literal and raw in get_args(hint):
        return raw
    if hint in (int, str, bool) and type(raw) is hint:
        return raw
    raise PayloadError(f"{path}: {raw!r} is not {getattr(hint, '__name__', hint)}")


def _fields_decode(cls: type, raw: Json, path: str) -> Any:
    hints = _hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.name in raw:
            values[field.name] = _decode(raw[field.name], hints[field.name], f"{path}.{field.name}")
        elif field.default is dataclasses.MISSING:
            raise PayloadError(f"{path}.{field.name} is missing")
    return cls(**values)


P = TypeVar("P")


class Registry(Generic[P]):
    """The payload class of each kind of one history model; one class per kind."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._classes: dict[str, type[P]] = {}

    def register(self, cls: type[P]) -> type[P]:
        """Class decorator: the payload of `cls.kind`."""
        kind = str(cls.kind)  # type: ignore[attr-defined]
        if kind in self._classes:
            raise ValueError(f"{self.name} kind {kind!r} already has {self._classes[kind].__name__}")
        self._classes[kind] = cls
        return cls

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._classes)

    def kind_of(self, payload: P) -> str:
        kind = str(type(payload).kind)  # type: ignore[attr-defined]
        if self._classes.get(kind) is not type(payload):
            raise PayloadError(f"{type(payload).__name__} is not a registered {self.name} payload")
        return kind

    def dump(self, payload: P) -> Json:
        """The payload as JSON, checked field by field against its declared types."""
        self.kind_of(payload)
        return _fields_encode(payload, type(payload).__name__)

    def load(self, kind: str, raw: Json) -> P:
        try:
            cls = self._classes[kind]
        except KeyError:
            raise PayloadError(f"{kind!r} is not a {self.name} kind") from None
        if not isinstance(raw, dict):
            raise PayloadError(f"{cls.__name__}: {raw!r} is not an object")
        return typing.cast(P, _fields_decode(cls, raw, cls.__name__))


class Payload:
    """Base of payload classes: each subclass names its kind."""

    kind: ClassVar[str]
