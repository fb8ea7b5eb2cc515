"""The numbers behind the manager dashboards, computed in the database.

Every function runs a fixed number of queries, whatever the amount of data; the
Python that follows only folds their grouped rows into tables.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, TypedDict

from django.db import connection, transaction
from django.db.models import Count, F, Func, IntegerField, Model, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Department, User
from sla.models import Policy
from tickets.models import Platform, ProblemType, Queue, ServiceLevel, Ticket, TimeEntry
from tickets.selectors import sla_conditions

from .periods import Period

OPEN = Q(status__in=Ticket.OPEN_STATUSES)


def tickets_counted(condition: Q | None = None) -> Count:
    """Count tickets by a column every reporting index carries and that is never null.

    PostgreSQL then answers from the index alone; counting the primary key, which those
    indexes leave out, would read every ticket row.
    """
    return Count("created_at", filter=condition)


def names(model: type[Model]) -> dict[int, str]:
    """Id to name for a small reference table (queues, platforms, problem types, policies)."""
    return dict(model._default_manager.values_list("pk", "name"))


AGE_BUCKETS = [
    ("< 1 day", 0, 1),
    ("1–3 days", 1, 3),
    ("3–7 days", 3, 7),
    ("7–30 days", 7, 30),
    ("> 30 days", 30, None),
]


@contextmanager
def reporting() -> Iterator[None]:
    """A transaction in which the dashboards' sorts (percentiles, groups) fit in memory.

    A web request's default work_mem suits small lists; these queries sort a quarter's tickets.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


class FiledCount(TypedDict):
    queue_id: int
    platform_id: int
    problem_type_id: int
    day: date
    n: int
    settled: int
    reopened: int


@dataclass(frozen=True)
class Scope:
    period: Period
    queue: Queue | None = None
    platform: Platform | None = None

    def tickets(self) -> QuerySet[Ticket]:
        tickets = Ticket.objects.all()
        if self.queue:
            tickets = tickets.filter(queue=self.queue)
        if self.platform:
            tickets = tickets.filter(platform=self.platform)
        return tickets.order_by()

    def created(self) -> QuerySet[Ticket]:
        return self.tickets().filter(created_at__gte=self.period.start, created_at__lt=self.period.end)

    def resolved(self) -> QuerySet[Ticket]:
        return self.tickets().filter(resolved_at__gte=self.period.start, resolved_at__lt=self.period.end)

    @cached_property
    def filed(self) -> list[FiledCount]:
        """Tickets filed in the range, counted by local day, queue, platform and problem type.

        One scan serves the volume chart, the top lists and the reopen rate.
        """
        return list(
            self.created()
            .values(
                "queue_id",
                "platform_id",
                "problem_type_id",
                day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
            )
            .annotate(
                n=Count("*"),
                settled=tickets_counted(Q(resolved_at__isnull=False) | Q(reopen_count__gt=0)),
                reopened=tickets_counted(Q(reopen_count__gt=0)),
            )
        )


# ---- volume -------------------------------------------------------------------


