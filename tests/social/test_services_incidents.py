"""A hacked account reported: urgent in IT by its rule, Communications beside IT, the account
compromised and its people told; resolved: active again, its access review due now."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from checklists.models import Checklist
from notifications.models import Kind, Notification
from social.incidents import account_report_hacked
from social.models import AccountEvent, CompanyAccount
from tickets import services
from tickets.events import event_sentence
from tickets.models import Collaboration, Event, Ticket
from tickets.selectors import can_work_ticket, desk_tickets

from ..api.conftest import api_as
from ..api.test_views_tickets import TICKETS, ids
from ..checklists.scene import report, x_account
from ..conftest import Cast, client_for, platform

pytestmark = pytest.mark.django_db


def test_a_report_files_an_urgent_ticket_to_it_and_routing_records_its_rule(cast: Cast) -> None:
    account = x_account(cast)

    ticket = report(cast, account)

    assert (ticket.queue, ticket.priority) == (cast.it, Ticket.Priority.URGENT)
    assert ticket.account == account and ticket.company_account == ""
    assert ticket.requester == cast.other_employee
    routed = Event.objects.get(ticket=ticket, kind=Event.Kind.ROUTED)
    assert "Compromised accounts go to IT, urgent" in event_sentence(routed)
    assert "Posts we did not write" in ticket.description


def test_communications_collaborates_and_its_agents_see_and_work_the_ticket(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    assert list(Collaboration.objects.filter(ticket=ticket).values_list("queue", flat=True)) == [
        cast.communications.pk
    ]
    assert can_work_ticket(cast.comms_agent, ticket)
    assert desk_tickets(cast.comms_agent).filter(pk=ticket.pk).exists()
    assert not can_work_ticket(cast.marketing_agent, ticket)
    assert not desk_tickets(cast.marketing_agent).filter(pk=ticket.pk).exists()
    # Working it, not only reading it: a Communications agent replies through the services.
    services.ticket_reply(ticket=ticket, author=cast.comms_agent, body="We are drafting a statement.")
    joined = Event.objects.get(ticket=ticket, kind=Event.Kind.COLLABORATING)
    assert "Communications" in event_sentence(joined)
    told = Notification.objects.filter(ticket=ticket, kind=Kind.NEW_IN_QUEUE, recipient=cast.comms_agent)
    assert told.exists()


def test_the_account_is_marked_compromised_with_an_account_event(cast: Cast) -> None:
    account = x_account(cast)

    ticket = report(cast, account)

    account.refresh_from_db()
    assert account.status == CompanyAccount.Status.COMPROMISED
    event = AccountEvent.objects.get(account=account, kind=AccountEvent.Kind.COMPROMISED)
    assert event.actor == cast.other_employee
    assert event.changes["subject"] == {"id": ticket.pk, "label": ticket.reference}
    assert [f["field"] for f in event.changes["fields"]] == ["status"]


def test_the_owner_and_the_deputy_are_told(cast: Cast) -> None:
    # The deputy reports it: the owner hears, the reporter isn't told what they just said.
    account = x_account(cast)

    ticket = account_report_hacked(
        reporter=cast.other_employee, platform=account.platform, account=account, signs=["cannot_log_in"]
    )

    told = Notification.objects.filter(ticket=ticket, kind=Kind.ACCOUNT_NOTICE)
    assert list(told.values_list("recipient", flat=True)) == [cast.employee.pk]
    assert "We can't log in" in told.get().context["lines"]


def test_an_unlisted_account_keeps_its_name_and_marks_nothing(cast: Cast) -> None:
    ticket = report(cast, None, account_text="  @acme_support ")

    assert ticket.account is None
    assert ticket.company_account == "@acme_support"
    assert ticket.subject == "Hacked account: @acme_support"
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.COMPROMISED).exists()


def test_a_report_without_a_sign_or_a_word_is_refused_and_stores_nothing(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Tick what you see"):
        report(cast, x_account(cast), signs=[])
    with pytest.raises(ValidationError, match="only the signs listed"):
        report(cast, None, signs=["aliens"])

    assert not Ticket.objects.exists()


def test_resolving_makes_the_account_active_again_with_its_review_due_now(cast: Cast) -> None:
    account = x_account(cast)
    ticket = report(cast, account)
    # The checklist is done (its own tests show how): only the return to normal is looked at here.
    Checklist.objects.filter(ticket=ticket).delete()
    before = timezone.now()

    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    account.refresh_from_db()
    assert account.status == CompanyAccount.Status.ACTIVE
    assert before <= account.review_due_at <= timezone.now()
    restored = AccountEvent.objects.get(account=account, kind=AccountEvent.Kind.RESTORED)
    assert restored.actor is None
    assert {f["field"] for f in restored.changes["fields"]} == {"status", "review_due_at"}
    assert ticket.reference in restored.summary


def test_another_open_report_keeps_the_account_compromised(cast: Cast) -> None:
    account = x_account(cast)
    first, second = report(cast, account), report(cast, account)
    Checklist.objects.filter(ticket=first).delete()

    services.ticket_set_status(ticket=first, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    account.refresh_from_db()
    assert account.status == CompanyAccount.Status.COMPROMISED
    assert second.is_open
    assert AccountEvent.objects.filter(account=account, kind=AccountEvent.Kind.COMPROMISED).count() == 1


def test_a_retired_account_cant_be_reported(cast: Cast) -> None:
    account = x_account(cast, status=CompanyAccount.Status.RETIRED)

    with pytest.raises(ValidationError, match="retired"):
        report(cast, account)


def test_an_account_of_another_platform_is_refused(cast: Cast) -> None:
    account = x_account(cast)

    with pytest.raises(ValidationError, match="is not on Facebook"):
        account_report_hacked(
            reporter=cast.employee, platform=platform("facebook"), account=account, signs=["cannot_log_in"]
        )
    assert not Ticket.objects.exists()


def test_communications_finds_it_in_the_api_and_the_admin_like_its_own(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    assert ticket.pk in ids(api_as(cast.comms_agent).get(TICKETS))
    assert ticket.pk not in ids(api_as(cast.marketing_agent).get(TICKETS))
    assert client_for(cast.comms_agent).get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code == 200
    assert (
        client_for(cast.marketing_agent).get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code != 200
    )
