"""The outbox says what happened: a requester's resolve or reopen is no "status of your request"."""

from __future__ import annotations

import re

from django.urls import reverse

from notifications.models import Kind, Notification
from tickets import services

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import shown

OUTBOX = reverse("admin:notifications_notification_changelist")


def told_staff(ticket: object) -> Notification:
    return Notification.objects.filter(ticket=ticket, kind=Kind.STATUS_CHANGED).latest("pk")


def test_an_employee_who_resolves_their_request_is_listed_as_such(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)

    services.ticket_resolve(ticket=ticket, actor=cast.employee)

    row = told_staff(ticket)
    assert row.email == cast.it_agent.email
    assert row.what_happened == f"Erin Employee resolved {ticket.reference}"
    assert str(row) == f"Erin Employee resolved {ticket.reference} to {cast.it_agent.email}"


def test_an_employee_who_reopens_their_request_is_listed_as_such(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_set_status(ticket=ticket, status="resolved", actor=cast.it_agent)

    services.ticket_reopen(ticket=ticket, actor=cast.employee)

    assert told_staff(ticket).what_happened == f"Erin Employee reopened {ticket.reference}"


def test_the_requesters_own_status_email_keeps_its_label(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_set_status(ticket=ticket, status="waiting_requester", actor=cast.it_agent)

    row = told_staff(ticket)
    assert row.email == cast.employee.email
    assert row.what_happened == Kind.STATUS_CHANGED.label


def test_the_outbox_lists_what_happened(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)

    html = shown(client_for(cast.admin).get(OUTBOX, {"kind__exact": Kind.STATUS_CHANGED}))

    assert "What happened" in html
    listed = re.findall(r'<td class="field-what">([^<]*)</td>', html)
    assert listed == [f"Erin Employee resolved {ticket.reference}"]
