"""One ticket at the desk: the page, replies and notes, and the actions that work it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from pytest_django.fixtures import Settings

from tickets import services
from tickets.models import Comment, Event, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import stored_files
from .pages import IMG, PNG, SCRIPT, converse, desk_state, messages_shown, query_count, raw, shown, upload

FILES_AGAIN = "please choose your attachments again"


def page_url(ticket: Ticket) -> str:
    return reverse("desk:ticket", args=[ticket.pk])


def action(name: str, ticket: Ticket) -> str:
    return reverse(f"desk:{name}", args=[ticket.pk])


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    """A new IT ticket, filed with a screenshot."""
    return file_ticket(
        cast.employee,
        problem="login-access",
        subject="Locked out of @acme",
        description="The code never arrives.",
        company_account="@acme",
        files=[upload("lockout.png")],
    )


# ---- the page -----------------------------------------------------------------------------


def test_the_page_shows_the_request_conversation_notes_and_history(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Which phone do you use?")
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Known SMS outage", internal=True)

    response = client_for(cast.it_agent).get(page_url(ticket))

    page = shown(response)
    for text in (
        "Locked out of @acme",
        "The code never arrives.",
        "lockout.png",
        "Which phone do you use?",
        "Known SMS outage",
        "Internal note",
        cast.employee.email,
        "Sales",  # the requester's department
        "Routed to IT as Normal by rule “Log-in problems go to IT”",
        "Ian It replied; status New → Open",
    ):
        assert text in page


def test_an_agent_cannot_open_another_queues_ticket(cast: Cast, ticket: Ticket) -> None:
    assert client_for(cast.marketing_agent).get(page_url(ticket)).status_code == 404
    assert client_for(cast.comms_agent).get(page_url(ticket)).status_code == 404


OUTSIDER_ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("reply", {"body": "Sneaky reply", "visibility": "public", "status": ""}),
    ("reply", {"body": "Sneaky note", "visibility": "internal", "status": ""}),
    ("claim", {}),
    ("assign", {"assign-assignee": ""}),
    ("transfer", {"transfer-queue": "", "transfer-note": "mine now"}),
    ("status", {"change-status": "closed"}),
    ("priority", {"set-priority": "1"}),
    ("log_time", {"time-minutes": "30", "time-note": "billable to them"}),
]


@pytest.mark.parametrize(("name", "data"), OUTSIDER_ACTIONS)
def test_an_agent_cannot_act_on_another_queues_ticket(
    cast: Cast, ticket: Ticket, name: str, data: dict[str, Any]
) -> None:
    if name == "transfer":
        data = {**data, "transfer-queue": cast.marketing.pk}
    if name == "assign":
        data = {**data, "assign-assignee": cast.marketing_agent.pk}
    before = desk_state()

    response = client_for(cast.marketing_agent).post(action(name, ticket), data)

    assert response.status_code == 404
    assert desk_state() == before


@pytest.mark.parametrize(
    "name", ["ticket", "reply", "claim", "assign", "transfer", "status", "priority", "log_time"]
)
@pytest.mark.parametrize("pk", [0, 999_999, 2**63 + 1])
def test_an_unknown_ticket_is_404(cast: Cast, ticket: Ticket, name: str, pk: int) -> None:
    client = client_for(cast.manager)
    url = reverse(f"desk:{name}", args=[pk])

    response = (
        client.get(url) if name == "ticket" else client.post(url, {"body": "x", "change-status": "open"})
    )

    assert response.status_code == 404


def test_a_manager_works_every_queue(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="metrics-request")
    client = client_for(cast.manager)

    assert client.get(page_url(ticket)).status_code == 200
    client.post(action("claim", ticket))
    client.post(action("priority", ticket), {"set-priority": Ticket.Priority.HIGH})
    client.post(action("transfer", ticket), {"transfer-queue": cast.communications.pk})

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.priority, ticket.queue) == (
        cast.manager,
        Ticket.Priority.HIGH,
        cast.communications,
    )


def test_html_everywhere_on_the_page_is_shown_as_text(cast: Cast) -> None:
    cast.employee.full_name = f"Erin {SCRIPT}"
    cast.employee.save()
    ticket = file_ticket(
        cast.employee,
        subject=f"Subject {SCRIPT}",
        description=f"Description {IMG}",
        company_account=f"@{IMG}",
        files=[upload(f"{IMG}.png")],
    )
    services.ticket_reply(ticket=ticket, author=cast.employee, body=f"Reply {SCRIPT}")
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body=f"Note {IMG}", internal=True)
    client_for(cast.manager).post(
        action("transfer", ticket),
        {"transfer-queue": cast.communications.pk, "transfer-note": f"Why {SCRIPT}"},
    )
    cast.communications.members.add(cast.it_agent)

    page = raw(client_for(cast.it_agent).get(page_url(ticket)))

    for escaped in (
        "Subject &lt;script&gt;alert(1)&lt;/script&gt;",
        "Description &lt;img src=x onerror=alert(1)&gt;",
        "@&lt;img src=x onerror=alert(1)&gt;",
        "&lt;img src=x onerror=alert(1)&gt;.png",
        "Reply &lt;script&gt;alert(1)&lt;/script&gt;",
        "Note &lt;img src=x onerror=alert(1)&gt;",
        "Erin &lt;script&gt;alert(1)&lt;/script&gt;",
        "Why &lt;script&gt;alert(1)&lt;/script&gt;",
    ):
        assert escaped in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


# ---- replies and notes --------------------------------------------------------------------


def test_a_public_reply_is_the_first_response_and_opens_a_new_ticket(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(
        action("reply", ticket),
        {
            "body": "Try the backup codes.",
            "visibility": "public",
            "status": "",
            "attachments": [upload("codes.png")],
        },
        follow=True,
    )

    assertRedirects(response, page_url(ticket))
    assert messages_shown(response) == [("success", "Reply sent to the requester.")]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.first_response_at is not None
    comment = ticket.comments.get()
    assert (comment.body, comment.is_internal, comment.author) == (
        "Try the backup codes.",
        False,
        cast.it_agent,
    )
    assert comment.attachments.get().name == "codes.png"


def test_an_internal_note_is_no_response_and_leaves_the_status(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(
        action("reply", ticket),
        {"body": "Check the SMS gateway", "visibility": "internal", "status": ""},
        follow=True,
    )

    assert messages_shown(response) == [("success", "Internal note added.")]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == (Ticket.Status.NEW, None)
    assert ticket.comments.get().is_internal
    assert "Check the SMS gateway" not in shown(client_for(cast.employee).get(ticket.get_absolute_url()))


def test_a_reply_can_set_the_status(cast: Cast, ticket: Ticket) -> None:
    client_for(cast.it_agent).post(
        action("reply", ticket),
        {"body": "Send a screenshot", "visibility": "public", "status": "waiting_requester"},
    )

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING_REQUESTER


@pytest.mark.parametrize("status", ["closed", "new", "deleted"])
def test_a_reply_with_a_status_the_menu_does_not_offer_is_refused(
    cast: Cast, ticket: Ticket, status: str
) -> None:
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.OPEN, actor=cast.it_agent)
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("reply", ticket), {"body": "Closing by reply", "visibility": "public", "status": status}
    )

    assert response.status_code == 200
    assert f"Select a valid choice. {status} is not one of the available choices." in shown(response)
    assert "Closing by reply</textarea>" in shown(response)
    assert desk_state() == before


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_reply_says_so_and_stores_nothing(cast: Cast, ticket: Ticket, body: str) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("reply", ticket), {"body": body, "visibility": "public", "status": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in shown(response)
    assert desk_state() == before


def test_a_forged_visibility_stores_nothing(cast: Cast, ticket: Ticket) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("reply", ticket), {"body": "Hello", "visibility": "everyone", "status": ""}
    )

    assert response.status_code == 200
    assert "Hello</textarea>" in shown(response)
    assert desk_state() == before


@pytest.mark.parametrize(
    ("visibility", "message"),
    [
        ("everyone", "Select a valid choice. everyone is not one of the available choices."),
        (None, "This field is required."),
    ],
)
def test_a_forged_or_missing_visibility_says_why(
    cast: Cast, ticket: Ticket, visibility: str | None, message: str
) -> None:
    data = {"body": "Hello", "status": ""}
    if visibility is not None:
        data["visibility"] = visibility

    response = client_for(cast.it_agent).post(action("reply", ticket), data)

    assert message in shown(response)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("big.png", PNG + b"\x00" * 4096)], "“big.png” is 4.0 KB; each file may be at most 1.0 KB."),
        ([upload("tool.exe", b"MZ\x90\x00")], "“tool.exe” can't be attached"),
        ([upload("run.bat", b"@echo off")], "“run.bat” can't be attached"),
        ([upload("graph.png", b"MZ\x90\x00\x03")], "“graph.png” is a program; programs can't be attached."),
        (
            [upload("1.png"), upload("2.png"), upload("3.png")],
            "Attach at most 2 files at a time; you chose 3.",
        ),
    ],
)
def test_a_reply_with_a_refused_attachment_explains_keeps_the_text_and_stores_nothing(
    cast: Cast, ticket: Ticket, settings: Settings, media_root: Path, files: list[Any], message: str
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_MAX_COUNT = 2
    files_before = stored_files(media_root)
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("reply", ticket),
        {"body": "Long, careful answer.", "visibility": "internal", "status": "", "attachments": files},
    )

    assert response.status_code == 200
    page = shown(response)
    assert message in page
    assert FILES_AGAIN in page
    assert "Long, careful answer.</textarea>" in page
    assert re.search(r'<input type="radio" name="visibility" value="internal"[^>]* checked>', page)
    assert desk_state() == before
    assert stored_files(media_root) == files_before


def test_a_reply_to_a_ticket_closed_meanwhile_says_why_and_keeps_the_text(cast: Cast, ticket: Ticket) -> None:
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=cast.manager)
    before = desk_state()

    response = client_for(cast.it_agent).post(
        action("reply", ticket), {"body": "My long answer", "visibility": "public", "status": ""}
    )

    assert desk_state() == before
    page = shown(response)
    assert "is closed and takes no more replies" in page
    assert "My long answer" in page


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


# ---- query counts -------------------------------------------------------------------------


def test_the_desk_ticket_page_costs_the_same_queries_for_5_or_50_comments(cast: Cast) -> None:
    cast.it.members.add(cast.comms_agent, cast.marketing_agent)
    ticket = file_ticket(cast.employee, problem="login-access", files=[upload("a.png"), upload("b.png")])
    staff = [cast.it_agent, cast.comms_agent, cast.manager, cast.marketing_agent]
    converse(ticket, 5, staff=staff)
    client = client_for(cast.it_agent)
    client.get(page_url(ticket))
    few = query_count(client, page_url(ticket))

    converse(ticket, 45, staff=staff)
    services.ticket_set_priority(ticket=ticket, priority=Ticket.Priority.HIGH, actor=cast.manager)
    services.ticket_claim(ticket=ticket, actor=cast.comms_agent)
    response = client.get(page_url(ticket))
    many = query_count(client, page_url(ticket))

    assert many == few
    assert len(response.context["comments"]) == Comment.objects.count() == 50
    assert len(response.context["history"]) > 50
