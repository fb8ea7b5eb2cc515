"""Keyset pagination: a page costs the same on page 1 and page 20,000.

OFFSET makes the database walk every skipped row and Paginator counts the whole
result on every page; a cursor holding the last row's sort key does neither.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Field, Model, Q, QuerySet

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, model: type[Model], fields: list[str]) -> list[Any] | None:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(fields):
            return None
        values = []
        for name, value in zip(fields, raw, strict=True):
            field = model._meta.get_field(name)
            if not isinstance(field, Field) or (value is None and not field.null):
                return None
            values.append(field.to_python(value))
        return values
    except (ValueError, TypeError, ValidationError):
        # A hand-edited or stale cursor starts again from the first page.
        return None


def _nullable(model: type[Model], name: str) -> bool:
    return bool(model._meta.get_field(name).null)


def _after(model: type[Model], ordering: list[str], values: list[Any]) -> Q:
    """Rows that sort strictly after `values` under `ordering`.

    Directions may be mixed. NULL sorts above every value, as PostgreSQL does by default
    (and as `_order_by` asks SQLite to).
    """
    nothing = Q(pk__in=[])
    condition = nothing
    equal_so_far = Q()
    for term, value in zip(ordering, values, strict=True):
        name = term.lstrip("-")
        descending = term.startswith("-")
        if value is None:
            beyond = Q(**{f"{name}__isnull": False}) if descending else nothing
            same = Q(**{f"{name}__isnull": True})
        else:
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if not descending and _nullable(model, name):
                beyond |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal_so_far & beyond
        equal_so_far &= same
    # The same rows, with a plain bound on the first key that an index can seek to: without
    # it PostgreSQL reads an OR it cannot use and walks every row before the cursor.
    first, value = ordering[0], values[0]
    name = first.lstrip("-")
    if value is not None and first.startswith("-"):
        condition &= Q(**{f"{name}__lte": value})
    elif value is not None and not _nullable(model, name):
        condition &= Q(**{f"{name}__gte": value})
    return condition


def _order_by(model: type[Model], ordering: list[str]) -> list[Any]:
    terms: list[Any] = []
    for term in ordering:
        name = term.lstrip("-")
        if not _nullable(model, name):
            terms.append(term)
        elif term.startswith("-"):
            terms.append(F(name).desc(nulls_first=True))
        else:
            terms.append(F(name).asc(nulls_last=True))
    return terms


def _reverse(ordering: list[str]) -> list[str]:
    return [term[1:] if term.startswith("-") else f"-{term}" for term in ordering]


def paginate(
    queryset: QuerySet[T], *, ordering: list[str], per_page: int, after: str = "", before: str = ""
) -> Page[T]:
    """One page of `queryset` under `ordering`, which must end in a unique field."""
    fields = [term.lstrip("-") for term in ordering]
    model = queryset.model
    cursor = _decode(after or before, model, fields) if (after or before) else None
    # Only a readable `before` pages backwards; anything else starts at the first page.
    backwards = bool(before) and not after and cursor is not None
    order = _reverse(ordering) if backwards else ordering
    page_qs = queryset.order_by(*_order_by(model, order))
    if cursor is not None:
        page_qs = page_qs.filter(_after(model, order, cursor))
    rows = list(page_qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()

    def key(row: T) -> str:
        return _encode([getattr(row, f) for f in fields])

    has_next = more if not backwards else cursor is not None
    has_previous = (cursor is not None) if not backwards else more
    return Page(
        rows=rows,
        next_cursor=key(rows[-1]) if rows and has_next else None,
        previous_cursor=key(rows[0]) if rows and has_previous else None,
    )
