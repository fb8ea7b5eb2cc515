"""Followers on staff and colleagues copied on a request, and the emails they get."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Kind, Notification, OptOut
from tickets import services
from tickets.models import Ticket
from tickets.services import watching

from ..conftest import Cast
from ..factories import file_ticket


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee, subject="Locked out of @acme")


def sent(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_follower_gets_the_tickets_emails(cast: Cast, ticket: Ticket) -> None:
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    watching.ticket_follow(ticket=ticket, actor=cast.manager)
    Notification.objects.all().delete()

    services.ticket_reply(ticket=ticket, author=cast.employee, body="Any news?")
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Resetting it now.")

    assert cast.manager.email in sent(Kind.REPLY_TO_STAFF)
    assert sent(Kind.FOLLOWED) == {cast.manager.email}


def test_a_follower_who_opted_out_gets_nothing(cast: Cast, ticket: Ticket) -> None:
    watching.ticket_follow(ticket=ticket, actor=cast.manager)
    OptOut.objects.create(user=cast.manager, kind=Kind.FOLLOWED)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Resetting it now.")
    assert not sent(Kind.FOLLOWED)


def test_only_staff_who_may_see_the_ticket_follow_it(cast: Cast, ticket: Ticket) -> None:
    for outsider in (cast.marketing_agent, cast.employee, cast.other_employee):
        with pytest.raises(PermissionDenied):
            watching.ticket_follow(ticket=ticket, actor=outsider)
    assert not ticket.followers.exists()


def test_mentioned_staff_follow_the_ticket(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="@max.manager have a look", internal=True)
    assert list(ticket.followers.all()) == [cast.manager]
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="@max.manager again", internal=True)
    assert ticket.followers.count() == 1


def test_a_follower_moved_off_the_queue_hears_no_more(cast: Cast, ticket: Ticket) -> None:
    watching.ticket_follow(ticket=ticket, actor=cast.it_agent)
    cast.it.members.remove(cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.manager, body="Done.")
    assert cast.it_agent.email not in sent(Kind.FOLLOWED)


def test_a_colleague_added_by_the_requester_replies_and_gets_emails(cast: Cast, ticket: Ticket) -> None:
    watching.ticket_add_colleague(ticket=ticket, actor=cast.employee, colleague=cast.other_employee)
    Notification.objects.all().delete()

    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Try again now.")
    services.ticket_reply(ticket=ticket, author=cast.other_employee, body="Works for me.")

    assert cast.other_employee.email in sent(Kind.REPLY_TO_REQUESTER)
    assert cast.employee.email in sent(Kind.REPLY_TO_REQUESTER)


def test_only_the_requester_adds_employees_as_colleagues(cast: Cast, ticket: Ticket) -> None:
    with pytest.raises(PermissionDenied):
        watching.ticket_add_colleague(ticket=ticket, actor=cast.other_employee, colleague=cast.other_employee)
    with pytest.raises(ValidationError, match="employee"):
        watching.ticket_add_colleague(ticket=ticket, actor=cast.employee, colleague=cast.it_agent)
    with pytest.raises(ValidationError, match="That's you"):
        watching.ticket_add_colleague(ticket=ticket, actor=cast.employee, colleague=cast.employee)
    assert not ticket.participants.exists()


def test_a_colleague_may_leave_but_not_remove_others(cast: Cast, ticket: Ticket) -> None:
    watching.ticket_add_colleague(ticket=ticket, actor=cast.employee, colleague=cast.other_employee)
    with pytest.raises(PermissionDenied):
        watching.ticket_remove_colleague(ticket=ticket, actor=cast.it_agent, colleague=cast.other_employee)
    watching.ticket_remove_colleague(ticket=ticket, actor=cast.other_employee, colleague=cast.other_employee)
    assert not ticket.participants.exists()
