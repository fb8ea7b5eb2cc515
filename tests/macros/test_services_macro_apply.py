"""Applying a macro goes through the tickets' services: their rules, history and emails hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from checklists.models import Checklist, ChecklistTemplate
from checklists.reference_data import HACKED, checklists_load
from macros.models import Macro
from macros.selectors import macro_result
from macros.services import macro_apply
from notifications.models import Notification
from tickets import services
from tickets.models import Comment, Event, Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .scene import macro

pytestmark = pytest.mark.django_db
S = Ticket.Status


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    ticket = file_ticket(cast.employee)
    assert ticket.queue == cast.it
    return ticket


def kinds(ticket: Ticket, after: int) -> list[str]:
    return list(
        Event.objects.filter(ticket=ticket, pk__gt=after).order_by("pk").values_list("kind", flat=True)
    )


def last_event(ticket: Ticket) -> int:
    return Event.objects.filter(ticket=ticket).order_by("-pk").values_list("pk", flat=True)[0]


def test_a_reply_macro_fills_its_placeholders_and_waits_on_the_requester(cast: Cast, ticket: Ticket) -> None:
    reset = macro(queue=cast.it, set_status=S.WAITING_REQUESTER)
    before = last_event(ticket)
    mails = Notification.objects.count()

    macro_apply(macro=reset, ticket=ticket, actor=cast.it_agent)

    ticket.refresh_from_db()
    reply = Comment.objects.get(ticket=ticket)
    assert reply.body == f"Hello Erin, about {ticket.reference} in IT: reset it. Ian It"
    assert not reply.is_internal and reply.author == cast.it_agent
    assert ticket.status == S.WAITING_REQUESTER and ticket.sla_paused_at is not None
    assert ticket.first_response_at is not None
    assert kinds(ticket, before) == [Event.Kind.MACRO, Event.Kind.REPLIED]
    assert Notification.objects.count() > mails  # the requester is told of the reply
    macro_event = Event.objects.get(ticket=ticket, kind=Event.Kind.MACRO)
    assert macro_event.payload["macro"] == {"id": reset.pk, "label": "Password reset steps"}


def test_every_action_goes_through_its_own_service(cast: Cast, ticket: Ticket) -> None:
    checklists_load()
    everything = macro(
        queue=cast.it,
        note="Checked by {{agent}}",
        set_priority=Ticket.Priority.URGENT,
        assign=Macro.Assign.ME,
        checklist=ChecklistTemplate.objects.get(name=HACKED),
        move_to=cast.communications,
        set_status=S.WAITING_THIRD_PARTY,
    )
    before = last_event(ticket)

    macro_apply(macro=everything, ticket=ticket, actor=cast.it_agent)

    ticket.refresh_from_db()
    assert (ticket.priority, ticket.status, ticket.queue) == (
        Ticket.Priority.URGENT,
        S.WAITING_THIRD_PARTY,
        cast.communications,
    )
    assert Checklist.objects.filter(ticket=ticket, template__name=HACKED).exists()
    assert Comment.objects.get(ticket=ticket, is_internal=True).body == "Checked by Ian It"
    assert kinds(ticket, before)[:2] == [Event.Kind.MACRO, Event.Kind.PRIORITY]
    assert {Event.Kind.ASSIGNED, Event.Kind.CHECKLIST_ADDED, Event.Kind.NOTED, Event.Kind.REPLIED} <= set(
        kinds(ticket, before)
    )
    assert kinds(ticket, before)[-1] == Event.Kind.TRANSFERRED


def test_an_edited_reply_is_sent_as_edited_and_the_history_says_so(cast: Cast, ticket: Ticket) -> None:
    reset = macro(queue=cast.it)

    macro_apply(macro=reset, ticket=ticket, actor=cast.it_agent, reply="Hello Erin, try again now.")

    assert Comment.objects.get(ticket=ticket).body == "Hello Erin, try again now."
    assert Event.objects.get(ticket=ticket, kind=Event.Kind.MACRO).payload["edited"] is True


def test_a_refused_change_undoes_the_reply_too(cast: Cast, ticket: Ticket) -> None:
    checklists_load()
    resolve = macro(
        queue=cast.it, set_status=S.RESOLVED, checklist=ChecklistTemplate.objects.get(name=HACKED)
    )
    before = (Comment.objects.count(), Event.objects.count(), Checklist.objects.count())

    with pytest.raises(ValidationError, match="can't be finished yet"):
        macro_apply(macro=resolve, ticket=ticket, actor=cast.it_agent)

    assert (Comment.objects.count(), Event.objects.count(), Checklist.objects.count()) == before
    ticket.refresh_from_db()
    assert ticket.status == S.NEW


def test_a_closed_ticket_refuses_the_macro(cast: Cast, ticket: Ticket) -> None:
    services.ticket_set_status(ticket=ticket, status=S.RESOLVED, actor=cast.it_agent)
    services.ticket_set_status(ticket=ticket, status=S.CLOSED, actor=cast.it_agent)
    before = Event.objects.count()

    with pytest.raises(ValidationError):
        macro_apply(macro=macro(queue=cast.it), ticket=ticket, actor=cast.it_agent)

    assert Event.objects.count() == before


def test_an_agent_of_another_queue_is_refused(cast: Cast, ticket: Ticket) -> None:
    with pytest.raises(PermissionDenied):
        macro_apply(macro=macro(owner=cast.marketing_agent), ticket=ticket, actor=cast.marketing_agent)
    assert not Comment.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("whose", ["someone else's", "another queue's", "inactive"])
def test_a_macro_the_agent_may_not_use_is_refused(cast: Cast, ticket: Ticket, whose: str) -> None:
    other = {
        "someone else's": lambda: macro(owner=cast.manager),
        "another queue's": lambda: macro(queue=cast.marketing),
        "inactive": lambda: macro(queue=cast.it, is_active=False),
    }[whose]()

    with pytest.raises(PermissionDenied, match="not yours or shared with IT"):
        macro_apply(macro=other, ticket=ticket, actor=cast.it_agent)
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_the_preview_lists_only_what_would_change(cast: Cast, ticket: Ticket) -> None:
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    ticket = Ticket.objects.select_related("requester", "queue").get(pk=ticket.pk)
    mine = macro(
        queue=cast.it, assign=Macro.Assign.ME, set_status=S.WAITING_REQUESTER, set_priority=ticket.priority
    )

    result = macro_result(mine, ticket, cast.it_agent)

    assert result.actions == ["Set the status to Waiting on requester"]
