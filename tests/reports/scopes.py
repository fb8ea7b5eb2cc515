"""Shorthands for the dashboard selectors' tests: a scope over the story's fortnight, a November day, name-count pairs."""

from __future__ import annotations

from datetime import date
from typing import Any

from reports.periods import Period
from reports.selectors import Scope

from .conftest import RANGE

JUNE = Scope(period=Period(date(2026, 6, 1), date(2026, 6, 4)))  # for tickets of a test's own


def scope(**filters: Any) -> Scope:
    return Scope(period=RANGE, **filters)


def nov(day: int) -> date:
    return date(2026, 11, day)


def pairs(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(row["name"], row["n"]) for row in rows]
