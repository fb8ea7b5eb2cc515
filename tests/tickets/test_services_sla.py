from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Kind, Notification
from sla.models import Calendar, CompanyDay, Policy, WorkingPeriod
from tickets import services
from tickets.events import event_sentence as said
from tickets.events import payload_of
from tickets.models import Event, ServiceLevel, Ticket
from tickets.services.sla import sla_sweep

from ..conftest import Cast
from ..factories import file_ticket

PARIS = ZoneInfo("Europe/Paris")
FRIDAY_EVENING = datetime(2026, 11, 20, 17, 55, tzinfo=PARIS)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def one_hour_policy(cast: Cast, closing: int) -> Policy:
    calendar = Calendar.objects.create(name=f"Mon-Fri 9-{closing}", time_zone="Europe/Paris")
    for weekday in range(5):
        WorkingPeriod.objects.create(calendar=calendar, weekday=weekday, start=time(9), end=time(closing))
    policy = Policy.objects.create(
        name=f"One hour ({closing})", calendar=calendar, first_response_minutes=60, resolution_minutes=8 * 60
    )
    ServiceLevel.objects.filter(queue=cast.it, priority=Ticket.Priority.NORMAL).update(policy=policy)
    return policy


@pytest.mark.parametrize(
    ("closing", "due"), [(18, paris(2026, 11, 23, 9, 55)), (17, paris(2026, 11, 23, 10, 0))]
)
def test_friday_evening_ticket_is_due_on_monday_morning(cast: Cast, closing: int, due: datetime) -> None:
    one_hour_policy(cast, closing)
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        ticket = file_ticket(cast.employee, problem="login-access")

    assert ticket.first_response_due_at == due
    assert ticket.sla_due_at == due
    assert payload_of(ticket.events.get(kind=Event.Kind.SLA)).first_response_due_at == due


def test_urgent_tickets_run_around_the_clock(cast: Cast) -> None:
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        ticket = file_ticket(cast.employee, problem="compromised-account")

    assert ticket.sla_policy.calendar.always_open
    assert ticket.first_response_due_at == FRIDAY_EVENING + timedelta(minutes=30)


def test_waiting_on_requester_pauses_and_resuming_keeps_the_time_left(cast: Cast) -> None:
    one_hour_policy(cast, 18)
    with time_machine.travel(paris(2026, 11, 23, 9, 0), tick=False):
        ticket = file_ticket(cast.employee, problem="login-access")
    assert ticket.resolution_due_at == paris(2026, 11, 23, 17, 0)

    with time_machine.travel(paris(2026, 11, 23, 10, 0), tick=False):
        ticket = services.ticket_set_status(
            ticket=ticket, status=Ticket.Status.WAITING_REQUESTER, actor=cast.it_agent
        )
    assert ticket.sla_paused_at is not None
    assert (ticket.sla_due_at, ticket.next_sla_at) == (None, None)

    # Three business hours later (and overnight) the requester answers.
    with time_machine.travel(paris(2026, 11, 24, 12, 0), tick=False):
        services.ticket_reply(ticket=ticket, author=cast.employee, body="Here is the screenshot.")
    ticket.refresh_from_db()

    assert ticket.status == Ticket.Status.OPEN
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused == timedelta(hours=8 + 3)
    # Seven business hours were left at the pause: due at 19:00 on Tuesday is 12:00 + 6h + next morning 1h.
    assert ticket.resolution_due_at == paris(2026, 11, 25, 10, 0)


def test_a_staff_reply_stops_the_first_response_clock(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="login-access")
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="On it.")
    ticket.refresh_from_db()

    assert ticket.first_response_at is not None
    assert ticket.sla_due_at == ticket.resolution_due_at
    assert ticket.next_sla_at == ticket.resolution_warn_at


def test_a_change_of_priority_recomputes_the_targets_and_says_so(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="login-access")
    before = ticket.first_response_due_at

    ticket = services.ticket_set_priority(ticket=ticket, priority=Ticket.Priority.URGENT, actor=cast.it_agent)

    assert ticket.sla_policy.name == "Urgent: around the clock"
    assert ticket.first_response_due_at != before
    assert ticket.events.filter(kind=Event.Kind.SLA, payload__recomputed=True).exists()


