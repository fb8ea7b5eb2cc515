"""Checklists on tickets: attached at filing, ticked in the history, required before resolving,
waived only by a manager with a reason; the statement approved by someone else first."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists import services
from checklists.models import Checklist, ChecklistTemplate, Item, Needs, TemplateItem
from checklists.reference_data import HACKED, HACKED_ITEMS, checklists_load
from checklists.selectors import incidents_secured, panel
from tickets import services as ticket_services
from tickets.events import event_sentence
from tickets.models import Event, Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .scene import report, x_account

pytestmark = pytest.mark.django_db
Status = Ticket.Status


def items(ticket: Ticket) -> list[Item]:
    return list(Item.objects.filter(checklist__ticket=ticket).order_by("position"))


def tick_all(ticket: Ticket, cast: Cast, *, but: int = 0) -> None:
    for item in items(ticket)[: len(items(ticket)) - but]:
        if item.needs == Needs.APPROVED_STATEMENT:
            services.statement_draft(
                ticket=ticket, actor=cast.comms_agent, text="We are restoring our account."
            )
            services.statement_approve(ticket=ticket, actor=cast.manager)
        services.checklist_tick(item=item, actor=cast.it_agent)


def test_the_hacked_account_checklist_is_attached_when_the_ticket_is_filed(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    checklist = Checklist.objects.get(ticket=ticket)
    assert checklist.name == HACKED
    assert [item.text for item in items(ticket)] == [text for text, *_ in HACKED_ITEMS]
    assert items(ticket)[0].text == "Secure the recovery email first"
    # The X page and the toolkit, not Meta's or LinkedIn's.
    assert [link["label"] for link in checklist.links] == [
        "Social Media Cyber-Vandalism Toolkit (GSA)",
        "X: help with a compromised account",
    ]
    added = Event.objects.get(ticket=ticket, kind=Event.Kind.CHECKLIST_ADDED)
    assert event_sentence(added) == f"Checklist “{HACKED}” attached: 11 items, 11 required"


def test_other_problem_types_get_no_checklist(cast: Cast) -> None:
    checklists_load()

    ticket = file_ticket(cast.employee, problem="metrics-request")

    assert not Checklist.objects.filter(ticket=ticket).exists()


def test_a_later_edit_of_the_template_leaves_attached_checklists_alone(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    TemplateItem.objects.filter(template__name=HACKED).update(text="Changed")

    assert "Changed" not in [item.text for item in items(ticket)]


def test_resolving_with_required_items_open_is_refused_with_the_list(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    tick_all(ticket, cast, but=2)

    with pytest.raises(ValidationError) as refusal:
        ticket_services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, actor=cast.it_agent)

    message = " ".join(refusal.value.messages)
    assert "Still to do: “Re-verify everyone with access”; “Write the after-action note”." in message
    ticket.refresh_from_db()
    assert ticket.status != Status.RESOLVED


@pytest.mark.parametrize("how", ["requester", "reply", "close"])
def test_every_way_of_finishing_is_refused_alike(cast: Cast, how: str) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(ValidationError, match="Still to do"):
        if how == "requester":
            ticket_services.ticket_resolve(ticket=ticket, actor=cast.other_employee)
        elif how == "reply":
            ticket_services.ticket_reply(
                ticket=ticket, author=cast.it_agent, body="Done", status=Status.RESOLVED
            )
        else:
            ticket_services.ticket_set_status(ticket=ticket, status=Status.CLOSED, actor=cast.it_agent)


def test_ticking_records_who_and_when_in_the_history_and_unticking_too(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    first = items(ticket)[0]

    services.checklist_tick(item=first, actor=cast.it_agent)
    services.checklist_tick(item=first, actor=cast.comms_agent, done=False)

    first.refresh_from_db()
    assert first.done_at is None and first.done_by is None
    ticks = Event.objects.filter(ticket=ticket, kind=Event.Kind.CHECKLIST_TICKED).order_by("pk")
    assert [event_sentence(e) for e in ticks] == [
        "Ian It ticked “Secure the recovery email first”",
        "Cora Comms unticked “Secure the recovery email first”",
    ]
    assert ticks[0].payload["item"] == {"id": first.pk, "label": first.text}


def test_ticking_twice_records_once(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    first = items(ticket)[0]

    services.checklist_tick(item=first, actor=cast.it_agent)
    services.checklist_tick(item=first, actor=cast.it_agent)

    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.CHECKLIST_TICKED).count() == 1


@pytest.mark.parametrize("who", ["marketing_agent", "employee", "other_employee"])
def test_only_those_who_work_the_ticket_tick(cast: Cast, who: str) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(PermissionDenied):
        services.checklist_tick(item=items(ticket)[0], actor=getattr(cast, who))
    assert not Item.objects.filter(done_at__isnull=False).exists()


def test_all_done_lets_the_ticket_be_resolved(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    tick_all(ticket, cast)

    ticket_services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, actor=cast.it_agent)

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_the_account_counts_as_secured_when_its_securing_items_are_done(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        ticket = report(cast, x_account(cast))
        securing = [item for item in items(ticket) if item.secures]
        assert len(securing) == 5
        for item in securing:
            clock.shift(timedelta(minutes=10))
            services.checklist_tick(item=item, actor=cast.it_agent)

    checklist = Checklist.objects.get(ticket=ticket)
    assert checklist.secured_at - ticket.created_at == timedelta(minutes=50)
    assert panel(cast.it_agent, ticket).secured_label == "50 min"


# ---- waiving ----------------------------------------------------------------------------------


def test_a_manager_lets_it_be_resolved_with_items_open_and_the_reason_is_kept(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    checklist = Checklist.objects.get(ticket=ticket)

    services.checklist_waive(
        checklist=checklist, actor=cast.manager, reason="  Platform closed the account for good. "
    )
    ticket_services.ticket_set_status(ticket=ticket, status=Status.RESOLVED, actor=cast.it_agent)

    checklist.refresh_from_db()
    assert (checklist.waived_by, checklist.waive_reason) == (
        cast.manager,
        "Platform closed the account for good.",
    )
    waived = Event.objects.get(ticket=ticket, kind=Event.Kind.CHECKLIST_WAIVED)
    assert event_sentence(waived) == (
        f"Max Manager let the ticket be resolved with 11 required items of “{HACKED}” open: "
        "Platform closed the account for good."
    )


def test_an_agent_cant_waive(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(PermissionDenied, match="Only a manager"):
        services.checklist_waive(
            checklist=Checklist.objects.get(ticket=ticket), actor=cast.it_agent, reason="Busy"
        )
    assert Checklist.objects.get(ticket=ticket).waived_at is None


def test_waiving_needs_a_reason(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(ValidationError, match="Say why"):
        services.checklist_waive(
            checklist=Checklist.objects.get(ticket=ticket), actor=cast.manager, reason="  "
        )


# ---- the holding statement --------------------------------------------------------------------


def published(ticket: Ticket) -> Item:
    return Item.objects.get(checklist__ticket=ticket, needs=Needs.APPROVED_STATEMENT)


def test_statement_published_waits_for_an_approval(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(ValidationError, match="waits for the holding statement"):
        services.checklist_tick(item=published(ticket), actor=cast.comms_agent)
    services.statement_draft(
        ticket=ticket, actor=cast.comms_agent, text="Our X account was hacked; ignore its posts."
    )
    with pytest.raises(ValidationError, match="waits for the holding statement"):
        services.checklist_tick(item=published(ticket), actor=cast.comms_agent)

    services.statement_approve(ticket=ticket, actor=cast.manager)
    services.checklist_tick(item=published(ticket), actor=cast.comms_agent)

    assert published(ticket).is_done
    sentences = [event_sentence(e) for e in Event.objects.filter(ticket=ticket, kind=Event.Kind.STATEMENT)]
    assert sentences == [
        "Cora Comms drafted the holding statement",
        "Max Manager approved the holding statement",
    ]


def test_the_author_cant_approve_their_own_statement(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    services.statement_draft(ticket=ticket, actor=cast.manager, text="We are on it.")

    with pytest.raises(ValidationError, match="someone else approves it"):
        services.statement_approve(ticket=ticket, actor=cast.manager)


@pytest.mark.parametrize("who", ["it_agent", "marketing_agent"])
def test_only_communications_and_managers_draft_and_approve(cast: Cast, who: str) -> None:
    ticket = report(cast, x_account(cast))

    with pytest.raises(PermissionDenied):
        services.statement_draft(ticket=ticket, actor=getattr(cast, who), text="We are on it.")
    services.statement_draft(ticket=ticket, actor=cast.comms_agent, text="We are on it.")
    with pytest.raises(PermissionDenied):
        services.statement_approve(ticket=ticket, actor=getattr(cast, who))


def test_a_new_wording_needs_approving_again_and_a_published_one_is_kept(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    services.statement_draft(ticket=ticket, actor=cast.comms_agent, text="First words.")
    services.statement_approve(ticket=ticket, actor=cast.manager)

    statement = services.statement_draft(ticket=ticket, actor=cast.manager, text="Better words.")

    assert not statement.is_approved
    services.statement_approve(ticket=ticket, actor=cast.comms_agent)
    services.checklist_tick(item=published(ticket), actor=cast.comms_agent)
    with pytest.raises(ValidationError, match="already published"):
        services.statement_draft(ticket=ticket, actor=cast.comms_agent, text="Other words.")


def test_a_template_can_be_attached_by_hand_once(cast: Cast) -> None:
    checklists_load()
    ticket = file_ticket(cast.employee, problem="login-access")
    template = ChecklistTemplate.objects.get(name=HACKED)

    services.checklist_attach(ticket=ticket, template=template, actor=cast.it_agent)

    with pytest.raises(ValidationError, match="already has"):
        services.checklist_attach(ticket=ticket, template=template, actor=cast.it_agent)
    with pytest.raises(PermissionDenied):
        services.checklist_attach(ticket=ticket, template=template, actor=cast.marketing_agent)


def test_incidents_list_their_time_to_secured_in_a_fixed_number_of_queries(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        secured, pending = report(cast, x_account(cast)), report(cast, None, account_text="@other")
        clock.shift(timedelta(minutes=90))
        for item in items(secured):
            if item.secures:
                services.checklist_tick(item=item, actor=cast.it_agent)
    file_ticket(cast.employee, problem="login-access")

    with CaptureQueriesContext(connection) as context:
        rows = incidents_secured(Ticket.objects.all())

    assert [(row.ticket, row.secured_label) for row in rows] == [
        (pending, "not yet"),
        (secured, "1 h 30 min"),
    ]
    assert len(context.captured_queries) == 1
