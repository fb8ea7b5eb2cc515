"""One ticket page for two readers: what the shared page shows on the portal and on the desk."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import User
from tickets import services
from tickets.models import Comment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import raw, shown, upload

DESK_ACTIONS = ["reply", "claim", "assign", "transfer", "status", "priority", "log_time"]
PORTAL_ACTIONS = ["resolve", "reopen"]


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    """An IT ticket with a public reply and an internal note, each with a file."""
    ticket = file_ticket(cast.employee, problem="login-access", files=[upload("filed.png")])
    services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Try the code again.", files=[upload("public.png")]
    )
    services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="Reset by hand in the console.",
        internal=True,
        files=[upload("secret.png")],
    )
    return ticket


def portal_page(ticket: Ticket, reader: User) -> str:
    return raw(client_for(reader).get(reverse("tickets:detail", args=[ticket.pk])))


def desk_page(ticket: Ticket, reader: User) -> str:
    return raw(client_for(reader).get(reverse("desk:ticket", args=[ticket.pk])))


def note_of(ticket: Ticket) -> Comment:
    return ticket.comments.get(is_internal=True)


def assert_no_internal_note(page: str, note: Comment) -> None:
    assert "Reset by hand in the console." not in page
    assert "secret.png" not in page
    assert f'id="comment-{note.pk}"' not in page
    assert "message-note" not in page
    assert "Internal note" not in page
    assert "bi-lock-fill" not in page


def test_the_requester_never_sees_an_internal_note_or_its_file(cast: Cast, ticket: Ticket) -> None:
    page = portal_page(ticket, cast.employee)

    assert "Try the code again." in page and "public.png" in page and "filed.png" in page
    assert_no_internal_note(page, note_of(ticket))


def test_staff_reading_their_own_request_in_the_portal_see_no_internal_note(cast: Cast) -> None:
    # The IT agent filed it and works its queue: the portal shows the requester's view all the same.
    ticket = file_ticket(cast.it_agent, problem="login-access")
    services.ticket_reply(
        ticket=ticket, author=cast.manager, body="Reset by hand in the console.", internal=True
    )
    assert ticket.queue == cast.it

    page = portal_page(ticket, cast.it_agent)

    assert_no_internal_note(page, note_of(ticket))
    assert "/desk/tickets/" not in page


def test_the_desk_shows_the_note_marked_internal_and_the_reply_marked_public(
    cast: Cast, ticket: Ticket
) -> None:
    page = shown(client_for(cast.it_agent).get(reverse("desk:ticket", args=[ticket.pk])))
    note = note_of(ticket)

    article = re.search(
        rf'<article class="message message-note" id="comment-{note.pk}">(.*?)</article>', page, re.S
    )
    assert article is not None
    assert "Internal note" in article.group(1) and "secret.png" in article.group(1)
    public = ticket.comments.get(is_internal=False)
    article = re.search(
        rf'<article class="message message-staff" id="comment-{public.pk}">(.*?)</article>', page, re.S
    )
    assert article is not None and "Public" in article.group(1)


def test_the_portal_names_the_team_that_answered(cast: Cast, ticket: Ticket) -> None:
    page = shown(client_for(cast.employee).get(reverse("tickets:detail", args=[ticket.pk])))
    public = ticket.comments.get(is_internal=False)

    article = re.search(
        rf'<article class="message message-staff" id="comment-{public.pk}">(.*?)</article>', page, re.S
    )
    assert article is not None
    assert '<span class="badge text-bg-light border">IT</span>' in article.group(1)
    assert "Public" not in article.group(1)


def test_the_portal_offers_no_desk_action(cast: Cast, ticket: Ticket) -> None:
    page = portal_page(ticket, cast.employee)

    for name in DESK_ACTIONS:
        assert reverse(f"desk:{name}", args=[ticket.pk]) not in page
    assert f'action="{reverse("tickets:reply", args=[ticket.pk])}"' in page
    assert 'name="visibility"' not in page
    assert 'name="status"' not in page
    assert "History" not in page
    assert "Work it" not in page


def test_the_desk_offers_no_portal_action(cast: Cast, ticket: Ticket) -> None:
    page = desk_page(ticket, cast.it_agent)

    for name in PORTAL_ACTIONS:
        assert reverse(f"tickets:{name}", args=[ticket.pk]) not in page
    assert f'action="{reverse("desk:reply", args=[ticket.pk])}"' in page
    assert 'name="visibility"' in page
    assert "Mark as resolved" not in page


@pytest.mark.parametrize("side", ["portal", "desk"])
def test_a_reply_refused_on_a_closed_ticket_comes_back_on_its_own_page(
    cast: Cast, ticket: Ticket, side: str
) -> None:
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=cast.manager)
    if side == "portal":
        reader, url, data = cast.employee, reverse("tickets:reply", args=[ticket.pk]), {"body": "Typed text"}
    else:
        reader = cast.it_agent
        url = reverse("desk:reply", args=[ticket.pk])
        data = {"body": "Typed text", "visibility": "public", "status": ""}

    response = client_for(reader).post(url, data)

    assert response.status_code == 200
    assert response.templates[0].name == (
        "tickets/portal/detail.html" if side == "portal" else "tickets/desk/ticket.html"
    )
    page = shown(response)
    assert '<textarea id="unsent" class="form-control" rows="4" readonly>Typed text</textarea>' in page
    assert ("Reset by hand in the console." in page) == (side == "desk")
    assert ticket.comments.count() == 2
