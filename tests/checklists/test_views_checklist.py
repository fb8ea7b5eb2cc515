"""The checklist and statement actions from the desk: who may, what GET and forged ids do."""

from __future__ import annotations

import pytest
from django.test import Client

from checklists.models import Checklist, Item, Needs, Statement
from tickets.models import Event, Ticket

from ..conftest import Cast, client_for
from ..tickets.pages import SCRIPT, messages_shown
from .scene import report, x_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return report(cast, x_account(cast))


def first_item(ticket: Ticket) -> Item:
    return Item.objects.filter(checklist__ticket=ticket).order_by("position").first()


def state(ticket: Ticket) -> tuple[object, ...]:
    return (
        list(Item.objects.filter(checklist__ticket=ticket).values_list("pk", "done_at")),
        list(Checklist.objects.filter(ticket=ticket).values_list("pk", "waived_at")),
        list(Statement.objects.filter(ticket=ticket).values_list("text", "approved_at")),
        Event.objects.filter(ticket=ticket).count(),
    )


def urls(ticket: Ticket) -> dict[str, str]:
    checklist = Checklist.objects.get(ticket=ticket)
    return {
        "tick": f"/desk/checklists/items/{first_item(ticket).pk}/tick/",
        "waive": f"/desk/checklists/{checklist.pk}/waive/",
        "statement": f"/desk/checklists/tickets/{ticket.pk}/statement/",
        "approve": f"/desk/checklists/tickets/{ticket.pk}/statement/approve/",
    }


DATA = {"tick": {"done": "on"}, "waive": {"reason": "Closed"}, "statement": {"text": "Hello"}, "approve": {}}


def test_an_agent_ticks_an_item_and_goes_back_to_the_checklist(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(urls(ticket)["tick"], {"done": "on"}, follow=True)

    assert response.redirect_chain[0][0] == f"/desk/tickets/{ticket.pk}/#checklist"
    assert ("success", "Ticked “Secure the recovery email first”.") in messages_shown(response)
    assert first_item(ticket).done_by == cast.it_agent


def test_unticking_posts_without_done(cast: Cast, ticket: Ticket) -> None:
    client = client_for(cast.comms_agent)
    client.post(urls(ticket)["tick"], {"done": "on"})

    client.post(urls(ticket)["tick"], {})

    assert first_item(ticket).done_at is None


@pytest.mark.parametrize("action", ["tick", "waive", "statement", "approve"])
def test_anonymous_is_sent_to_log_in_and_nothing_changes(ticket: Ticket, action: str) -> None:
    before = state(ticket)

    response = Client().post(urls(ticket)[action], DATA[action])

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert state(ticket) == before


@pytest.mark.parametrize("action", ["tick", "waive", "statement", "approve"])
def test_an_employee_even_the_reporter_is_refused(cast: Cast, ticket: Ticket, action: str) -> None:
    before = state(ticket)

    response = client_for(cast.other_employee).post(urls(ticket)[action], DATA[action])

    assert response.status_code == 403
    assert state(ticket) == before


@pytest.mark.parametrize("action", ["tick", "waive", "statement", "approve"])
def test_an_agent_of_another_queue_gets_a_404(cast: Cast, ticket: Ticket, action: str) -> None:
    before = state(ticket)

    response = client_for(cast.marketing_agent).post(urls(ticket)[action], DATA[action])

    assert response.status_code == 404
    assert state(ticket) == before


@pytest.mark.parametrize(
    "url",
    [
        "/desk/checklists/items/999999/tick/",
        "/desk/checklists/999999/waive/",
        "/desk/checklists/tickets/999999/statement/",
    ],
)
def test_forged_ids_get_a_404(cast: Cast, ticket: Ticket, url: str) -> None:
    assert client_for(cast.manager).post(url, {"done": "on", "reason": "x", "text": "x"}).status_code == 404


@pytest.mark.parametrize("action", ["tick", "waive", "statement", "approve"])
def test_get_changes_nothing(cast: Cast, ticket: Ticket, action: str) -> None:
    before = state(ticket)

    response = client_for(cast.manager).get(urls(ticket)[action])

    assert response.status_code == 405
    assert state(ticket) == before


def test_csrf_holds(cast: Cast, ticket: Ticket) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.it_agent)

    response = client.post(urls(ticket)["tick"], {"done": "on"})

    assert response.status_code == 403
    assert first_item(ticket).done_at is None


def test_an_agent_asking_to_waive_is_told_why_not(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(urls(ticket)["waive"], {"reason": "Busy"}, follow=True)

    assert response.status_code == 403
    assert Checklist.objects.get(ticket=ticket).waived_at is None


def test_a_manager_waives_with_a_reason_and_without_one_is_told_what_to_do(
    cast: Cast, ticket: Ticket
) -> None:
    client = client_for(cast.manager)

    empty = client.post(urls(ticket)["waive"], {"reason": " "}, follow=True)
    assert ("danger", "Say why the ticket may be resolved with these items open.") in messages_shown(empty)
    assert Checklist.objects.get(ticket=ticket).waived_at is None

    client.post(urls(ticket)["waive"], {"reason": "The platform deleted the account."})
    assert Checklist.objects.get(ticket=ticket).waive_reason == "The platform deleted the account."


def test_the_statement_is_drafted_by_communications_and_approved_by_another(
    cast: Cast, ticket: Ticket
) -> None:
    client_for(cast.comms_agent).post(urls(ticket)["statement"], {"text": f"We are on it. {SCRIPT}"})
    own = client_for(cast.comms_agent).post(urls(ticket)["approve"], follow=True)
    assert ("danger", "You wrote this statement: someone else approves it.") in messages_shown(own)

    client_for(cast.manager).post(urls(ticket)["approve"])

    statement = Statement.objects.get(ticket=ticket)
    assert (statement.drafted_by, statement.approved_by) == (cast.comms_agent, cast.manager)


def test_ticking_statement_published_before_approval_says_what_to_do(cast: Cast, ticket: Ticket) -> None:
    item = Item.objects.get(checklist__ticket=ticket, needs=Needs.APPROVED_STATEMENT)

    response = client_for(cast.comms_agent).post(
        f"/desk/checklists/items/{item.pk}/tick/", {"done": "on"}, follow=True
    )

    assert any("waits for the holding statement" in text for level, text in messages_shown(response))
    item.refresh_from_db()
    assert item.done_at is None


def test_an_it_agent_cant_draft_the_statement(cast: Cast, ticket: Ticket) -> None:
    response = client_for(cast.it_agent).post(urls(ticket)["statement"], {"text": "We are on it."})

    assert response.status_code == 403
    assert not Statement.objects.exists()
