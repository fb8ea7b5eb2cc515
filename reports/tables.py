"""Every dashboard table as plain rows, so the page and its CSV export always agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import selectors
from .selectors import Scope


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: Callable[[Scope, datetime], Iterable[list[Any]]]


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _volume(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    for row in selectors.opened_and_resolved_by_day(scope):
        yield [row["day"].isoformat(), row["opened"], row["resolved"]]


def _backlog(dimension: str) -> Callable[[Scope, datetime], Iterable[list[Any]]]:
    def rows(scope: Scope, now: datetime) -> Iterable[list[Any]]:
        return ([row["name"], row["n"]] for row in selectors.backlog(scope)[dimension])

    return rows


def _age(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    return ([row["name"], row["n"]] for row in selectors.backlog_age(scope, now))


def _speed(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    for row in selectors.response_times(scope):
        yield [
            row["queue"],
            _number(row["first_median"]),
            _number(row["first_p90"]),
            row["first_count"],
            _number(row["resolution_median"]),
            _number(row["resolution_p90"]),
            row["resolution_count"],
        ]


def _sla(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    for row in selectors.sla_achievement(scope, now):
        yield [
            row["queue__name"],
            row["priority_label"],
            _number(row["first_rate"]),
            _number(row["resolution_rate"]),
            row["first_missed"] + row["resolution_missed"],
            row["breached_open"],
            row["at_risk"],
        ]


def _reopen(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    for row in selectors.reopen_rate(scope):
        yield [row["queue__name"], row["resolved"], row["reopened"], _number(row["rate"])]


def _top(dimension: str) -> Callable[[Scope, datetime], Iterable[list[Any]]]:
    def rows(scope: Scope, now: datetime) -> Iterable[list[Any]]:
        return ([row["name"], row["n"]] for row in selectors.top_problems_and_platforms(scope)[dimension])

    return rows


def _agents(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    return ([row["agent"], row["open"], row["resolved"]] for row in selectors.agents(scope))


def _cost(dimension: str) -> Callable[[Scope, datetime], Iterable[list[Any]]]:
    def rows(scope: Scope, now: datetime) -> Iterable[list[Any]]:
        for line in selectors.cost(scope)[dimension]:
            yield [line.name, str(line.hours), str(line.cost)]

    return rows


def _tickets(scope: Scope, now: datetime) -> Iterable[list[Any]]:
    return selectors.ticket_rows(scope)


TABLES: dict[str, Table] = {
    "volume": Table("Opened and resolved per day", ["Day", "Opened", "Resolved"], _volume),
    "backlog-queue": Table("Open backlog by queue", ["Queue", "Open"], _backlog("queue")),
    "backlog-platform": Table("Open backlog by platform", ["Platform", "Open"], _backlog("platform")),
    "backlog-priority": Table("Open backlog by priority", ["Priority", "Open"], _backlog("priority")),
    "backlog-age": Table("Age of the open backlog", ["Age", "Open"], _age),
    "speed": Table(
        "Response and resolution times (business hours)",
        [
            "Queue",
            "First response median",
            "First response 90th percentile",
            "Tickets answered",
            "Resolution median",
            "Resolution 90th percentile",
            "Tickets resolved",
        ],
        _speed,
    ),
    "sla": Table(
        "SLA achievement",
        [
            "Queue",
            "Priority",
            "First response met %",
            "Resolution met %",
            "Targets missed",
            "Breached and open",
            "At risk now",
        ],
        _sla,
    ),
    "reopen": Table("Reopen rate", ["Queue", "Resolved", "Reopened", "Reopen rate %"], _reopen),
    "problems": Table("Top problem types", ["Problem type", "Tickets"], _top("problem_type")),
    "platforms": Table("Top platforms", ["Platform", "Tickets"], _top("platform")),
    "agents": Table(
        "Agent workload and throughput", ["Agent", "Open assigned", "Resolved in range"], _agents
    ),
    "cost-queue": Table("Cost by queue", ["Queue", "Hours", "Cost"], _cost("queue")),
    "cost-department": Table(
        "Cost by requester department", ["Department", "Hours", "Cost"], _cost("department")
    ),
    "cost-platform": Table("Cost by platform", ["Platform", "Hours", "Cost"], _cost("platform")),
    "tickets": Table(
        "Tickets filed in the range", [title for title, _ in selectors.TICKET_COLUMNS], _tickets
    ),
}
