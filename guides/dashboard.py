"""The dashboard's self-service section: guide views, helpful share, deflections, the
self-service score and what the deflections saved.

Self-service score: deflections, plus guide views not followed by a ticket from the same
person within SELF_SERVED_WITHIN, over tickets filed, in the same range. What a deflection
saved is the average cost of a ticket of its problem type filed in the range (time logged
on those tickets at the queues' rates, over those tickets), so a kind of request that costs
nothing to answer saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from tickets.models import Platform, ProblemType, Ticket, TimeEntry

from .models import Deflection, Guide, GuideFeedback, GuideView
from .policy import DepartmentLine, confirmation_by_department, policy_guide

SELF_SERVED_WITHIN = timedelta(hours=24)
NOT_CHOSEN = "Not chosen"


@dataclass(frozen=True)
class Range:
    """What the dashboard's filters chose: the range [start, end), and a platform or none."""

    start: datetime
    end: datetime
    platform_id: int | None = None


@dataclass
class Line:
    name: str
    deflections: int = 0
    views_unfollowed: int = 0
    filed: int = 0
    saved: Decimal = field(default_factory=Decimal)

    @property
    def score(self) -> float | None:
        """Self-served per ticket filed, as a percentage; None when nothing was filed."""
        if not self.filed:
            return None
        return 100 * (self.deflections + self.views_unfollowed) / self.filed


@dataclass
class SelfService:
    views: int
    helpful_rate: float | None
    deflections: int
    views_unfollowed: int
    filed: int
    saved: Decimal
    by_platform: list[Line]
    by_problem_type: list[Line]

    @property
    def score(self) -> float | None:
        return Line("", self.deflections, self.views_unfollowed, self.filed).score

    @property
    def tables(self) -> list[tuple[str, str, list[Line]]]:
        return [
            ("self-platform", "Platform", self.by_platform),
            ("self-problem", "Problem type", self.by_problem_type),
        ]


def _names(model: type[Platform] | type[ProblemType]) -> dict[int, str]:
    return dict(model.objects.values_list("pk", "name"))


def self_service(range_: Range) -> SelfService:
    """Every figure of the section in a fixed number of queries, however many rows."""
    views = GuideView.objects.filter(viewed_at__gte=range_.start, viewed_at__lt=range_.end)
    deflections = Deflection.objects.filter(created_at__gte=range_.start, created_at__lt=range_.end)
    tickets = Ticket.objects.filter(created_at__gte=range_.start, created_at__lt=range_.end)
    if range_.platform_id is not None:
        views = views.filter(guide__platforms=range_.platform_id)
        deflections = deflections.filter(platform=range_.platform_id)
        tickets = tickets.filter(platform=range_.platform_id)
    followed = Ticket.objects.filter(
        requester=OuterRef("person"),
        created_at__gte=OuterRef("viewed_at"),
        created_at__lt=OuterRef("viewed_at") + SELF_SERVED_WITHIN,
    )
    unfollowed = views.filter(person__isnull=False).exclude(Exists(followed))

    platforms, problem_types = _names(Platform), _names(ProblemType)
    by_platform: dict[str, Line] = {}
    by_problem: dict[str, Line] = {}

    def line(table: dict[str, Line], name: str) -> Line:
        return table.setdefault(name, Line(name))

    for row in tickets.order_by().values("platform_id", "problem_type_id").annotate(n=Count("*")):
        line(by_platform, platforms[row["platform_id"]]).filed += row["n"]
        line(by_problem, problem_types[row["problem_type_id"]]).filed += row["n"]
    # Average cost of a ticket by problem type: the range's tickets and the time logged on them.
    costs = {
        row["ticket__problem_type_id"]: Decimal(row["rated"] or 0) / 60
        for row in TimeEntry.objects.filter(ticket__in=tickets.values("pk"))
        .order_by()
        .values("ticket__problem_type_id")
        .annotate(rated=Sum(F("minutes") * F("hourly_rate")))
    }
    filed_by_problem = {
        row["problem_type_id"]: row["n"]
        for row in tickets.order_by().values("problem_type_id").annotate(n=Count("*"))
    }
    average = {kind: costs[kind] / filed_by_problem[kind] for kind in costs if filed_by_problem.get(kind)}
    saved_total = Decimal(0)
    for row in deflections.order_by().values("platform_id", "problem_type_id").annotate(n=Count("*")):
        saved = average.get(row["problem_type_id"], Decimal(0)) * row["n"]
        saved_total += saved
        for table, name in (
            (by_platform, platforms.get(row["platform_id"], NOT_CHOSEN)),
            (by_problem, problem_types.get(row["problem_type_id"], NOT_CHOSEN)),
        ):
            entry = line(table, name)
            entry.deflections += row["n"]
            entry.saved += saved
    for viewed in unfollowed.order_by().values("guide__platforms").annotate(n=Count("pk", distinct=True)):
        if viewed["guide__platforms"] is not None:
            line(by_platform, platforms[viewed["guide__platforms"]]).views_unfollowed += viewed["n"]
    feedback = GuideFeedback.objects.filter(updated_at__gte=range_.start, updated_at__lt=range_.end)
    if range_.platform_id is not None:
        feedback = feedback.filter(guide__platforms=range_.platform_id)
    answers = feedback.aggregate(total=Count("pk"), helpful=Count("pk", filter=Q(helpful=True)))
    cent = Decimal("0.01")
    for table in (by_platform, by_problem):
        for entry in table.values():
            entry.saved = entry.saved.quantize(cent, ROUND_HALF_UP)
    return SelfService(
        views=views.count(),
        helpful_rate=100 * answers["helpful"] / answers["total"] if answers["total"] else None,
        deflections=deflections.count(),
        views_unfollowed=unfollowed.count(),
        filed=sum(filed_by_problem.values()),
        saved=saved_total.quantize(cent, ROUND_HALF_UP),
        by_platform=sorted(by_platform.values(), key=lambda entry: (-entry.deflections, entry.name)),
        by_problem_type=sorted(by_problem.values(), key=lambda entry: (-entry.deflections, entry.name)),
    )


@dataclass(frozen=True)
class PolicySummary:
    guide: Guide
    departments: list[DepartmentLine]

    @property
    def people(self) -> int:
        return sum(line.people for line in self.departments)

    @property
    def confirmed(self) -> int:
        return sum(line.confirmed for line in self.departments)


def policy_summary() -> PolicySummary | None:
    """Who has confirmed the policy's current version, by department; None without a policy."""
    guide = policy_guide()
    if guide is None:
        return None
    return PolicySummary(guide=guide, departments=confirmation_by_department(guide))
