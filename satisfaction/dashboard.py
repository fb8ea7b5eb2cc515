"""The dashboard's satisfaction section: CSAT by queue, agent and platform, and the comments.

Counted over the tickets resolved in the range: the average rating, the share rated 4 or 5,
and the response rate (tickets rated over tickets resolved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, Sum

from tickets.models import Ticket

from .models import Rating

COMMENTS_SHOWN = 20
GROUPS = {
    "queue": ("queue__name", "Queue"),
    "agent": ("assignee__full_name", "Agent"),
    "platform": ("platform__name", "Platform"),
}
NOBODY = "Unassigned"


@dataclass(frozen=True)
class CsatLine:
    name: str
    resolved: int
    responses: int
    score_total: int
    good: int

    @property
    def average(self) -> float | None:
        return self.score_total / self.responses if self.responses else None

    @property
    def good_rate(self) -> float | None:
        return 100 * self.good / self.responses if self.responses else None

    @property
    def response_rate(self) -> float | None:
        return 100 * self.responses / self.resolved if self.resolved else None


@dataclass(frozen=True)
class Csat:
    overall: CsatLine
    tables: list[tuple[str, str, list[CsatLine]]]  # (key, column label, lines)
    comments: list[Rating]


def csat(
    *, start: datetime, end: datetime, queue_id: int | None = None, platform_id: int | None = None
) -> Csat:
    tickets = Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end).order_by()
    if queue_id is not None:
        tickets = tickets.filter(queue=queue_id)
    if platform_id is not None:
        tickets = tickets.filter(platform=platform_id)
    figures = {
        "resolved": Count("pk"),
        "responses": Count("rating"),
        "score_total": Sum("rating__score", default=0),
        "good": Count("rating", filter=Q(rating__score__gte=4)),
    }
    tables = []
    for key, (column, label) in GROUPS.items():
        rows = tickets.values(column).annotate(**figures)
        lines = [
            CsatLine(
                row[column] or NOBODY, row["resolved"], row["responses"], row["score_total"], row["good"]
            )
            for row in rows
        ]
        lines.sort(key=lambda line: (-line.responses, line.name))
        tables.append((key, label, lines))
    overall = tickets.aggregate(**figures)
    comments = list(
        Rating.objects.filter(ticket__in=tickets.values("pk"))
        .exclude(comment="")
        .select_related("ticket", "requester")
        .order_by("-updated_at", "-id")[:COMMENTS_SHOWN]
    )
    return Csat(
        overall=CsatLine(
            "All", overall["resolved"], overall["responses"], overall["score_total"], overall["good"]
        ),
        tables=tables,
        comments=comments,
    )
