"""Pages that aren't there: the desk's own 404, even under `make run` (DEBUG on), and a moved
ticket that says where it went to those who had a part in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from pytest_django.fixtures import Settings

from notifications.models import Kind, Notification
from socialit.middleware import NotFoundPageMiddleware
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket

DESK_404 = "We can't find that page"
DEBUG_404 = "Using the URLconf defined in"


@pytest.fixture
def debug(settings: Settings) -> Iterator[None]:
    """What `make run` serves: DEBUG on. Clients made after this load the middleware anew."""
    settings.DEBUG = True
    yield


@pytest.fixture
def moved(cast: Cast) -> Ticket:
    """An IT ticket Ian claimed, which the manager then moved to Marketing."""
    ticket = file_ticket(cast.employee, problem="login-access", subject="Locked out of the LinkedIn page")
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_transfer(ticket=ticket, queue=cast.marketing, actor=cast.manager)
    return ticket


def desk_url(ticket: Ticket) -> str:
    return reverse("desk:ticket", args=[ticket.pk])


# ---- a mistyped address -----------------------------------------------------------------------


def test_with_debug_on_a_mistyped_address_shows_the_desks_404(cast: Cast, debug: None) -> None:
    response = client_for(cast.it_agent).get("/desk/tickets/12/reply/nowhere/")

    html = response.content.decode()
    assert response.status_code == 404
    assert DESK_404 in html and DEBUG_404 not in html
    assert f'href="{reverse("desk:list")}">Back to the desk</a>' in html


def test_with_debug_on_a_404_raised_by_a_view_shows_the_desks_404(cast: Cast, debug: None) -> None:
    someone_elses = file_ticket(cast.other_employee)

    response = client_for(cast.employee).get(reverse("tickets:detail", args=[someone_elses.pk]))

    html = response.content.decode()
    assert response.status_code == 404
    assert DESK_404 in html and "No such ticket" not in html
    assert 'href="/">Back to my requests</a>' in html


def test_with_debug_on_anonymous_visitors_get_the_same_page(db: None, debug: None) -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert DESK_404 in response.content.decode()


def test_with_debug_on_a_missing_slash_still_redirects(cast: Cast, debug: None) -> None:
    response = client_for(cast.it_agent).get("/desk")

    assertRedirects(response, "/desk/", status_code=301, fetch_redirect_response=False)


def test_with_debug_off_django_renders_the_same_page_and_the_middleware_steps_aside(
    cast: Cast, settings: Settings
) -> None:
    settings.DEBUG = False
    with pytest.raises(MiddlewareNotUsed):
        NotFoundPageMiddleware(lambda request: HttpResponse())

    response = client_for(cast.it_agent).get("/no-such-page/")

    assert response.status_code == 404
    assert DESK_404 in response.content.decode()


def test_errors_other_than_not_found_are_left_to_django(settings: Settings) -> None:
    # A 500 keeps Django's traceback page for the developer, and the console log.
    settings.DEBUG = True
    middleware = NotFoundPageMiddleware(lambda request: HttpResponse())

    assert middleware.process_exception(RequestFactory().get("/"), ValueError("boom")) is None


# ---- a ticket moved out of the agent's queues ------------------------------------------------


def test_an_agent_who_worked_a_moved_ticket_is_told_where_it_went(
    cast: Cast, moved: Ticket, debug: None
) -> None:
    response = client_for(cast.it_agent).get(desk_url(moved))

    html = response.content.decode()
    assert response.status_code == 404
    assert f"{moved.reference} is now in Marketing, which you don't work" in html
    assert moved.subject not in html
    assert DEBUG_404 not in html


def test_an_agent_emailed_about_a_ticket_is_told_where_it_went(cast: Cast, debug: None) -> None:
    ticket = file_ticket(cast.employee, problem="login-access")
    assert Notification.objects.filter(ticket=ticket, recipient=cast.it_agent, kind=Kind.NEW_IN_QUEUE)
    services.ticket_transfer(ticket=ticket, queue=cast.communications, actor=cast.manager)

    html = client_for(cast.it_agent).get(desk_url(ticket)).content.decode()

    assert f"{ticket.reference} is now in Communications, which you don't work" in html


def test_an_agent_who_moved_it_away_is_told_too(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="login-access")
    client = client_for(cast.it_agent)

    moved = client.post(reverse("desk:transfer", args=[ticket.pk]), {"transfer-queue": cast.marketing.pk})
    assertRedirects(moved, reverse("desk:list"), fetch_redirect_response=False)
    response = client.get(desk_url(ticket))

    assert response.status_code == 404
    assert "is now in Marketing" in response.content.decode()


def test_an_agent_who_never_had_a_part_learns_nothing(cast: Cast, moved: Ticket, debug: None) -> None:
    response = client_for(cast.comms_agent).get(desk_url(moved))

    html = response.content.decode()
    assert response.status_code == 404
    assert DESK_404 in html
    assert "Marketing" not in html and moved.reference not in html


def test_a_number_no_ticket_has_is_a_plain_404(cast: Cast, debug: None) -> None:
    response = client_for(cast.it_agent).get(reverse("desk:ticket", args=[987654]))

    assert response.status_code == 404
    assert DESK_404 in response.content.decode()


def test_staff_opening_their_own_request_in_another_queue_are_sent_to_the_portal(cast: Cast) -> None:
    own = file_ticket(cast.it_agent, problem="metrics-request", subject="Numbers for my talk")
    assert own.queue == cast.marketing

    response = client_for(cast.it_agent).get(desk_url(own))

    assertRedirects(response, reverse("tickets:detail", args=[own.pk]))


def test_an_employee_still_may_not_open_the_desk(cast: Cast, moved: Ticket) -> None:
    response = client_for(cast.employee).get(desk_url(moved))

    assert response.status_code == 403


def test_telling_where_a_ticket_went_costs_the_same_queries_however_long_its_story(
    cast: Cast, moved: Ticket
) -> None:
    client = client_for(cast.it_agent)
    client.get(desk_url(moved))  # the session's first request does more

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(desk_url(moved)).status_code == 404
        return len(captured)

    short = queries()
    for status in ["waiting_third_party", "open"] * 3:
        services.ticket_reply(ticket=moved, author=cast.marketing_agent, body="More news")
        services.ticket_set_status(ticket=moved, status=status, actor=cast.marketing_agent)

    assert queries() == short
