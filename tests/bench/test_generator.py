"""The benchmark data set keeps the desk's own rules: counts, statuses, SLA columns, search."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, F

from bench.generator import dataset_generate
from bench.generator.cast import HEAVY_REQUESTER_TICKETS
from bench.generator.people import requester_email
from sla.business_time import add_business_time, business_time_between
from tickets.clock import clock_refresh
from tickets.models import Comment, Event, Ticket, TimeEntry
from tickets.selectors import search_filter
from tickets.services.search import ticket_search_refresh

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the generator loads with COPY and needs PostgreSQL"
)
TICKETS = 200
Status = Ticket.Status


@pytest.fixture
def generated(db: None) -> None:
    dataset_generate(tickets=TICKETS, seed=7, until=date(2026, 11, 2), report=lambda _line: None)


def test_counts_and_statuses(generated: None) -> None:
    assert Ticket.objects.count() == TICKETS
    statuses = dict(Ticket.objects.values_list("status").annotate(n=Count("*")))
    assert statuses[Status.CLOSED] > TICKETS * 0.8
    assert set(statuses) <= set(Status.values)
    assert Comment.objects.count() > TICKETS * 2
    assert Event.objects.filter(kind=Event.Kind.FILED).count() == TICKETS
    assert Event.objects.filter(kind=Event.Kind.ROUTED).count() == TICKETS
    assert TimeEntry.objects.exists()
    assert not TimeEntry.objects.filter(hourly_rate=0).exists()
    # Generated tickets never change queue: their time is charged where they are.
    assert not TimeEntry.objects.exclude(queue=F("ticket__queue")).exists()
    assert not TimeEntry.objects.exclude(platform=F("ticket__platform")).exists()
    assert not TimeEntry.objects.exclude(department=F("ticket__requester__department")).exists()
    heavy = Ticket.objects.filter(requester__email=requester_email(0)).count()
    assert heavy == min(HEAVY_REQUESTER_TICKETS, TICKETS // 20)
    assert Comment.objects.values("ticket").annotate(n=Count("*")).filter(n=50).exists()


def test_sla_columns_follow_the_policies(generated: None) -> None:
    for ticket in Ticket.objects.select_related("sla_policy__calendar"):
        policy = ticket.sla_policy
        assert policy is not None
        schedule = policy.calendar.schedule()
        share = policy.warning_percent / 100

        def due(minutes: float, ticket: Ticket = ticket, schedule: object = schedule) -> object:
            return add_business_time(
                ticket.created_at, timedelta(minutes=minutes) + ticket.sla_paused, schedule
            )

        assert ticket.first_response_due_at == due(policy.first_response_minutes)
        assert ticket.first_response_warn_at == due(policy.first_response_minutes * share)
        assert ticket.resolution_due_at == due(policy.resolution_minutes)
        assert ticket.resolution_warn_at == due(policy.resolution_minutes * share)
        refreshed = copy.copy(ticket)
        clock_refresh(refreshed)
        assert (ticket.sla_due_at, ticket.next_sla_at) == (refreshed.sla_due_at, refreshed.next_sla_at)
        if ticket.first_response_at is not None:
            assert ticket.first_response_business == business_time_between(
                ticket.created_at, ticket.first_response_at, schedule
            )
        if ticket.is_open:
            assert ticket.resolved_at is None and ticket.resolution_business is None
        else:
            assert ticket.sla_due_at is None and ticket.next_sla_at is None
            assert ticket.resolved_at is not None and ticket.resolution_business is not None
        if ticket.first_response_breached_at is not None:
            assert ticket.first_response_at is None or ticket.first_response_at > ticket.first_response_due_at
        if ticket.resolution_breached_at is not None:
            assert ticket.resolved_at is None or ticket.resolved_at > ticket.resolution_due_at
        if ticket.status == Status.CLOSED:
            assert ticket.closed_at is not None and ticket.closed_at >= ticket.resolved_at
        assert ticket.updated_at >= ticket.created_at


def test_search_finds_generated_words_with_the_desks_own_vector(generated: None) -> None:
    ticket = Ticket.objects.order_by("pk").first()
    word = max(ticket.subject.split(), key=len).strip("?@")
    assert Ticket.objects.filter(search_filter(word), pk=ticket.pk).exists()
    # The desk's own refresh makes the very vector the generator loaded.
    for ticket in Ticket.objects.order_by("pk")[:40]:
        ticket_search_refresh(ticket_id=ticket.pk)
        assert (
            Ticket.objects.filter(pk=ticket.pk).values_list("search_vector", flat=True)[0]
            == ticket.search_vector
        )


def test_a_second_run_does_nothing(generated: None) -> None:
    assert dataset_generate(tickets=TICKETS, report=lambda _line: None) is False
    assert Ticket.objects.count() == TICKETS
