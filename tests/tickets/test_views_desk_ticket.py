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
from tickets.models import Comment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import stored_files
from .pages import (
    IMG,
    PNG,
    SCRIPT,
    action,
    converse,
    desk_state,
    messages_shown,
    page_url,
    query_count,
    raw,
    shown,
    upload,
)

FILES_AGAIN = "please choose your attachments again"


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
