"""Working one ticket at the desk: claim, assign, transfer, status, priority and time spent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from tickets import services
from tickets.models import Event, Ticket

from ..conftest import Cast, client_for
from .pages import SCRIPT, action, desk_state, messages_shown, page_url, raw, shown

# ---- claim, assign, transfer --------------------------------------------------------------


def test_claiming_takes_the_ticket(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(action("claim", ticket), follow=True)

    assert messages_shown(response) == [("success", "It's yours.")]
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (cast.it_agent, Ticket.Status.OPEN)


def test_claiming_a_ticket_someone_else_has_is_refused(cast: Cast, ticket: Ticket) -> None:
    cast.it.members.add(cast.comms_agent)
    services.ticket_assign(ticket=ticket, assignee=cast.comms_agent, actor=cast.manager)
    before = desk_state()

    response = client_for(cast.it_agent).post(action("claim", ticket), follow=True)

    assert messages_shown(response) == [
        (
            "danger",
            f"{ticket.reference} is already assigned to Cora Comms; assign it to yourself to take it over.",
        )
    ]
    assert desk_state() == before


def test_assigning_to_a_queue_member(cast: Cast, ticket: Ticket) -> None:
    cast.it.members.add(cast.comms_agent)

    response = client_for(cast.it_agent).post(
        action("assign", ticket), {"assign-assignee": cast.comms_agent.pk}, follow=True
    )

    assert messages_shown(response) == [("success", "Assigned to Cora Comms.")]
    ticket.refresh_from_db()
    assert ticket.assignee == cast.comms_agent


def test_unassigning(cast: Cast, ticket: Ticket) -> None:
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)

    response = client_for(cast.it_agent).post(action("assign", ticket), {"assign-assignee": ""}, follow=True)

    assert messages_shown(response) == [("success", "Unassigned.")]
    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.parametrize("who", ["marketing_agent", "employee", "forged"])
def test_assigning_to_someone_outside_the_queue_is_refused(cast: Cast, ticket: Ticket, who: str) -> None:
    assignee = 999_999 if who == "forged" else getattr(cast, who).pk
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("assign", ticket), {"assign-assignee": assignee}, follow=True
    )

    assert messages_shown(response) == [("danger", "Choose someone who works this ticket's queue.")]
    assert desk_state() == before


def test_moving_a_ticket_out_of_ones_queues_goes_back_to_the_list(cast: Cast, ticket: Ticket) -> None:
    client = client_for(cast.it_agent)

    response = client.post(
        action("transfer", ticket),
        {"transfer-queue": cast.communications.pk, "transfer-note": "Policy question"},
    )

    assertRedirects(response, reverse("desk:list"), fetch_redirect_response=False)
    ticket.refresh_from_db()
    assert ticket.queue == cast.communications
    assert ticket.events.filter(kind=Event.Kind.TRANSFERRED, payload__note="Policy question").exists()
    assert messages_shown(client.get(reverse("desk:list"))) == [("success", "Moved to Communications.")]
    assert client.get(page_url(ticket)).status_code == 404
    assert client_for(cast.comms_agent).get(page_url(ticket)).status_code == 200


def test_moving_a_ticket_to_its_own_queue_says_so(cast: Cast, ticket: Ticket) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("transfer", ticket), {"transfer-queue": cast.it.pk}, follow=True
    )

    assert messages_shown(response) == [("danger", f"{ticket.reference} is already in IT.")]
    assert desk_state() == before


def test_moving_to_a_forged_queue_is_refused(cast: Cast, ticket: Ticket) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("transfer", ticket), {"transfer-queue": 999_999}, follow=True
    )

    assert messages_shown(response) == [("danger", "Choose one of the desk's queues.")]
    assert desk_state() == before


# ---- status and priority ------------------------------------------------------------------


def test_setting_an_allowed_status(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(
        action("status", ticket), {"change-status": Ticket.Status.WAITING_THIRD_PARTY}, follow=True
    )

    assert messages_shown(response) == [("success", "Status set to Waiting on third party.")]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING_THIRD_PARTY


@pytest.mark.parametrize(
    ("current", "posted", "message"),
    [
        ("closed", "open", "A closed ticket can't change any more. File a new request that refers to it."),
        (
            "closed",
            "resolved",
            "A closed ticket can't change any more. File a new request that refers to it.",
        ),
        ("resolved", "waiting_requester", "A ticket that is resolved can't become waiting on requester."),
        ("open", "new", "A ticket that is open can't become new."),
        ("open", "open", "The ticket is already open."),
        ("open", "deleted", "Select a valid choice. deleted is not one of the available choices."),
        ("open", "", "This field is required."),
    ],
)
def test_an_impossible_status_change_says_why_and_changes_nothing(
    cast: Cast, ticket: Ticket, current: str, posted: str, message: str
) -> None:
    services.ticket_set_status(ticket=ticket, status=current, actor=cast.it_agent)
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("status", ticket), {"change-status": posted}, follow=True
    )

    assertRedirects(response, page_url(ticket))
    assert messages_shown(response) == [("danger", message)]
    assert desk_state() == before


def test_the_status_menu_offers_only_allowed_moves_and_none_once_closed(cast: Cast, ticket: Ticket) -> None:
    services.ticket_resolve(ticket=ticket, actor=cast.employee)
    client = client_for(cast.it_agent)

    resolved_page = raw(client.get(page_url(ticket)))
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=cast.it_agent)
    closed_page = raw(client.get(page_url(ticket)))

    status_menu = resolved_page[resolved_page.index('name="change-status"') :].split("</select>")[0]
    assert 'value="open"' in status_menu
    assert 'value="closed"' in status_menu
    assert 'value="waiting_requester"' not in status_menu
    assert action("status", ticket) not in closed_page
    assert action("reply", ticket) not in closed_page


def test_setting_the_priority(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(action("priority", ticket), {"set-priority": "4"}, follow=True)

    assert messages_shown(response) == [("success", "Priority set to Urgent.")]
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.URGENT


@pytest.mark.parametrize("value", ["9", "urgent", ""])
def test_a_forged_priority_is_refused(cast: Cast, ticket: Ticket, value: str) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("priority", ticket), {"set-priority": value}, follow=True
    )

    (level, text), *_ = messages_shown(response)
    assert level == "danger"
    assert text.startswith(("Select a valid choice.", "This field is required."))
    assert desk_state() == before


# ---- time spent --------------------------------------------------------------------------


def test_logging_time_adds_up_on_the_page(cast: Cast, ticket: Ticket) -> None:
    client = client_for(cast.it_agent)

    first = client.post(
        action("log_time", ticket), {"time-minutes": "25", "time-note": "Reset 2FA"}, follow=True
    )
    second = client.post(action("log_time", ticket), {"time-minutes": "5", "time-note": ""}, follow=True)

    assert messages_shown(first) == [("success", "Logged 25 min.")]
    assert messages_shown(second) == [("success", "Logged 5 min.")]
    assert list(ticket.time_entries.values_list("agent", "minutes", "note")) == [
        (cast.it_agent.pk, 25, "Reset 2FA"),
        (cast.it_agent.pk, 5, ""),
    ]
    assert "30 min" in shown(second)
    assert "Ian It logged 25 min: Reset 2FA" in shown(second)


@pytest.mark.parametrize("minutes", ["0", "-5", "1441", "ten", "", "1e3"])
def test_logging_an_impossible_time_says_why_and_stores_nothing(
    cast: Cast, ticket: Ticket, minutes: str
) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("log_time", ticket), {"time-minutes": minutes, "time-note": "x"}, follow=True
    )

    assertRedirects(response, page_url(ticket))
    (level, text), *_ = messages_shown(response)
    assert level == "danger"
    assert text
    assert desk_state() == before


def test_html_in_a_time_note_is_shown_as_text(cast: Cast, ticket: Ticket) -> None:
    client = client_for(cast.it_agent)

    page = raw(
        client.post(action("log_time", ticket), {"time-minutes": "5", "time-note": SCRIPT}, follow=True)
    )

    assert "logged 5 min: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