def test_warnings_and_breaches_fire_once_across_repeated_sweeps(cast: Cast) -> None:
    start = paris(2026, 11, 23, 9, 0)
    with time_machine.travel(start, tick=False):
        ticket = file_ticket(cast.employee, problem="login-access")  # Normal: first response in 4h
    assert ticket.first_response_warn_at == paris(2026, 11, 23, 12, 0)

    for minutes in (0, 60, 180, 181, 182):
        sla_sweep(now=start + timedelta(minutes=minutes))
    assert [said(event) for event in ticket.events.filter(kind=Event.Kind.SLA_WARNING)] == [
        "SLA warning: the first response is due Mon 23 Nov, 13:00"
    ]
    assert not ticket.events.filter(kind=Event.Kind.SLA_BREACH).exists()

    for minutes in (240, 241, 300):
        sla_sweep(now=start + timedelta(minutes=minutes))
    ticket.refresh_from_db()

    assert ticket.events.filter(kind=Event.Kind.SLA_BREACH).count() == 1
    assert ticket.first_response_breached_at is not None
    assert ticket.priority == Ticket.Priority.HIGH  # the Normal policy raises priority on breach
    kinds = list(Notification.objects.filter(ticket=ticket).values_list("kind", "email"))
    assert kinds.count((Kind.SLA_WARNING, cast.it_agent.email)) == 1
    assert kinds.count((Kind.SLA_BREACH, cast.it_agent.email)) == 1
    assert kinds.count((Kind.SLA_ESCALATION, cast.manager.email)) == 1


def test_a_late_sweep_reports_only_the_breach(cast: Cast) -> None:
    start = paris(2026, 11, 23, 9, 0)
    with time_machine.travel(start, tick=False):
        ticket = file_ticket(cast.employee, problem="login-access")

    sla_sweep(now=start + timedelta(hours=5))

    assert not ticket.events.filter(kind=Event.Kind.SLA_WARNING).exists()
    assert ticket.events.filter(kind=Event.Kind.SLA_BREACH).count() == 1


def test_the_sweep_moves_past_a_bad_row(cast: Cast) -> None:
    start = paris(2026, 11, 23, 9, 0)
    with time_machine.travel(start, tick=False):
        bad = file_ticket(cast.employee, problem="login-access")
        good = file_ticket(cast.employee, problem="login-access")
    real_fire = services.sla.ticket_sla_fire

    def fire(*, ticket: Ticket, **kwargs: Any) -> int:
        if ticket.pk == bad.pk:
            raise RuntimeError("broken row")
        return real_fire(ticket=ticket, **kwargs)

    later = start + timedelta(hours=5)
    with mock.patch("tickets.services.sla.ticket_sla_fire", side_effect=fire):
        sla_sweep(now=later)

    bad.refresh_from_db()
    assert good.events.filter(kind=Event.Kind.SLA_BREACH).exists()
    assert bad.next_sla_at == later + timedelta(minutes=5)


def test_resolved_and_paused_tickets_are_not_swept(cast: Cast) -> None:
    start = paris(2026, 11, 23, 9, 0)
    with time_machine.travel(start, tick=False):
        resolved = file_ticket(cast.employee, problem="login-access")
        services.ticket_resolve(ticket=resolved, actor=cast.employee)
        waiting = file_ticket(cast.employee, problem="login-access")
        services.ticket_set_status(
            ticket=waiting, status=Ticket.Status.WAITING_REQUESTER, actor=cast.it_agent
        )

    assert sla_sweep(now=start + timedelta(days=10)) == 0
    assert not Event.objects.filter(kind__in=[Event.Kind.SLA_WARNING, Event.Kind.SLA_BREACH]).exists()


def test_a_sweep_runs_the_same_queries_for_three_due_tickets_as_for_thirty(cast: Cast) -> None:
    start = paris(2026, 11, 23, 9, 0)

    def sweep_of(count: int, day: int) -> int:
        with time_machine.travel(start + timedelta(days=day), tick=False):
            tickets = [file_ticket(cast.employee, problem="login-access") for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert sla_sweep(now=start + timedelta(days=day, hours=5)) == count
        assert Event.objects.filter(ticket__in=tickets, kind=Event.Kind.SLA_BREACH).count() == count
        return len(queries)

    assert sweep_of(3, 0) == sweep_of(30, 1)


def test_resolving_a_waiting_ticket_reads_its_calendar_once(cast: Cast) -> None:
    one_hour_policy(cast, 18)
    with time_machine.travel(paris(2026, 11, 23, 9, 0), tick=False):
        ticket = file_ticket(cast.employee, problem="login-access")
    with time_machine.travel(paris(2026, 11, 23, 10, 0), tick=False):
        services.ticket_set_status(ticket=ticket, status=Ticket.Status.WAITING_REQUESTER, actor=cast.it_agent)

    # Resuming, retargeting and timing the resolution each need the schedule: it is built once.
    with (
        time_machine.travel(paris(2026, 11, 24, 12, 0), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        ticket = services.ticket_resolve(ticket=ticket, actor=cast.employee)

    calendar_tables = (WorkingPeriod._meta.db_table, CompanyDay._meta.db_table)
    calendar_reads = [q["sql"] for q in queries if any(f'"{table}"' in q["sql"] for table in calendar_tables)]
    assert len(calendar_reads) == 2  # the working periods and the company days, once each
    assert ticket.sla_paused == timedelta(hours=8 + 3)
    # The hour before the pause counts; the day and a half spent waiting does not.
    assert ticket.resolution_business == timedelta(hours=1)
