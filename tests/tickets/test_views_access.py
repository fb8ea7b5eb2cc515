"""Who may reach which URL at all, checked over every route of the portal and the desk.

Object-level rules (someone else's ticket, another team's queue) are tested with each screen;
this module holds the rules every URL inherits: log in first, employees stay out of the desk,
and no POST is accepted without a CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from pytest_django.asserts import assertRedirects

from accounts.models import User
from tickets import services
from tickets.models import Attachment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import desk_state, filing_data, upload

PORTAL_GET = [
    "tickets:list",
    "tickets:new",
    "tickets:account_choices",
    "tickets:detail",
    "tickets:attachment",
]
PORTAL_POST = ["tickets:reply", "tickets:resolve", "tickets:reopen"]
DESK_GET = ["desk:list", "desk:ticket"]
DESK_POST = [
    "desk:bulk",
    "desk:reply",
    "desk:claim",
    "desk:assign",
    "desk:transfer",
    "desk:status",
    "desk:priority",
    "desk:log_time",
]


@dataclass
class World:
    ticket: Ticket
    attachment: Attachment


@pytest.fixture
def world(cast: Cast) -> World:
    ticket = file_ticket(cast.employee, problem="login-access", files=[upload()])
    return World(ticket=ticket, attachment=ticket.attachments.get())


def url(name: str, world: World) -> str:
    if name == "tickets:attachment":
        return reverse(name, args=[world.attachment.pk])
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(name, args=[world.ticket.pk])


def route_names(namespace: str) -> set[str]:
    _, resolver = get_resolver().namespace_dict[namespace]
    return {f"{namespace}:{pattern.name}" for pattern in resolver.url_patterns}


# Links, merges, followers and colleagues need a second ticket or person: test_views_linking.py
# tries each of these from outside (anonymous, employee, other queue, forged ids, GET, CSRF).
LINKING_POST = [
    "tickets:colleague_add",
    "tickets:colleague_remove",
    "desk:link",
    "desk:unlink",
    "desk:merge",
    "desk:resolve_family",
    "desk:follow",
]


def test_these_lists_cover_every_portal_and_desk_route() -> None:
    # A new URL must be added here, so that the checks below apply to it too.
    linking = set(LINKING_POST)
    assert route_names("tickets") - linking == set(PORTAL_GET + PORTAL_POST)
    assert route_names("desk") - linking == set(DESK_GET + DESK_POST)


@pytest.mark.parametrize("name", ["home", *PORTAL_GET, *DESK_GET])
def test_anonymous_get_is_sent_to_the_login_page(world: World, name: str) -> None:
    target = reverse("home") if name == "home" else url(name, world)

    response = Client().get(target)

    assertRedirects(
        response, f"{reverse('accounts:login')}?next={quote(target)}", fetch_redirect_response=False
    )


@pytest.mark.parametrize("name", ["tickets:new", *PORTAL_POST, *DESK_POST])
def test_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(world: World, name: str) -> None:
    target = url(name, world)
    before = desk_state()

    response = Client().post(target, {"body": "hello", "tickets": [world.ticket.pk], "action": "claim"})

    assertRedirects(
        response, f"{reverse('accounts:login')}?next={quote(target)}", fetch_redirect_response=False
    )
    assert desk_state() == before


@pytest.mark.parametrize("name", DESK_GET)
def test_employee_is_forbidden_every_desk_page(cast: Cast, world: World, name: str) -> None:
    # Even the requester of the ticket: the desk is for staff.
    response = client_for(cast.employee).get(url(name, world))

    assert response.status_code == 403


@pytest.mark.parametrize("name", DESK_POST)
def test_employee_is_forbidden_every_desk_action_and_it_changes_nothing(
    cast: Cast, world: World, name: str
) -> None:
    before = desk_state()

    response = client_for(cast.employee).post(
        url(name, world),
        {
            "tickets": [world.ticket.pk],
            "action": "status",
            "status": "closed",
            "change-status": "closed",
            "body": "closing my own ticket from the desk",
        },
    )

    assert response.status_code == 403
    assert desk_state() == before


@pytest.mark.parametrize("name", DESK_POST)
def test_desk_actions_refuse_get(cast: Cast, world: World, name: str) -> None:
    assert client_for(cast.it_agent).get(url(name, world)).status_code == 405


@pytest.mark.parametrize("name", PORTAL_POST)
def test_portal_actions_refuse_get(cast: Cast, world: World, name: str) -> None:
    assert client_for(cast.employee).get(url(name, world)).status_code == 405


# ---- CSRF ---------------------------------------------------------------------------------


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(client: Client) -> str:
    # Any page with a form sets the cookie; the token in it is what the page's forms carry.
    client.get(reverse("tickets:new"))
    return client.cookies["csrftoken"].value


def csrf_case(name: str, cast: Cast, world: World) -> tuple[User, dict[str, Any]]:
    """Who may make this request and a body it would accept with a token."""
    ticket = world.ticket
    if name == "tickets:reopen":
        services.ticket_resolve(ticket=ticket, actor=cast.employee)
    cases: dict[str, tuple[User, dict[str, Any]]] = {
        "tickets:new": (cast.employee, filing_data()),
        "tickets:reply": (cast.employee, {"body": "Any news?"}),
        "tickets:resolve": (cast.employee, {}),
        "tickets:reopen": (cast.employee, {}),
        "desk:bulk": (cast.it_agent, {"tickets": [ticket.pk], "action": "claim"}),
        "desk:reply": (cast.it_agent, {"body": "Looking into it.", "visibility": "public", "status": ""}),
        "desk:claim": (cast.it_agent, {}),
        "desk:assign": (cast.it_agent, {"assign-assignee": cast.it_agent.pk}),
        "desk:transfer": (cast.it_agent, {"transfer-queue": cast.communications.pk, "transfer-note": ""}),
        "desk:status": (cast.it_agent, {"change-status": Ticket.Status.WAITING_THIRD_PARTY}),
        "desk:priority": (cast.it_agent, {"set-priority": Ticket.Priority.URGENT}),
        "desk:log_time": (cast.it_agent, {"time-minutes": "15", "time-note": "Reset the second factor"}),
    }
    return cases[name]


@pytest.mark.parametrize("name", ["tickets:new", *PORTAL_POST, *DESK_POST])
def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(
    cast: Cast, world: World, name: str
) -> None:
    user, data = csrf_case(name, cast, world)
    client = csrf_client(user)
    before = desk_state()

    response = client.post(url(name, world), data)

    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert desk_state() == before


@pytest.mark.parametrize("name", ["tickets:new", *PORTAL_POST, *DESK_POST])
def test_the_same_post_with_the_pages_csrf_token_goes_through(cast: Cast, world: World, name: str) -> None:
    # The control for the test above: the 403 was the missing token, not the request.
    user, data = csrf_case(name, cast, world)
    client = csrf_client(user)
    before = desk_state()

    response = client.post(url(name, world), {**data, "csrfmiddlewaretoken": token(client)})

    assert response.status_code == 302
    assert desk_state() != before


def test_a_wrong_csrf_token_is_refused(cast: Cast, world: World) -> None:
    client = csrf_client(cast.employee)
    token(client)
    before = desk_state()

    response = client.post(url("tickets:resolve", world), {"csrfmiddlewaretoken": "x" * 64})

    assert response.status_code == 403
    assert desk_state() == before
