"""Working a ticket: assign, claim, transfer, status, priority, resolve, reopen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from accounts.models import User
from tickets import services
from tickets.events import Ref, StatusMove, payload_of
from tickets.events import event_sentence as said
from tickets.models import Event, Ticket

from ..conftest import Cast, person
from .work import FILED_AT, LATER, S, event_count, fresh, in_status, last_event

# ---- assign and claim -------------------------------------------------------------------------


def test_assigning_a_new_ticket_opens_it_and_records_who_did_it(cast: Cast, it_ticket: Ticket) -> None:
    ticket = services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.manager)

    stored = fresh(ticket)
    assert stored.assignee == cast.it_agent
    assert stored.status == S.OPEN
    assert stored.updated_at == LATER
    assert stored.created_at == FILED_AT
    event = last_event(ticket, Event.Kind.ASSIGNED)
    assert event.kind == Event.Kind.ASSIGNED
    assert event.actor == cast.manager
    assert said(event) == f"{cast.manager} assigned the ticket to {cast.it_agent}; status New → Open"
    assert (payload_of(event).after, payload_of(event).status) == (
        Ref(cast.it_agent.pk, str(cast.it_agent)),
        StatusMove.between(S.NEW, S.OPEN),
    )
    assert event.created_at == LATER


def test_assigning_an_already_open_ticket_leaves_its_status(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_set_status(ticket=it_ticket, status=S.WAITING_THIRD_PARTY, actor=cast.it_agent)

    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.manager)

    assert fresh(it_ticket).status == S.WAITING_THIRD_PARTY


def test_assigning_to_oneself_reads_as_taking_the_ticket(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.it_agent)

    event = last_event(it_ticket, Event.Kind.ASSIGNED)
    assert (event.actor, said(event)) == (
        cast.it_agent,
        f"{cast.it_agent} took the ticket; status New → Open",
    )


def test_unassigning_names_the_previous_assignee(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.it_agent)

    ticket = services.ticket_assign(ticket=it_ticket, assignee=None, actor=cast.manager)

    stored = fresh(ticket)
    assert stored.assignee is None
    assert stored.status == S.OPEN
    event = last_event(ticket, Event.Kind.ASSIGNED)
    assert said(event) == f"{cast.manager} unassigned {cast.it_agent}"
    assert (payload_of(event).before, payload_of(event).after) == (
        Ref(cast.it_agent.pk, str(cast.it_agent)),
        None,
    )


def test_assigning_the_same_person_again_changes_nothing(
    cast: Cast, it_ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.it_agent)
    events = event_count(it_ticket)
    clock.move_to(LATER + timedelta(minutes=5), tick=False)

    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.manager)

    assert event_count(it_ticket) == events
    assert fresh(it_ticket).updated_at == LATER


def test_assigning_someone_outside_the_queue_is_refused(cast: Cast, it_ticket: Ticket) -> None:
    with pytest.raises(ValidationError) as refused:
        services.ticket_assign(ticket=it_ticket, assignee=cast.marketing_agent, actor=cast.manager)

    assert refused.value.messages == [f"{cast.marketing_agent} doesn't work the IT queue."]
    stored = fresh(it_ticket)
    assert (stored.assignee, stored.status, stored.updated_at) == (None, S.NEW, FILED_AT)
    assert not it_ticket.events.filter(kind=Event.Kind.ASSIGNED).exists()


def test_an_agent_cannot_claim_a_ticket_of_a_queue_they_do_not_work(cast: Cast, it_ticket: Ticket) -> None:
    with pytest.raises(PermissionDenied) as refused:
        services.ticket_claim(ticket=it_ticket, actor=cast.marketing_agent)

    assert str(refused.value) == (
        f"{cast.marketing_agent} doesn't work the IT queue, so can't change {it_ticket.reference}."
    )
    assert fresh(it_ticket).assignee is None


def test_an_employee_in_the_queue_still_cannot_be_assigned(cast: Cast, it_ticket: Ticket) -> None:
    cast.it.members.add(cast.other_employee)

    with pytest.raises(ValidationError, match="doesn't work the IT queue"):
        services.ticket_assign(ticket=it_ticket, assignee=cast.other_employee, actor=cast.manager)


def test_an_inactive_agent_cannot_be_assigned(cast: Cast, it_ticket: Ticket) -> None:
    cast.it_agent.is_active = False
    cast.it_agent.save(update_fields=["is_active"])

    with pytest.raises(ValidationError, match="doesn't work the IT queue"):
        services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.manager)


def test_a_manager_works_every_queue_without_membership(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_assign(ticket=it_ticket, assignee=cast.manager, actor=cast.manager)

    assert fresh(it_ticket).assignee == cast.manager


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_a_finished_ticket_cannot_be_assigned(cast: Cast, it_ticket: Ticket, status: str) -> None:
    in_status(it_ticket, status, cast.it_agent)

    with pytest.raises(ValidationError) as refused:
        services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.it_agent)

    label = S(status).label.lower()
    assert refused.value.messages == [f"{it_ticket.reference} is {label}; reopen it first."]
    assert fresh(it_ticket).assignee is None


def test_claiming_an_unassigned_ticket_takes_it(cast: Cast, it_ticket: Ticket) -> None:
    ticket = services.ticket_claim(ticket=it_ticket, actor=cast.it_agent)

    stored = fresh(ticket)
    assert (stored.assignee, stored.status, stored.updated_at) == (cast.it_agent, S.OPEN, LATER)
    event = last_event(ticket, Event.Kind.ASSIGNED)
    assert (event.kind, event.actor) == (Event.Kind.ASSIGNED, cast.it_agent)
    assert said(event) == f"{cast.it_agent} took the ticket; status New → Open"


def test_claiming_ones_own_ticket_again_is_harmless(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_claim(ticket=it_ticket, actor=cast.it_agent)
    events = event_count(it_ticket)

    services.ticket_claim(ticket=fresh(it_ticket), actor=cast.it_agent)

    assert fresh(it_ticket).assignee == cast.it_agent
    assert event_count(it_ticket) == events


def test_claiming_a_ticket_assigned_to_someone_else_is_refused(cast: Cast, it_ticket: Ticket) -> None:
    colleague = person("carl.colleague@example.com", User.Role.AGENT, "Engineering")
    cast.it.members.add(colleague)
    services.ticket_claim(ticket=it_ticket, actor=colleague)
    events = event_count(it_ticket)

    with pytest.raises(ValidationError) as refused:
        services.ticket_claim(ticket=fresh(it_ticket), actor=cast.it_agent)

    assert refused.value.messages == [
        f"{it_ticket.reference} is already assigned to {colleague}; assign it to yourself to take it over."
    ]
    assert fresh(it_ticket).assignee == colleague
    assert event_count(it_ticket) == events


def test_a_claim_from_a_stale_copy_does_not_steal_the_ticket(cast: Cast, it_ticket: Ticket) -> None:
    colleague = person("carl.colleague@example.com", User.Role.AGENT, "Engineering")
    cast.it.members.add(colleague)
    seen_by_agent = fresh(it_ticket)  # both agents open the unassigned ticket...
    services.ticket_claim(ticket=fresh(it_ticket), actor=colleague)  # ...the colleague clicks first

    with pytest.raises(ValidationError):
        services.ticket_claim(ticket=seen_by_agent, actor=cast.it_agent)

    assert fresh(it_ticket).assignee == colleague


def test_taking_over_by_assigning_oneself_is_allowed(cast: Cast, it_ticket: Ticket) -> None:
    colleague = person("carl.colleague@example.com", User.Role.AGENT, "Engineering")
    cast.it.members.add(colleague)
    services.ticket_claim(ticket=it_ticket, actor=colleague)

    services.ticket_assign(ticket=it_ticket, assignee=cast.it_agent, actor=cast.it_agent)

    assert fresh(it_ticket).assignee == cast.it_agent
    assigned = payload_of(last_event(it_ticket, Event.Kind.ASSIGNED))
    assert (assigned.before, assigned.after) == (
        Ref(colleague.pk, str(colleague)),
        Ref(cast.it_agent.pk, str(cast.it_agent)),
    )


# ---- transfer ---------------------------------------------------------------------------------


def test_transfer_moves_the_ticket_and_records_it(cast: Cast, it_ticket: Ticket) -> None:
    ticket = services.ticket_transfer(
        ticket=it_ticket, queue=cast.communications, actor=cast.it_agent, note="this is about tone"
    )

    stored = fresh(ticket)
    assert (stored.queue, stored.status, stored.updated_at) == (cast.communications, S.NEW, LATER)
    event = last_event(ticket, Event.Kind.TRANSFERRED)
    assert (event.kind, event.actor) == (Event.Kind.TRANSFERRED, cast.it_agent)
    assert said(event) == f"{cast.it_agent} moved the ticket from IT to Communications: this is about tone"
    assert (payload_of(event).before, payload_of(event).after) == (
        Ref(cast.it.pk, "IT"),
        Ref(cast.communications.pk, "Communications"),
    )


def test_transfer_unassigns_someone_who_does_not_work_the_new_queue_and_says_so(
    cast: Cast, it_ticket: Ticket
) -> None:
    services.ticket_claim(ticket=it_ticket, actor=cast.it_agent)

    services.ticket_transfer(ticket=it_ticket, queue=cast.marketing, actor=cast.it_agent)

    stored = fresh(it_ticket)
    assert (stored.queue, stored.assignee, stored.status) == (cast.marketing, None, S.OPEN)
    assert said(last_event(it_ticket, Event.Kind.TRANSFERRED)) == (
        f"{cast.it_agent} moved the ticket from IT to Marketing "
        f"and unassigned {cast.it_agent}, who doesn't work Marketing"
    )


def test_transfer_keeps_an_assignee_who_works_the_new_queue(cast: Cast, it_ticket: Ticket) -> None:
    cast.marketing.members.add(cast.it_agent)
    services.ticket_claim(ticket=it_ticket, actor=cast.it_agent)

    services.ticket_transfer(ticket=it_ticket, queue=cast.marketing, actor=cast.it_agent)

    assert fresh(it_ticket).assignee == cast.it_agent
    assert "unassigned" not in said(last_event(it_ticket, Event.Kind.TRANSFERRED))


def test_transfer_to_the_same_queue_is_refused(cast: Cast, it_ticket: Ticket) -> None:
    with pytest.raises(ValidationError) as refused:
        services.ticket_transfer(ticket=it_ticket, queue=cast.it, actor=cast.it_agent)

    assert refused.value.messages == [f"{it_ticket.reference} is already in IT."]
    assert not it_ticket.events.filter(kind=Event.Kind.TRANSFERRED).exists()


def test_a_closed_ticket_cannot_be_transferred(cast: Cast, it_ticket: Ticket) -> None:
    in_status(it_ticket, S.CLOSED, cast.it_agent)

    with pytest.raises(ValidationError, match="is closed; reopen it first"):
        services.ticket_transfer(ticket=it_ticket, queue=cast.marketing, actor=cast.it_agent)

    assert fresh(it_ticket).queue == cast.it
