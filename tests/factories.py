"""Tickets made the way the desk makes them: through the services."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from tickets import services
from tickets.models import Platform, ProblemType, Ticket

_counter = 0


def file_ticket(
    requester: User,
    *,
    problem: str = "login-access",
    platform: str = "twitter-x",
    subject: str | None = None,
    description: str = "It stopped working this morning.",
    **extra: Any,
) -> Ticket:
    global _counter
    _counter += 1
    return services.ticket_file(
        requester=requester,
        platform=Platform.objects.get(slug=platform),
        problem_type=ProblemType.objects.get(slug=problem),
        subject=subject or f"Request number {_counter}",
        description=description,
        **extra,
    )
