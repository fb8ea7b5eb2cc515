"""The dashboard's section about company accounts, for reports to show beside the tickets.

Every count links to exactly what it counts: the registry list with the same filter, the
admin's ticket list of the incidents, the admin's list of the access requests waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from accounts.models import User
from approvals.models import Approval
from checklists.reference_data import HACKED_PROBLEM
from tickets.models import Platform, ProblemType, Queue, Ticket

from .selectors import RegistryFilters, registry_search

INCIDENTS_SHOWN = 20


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Incident:
    ticket: Ticket
    secured_after: str  # "" while not secured


@dataclass(frozen=True)
class AccountsSection:
    figures: list[Figure]
    incidents: list[Incident]
    incident_count: int
    incidents_url: str
    median_secured: str
    waiting_oldest: str


def _duration(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def _registry_figure(user: User, label: str, flag: str, base: dict[str, int | None]) -> Figure:
    filters = RegistryFilters(**{flag: True}, **base)  # type: ignore[arg-type]
    params: dict[str, str | int] = {flag: "on", **{name: value for name, value in base.items() if value}}
    return Figure(
        label, registry_search(user, filters).count(), f"{reverse('registry:list')}?{urlencode(params)}"
    )


def accounts_section(
    *,
    user: User,
    start: datetime,
    end: datetime,
    queue: Queue | None = None,
    platform: Platform | None = None,
    now: datetime | None = None,
) -> AccountsSection:
    now = now or timezone.now()
    base: dict[str, int | None] = {
        "queue": queue.pk if queue else None,
        "platform": platform.pk if platform else None,
    }
    figures = [
        _registry_figure(user, "without a second factor", "no_second_factor", base),
        _registry_figure(user, "without an owner", "no_owner", base),
        _registry_figure(user, "access review overdue", "review_overdue", base),
    ]

    waiting = Approval.objects.filter(kind=Approval.Kind.ACCESS, status=Approval.Status.PENDING)
    waiting_params: dict[str, str | int] = {
        "kind__exact": Approval.Kind.ACCESS,
        "status__exact": Approval.Status.PENDING,
    }
    if queue:
        waiting = waiting.filter(account__queue=queue)
        waiting_params["account__queue__id__exact"] = queue.pk
    if platform:
        waiting = waiting.filter(account__platform=platform)
        waiting_params["account__platform__id__exact"] = platform.pk
    waiting_since = list(waiting.order_by("created_at").values_list("created_at", flat=True)[:1])
    figures.append(
        Figure(
            "access requests waiting",
            waiting.count(),
            f"{reverse('admin:approvals_approval_changelist')}?{urlencode(waiting_params)}",
        )
    )

    problem = ProblemType.objects.filter(slug=HACKED_PROBLEM).first()
    incidents = Ticket.objects.filter(problem_type=problem, created_at__gte=start, created_at__lt=end)
    params: dict[str, str | int] = {
        "problem_type__id__exact": problem.pk if problem else "",
        "created_at__gte": start.isoformat(),
        "created_at__lt": end.isoformat(),
    }
    if queue:
        incidents = incidents.filter(queue=queue)
        params["queue__id__exact"] = queue.pk
    if platform:
        incidents = incidents.filter(platform=platform)
        params["platform__id__exact"] = platform.pk
    shown = list(
        incidents.annotate(secured_at=Min("checklists__secured_at"))
        .select_related("account", "platform")
        .order_by("-created_at", "-id")[:INCIDENTS_SHOWN]
    )
    rows = []
    secured = []
    for ticket in shown:
        at = getattr(ticket, "secured_at", None)
        after = at - ticket.created_at if at else None
        if after is not None:
            secured.append(after)
        rows.append(Incident(ticket, _duration(after) if after is not None else ""))
    return AccountsSection(
        figures=figures,
        incidents=rows,
        incident_count=incidents.count(),
        incidents_url=f"{reverse('admin:tickets_ticket_changelist')}?{urlencode(params)}",
        median_secured=_duration(median(secured)) if secured else "",
        waiting_oldest=timesince(waiting_since[0], now) if waiting_since else "",
    )
