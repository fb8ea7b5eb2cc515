"""Typed payloads for append-only history rows, checked when written and read back typed.

A payload is a frozen dataclass whose fields are built from: `int`, `str`, `bool`,
`datetime` (aware; stored as ISO 8601 in UTC), `Literal[...]`, another payload dataclass
such as `Ref`, and `X | None`. `Registry.dump` refuses anything else, so a row on disk always
reads back as the class that wrote it; the converters are built once per class, when registered. `Registry` maps each kind of a history model to its
payload class; tickets/events.py is the registry of ticket events.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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


Convert = Callable[[Any], Any]


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def _named(hint: Any) -> str:
    return getattr(hint, "__name__", str(hint))


def _mismatch(value: Any, hint: Any) -> PayloadError:
    return PayloadError(f"{value!r} is not {_named(hint)}")


def _record(cls: type, convert: Callable[[Any], Convert], read: bool) -> Convert:
    """A converter of one dataclass, field by field, built once per class."""
    hints = typing.get_type_hints(cls)
    fields = [(field, convert(hints[field.name])) for field in dataclasses.fields(cls)]

    def encode(value: Any) -> Any:
        if not isinstance(value, cls):
            raise _mismatch(value, cls)
        out = {}
        for field, each in fields:
            try:
                out[field.name] = each(getattr(value, field.name))
            except PayloadError as error:
                raise PayloadError(f"{field.name}: {error}") from None
        return out

    def decode(raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise _mismatch(raw, cls)
        values = {}
        for field, each in fields:
            if field.name in raw:
                try:
                    values[field.name] = each(raw[field.name])
                except PayloadError as error:
                    raise PayloadError(f"{field.name}: {error}") from None
            elif field.default is dataclasses.MISSING:
                raise PayloadError(f"{field.name} is missing")
        return cls(**values)

    return decode if read else encode


def _converter(hint: Any, read: bool) -> Convert:
    """How to check and convert one declared type, to JSON or (`read`) back from it."""
    if _is_union(hint):
        nullable = type(None) in get_args(hint)
        kinds = [option for option in get_args(hint) if option is not type(None)]
        options = [_converter(option, read) for option in kinds]
        # The option of the value's own type first, so that an id that is a str is not tried as an int.
        exact = {kind: option for kind, option in zip(kinds, options, strict=True) if isinstance(kind, type)}

        def union(value: Any) -> Any:
            if value is None and nullable:
                return None
            first = exact.get(type(value))
            if first is not None:
                return first(value)
            for option in options:
                try:
                    return option(value)
                except PayloadError:
                    continue
            raise _mismatch(value, hint)

        return union
    if get_origin(hint) is Literal:
        allowed = get_args(hint)
        # A TextChoices member is stored as its plain value.
        return lambda value: (
            (str(value) if isinstance(value, str) else value) if value in allowed else _fail(value, hint)
        )
    if hint is datetime:
        return _moment_read if read else _moment_write
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _record(hint, lambda each: _converter(each, read), read)
    if hint is bool:
        return lambda value: value if isinstance(value, bool) else _fail(value, hint)
    if hint is int:
        # bool is an int to Python; a flag and a number must not pass for each other.
        return lambda value: (
            int(value) if isinstance(value, int) and not isinstance(value, bool) else _fail(value, hint)
        )
    if hint is str:
        return lambda value: str(value) if isinstance(value, str) else _fail(value, hint)
    raise TypeError(f"a payload field can't be {_named(hint)}")


def _fail(value: Any, hint: Any) -> Any:
    raise _mismatch(value, hint)


def _moment_write(value: Any) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    raise PayloadError(f"{value!r} is not an aware datetime")


def _moment_read(raw: Any) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise PayloadError(f"{raw!r} is not an ISO moment") from None


P = TypeVar("P")


class Registry(Generic[P]):
    """The payload class of each kind of one history model; one class per kind."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._classes: dict[str, type[P]] = {}
        self._write: dict[str, Convert] = {}
        self._read: dict[str, Convert] = {}

    def register(self, cls: type[P]) -> type[P]:
        """Class decorator: the payload of `cls.kind`; its field types are checked here, once."""
        kind = str(cls.kind)  # type: ignore[attr-defined]
        if kind in self._classes:
            raise ValueError(f"{self.name} kind {kind!r} already has {self._classes[kind].__name__}")
        self._classes[kind] = cls
        self._write[kind] = _converter(cls, read=False)
        self._read[kind] = _converter(cls, read=True)
        return cls

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._classes)

    def payload_class(self, kind: str) -> type[P]:
        try:
            return self._classes[kind]
        except KeyError:
            raise PayloadError(f"{kind!r} is not a {self.name} kind") from None

    def kind_of(self, payload: P) -> str:
        kind = str(type(payload).kind)  # type: ignore[attr-defined]
        if self._classes.get(kind) is not type(payload):
            raise PayloadError(f"{type(payload).__name__} is not a registered {self.name} payload")
        return kind

    def dump(self, payload: P) -> Json:
        """The payload as JSON, checked field by field against its declared types."""
        kind = self.kind_of(payload)
        try:
            return typing.cast(Json, self._write[kind](payload))
        except PayloadError as error:
            raise PayloadError(f"{type(payload).__name__}.{error}") from None

    def load(self, kind: str, raw: Json) -> P:
        cls = self.payload_class(kind)
        try:
            return typing.cast(P, self._read[kind](raw))
        except PayloadError as error:
            raise PayloadError(f"{cls.__name__}.{error}") from None


class Payload:
    """Base of payload classes: each subclass names its kind."""

    kind: ClassVar[str]