def opened_and_resolved_by_day(scope: Scope) -> list[dict[str, Any]]:
    opened: dict[date, int] = defaultdict(int)
    for row in scope.filed:
        opened[row["day"]] += row["n"]
    resolved = dict(
        scope.resolved()
        .annotate(day=TruncDate("resolved_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )
    return [
        {"day": day, "opened": opened.get(day, 0), "resolved": resolved.get(day, 0)}
        for day in scope.period.days
    ]


def backlog(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Open tickets now, by queue, by platform and by priority (one grouped query)."""
    rows = scope.tickets().filter(OPEN).values("queue_id", "platform_id", "priority").annotate(n=Count("*"))
    queues, platforms = names(Queue), names(Platform)
    totals: dict[str, dict[Any, int]] = {
        "queue": defaultdict(int),
        "platform": defaultdict(int),
        "priority": defaultdict(int),
    }
    for row in rows:
        totals["queue"][queues[row["queue_id"]]] += row["n"]
        totals["platform"][platforms[row["platform_id"]]] += row["n"]
        totals["priority"][Ticket.Priority(row["priority"]).label] += row["n"]
    return {
        "queue": _table(totals["queue"]),
        "platform": _table(totals["platform"]),
        "priority": [
            {"name": label, "n": totals["priority"].get(label, 0)}
            for label in reversed(Ticket.Priority.labels)
        ],
    }


def _table(counts: dict[Any, int]) -> list[dict[str, Any]]:
    return [
        {"name": name, "n": n} for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def backlog_age(scope: Scope, now: datetime) -> list[dict[str, Any]]:
    counts = {}
    for index, (_, young, old) in enumerate(AGE_BUCKETS):
        condition = Q(created_at__lte=now - timedelta(days=young))
        if old is not None:
            condition &= Q(created_at__gt=now - timedelta(days=old))
        counts[f"bucket{index}"] = tickets_counted(condition)
    result = scope.tickets().filter(OPEN).aggregate(**counts)
    return [{"name": label, "n": result[f"bucket{index}"]} for index, (label, _, _) in enumerate(AGE_BUCKETS)]


def top_problems_and_platforms(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    problem_names, platform_names = names(ProblemType), names(Platform)
    problems: dict[str, int] = defaultdict(int)
    platforms: dict[str, int] = defaultdict(int)
    for row in scope.filed:
        problems[problem_names[row["problem_type_id"]]] += row["n"]
        platforms[platform_names[row["platform_id"]]] += row["n"]
    return {"problem_type": _table(problems), "platform": _table(platforms)}


# ---- speed and service levels -----------------------------------------------------


class Minutes(Func):
    """A duration in whole minutes, the resolution of the dashboards' percentiles."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND(EXTRACT(EPOCH FROM %(expressions)s) / 60) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps a duration as microseconds.
        template = "CAST(ROUND(%(expressions)s / 60000000.0) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra)


def duration_percentiles(tickets: QuerySet[Ticket], column: str) -> dict[int, tuple[float, float, int]]:
    """Median and 90th percentile (hours) of a business-time column, by queue id, with the count.

    The database only counts tickets per queue and minute, a hash rather than a sort of every
    value; the percentiles follow from those counts as PostgreSQL's percentile_cont would
    compute them, exact to the minute.
    """
    rows = (
        tickets.filter(**{f"{column}__isnull": False})
        .values("queue_id", minute=Minutes(column))
        .annotate(n=Count("*"))
    )
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        histograms[row["queue_id"]][row["minute"]] = row["n"]
    return {
        queue_id: (percentile(counts, 0.5) / 60, percentile(counts, 0.9) / 60, sum(counts.values()))
        for queue_id, counts in histograms.items()
    }


def percentile(counts: dict[int, int], fraction: float) -> float:
    """The continuous percentile of values given as {value: how many}: linear between the nearest ranks."""
    position = fraction * (sum(counts.values()) - 1)
    below, above = math.floor(position), math.ceil(position)
    low: int | None = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > below:
            low = value
        if seen > above:
            assert low is not None
            return low + (value - low) * (position - below)
    raise ValueError("no values")


def response_times(scope: Scope) -> list[dict[str, Any]]:
    """First response (tickets filed in the range) and resolution (resolved in it), business hours."""
    first = duration_percentiles(scope.created(), "first_response_business")
    resolution = duration_percentiles(scope.resolved(), "resolution_business")
    queues = names(Queue)
    rows = []
    for queue_id in sorted(set(first) | set(resolution), key=queues.__getitem__):
        f = first.get(queue_id, (None, None, 0))
        r = resolution.get(queue_id, (None, None, 0))
        rows.append(
            {
                "queue": queues[queue_id],
                "first_median": f[0],
                "first_p90": f[1],
                "first_count": f[2],
                "resolution_median": r[0],
                "resolution_p90": r[1],
                "resolution_count": r[2],
            }
        )
    return rows


def sla_achievement(scope: Scope, now: datetime) -> list[dict[str, Any]]:
    """Targets met among the tickets filed in the range whose outcome is known.

    Grouped by queue and the targets each ticket was held to (its SLA policy), not by its
    priority now: a breach raises the priority, but not the targets that were missed.
    """
    state = sla_conditions(now)
    rows = (
        scope.created()
        .filter(sla_policy__isnull=False)
        .values("queue_id", "sla_policy_id")
        .annotate(
            first_met=tickets_counted(state["first_met"]),
            first_missed=tickets_counted(state["first_missed"]),
            resolution_met=tickets_counted(state["resolution_met"]),
            resolution_missed=tickets_counted(state["resolution_missed"]),
            breached_open=tickets_counted(state["breached"]),
            at_risk=tickets_counted(state["at-risk"]),
        )
    )
    queues, policies = names(Queue), names(Policy)
    levels: dict[tuple[int, int], list[int]] = defaultdict(list)
    for queue_id, policy_id, priority in ServiceLevel.objects.values_list(
        "queue_id", "policy_id", "priority"
    ):
        levels[queue_id, policy_id].append(priority)
    table = []
    for row in rows:
        priorities = sorted(levels[row["queue_id"], row["sla_policy_id"]], reverse=True)
        table.append(
            {
                **row,
                "queue__name": queues[row["queue_id"]],
                "priority": priorities[0] if priorities else 0,
                "priority_label": " / ".join(Ticket.Priority(p).label for p in priorities)
                or policies[row["sla_policy_id"]],
                "first_rate": _rate(row["first_met"], row["first_missed"]),
                "resolution_rate": _rate(row["resolution_met"], row["resolution_missed"]),
            }
        )
    return sorted(table, key=lambda row: (row["queue__name"], -row["priority"], row["priority_label"]))


def _rate(met: int, missed: int) -> float | None:
    return 100 * met / (met + missed) if met + missed else None


def reopen_rate(scope: Scope) -> list[dict[str, Any]]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in scope.filed:
        counts[row["queue_id"]][0] += row["settled"]
        counts[row["queue_id"]][1] += row["reopened"]
    queues = names(Queue)
    table = [
        {
            "queue_id": queue_id,
            "queue__name": queues[queue_id],
            "resolved": resolved,
            "reopened": reopened,
            "rate": 100 * reopened / resolved if resolved else None,
        }
        for queue_id, (resolved, reopened) in counts.items()
    ]
    return sorted(table, key=lambda row: row["queue__name"])


def agents(scope: Scope) -> list[dict[str, Any]]:
    """Open tickets each agent holds now, and how many they resolved in the range."""
    workload = dict(
        scope.tickets()
        .filter(OPEN, assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("*"))
        .values_list("assignee_id", "n")
    )
    throughput = dict(
        scope.resolved()
        .filter(assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("*"))
        .values_list("assignee_id", "n")
    )
    agents = User.objects.filter(pk__in=set(workload) | set(throughput)).values_list("pk", "full_name")
    rows = [
        {"agent": name, "open": workload.get(pk, 0), "resolved": throughput.get(pk, 0)} for pk, name in agents
    ]
    return sorted(rows, key=lambda row: (-row["resolved"], row["agent"]))


# ---- cost ---------------------------------------------------------------------


@dataclass
class CostLine:
    name: str
    minutes: int = 0
    cost: Decimal = field(default_factory=Decimal)

    @property
    def hours(self) -> Decimal:
        """Rounded once, here, so the page and its CSV say the same."""
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def cost(scope: Scope) -> dict[str, list[CostLine]]:
    """Time logged in the range and what it cost, by queue, requester department and platform."""
    entries = TimeEntry.objects.filter(logged_at__gte=scope.period.start, logged_at__lt=scope.period.end)
    if scope.queue:
        entries = entries.filter(queue=scope.queue)
    if scope.platform:
        entries = entries.filter(platform=scope.platform)
    rows = (
        entries.order_by()
        .values("queue_id", "department_id", "platform_id")
        .annotate(logged=Sum("minutes"), rated=Sum(F("minutes") * F("hourly_rate")))
    )
    queues, departments, platforms = names(Queue), names(Department), names(Platform)
    tables: dict[str, dict[str, CostLine]] = {"queue": {}, "department": {}, "platform": {}}
    for row in rows:
        for table, key in (
            ("queue", queues[row["queue_id"]]),
            ("department", departments.get(row["department_id"], "No department")),
            ("platform", platforms[row["platform_id"]]),
        ):
            line = tables[table].setdefault(key, CostLine(key))
            line.minutes += row["logged"]
            # Minutes times rate is summed in SQL, divided here: SQLite would divide integers.
            line.cost += Decimal(row["rated"] or 0) / 60
    for lines in tables.values():
        for line in lines.values():
            line.cost = line.cost.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {
        name: sorted(lines.values(), key=lambda line: (-line.cost, line.name))
        for name, lines in tables.items()
    }


# ---- the ticket-level export ------------------------------------------------------

TICKET_COLUMNS = [
    ("Reference", "id"),
    ("Subject", "subject"),
    ("Filed", "created_at"),
    ("Requester", "requester__full_name"),
    ("Requester email", "requester__email"),
    ("Queue", "queue__name"),
    ("Platform", "platform__name"),
    ("Problem", "problem_type__name"),
    ("Priority", "priority"),
    ("Status", "status"),
    ("Department", "requester__department__name"),
    ("Assignee", "assignee__full_name"),
    ("First response (business hours)", "first_response_business"),
    ("Resolution (business hours)", "resolution_business"),
    ("First response breached", "first_response_breached_at"),
    ("Resolution breached", "resolution_breached_at"),
    ("Reopened", "reopen_count"),
]


def ticket_rows(scope: Scope) -> Iterator[list[Any]]:
    """Every ticket filed in the range, streamed from a server-side cursor."""
    priorities = dict(Ticket.Priority.choices)
    statuses = dict(Ticket.Status.choices)
    columns = [column for _, column in TICKET_COLUMNS]
    rows = scope.created().order_by("created_at", "id").values_list(*columns)
    for row in rows.iterator(chunk_size=2000):
        (
            pk,
            subject,
            created,
            requester,
            requester_email,
            queue,
            platform,
            problem,
            priority,
            status,
            department,
            assignee,
            first,
            resolution,
            first_breached,
            resolution_breached,
            reopened,
        ) = row
        yield [
            f"SIT-{pk}",
            subject,
            timezone.localtime(created).strftime("%Y-%m-%d %H:%M"),
            requester,
            requester_email,
            queue,
            platform,
            problem,
            priorities[priority],
            statuses[status],
            department or "",
            assignee or "",
            _hours(first),
            _hours(resolution),
            "yes" if first_breached else "no",
            "yes" if resolution_breached else "no",
            reopened,
        ]


def _hours(duration: timedelta | None) -> str:
    return f"{duration.total_seconds() / 3600:.2f}" if duration is not None else ""


def days_label(day: date) -> str:
    return day.strftime("%d %b")
