"""The desk list's order and pages: sorting, keyset pagination, and what a page costs."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import DESK, desk_ids, listed, pager_link, query_count, upload

# ---- sorting ------------------------------------------------------------------------------


@pytest.fixture
def dated(cast: Cast) -> list[Ticket]:
    """Five IT tickets created, updated and due at known times, with mixed priorities; one has no deadline."""
    now = timezone.now()
    tickets = []
    shape = [(2, 3, 5), (4, 5, None), (1, 1, 2), (4, 2, 9), (3, 4, 2)]
    for n, (priority, updated_days_ago, due_in_hours) in enumerate(shape):
        ticket = file_ticket(cast.employee, problem="login-access")
        Ticket.objects.filter(pk=ticket.pk).update(
            priority=priority,
            created_at=now - timedelta(days=10 - n),
            updated_at=now - timedelta(days=updated_days_ago),
            sla_due_at=None if due_in_hours is None else now + timedelta(hours=due_in_hours),
        )
        tickets.append(Ticket.objects.get(pk=ticket.pk))
    return tickets


def by_due(ticket: Ticket) -> tuple[bool, float, int]:
    # Soonest deadline first; tickets with no deadline (paused, done) last.
    due = ticket.sla_due_at
    return (due is None, due.timestamp() if due else 0.0, ticket.pk)


# What each sort means, said independently of the view, as a sort key on Ticket rows.
SORT_KEYS: dict[str, Callable[[Ticket], tuple[Any, ...]]] = {
    "-updated": lambda t: (-t.updated_at.timestamp(), -t.pk),
    "updated": lambda t: (t.updated_at.timestamp(), t.pk),
    "-created": lambda t: (-t.created_at.timestamp(), -t.pk),
    "created": lambda t: (t.created_at.timestamp(), t.pk),
    "-priority": lambda t: (-t.priority, -t.updated_at.timestamp(), -t.pk),
    "due": by_due,
}


def in_order(sort: str) -> list[int]:
    return [t.pk for t in sorted(Ticket.objects.all(), key=SORT_KEYS[sort])]


@pytest.mark.parametrize(
    ("sort", "meaning"), [(sort, sort) for sort in SORT_KEYS] + [("", "-updated"), ("nonsense", "-updated")]
)
def test_sorting(cast: Cast, dated: list[Ticket], sort: str, meaning: str) -> None:
    assert listed(cast.it_agent, sort=sort) == in_order(meaning)


# ---- keyset pagination --------------------------------------------------------------------


def walk(client: Client, start: str) -> tuple[list[list[int]], str]:
    """Follow the "Older" links from `start` to the end; the pages' ids and the last page's URL."""
    pages, url = [], start
    while True:
        response = client.get(url)
        pages.append(desk_ids(response))
        link = pager_link(response, "after")
        if link is None:
            return pages, url
        url = DESK + link


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_paging_forward_and_back_loses_and_repeats_nothing(cast: Cast, settings: Settings, sort: str) -> None:
    settings.DESK_PAGE_SIZE = 4
    now = timezone.now()
    tickets = [file_ticket(cast.employee, problem="login-access") for _ in range(11)]
    # Ties on every sort key, straddling page boundaries: the id must break them.
    # Some have no deadline at all, which sorts last and must page like any other value.
    for n, ticket in enumerate(tickets):
        Ticket.objects.filter(pk=ticket.pk).update(
            updated_at=now - timedelta(minutes=n // 3),
            created_at=now - timedelta(hours=n // 5),
            priority=1 + n % 3,
            sla_due_at=None if n % 4 == 1 else now + timedelta(hours=n // 4),
        )
    client = client_for(cast.it_agent)

    pages, last = walk(client, f"{DESK}?sort={sort}")

    assert [len(page) for page in pages] == [4, 4, 3]
    forward = [pk for page in pages for pk in page]
    assert sorted(forward) == sorted(t.pk for t in tickets)
    assert len(set(forward)) == len(forward)
    assert forward == in_order(sort)

    # Back again with the "Newer" links: the same pages in reverse order.
    back, response = [], client.get(last)
    while (link := pager_link(response, "before")) is not None:
        response = client.get(DESK + link)
        back.append(desk_ids(response))
    assert back == pages[-2::-1]


def test_pager_links_keep_the_filters(cast: Cast, settings: Settings) -> None:
    settings.DESK_PAGE_SIZE = 2
    for _ in range(3):
        file_ticket(cast.employee, problem="network-block", platform="linkedin")
    file_ticket(cast.employee, problem="login-access", platform="blog")
    client = client_for(cast.it_agent)

    first = client.get(DESK, {"platform": "linkedin", "sort": "created"})
    link = pager_link(first, "after")
    assert link is not None
    assert "platform=linkedin" in link
    assert "sort=created" in link
    second = client.get(DESK + link)

    linkedin = list(
        Ticket.objects.filter(platform__slug="linkedin")
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    assert desk_ids(first) + desk_ids(second) == linkedin
    assert pager_link(second, "after") is None


def cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "garbage", ["garbage", "!!!", cursor(["yesterday", "x"]), cursor([1, 2, 3]), cursor({"a": 1})]
)
def test_a_hand_edited_after_cursor_starts_again_from_the_first_page(
    cast: Cast, settings: Settings, garbage: str
) -> None:
    settings.DESK_PAGE_SIZE = 2
    for _ in range(5):
        file_ticket(cast.employee)
    client = client_for(cast.it_agent)

    assert desk_ids(client.get(DESK, {"after": garbage})) == desk_ids(client.get(DESK))


def test_a_hand_edited_before_cursor_starts_again_from_the_first_page(cast: Cast, settings: Settings) -> None:
    settings.DESK_PAGE_SIZE = 2
    for _ in range(5):
        file_ticket(cast.employee)
    client = client_for(cast.it_agent)

    assert desk_ids(client.get(DESK, {"before": "garbage"})) == desk_ids(client.get(DESK))


@pytest.mark.parametrize(
    "values", [[None, None], [None, 1], ["2024-01-01T00:00:00+00:00", None], [2**70, 2**70]]
)
def test_a_forged_cursor_with_empty_or_huge_values_is_not_a_server_error(
    cast: Cast, values: list[object]
) -> None:
    ticket = file_ticket(cast.employee)
    client = client_for(cast.it_agent)

    for direction in ("after", "before"):
        response = client.get(DESK, {direction: cursor(values)})

        # A cursor that can't be read starts again from the first page.
        assert response.status_code == 200
        assert desk_ids(response) == [ticket.pk]


# ---- query counts -------------------------------------------------------------------------


def busy_desk(cast: Cast, count: int) -> None:
    """Tickets across queues, from several requesters, assigned to several agents, with files and replies."""
    cast.it.members.add(cast.comms_agent)
    problems = ["login-access", "metrics-request", "content-review", "network-block", "compromised-account"]
    platforms = ["twitter-x", "blog", "facebook", "linkedin", "other"]
    requesters = [cast.employee, cast.other_employee, cast.marketing_agent]
    for n in range(count):
        ticket = file_ticket(
            requesters[n % 3],
            problem=problems[n % 5],
            platform=platforms[n % 5],
            subject=f"Printer {n} broken" if n % 2 else f"Page {n} slow",
            files=[upload()] if n % 3 == 0 else [],
        )
        if ticket.queue == cast.it and n % 3:
            agent = cast.it_agent if n % 2 else cast.comms_agent
            services.ticket_assign(ticket=ticket, assignee=agent, actor=cast.manager)
        services.ticket_reply(
            ticket=ticket, author=cast.manager, body=f"Printer looked at {n}", internal=n % 2 == 0
        )


DESK_QUERIES = [
    "",
    "?queue=it",
    "?status=any&sort=-priority",
    "?assignee=none",
    "?platform=twitter-x&sort=created",
    "?q=printer",
    "?sort=due",
]


@pytest.mark.parametrize("who", ["manager", "it_agent"])
def test_the_desk_list_costs_the_same_queries_for_5_or_60_tickets(
    cast: Cast, settings: Settings, who: str
) -> None:
    settings.DESK_PAGE_SIZE = 100  # every row on one page, so each row's cost shows
    client = client_for(getattr(cast, who))

    def measure() -> dict[str, tuple[int, int, int]]:
        return {
            query: (
                len(desk_ids(client.get(DESK + query))),
                query_count(client, DESK + query),
                query_count(client, DESK + query, headers={"HX-Request": "true"}),
            )
            for query in DESK_QUERIES
        }

    busy_desk(cast, 5)
    few = measure()
    busy_desk(cast, 55)
    many = measure()

    for query in DESK_QUERIES:
        assert 1 <= few[query][0] < many[query][0], query
    assert {query: counts[1:] for query, counts in many.items()} == {
        query: counts[1:] for query, counts in few.items()
    }
