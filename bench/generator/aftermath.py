"""What followed a ticket's conversation: the sweep's warnings and breaches, a reopening,
the closing, and the time the agent logged."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings

from tickets import events
from tickets.events import priority_ref, sla_target, status_ref
from tickets.models import Ticket

from . import vocabulary
from .conversation import History
from .life import Filed, Life
from .rows import NULL, ChunkRows, Clockface

Status = Ticket.Status
FIRST_RESPONSE, RESOLUTION = "first response", "resolution"
MARKS = [
    "first_response_warned_at",
    "first_response_breached_at",
    "resolution_warned_at",
    "resolution_breached_at",
]
_MINUTES = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180)
_MINUTE_WEIGHTS = (8, 14, 18, 14, 16, 10, 9, 5, 4, 2)


@dataclass(slots=True)
class SlaState:
    """The sweep's marks on the ticket, the priority it left, and what it must act on next."""

    marks: dict[str, int | None]
    priority: int
    sla_due_at: int | None = None
    next_sla_at: int | None = None


def sla_sweep_replay(
    rng: random.Random, filed: Filed, life: Life, history: History, face: Clockface, *, now: int
) -> SlaState:
    """Each warning and breach that came before its target was met, once, with the escalation."""
    end = life.end(now)
    first_stop = life.first_response_at if life.first_response_at is not None else end
    resolution_stop = life.paused_at if life.paused_at is not None else end
    state = SlaState(marks={}, priority=filed.routed.priority)
    for mark, target, moment, stop in (
        (MARKS[0], FIRST_RESPONSE, life.first_warn, first_stop),
        (MARKS[1], FIRST_RESPONSE, life.first_due, first_stop),
        (MARKS[2], RESOLUTION, life.resolution_warn, resolution_stop),
        (MARKS[3], RESOLUTION, life.resolution_due, resolution_stop),
    ):
        state.marks[mark] = None
        if not (moment < stop and moment <= now):
            continue
        fired = min(moment + rng.randrange(1, 60), now)
        state.marks[mark] = fired
        due = face.moment(life.first_due if target == FIRST_RESPONSE else life.resolution_due)
        if mark.endswith("warned_at"):
            history.add(fired, None, events.SlaWarning(target=sla_target(target), due_at=due))
            continue
        history.add(fired, None, events.SlaBreach(target=sla_target(target), due_at=due))
        if filed.policy.raise_priority and state.priority < Ticket.Priority.URGENT:
            before, after = state.priority, state.priority + 1
            raised = events.PriorityChanged(
                before=priority_ref(before), after=priority_ref(after), overdue=sla_target(target)
            )
            history.add(fired, None, raised)
            state.priority = after
    _next_moments_set(state, life)
    return state


def _next_moments_set(state: SlaState, life: Life) -> None:
    """sla_due_at and next_sla_at, as tickets.clock.clock_refresh sets them, on running clocks only."""
    if life.status in (Status.RESOLVED, Status.CLOSED) or life.paused_at is not None:
        return
    answered = life.first_response_at is not None
    state.sla_due_at = life.resolution_due if answered else life.first_due
    moments = zip(
        MARKS, (life.first_warn, life.first_due, life.resolution_warn, life.resolution_due), strict=True
    )
    coming = [
        moment
        for mark, moment in moments
        if state.marks[mark] is None and not (answered and mark.startswith("first"))
    ]
    state.next_sla_at = min(coming) if coming else None


def reopen_and_close(rng: random.Random, filed: Filed, life: Life, history: History) -> int:
    """A few resolved tickets were reopened once before their final resolution; returns the count."""
    agent, requester = life.agent, filed.requester
    reopened = 0
    if (
        life.resolved_at is not None
        and agent is not None
        and life.first_response_at is not None
        and rng.random() < 0.03
    ):
        reopened = 1
        earlier = life.first_response_at + (life.resolved_at - life.first_response_at) // 3
        history.status(earlier, agent, Status.OPEN, Status.RESOLVED)
        back = earlier + (life.resolved_at - earlier) // 4
        reopened_by = events.StatusChanged(
            before=status_ref(Status.RESOLVED), after=status_ref(Status.OPEN), how="reopened"
        )
        history.add(back, requester, reopened_by)
    if life.closed_at is not None and agent is not None:
        history.status(life.closed_at, agent, Status.RESOLVED, Status.CLOSED)
    elif life.closed_at is not None:
        closed = events.StatusChanged(
            before=status_ref(Status.RESOLVED),
            after=status_ref(Status.CLOSED),
            how="closed",
            reopen_days=settings.TICKET_REOPEN_DAYS,
        )
        history.add(life.closed_at, None, closed)
    return reopened


def time_entries_write(
    rng: random.Random,
    filed: Filed,
    life: Life,
    history: History,
    rows: ChunkRows,
    face: Clockface,
    *,
    rate: str,
    now: int,
) -> None:
    """Time logged by the agent who answered, charged to the ticket's queue, platform and department."""
    agent, answered = life.agent, life.first_response_at
    if agent is None or answered is None or rng.random() >= 0.55:
        return
    department = NULL if filed.department is None else filed.department
    for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
        minutes = rng.choices(_MINUTES, weights=_MINUTE_WEIGHTS)[0]
        note = rng.choice(vocabulary.TIME_NOTES)
        logged = rng.randrange(answered, max(life.end(now), answered + 1))
        rows.time_entries.write(
            f"{filed.ticket_id}\t{agent.id}\t{minutes}\t{note}\t{rate}\t{face.sql(logged)}"
            f"\t{filed.routed.queue_id}\t{filed.platform_id}\t{department}\n"
        )
        history.add(logged, agent, events.TimeLogged(minutes=minutes, note=note))
