"""A ticket's status and priority: the moves the workflow allows, resolving and reopening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from tickets import events, services
from tickets.events import Ref, payload_of
from tickets.events import event_sentence as said
from tickets.models import Event, Ticket

from ..conftest import Cast
from .work import FILED_AT, LATER, S, event_count, fresh, in_status, last_event

P = Ticket.Priority


# ---- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.OPEN, S.WAITING_REQUESTER, S.WAITING_THIRD_PARTY])
def test_set_status_records_the_change(cast: Cast, it_ticket: Ticket, status: str) -> None:
    ticket = services.ticket_set_status(ticket=it_ticket, status=status, actor=cast.it_agent)

    stored = fresh(ticket)
    assert (stored.status, stored.updated_at) == (status, LATER)
    assert (stored.resolved_at, stored.closed_at) == (None, None)
    event = last_event(ticket, Event.Kind.STATUS)
    assert (event.kind, event.actor) == (Event.Kind.STATUS, cast.it_agent)
    assert said(event) == f"{cast.it_agent} changed the status from New to {S(status).label}"
    assert (payload_of(event).before.id, payload_of(event).after.id) == ("new", status)


def test_resolving_by_status_stamps_resolved_at(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_set_status(ticket=it_ticket, status=S.RESOLVED, actor=cast.it_agent)

    stored = fresh(it_ticket)
    assert (stored.status, stored.resolved_at, stored.closed_at) == (S.RESOLVED, LATER, None)


def test_closing_stamps_closed_at_and_keeps_resolved_at(
    cast: Cast, it_ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)
    closing = LATER + timedelta(days=2)
    clock.move_to(closing, tick=False)

    services.ticket_set_status(ticket=it_ticket, status=S.CLOSED, actor=cast.it_agent)

    stored = fresh(it_ticket)
    assert (stored.status, stored.resolved_at, stored.closed_at) == (S.CLOSED, LATER, closing)
    assert stored.updated_at == closing
    assert (
        said(last_event(it_ticket, Event.Kind.STATUS))
        == f"{cast.it_agent} changed the status from Resolved to Closed"
    )


def test_moving_a_resolved_ticket_back_to_open_clears_resolved_at(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)

    services.ticket_set_status(ticket=it_ticket, status=S.OPEN, actor=cast.it_agent)

    stored = fresh(it_ticket)
    assert (stored.status, stored.resolved_at) == (S.OPEN, None)


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (S.NEW, S.NEW, "The ticket is already new."),
        (S.OPEN, S.NEW, "A ticket that is open can't become new."),
        (S.RESOLVED, S.WAITING_REQUESTER, "A ticket that is resolved can't become waiting on requester."),
        (S.CLOSED, S.OPEN, "A closed ticket can't change any more. File a new request that refers to it."),
    ],
)
def test_set_status_refuses_what_the_workflow_refuses(
    cast: Cast, it_ticket: Ticket, start: str, target: str, message: str
) -> None:
    in_status(it_ticket, start, cast.it_agent)
    before = fresh(it_ticket)
    events = event_count(it_ticket)

    with pytest.raises(ValidationError) as refused:
        services.ticket_set_status(ticket=it_ticket, status=target, actor=cast.it_agent)

    assert refused.value.messages == [message]
    after = fresh(it_ticket)
    assert (after.status, after.updated_at, after.resolved_at, after.closed_at) == (
        before.status,
        before.updated_at,
        before.resolved_at,
        before.closed_at,
    )
    assert event_count(it_ticket) == events


# ---- priority ---------------------------------------------------------------------------------


def test_set_priority_records_old_and_new(cast: Cast, it_ticket: Ticket) -> None:
    assert it_ticket.priority == P.NORMAL

    ticket = services.ticket_set_priority(ticket=it_ticket, priority=P.HIGH, actor=cast.it_agent)

    stored = fresh(ticket)
    assert (stored.priority, stored.status, stored.updated_at) == (P.HIGH, S.NEW, LATER)
    event = last_event(ticket, Event.Kind.PRIORITY)
    assert (event.kind, event.actor) == (Event.Kind.PRIORITY, cast.it_agent)
    assert said(event) == f"{cast.it_agent} changed the priority from Normal to High"
    assert payload_of(event) == events.PriorityChanged(before=Ref(2, "Normal"), after=Ref(3, "High"))


def test_setting_the_same_priority_writes_nothing(cast: Cast, it_ticket: Ticket) -> None:
    events = event_count(it_ticket)

    services.ticket_set_priority(ticket=it_ticket, priority=P.NORMAL, actor=cast.it_agent)

    assert event_count(it_ticket) == events
    assert fresh(it_ticket).updated_at == FILED_AT


# ---- resolve and reopen -----------------------------------------------------------------------


def test_requester_resolves_their_request(cast: Cast, it_ticket: Ticket) -> None:
    ticket = services.ticket_resolve(ticket=it_ticket, actor=cast.employee)

    stored = fresh(ticket)
    assert (stored.status, stored.resolved_at, stored.updated_at) == (S.RESOLVED, LATER, LATER)
    event = last_event(ticket, Event.Kind.STATUS)
    assert (event.kind, event.actor) == (Event.Kind.STATUS, cast.employee)
    assert said(event) == f"{cast.employee} marked the request resolved"
    assert (payload_of(event).before.id, payload_of(event).after.id, payload_of(event).how) == (
        "new",
        "resolved",
        "resolved",
    )


def test_resolving_twice_is_refused(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)

    with pytest.raises(ValidationError, match="already resolved"):
        services.ticket_resolve(ticket=it_ticket, actor=cast.employee)


def test_reopen_within_the_window_brings_the_ticket_back(
    cast: Cast, it_ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)
    last_moment = LATER + timedelta(days=settings.TICKET_REOPEN_DAYS)
    clock.move_to(last_moment, tick=False)

    ticket = services.ticket_reopen(ticket=it_ticket, actor=cast.employee, reason="it broke again")

    stored = fresh(ticket)
    assert (stored.status, stored.resolved_at, stored.updated_at) == (S.OPEN, None, last_moment)
    event = last_event(ticket, Event.Kind.STATUS)
    assert (event.kind, event.actor) == (Event.Kind.STATUS, cast.employee)
    assert said(event) == f"{cast.employee} reopened the request: it broke again"
    assert payload_of(event) == events.StatusChanged(
        before=Ref("resolved", "Resolved"), after=Ref("open", "Open"), how="reopened", reason="it broke again"
    )


def test_reopen_after_the_window_is_refused(cast: Cast, it_ticket: Ticket, clock: TimeMachineFixture) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)
    events = event_count(it_ticket)
    clock.move_to(LATER + timedelta(days=settings.TICKET_REOPEN_DAYS, seconds=1), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.ticket_reopen(ticket=it_ticket, actor=cast.employee)

    assert refused.value.messages == [
        f"This request was resolved more than {settings.TICKET_REOPEN_DAYS} days ago; please file a new request."
    ]
    stored = fresh(it_ticket)
    assert (stored.status, stored.resolved_at) == (S.RESOLVED, LATER)
    assert event_count(it_ticket) == events


def test_the_reopen_window_follows_the_setting(
    cast: Cast, it_ticket: Ticket, clock: TimeMachineFixture, settings: Settings
) -> None:
    settings.TICKET_REOPEN_DAYS = 2
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)
    clock.move_to(LATER + timedelta(days=3), tick=False)

    with pytest.raises(ValidationError, match="more than 2 days ago"):
        services.ticket_reopen(ticket=it_ticket, actor=cast.employee)


@pytest.mark.parametrize("status", [S.NEW, S.OPEN, S.WAITING_REQUESTER, S.CLOSED])
def test_only_a_resolved_ticket_can_be_reopened(cast: Cast, it_ticket: Ticket, status: str) -> None:
    in_status(it_ticket, status, cast.it_agent)

    with pytest.raises(ValidationError) as refused:
        services.ticket_reopen(ticket=it_ticket, actor=cast.employee)

    assert refused.value.messages == ["Only a resolved request can be reopened."]
    assert fresh(it_ticket).status == status


def test_a_closed_after_resolved_ticket_cannot_be_reopened(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_resolve(ticket=it_ticket, actor=cast.employee)
    services.ticket_set_status(ticket=it_ticket, status=S.CLOSED, actor=cast.it_agent)

    with pytest.raises(ValidationError, match="Only a resolved request can be reopened"):
        services.ticket_reopen(ticket=it_ticket, actor=cast.employee)


def test_a_priority_that_does_not_exist_is_refused_with_a_validation_error(
    cast: Cast, it_ticket: Ticket
) -> None:
    with pytest.raises(ValidationError):
        services.ticket_set_priority(ticket=it_ticket, priority=9, actor=cast.it_agent)
