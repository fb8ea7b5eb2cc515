"""The portal's lists: the home page and all one's requests, and what the portal's pages cost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tickets import services
from tickets.models import Comment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import converse, detail, pager_link, query_count, shown, upload

# ---- home and list ------------------------------------------------------------------------


def test_home_lists_my_open_and_recently_closed_requests_only(cast: Cast) -> None:
    open_one = file_ticket(cast.employee, subject="Open one of mine")
    done = file_ticket(cast.employee, subject="Resolved one of mine")
    services.ticket_resolve(ticket=done, actor=cast.employee)
    file_ticket(cast.other_employee, subject="Somebody else's")

    response = client_for(cast.employee).get(reverse("home"))

    page = shown(response)
    assert [t.pk for t in response.context["open_tickets"]] == [open_one.pk]
    assert [t.pk for t in response.context["recent_tickets"]] == [done.pk]
    assert "Open one of mine" in page
    assert "Resolved one of mine" in page
    assert "Somebody else's" not in page


@pytest.mark.parametrize(
    ("state", "expected"),
    [("all", {"open", "done"}), ("open", {"open"}), ("closed", {"done"}), ("bogus", {"open", "done"})],
)
def test_my_requests_list_filters_by_state(cast: Cast, state: str, expected: set[str]) -> None:
    made = {"open": file_ticket(cast.employee), "done": file_ticket(cast.employee)}
    services.ticket_resolve(ticket=made["done"], actor=cast.employee)
    file_ticket(cast.other_employee)

    response = client_for(cast.employee).get(reverse("tickets:list"), {"state": state})

    assert {t.pk for t in response.context["page"].rows} == {made[key].pk for key in expected}


def test_my_requests_pages_through_every_request_once_and_back(cast: Cast) -> None:
    mine = [file_ticket(cast.employee).pk for _ in range(27)]
    file_ticket(cast.other_employee)
    # Two share a timestamp across the page boundary (rows 25 and 26): the id breaks the tie.
    Ticket.objects.filter(pk__in=mine[1:3]).update(updated_at=Ticket.objects.get(pk=mine[1]).updated_at)
    client = client_for(cast.employee)
    url = reverse("tickets:list")

    first = client.get(url)
    older = pager_link(first, "after")
    assert older is not None
    assert older.startswith("?state=all&")
    second = client.get(url + older)
    newer = pager_link(second, "before")
    assert newer is not None
    back = client.get(url + newer)

    first_rows = [t.pk for t in first.context["page"].rows]
    second_rows = [t.pk for t in second.context["page"].rows]
    assert len(first_rows) == 25
    assert first_rows + second_rows == sorted(mine, reverse=True)
    assert pager_link(second, "after") is None
    assert [t.pk for t in back.context["page"].rows] == first_rows


# ---- query counts -------------------------------------------------------------------------


def many_requests(cast: Cast, count: int) -> None:
    """Requests of mine in every state, some with files and conversation by several people."""
    for n in range(count):
        ticket = file_ticket(
            cast.employee,
            problem=["login-access", "metrics-request", "content-review"][n % 3],
            platform=["twitter-x", "blog", "linkedin"][n % 3],
            files=[upload()] if n % 2 else [],
        )
        converse(ticket, 2, staff=[cast.it_agent, cast.manager], with_files=False)
        if n % 4 == 0:
            services.ticket_resolve(ticket=ticket, actor=cast.employee)
        elif n % 4 == 1:
            services.ticket_assign(ticket=ticket, assignee=cast.manager, actor=cast.manager)


PORTAL_LISTS = ["/", "/requests/", "/requests/?state=open", "/requests/?state=closed"]


def test_portal_lists_cost_the_same_queries_for_5_or_60_requests(cast: Cast) -> None:
    client = client_for(cast.employee)
    many_requests(cast, 5)
    client.get("/")  # warm the session
    few = {url: query_count(client, url) for url in PORTAL_LISTS}

    many_requests(cast, 55)
    many = {url: query_count(client, url) for url in PORTAL_LISTS}

    assert many == few


def test_the_portal_ticket_page_costs_the_same_queries_for_5_or_50_comments(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, files=[upload("first.png"), upload("second.png")])
    staff = [cast.it_agent, cast.manager, cast.admin]
    converse(ticket, 5, staff=staff)
    client = client_for(cast.employee)
    client.get(detail(ticket))
    few = query_count(client, detail(ticket))

    converse(ticket, 45, staff=staff)
    response = client.get(detail(ticket))
    many = query_count(client, detail(ticket))

    assert many == few
    assert len(response.context["comments"]) == Comment.objects.filter(is_internal=False).count() > 30
