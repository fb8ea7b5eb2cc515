"""A small desk with a known story, for the dashboards.

Every ticket is filed, answered, paused, resolved and reopened through the real services at
fixed moments in Europe/Paris (November 2026, CET; Wednesday 11 November is a holiday), and
the SLA sweep runs when a breach must be recorded, as the periodic task would. So every
business-time duration, every met or missed target and every euro below is known by hand.

Seeded policies: Normal is office hours (Mon–Fri 09:00–18:00 Paris, French holidays), first
response 4 h, resolution 27 h; Low 9 h / 45 h; Urgent runs around the clock, 30 min / 4 h;
warnings at 75 %. A breach raises the priority one step (not for Urgent). Hourly rates: IT 85,
Marketing 70, Communications 75.

| ticket | queue, priority at the end | filed (Paris) | story | business hours |
|---|---|---|---|---|
| OLD | IT, Normal→High | Mon 5 Oct 10:00 | answered 11:00, never resolved, resolution breached | FR 1 |
| PRE | IT, Normal | Fri 30 Oct 15:00 | answered 16:00 (15 min logged), resolved Mon 2 Nov 10:00 | FR 1, res 4 |
| IT1 | IT, Normal | Mon 2 Nov 10:00 | answered 11:00 (30 min), resolved Tue 12:00, reopened Tue 15:00, resolved Wed 10:00 | FR 1, res 18 |
| IT4 | IT, Normal→High | Wed 4 Nov 09:00 | first response breached at 13:00, answered Thu 10:00, resolved Fri 10:00 | FR 10, res 19 |
| CO1 | Communications, Normal | Thu 5 Nov 14:00 | answered 16:00 (20 min), resolved by the requester Fri 11:00 | FR 2, res 6 |
| IT2 | IT, Normal | Fri 6 Nov 17:00 | answered Mon 10:00, waiting on requester Mon 12:00 to Thu 10:00, resolved Thu 15:00 (90 min) | FR 2, res 9 |
| CO2 | Communications, Normal→High→Urgent | Mon 9 Nov 09:00 | first response breached, answered Tue 09:00, resolution breached, open | FR 9 |
| MK1 | Marketing, Low | Mon 9 Nov 14:00 | answered Tue 13:00 (45 min), resolved Thu 11:00, reopened Fri 09:30, resolved 10:30 | FR 8, res 23.5 |
| IT3 | IT, Normal | Tue 10 Nov 16:00 | answered Thu 10:00 (the holiday doesn't count), open, at risk | FR 3 |
| CO3 | Communications, Normal | Wed 11 Nov 10:00 (holiday) | answered Thu 10:00, resolved 17:00 (40 min) | FR 1, res 8 |
| IT5 | IT, Urgent (24x7) | Fri 13 Nov 00:30 (Thu 23:30 UTC) | answered 00:50, resolved 03:30 (60 min) | FR 1/3, res 3 |
| MK2 | Marketing, Normal | Sat 14 Nov 11:00 | unanswered, at risk at NOW | |
| LATE | Marketing, Low | Sun 15 Nov 23:30 | unanswered, on track | |
| MK3 | Marketing, Normal | Mon 16 Nov 00:10 (Sun 23:10 UTC) | answered 09:30 and waiting on the requester | FR 0.5 |

NOW is Monday 16 November 2026, 12:30 in Paris; RANGE is Monday 2 to Sunday 15 November.

The story is built once per test module, inside a transaction that is rolled back at the end of
the module; each test runs in a savepoint within it (Django's setUpTestData, the pytest way), so
a test may change anything. Tests here use `story.cast`, never the `cast` fixture (the people
already exist), and put any tickets of their own in June or July 2026, away from the story.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from pytest_django import DjangoDbBlocker

from accounts.models import Department, User
from accounts.services import user_create
from reports.periods import Period
from tickets import services
from tickets.models import Ticket
from tickets.reference_data import reference_data_load
from tickets.services.sla import sla_sweep

from ..conftest import PASSWORD, Cast, cast_create, client_for
from ..factories import file_ticket

PARIS = ZoneInfo("Europe/Paris")
RANGE = Period(date(2026, 11, 2), date(2026, 11, 15))
NOW = datetime(2026, 11, 16, 12, 30, tzinfo=PARIS)

Status = Ticket.Status


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


def sweep(moment: datetime) -> None:
    with at(moment):
        sla_sweep(now=moment)


@dataclass
class Story:
    cast: Cast
    nadia: User  # a requester with no department
    tickets: dict[str, Ticket]

    def __getitem__(self, key: str) -> Ticket:
        return self.tickets[key]

    def refs(self, *keys: str) -> set[str]:
        return {self.tickets[key].reference for key in keys}

    def key_of(self) -> dict[int, str]:
        return {ticket.pk: key for key, ticket in self.tickets.items()}


def build_story(cast: Cast) -> Story:
    ian, mia, cora = cast.it_agent, cast.marketing_agent, cast.comms_agent
    erin, oscar = cast.employee, cast.other_employee
    nadia = user_create(email="nadia.nodept@example.com", full_name="Nadia Nodept", password=PASSWORD)
    t: dict[str, Ticket] = {}

    def file(key: str, moment: datetime, requester: User, problem: str, platform: str) -> None:
        with at(moment):
            t[key] = file_ticket(requester, problem=problem, platform=platform, subject=f"Ticket {key}")

    def act(moment: datetime, *steps: Callable[[], object]) -> None:
        with at(moment):
            for step in steps:
                step()

    def answer(key: str, agent: User, status: str | None = None) -> Callable[[], object]:
        def step() -> None:
            services.ticket_claim(ticket=t[key], actor=agent)
            services.ticket_reply(ticket=t[key], author=agent, body="On it.", status=status)

        return step

    def resolve(key: str, agent: User) -> Callable[[], object]:
        return lambda: services.ticket_set_status(ticket=t[key], status=Status.RESOLVED, actor=agent)

    def log(key: str, agent: User, minutes: int) -> Callable[[], object]:
        return lambda: services.ticket_log_time(ticket=t[key], agent=agent, minutes=minutes)

    file("OLD", paris(2026, 10, 5, 10, 0), oscar, "login-access", "linkedin")
    act(paris(2026, 10, 5, 11, 0), answer("OLD", ian))
    file("PRE", paris(2026, 10, 30, 15, 0), erin, "publishing-problem", "blog")
    act(paris(2026, 10, 30, 16, 0), answer("PRE", ian), log("PRE", ian, 15))
    file("IT1", paris(2026, 11, 2, 10, 0), erin, "login-access", "twitter-x")
    act(paris(2026, 11, 2, 10, 0), resolve("PRE", ian))
    act(paris(2026, 11, 2, 11, 0), answer("IT1", ian), log("IT1", ian, 30))
    act(paris(2026, 11, 3, 12, 0), resolve("IT1", ian))
    act(paris(2026, 11, 3, 15, 0), lambda: services.ticket_reopen(ticket=t["IT1"], actor=erin))
    file("IT4", paris(2026, 11, 4, 9, 0), erin, "login-access", "linkedin")
    act(paris(2026, 11, 4, 10, 0), resolve("IT1", ian))
    sweep(paris(2026, 11, 4, 13, 0))  # IT4's first response is due now; OLD's resolution long ago
    act(paris(2026, 11, 5, 10, 0), answer("IT4", ian))
    file("CO1", paris(2026, 11, 5, 14, 0), erin, "policy-etiquette", "linkedin")
    act(paris(2026, 11, 5, 16, 0), answer("CO1", cora), log("CO1", cora, 20))
    act(paris(2026, 11, 6, 10, 0), resolve("IT4", ian))
    act(paris(2026, 11, 6, 11, 0), lambda: services.ticket_resolve(ticket=t["CO1"], actor=erin))
    file("IT2", paris(2026, 11, 6, 17, 0), oscar, "publishing-problem", "blog")
    file("CO2", paris(2026, 11, 9, 9, 0), oscar, "content-review", "blog")
    act(paris(2026, 11, 9, 9, 30), lambda: services.ticket_claim(ticket=t["CO2"], actor=cora))
    act(paris(2026, 11, 9, 10, 0), answer("IT2", ian))
    act(
        paris(2026, 11, 9, 12, 0),
        lambda: services.ticket_set_status(ticket=t["IT2"], status=Status.WAITING_REQUESTER, actor=ian),
    )
    sweep(paris(2026, 11, 9, 13, 0))  # CO2's first response is due now
    file("MK1", paris(2026, 11, 9, 14, 0), erin, "metrics-request", "linkedin")
    act(paris(2026, 11, 10, 9, 0), lambda: services.ticket_reply(ticket=t["CO2"], author=cora, body="Late."))
    act(paris(2026, 11, 10, 13, 0), answer("MK1", mia), log("MK1", mia, 45))
    file("IT3", paris(2026, 11, 10, 16, 0), erin, "network-block", "facebook")
    file("CO3", paris(2026, 11, 11, 10, 0), nadia, "policy-etiquette", "twitter-x")
    act(
        paris(2026, 11, 12, 10, 0),
        answer("IT3", ian),
        lambda: services.ticket_reply(ticket=t["IT2"], author=oscar, body="Here is what you asked."),
        answer("CO3", cora),
    )
    act(paris(2026, 11, 12, 11, 0), resolve("MK1", mia))
    act(paris(2026, 11, 12, 15, 0), resolve("IT2", ian), log("IT2", ian, 90))
    act(paris(2026, 11, 12, 17, 0), resolve("CO3", cora), log("CO3", cora, 40))
    file("IT5", paris(2026, 11, 13, 0, 30), erin, "compromised-account", "twitter-x")
    act(paris(2026, 11, 13, 0, 50), answer("IT5", ian))
    act(paris(2026, 11, 13, 3, 30), resolve("IT5", ian), log("IT5", ian, 60))
    act(paris(2026, 11, 13, 9, 30), lambda: services.ticket_reopen(ticket=t["MK1"], actor=erin))
    act(paris(2026, 11, 13, 10, 30), resolve("MK1", mia))
    file("MK2", paris(2026, 11, 14, 11, 0), oscar, "other", "other")
    file("LATE", paris(2026, 11, 15, 23, 30), oscar, "metrics-request", "facebook")
    file("MK3", paris(2026, 11, 16, 0, 10), erin, "new-account", "blog")
    act(paris(2026, 11, 16, 9, 30), answer("MK3", mia, status=Status.WAITING_REQUESTER))
    sweep(NOW)  # CO2's resolution is overdue; IT3 and MK2 get their warnings

    for ticket in t.values():
        ticket.refresh_from_db()
    return Story(cast=cast, nadia=nadia, tickets=t)


@pytest.fixture(scope="module")
def story_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Story]:
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        yield build_story(cast_create())
        transaction.set_rollback(True)


@pytest.fixture
def story(story_once: Story, db: None) -> Story:
    """The module's story, in a savepoint of its own; a copy, so that changed objects don't leak."""
    return copy.deepcopy(story_once)


@pytest.fixture
def finance() -> Department:
    return Department.objects.get(name="Finance")


@pytest.fixture
def manager(story: Story) -> Client:
    return client_for(story.cast.manager)
