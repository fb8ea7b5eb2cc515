"""A ticket's SLA clock: its due times, pauses and the next moment the sweep must act.

The business-time maths is sla's; this module only knows which targets a ticket has
and when they stop counting. Functions change the ticket in memory; callers save
SLA_FIELDS with the rest of their change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sla.business_time import Schedule, add_business_time, business_time_between
from sla.models import Policy

from . import hooks
from .models import ServiceLevel, Ticket

SLA_FIELDS = [
    "sla_policy",
    "sla_paused_at",
    "sla_paused",
    "first_response_due_at",
    "first_response_warn_at",
    "resolution_due_at",
    "resolution_warn_at",
    "first_response_warned_at",
    "first_response_breached_at",
    "resolution_warned_at",
    "resolution_breached_at",
    "sla_due_at",
    "next_sla_at",
]

FIRST_RESPONSE = "first response"
RESOLUTION = "resolution"


def policy_for(queue_id: int, priority: int) -> Policy | None:
    level = (
        ServiceLevel.objects.filter(queue_id=queue_id, priority=priority)
        .select_related("policy__calendar")
        .prefetch_related("policy__calendar__periods", "policy__calendar__company_days")
        .first()
    )
    return level.policy if level else None


def schedule(ticket: Ticket) -> Schedule:
    assert ticket.sla_policy is not None
    return ticket.sla_policy.calendar.schedule()


def clock_start(ticket: Ticket, *, resolve_by: datetime | None = None) -> None:
    """Choose the policy for the ticket's queue and priority, and set its targets.

    `resolve_by` is a moment the request is worth nothing after (a post's publish time): the
    resolution target is the earlier of it and the policy's.
    """
    ticket.sla_policy = policy_for(ticket.queue_id, ticket.priority)
    clock_retarget(ticket, now=ticket.created_at, resolve_by=resolve_by)


def clock_retarget(ticket: Ticket, *, now: datetime, resolve_by: datetime | None = None) -> None:
    """Due times from filing, plus the time spent paused, under the ticket's policy.

    The resolution target is never later than `resolve_by`, or than what the apps above
    tickets say the ticket must be resolved by (tickets.hooks.on_resolve_by) once it is saved.
    """
    policy = ticket.sla_policy
    if policy is None:
        ticket.first_response_due_at = ticket.first_response_warn_at = None
        ticket.resolution_due_at = ticket.resolution_warn_at = None
        clock_refresh(ticket)
        return
    calendar = schedule(ticket)
    share = policy.warning_percent / 100

    def at(minutes: float) -> datetime:
        return add_business_time(ticket.created_at, timedelta(minutes=minutes) + ticket.sla_paused, calendar)

    ticket.first_response_due_at = at(policy.first_response_minutes)
    ticket.first_response_warn_at = at(policy.first_response_minutes * share)
    ticket.resolution_due_at = at(policy.resolution_minutes)
    ticket.resolution_warn_at = at(policy.resolution_minutes * share)
    latest = resolve_by or (hooks.resolve_by(ticket) if ticket.pk else None)
    if latest is not None and latest < ticket.resolution_due_at:
        ticket.resolution_due_at = latest
        ticket.resolution_warn_at = min(ticket.resolution_warn_at, latest)
    # A deadline moved into the future deserves its own warning and breach.
    for mark, moment in (
        ("first_response_warned_at", ticket.first_response_warn_at),
        ("first_response_breached_at", ticket.first_response_due_at),
        ("resolution_warned_at", ticket.resolution_warn_at),
        ("resolution_breached_at", ticket.resolution_due_at),
    ):
        if moment > now:
            setattr(ticket, mark, None)
    clock_refresh(ticket)


def clock_pause(ticket: Ticket, *, now: datetime) -> None:
    if ticket.sla_paused_at is None:
        ticket.sla_paused_at = now
    clock_refresh(ticket)


def clock_resume(ticket: Ticket, *, now: datetime) -> None:
    """Add the business time spent waiting, so the targets keep the time that was left."""
    if ticket.sla_paused_at is None:
        return
    if ticket.sla_policy is not None:
        ticket.sla_paused += business_time_between(ticket.sla_paused_at, now, schedule(ticket))
    ticket.sla_paused_at = None
    clock_retarget(ticket, now=now)


def elapsed_business(ticket: Ticket, until: datetime) -> timedelta | None:
    """Business time the ticket has been open until `until`, not counting pauses."""
    if ticket.sla_policy is None:
        return None
    paused = ticket.sla_paused
    if ticket.sla_paused_at is not None:
        paused += business_time_between(ticket.sla_paused_at, until, schedule(ticket))
    spent = business_time_between(ticket.created_at, until, schedule(ticket)) - paused
    return max(spent, timedelta(0))


def pending(ticket: Ticket) -> list[tuple[str, str, datetime]]:
    """(target, "warning" or "breach", when) still to come, earliest first."""
    if ticket.sla_policy_id is None or ticket.sla_paused_at is not None or not ticket.is_open:
        return []
    moments = []
    if ticket.first_response_at is None:
        if ticket.first_response_warned_at is None and ticket.first_response_warn_at:
            moments.append((FIRST_RESPONSE, "warning", ticket.first_response_warn_at))
        if ticket.first_response_breached_at is None and ticket.first_response_due_at:
            moments.append((FIRST_RESPONSE, "breach", ticket.first_response_due_at))
    if ticket.resolution_warned_at is None and ticket.resolution_warn_at:
        moments.append((RESOLUTION, "warning", ticket.resolution_warn_at))
    if ticket.resolution_breached_at is None and ticket.resolution_due_at:
        moments.append((RESOLUTION, "breach", ticket.resolution_due_at))
    return sorted(moments, key=lambda moment: moment[2])


def active_target(ticket: Ticket) -> tuple[str, datetime | None]:
    if ticket.first_response_at is None:
        return FIRST_RESPONSE, ticket.first_response_due_at
    return RESOLUTION, ticket.resolution_due_at


def clock_refresh(ticket: Ticket) -> None:
    """Recompute the two columns the desk and the sweep read."""
    moments = pending(ticket)
    ticket.next_sla_at = moments[0][2] if moments else None
    running = ticket.sla_policy_id is not None and ticket.sla_paused_at is None and ticket.is_open
    ticket.sla_due_at = active_target(ticket)[1] if running else None


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"


def sla_status(ticket: Ticket, now: datetime) -> tuple[str, str] | None:
    """("on-track" | "at-risk" | "breached" | "paused", a short label) for the badge."""
    if ticket.sla_policy_id is None or not ticket.is_open:
        return None
    if ticket.sla_paused_at is not None:
        return "paused", "Paused"
    target, due = active_target(ticket)
    if due is None:
        return None
    warn = ticket.first_response_warn_at if target == FIRST_RESPONSE else ticket.resolution_warn_at
    short = "Reply" if target == FIRST_RESPONSE else "Fix"
    if now >= due:
        return "breached", f"{short} {_span(now - due)} overdue"
    state = "at-risk" if warn is not None and now >= warn else "on-track"
    return state, f"{short} in {_span(due - now)}"
