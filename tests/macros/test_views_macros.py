"""The macro picker, preview and apply from outside: who may, what GET and forged ids do."""

from __future__ import annotations

import pytest
from django.test import Client

from checklists.models import ChecklistTemplate
from checklists.reference_data import HACKED, checklists_load
from macros.models import Macro
from tickets.models import Comment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import desk_state, messages_shown, query_count, shown
from .scene import macro

pytestmark = pytest.mark.django_db
S = Ticket.Status


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee)


@pytest.fixture
def reset(cast: Cast) -> Macro:
    return macro(queue=cast.it, set_status=S.WAITING_REQUESTER)


def urls(ticket: Ticket, reset: Macro) -> dict[str, str]:
    return {
        "picker": f"/desk/macros/tickets/{ticket.pk}/?q=reset",
        "preview": f"/desk/macros/tickets/{ticket.pk}/{reset.pk}/",
        "apply": f"/desk/macros/tickets/{ticket.pk}/{reset.pk}/apply/",
    }


def test_the_picker_finds_own_and_queue_macros_only(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    macro(owner=cast.it_agent, name="My reset reminder", reply="Reset it, {{first_name}}")
    macro(owner=cast.manager, name="Manager's reset", reply="x")
    macro(queue=cast.marketing, name="Marketing reset", reply="x")
    macro(queue=cast.it, name="Retired reset", reply="x", is_active=False)
    macro(queue=cast.it, name="Post approved", reply="x")

    text = shown(client_for(cast.it_agent).get(urls(ticket, reset)["picker"], HTTP_HX_REQUEST="true"))

    assert "My reset reminder" in text and "Password reset steps" in text
    assert "Manager's reset" not in text and "Marketing reset" not in text
    assert "Retired reset" not in text and "Post approved" not in text


def test_the_picker_says_what_to_try_when_nothing_matches(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    response = client_for(cast.it_agent).get(f"/desk/macros/tickets/{ticket.pk}/?q=zebra")

    assert "No macro matches “zebra”. Try a word from its name or its text." in shown(response)


def test_the_preview_shows_the_filled_reply_and_the_changes(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    response = client_for(cast.it_agent).get(urls(ticket, reset)["preview"], HTTP_HX_REQUEST="true")

    text = shown(response)
    assert f"Hello Erin, about {ticket.reference} in IT: reset it. Ian It" in text
    assert "Set the status to Waiting on requester" in text
    assert "<html" not in response.content.decode()  # a fragment for htmx


def test_the_preview_without_htmx_is_a_whole_page(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    response = client_for(cast.it_agent).get(urls(ticket, reset)["preview"])

    assert "<html" in response.content.decode() and "Send and apply" in shown(response)


def test_a_requesters_name_is_shown_as_text_not_markup(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    cast.employee.full_name = "<script>alert(1)</script> Erin"
    cast.employee.save(update_fields=["full_name"])

    body = client_for(cast.it_agent).get(urls(ticket, reset)["preview"]).content.decode()

    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_applying_sends_the_reply_as_edited_and_goes_back_to_the_ticket(
    cast: Cast, ticket: Ticket, reset: Macro
) -> None:
    response = client_for(cast.it_agent).post(
        urls(ticket, reset)["apply"], {"reply": "Hello Erin, done."}, follow=True
    )

    assert response.redirect_chain[0][0] == f"/desk/tickets/{ticket.pk}/"
    assert ("success", "Applied “Password reset steps”.") in messages_shown(response)
    assert Comment.objects.get(ticket=ticket).body == "Hello Erin, done."
    ticket.refresh_from_db()
    assert ticket.status == S.WAITING_REQUESTER
    assert "applied the macro “Password reset steps”, editing its reply" in shown(response)


def test_a_refused_macro_says_why_and_changes_nothing(cast: Cast, ticket: Ticket) -> None:
    checklists_load()
    nothing = macro(
        queue=cast.it, reply="", set_status=S.RESOLVED, checklist=ChecklistTemplate.objects.get(name=HACKED)
    )
    before = desk_state()

    response = client_for(cast.it_agent).post(urls(ticket, nothing)["apply"], {}, follow=True)

    (level, text), *_ = messages_shown(response)
    assert level == "danger" and text.startswith("The macro “Password reset steps” was not applied:")
    assert "Still to do" in text
    assert desk_state() == before


@pytest.mark.parametrize("action", ["picker", "preview", "apply"])
def test_anonymous_is_sent_to_log_in_and_nothing_changes(ticket: Ticket, reset: Macro, action: str) -> None:
    before = desk_state()

    url = urls(ticket, reset)[action]
    response = Client().post(url) if action == "apply" else Client().get(url)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert desk_state() == before


@pytest.mark.parametrize("action", ["picker", "preview", "apply"])
def test_an_employee_even_the_requester_is_refused(
    cast: Cast, ticket: Ticket, reset: Macro, action: str
) -> None:
    before = desk_state()
    client = client_for(cast.employee)
    url = urls(ticket, reset)[action]

    response = client.post(url) if action == "apply" else client.get(url)

    assert response.status_code == 403
    assert desk_state() == before


@pytest.mark.parametrize("action", ["picker", "preview", "apply"])
def test_an_agent_of_another_queue_gets_a_404(cast: Cast, ticket: Ticket, reset: Macro, action: str) -> None:
    before = desk_state()
    client = client_for(cast.marketing_agent)
    url = urls(ticket, reset)[action]

    response = client.post(url) if action == "apply" else client.get(url)

    assert response.status_code == 404
    assert desk_state() == before


@pytest.mark.parametrize(
    "path",
    [
        "tickets/999999/",
        "tickets/999999/{macro}/",
        "tickets/{ticket}/999999/",
        "tickets/{ticket}/999999/apply/",
    ],
)
def test_forged_ids_get_a_404(cast: Cast, ticket: Ticket, reset: Macro, path: str) -> None:
    url = "/desk/macros/" + path.format(ticket=ticket.pk, macro=reset.pk)
    client = client_for(cast.it_agent)

    response = client.post(url) if url.endswith("apply/") else client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("whose", ["manager's own", "marketing's"])
def test_a_macro_the_agent_may_not_use_is_not_found(cast: Cast, ticket: Ticket, whose: str) -> None:
    other = macro(owner=cast.manager) if whose == "manager's own" else macro(queue=cast.marketing)
    before = desk_state()
    client = client_for(cast.it_agent)

    assert client.get(urls(ticket, other)["preview"]).status_code == 404
    assert client.post(urls(ticket, other)["apply"]).status_code == 404
    assert desk_state() == before


def test_get_on_apply_changes_nothing(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    before = desk_state()

    response = client_for(cast.it_agent).get(urls(ticket, reset)["apply"])

    assert response.status_code == 405
    assert desk_state() == before


@pytest.mark.parametrize("action", ["picker", "preview"])
def test_post_on_a_read_is_refused(cast: Cast, ticket: Ticket, reset: Macro, action: str) -> None:
    assert client_for(cast.it_agent).post(urls(ticket, reset)[action]).status_code == 405


def test_csrf_holds(cast: Cast, ticket: Ticket, reset: Macro) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.it_agent)
    before = desk_state()

    response = client.post(urls(ticket, reset)["apply"], {"reply": "Hi"})

    assert response.status_code == 403
    assert desk_state() == before


def test_the_ticket_page_lists_macros_in_the_same_queries_however_many(cast: Cast, ticket: Ticket) -> None:
    client = client_for(cast.it_agent)
    url = f"/desk/tickets/{ticket.pk}/"
    macro(queue=cast.it, name="Macro 0")
    client.get(url)  # warm the caches any first request fills
    few = query_count(client, url)

    for number in range(1, 15):
        macro(
            queue=cast.it if number % 2 else None,
            owner=None if number % 2 else cast.it_agent,
            name=f"Macro {number}",
        )

    assert query_count(client, url) == few
    assert "Macro 14" in shown(client.get(url))
