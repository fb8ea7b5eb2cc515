"""A ticket's life, drawn before anything is written: who takes it, when it is answered,
paused, resolved and closed, in business time under its SLA policy.

Everything is whole seconds since the epoch. The order of the draws is part of the data
set: the same seed makes the same tickets only while it stays as it is.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from tickets.models import Ticket

from .cast import Person, PolicyFacts, Routed

Status = Ticket.Status
LONG_THREAD = 50  # comments on the few tickets the ticket-page benchmark opens
MAX_COMMENTS = 30


@dataclass(slots=True)
class Filed:
    """What the requester filed, and where routing sent it."""

    ticket_id: int
    created: int
    requester: Person
    department: int | None
    problem_id: int
    problem: str
    platform_id: int
    subject: str
    description: str
    account: str
    routed: Routed
    policy: PolicyFacts
    agents: list[Person]
    long_thread: bool


@dataclass(slots=True)
class Life:
    status: str
    agent: Person | None
    assigned_at: int  # 0 when nobody took it
    first_response_at: int | None
    resolved_at: int | None
    closed_at: int | None
    paused: int  # business seconds spent waiting on the requester, over and done with
    pause_end: int | None
    comment_count: int
    first_due: int = 0
    first_warn: int = 0
    resolution_due: int = 0
    resolution_warn: int = 0
    paused_at: int | None = None  # the running pause of a ticket waiting on its requester

    def end(self, now: int) -> int:
        return self.resolved_at if self.resolved_at is not None else now


def open_chance(age_days: float) -> float:
    """How likely a ticket of this age is still unresolved: mostly recent ones, and a stale tail."""
    if age_days < 2:
        return 0.7
    if age_days < 7:
        return 0.35
    if age_days < 30:
        return 0.1
    return 0.018


def lognormal_share(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def life_draw(rng: random.Random, filed: Filed, *, now: int) -> Life:
    age_days = (now - filed.created) / 86400
    # The long threads the ticket-page benchmark opens are answered and done.
    still_open = rng.random() < open_chance(age_days) and not filed.long_thread
    life = _as_planned(rng, filed)
    if still_open:
        _keep_open(rng, life, age_days=age_days, now=now)
    else:
        _finish(rng, life, created=filed.created, now=now)
    _pause_settle(life, filed.policy)
    _targets_set(life, filed)
    return life


def _as_planned(rng: random.Random, filed: Filed) -> Life:
    """The life the ticket would have if nothing stopped it: resolved, then closed."""
    policy, created = filed.policy, filed.created
    clock = policy.clock
    assigned_at = clock.add(created, rng.randrange(120, 5400))
    first_delay = int(policy.first_response * lognormal_share(rng, 0.25, 0.75))
    first_response_at: int | None = clock.add(created, max(first_delay, 60))
    resolve_delay = max(int(policy.resolution * lognormal_share(rng, 0.3, 0.8)), first_delay + 900)
    paused = 0
    if rng.random() < 0.22:
        paused = int(3600 * 9 * lognormal_share(rng, 0.6, 1.0)) + 600
    resolved_at = clock.add(created, resolve_delay + paused)
    agent = rng.choice(filed.agents) if filed.agents else None
    comment_count = 0 if rng.random() < 0.06 else 1 + min(int(rng.expovariate(1 / 3.4)), MAX_COMMENTS - 1)
    if filed.long_thread:
        comment_count = LONG_THREAD
    if comment_count == 0:
        first_response_at = None
        paused = 0
    return Life(
        status=Status.CLOSED,
        agent=agent,
        assigned_at=assigned_at,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        closed_at=None,
        paused=paused,
        pause_end=None,
        comment_count=comment_count,
    )


def _keep_open(rng: random.Random, life: Life, *, age_days: float, now: int) -> None:
    """Still open today: new, open or waiting, with what has not happened yet taken away."""
    life.resolved_at = None
    unanswered = life.first_response_at is None or life.first_response_at >= now
    if life.agent is None or life.assigned_at >= now or rng.random() < (0.4 if age_days < 3 else 0.04):
        life.status, life.agent, life.first_response_at = Status.NEW, None, None
    elif unanswered:
        life.status, life.first_response_at = Status.OPEN, None
    else:
        life.status = rng.choices(
            (Status.OPEN, Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY),
            weights=(50, 30, 20) if age_days < 7 else (30, 40, 30),
        )[0]
    life.paused = 0  # the running pause, if any, is in paused_at


def _finish(rng: random.Random, life: Life, *, created: int, now: int) -> None:
    """Resolved, and closed a few days later unless that is still to come."""
    assert life.resolved_at is not None
    if life.resolved_at >= now - 60:
        # Drawn to resolve in the future but not open: squeeze its life into the time it had.
        span = max(now - 120 - created, 240)
        life.resolved_at = created + int(span * rng.uniform(0.5, 0.95))
        life.assigned_at = created + (life.resolved_at - created) // 6
        if life.first_response_at is not None:
            life.first_response_at = created + (life.resolved_at - created) // 3
        life.paused = 0
    closed_at = life.resolved_at + rng.randrange(2 * 86400, 10 * 86400)
    if closed_at <= now:
        life.status, life.closed_at = Status.CLOSED, closed_at
    else:
        life.status = Status.RESOLVED


def _pause_settle(life: Life, policy: PolicyFacts) -> None:
    """A pause needs an answer to pause on; a ticket nobody answered has no conversation."""
    if life.agent is None:
        life.assigned_at = 0
    if life.status == Status.NEW or life.first_response_at is None:
        life.comment_count = 0
    if life.paused and life.first_response_at is not None:
        life.pause_end = policy.clock.add(life.first_response_at, life.paused)
        life.comment_count = max(life.comment_count, 3)
    else:
        life.paused = 0


def _targets_set(life: Life, filed: Filed) -> None:
    """The SLA columns: the policy's targets from filing, plus the time spent waiting."""
    policy, created, paused = filed.policy, filed.created, life.paused
    add = policy.clock.add
    life.first_due = add(created, policy.first_response + paused)
    life.first_warn = add(created, policy.first_response_warn + paused)
    life.resolution_due = add(created, policy.resolution + paused)
    life.resolution_warn = add(created, policy.resolution_warn + paused)
