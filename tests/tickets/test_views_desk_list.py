"""The desk list: an agent's queues, filtered, searched, sorted and paged; htmx gets the fragment."""

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

from accounts.models import User
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import IMG, SCRIPT, desk_ids, pager_link, query_count, raw, shown, upload

DESK = "/desk/"


def listed(user: User, **params: object) -> list[int]:
    response = client_for(user).get(DESK, params)
    assert response.status_code == 200
    return desk_ids(response)


# ---- who sees what ------------------------------------------------------------------------


def test_an_agent_sees_only_the_queues_they_work(cast: Cast) -> None:
    it_ticket = file_ticket(cast.employee, problem="login-access")
    marketing_ticket = file_ticket(cast.employee, problem="metrics-request", subject="Follower numbers")

    assert listed(cast.it_agent) == [it_ticket.pk]
    assert listed(cast.marketing_agent) == [marketing_ticket.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"queue": "marketing"},
        {"queue": "marketing", "status": "any"},
        {"q": "Follower numbers"},
        {"q": "{reference}"},
        {"q": "{pk}"},
    ],
)
def test_another_queues_ticket_never_shows_in_the_list(cast: Cast, params: dict[str, str]) -> None:
    file_ticket(cast.employee, problem="login-access", subject="Mine to work")
    theirs = file_ticket(cast.employee, problem="metrics-request", subject="Follower numbers")
    params = {key: value.format(reference=theirs.reference, pk=theirs.pk) for key, value in params.items()}

    response = client_for(cast.it_agent).get(DESK, params)

    assert response.status_code == 200
    assert theirs.pk not in desk_ids(response)
    assert ">Follower numbers</a>" not in shown(response)


def test_a_manager_sees_every_queue(cast: Cast) -> None:
    tickets = {
        slug: file_ticket(cast.employee, problem=problem).pk
        for slug, problem in [
            ("it", "login-access"),
            ("marketing", "metrics-request"),
            ("communications", "content-review"),
        ]
    }

    assert sorted(listed(cast.manager)) == sorted(tickets.values())
    for slug, pk in tickets.items():
        assert listed(cast.manager, queue=slug) == [pk]
    page = shown(client_for(cast.manager).get(DESK))
    for name in ("IT", "Marketing", "Communications"):
        assert f'<div class="fw-semibold">{name}</div>' in page


def test_an_agent_in_no_queue_sees_no_tickets_and_is_told_why(cast: Cast) -> None:
    file_ticket(cast.employee)
    newcomer = User.objects.create_user(
        "new.agent@example.com", "pw", full_name="New Agent", role=User.Role.AGENT
    )

    response = client_for(newcomer).get(DESK)

    assert desk_ids(response) == []
    assert "You are not in any queue yet." in shown(response)


# ---- filters ------------------------------------------------------------------------------


@pytest.fixture
def spread(cast: Cast) -> dict[str, Ticket]:
    """IT and Communications tickets that differ in one thing each."""
    made = {
        "login": file_ticket(
            cast.employee, problem="login-access", platform="twitter-x", subject="Cannot log in"
        ),
        "hacked": file_ticket(
            cast.employee, problem="compromised-account", platform="facebook", subject="Strange posts"
        ),
        "blog": file_ticket(
            cast.other_employee, problem="publishing-problem", platform="blog", subject="Blog error 500"
        ),
        "blocked": file_ticket(
            cast.employee, problem="network-block", platform="linkedin", subject="LinkedIn blocked"
        ),
        "policy": file_ticket(
            cast.employee, problem="policy-etiquette", platform="linkedin", subject="May I post this"
        ),
        "resolved": file_ticket(
            cast.employee, problem="login-access", platform="blog", subject="Sorted already"
        ),
        "closed": file_ticket(cast.employee, problem="login-access", platform="blog", subject="Long gone"),
    }
    cast.it.members.add(cast.comms_agent)
    services.ticket_assign(ticket=made["login"], assignee=cast.it_agent, actor=cast.it_agent)
    services.ticket_assign(ticket=made["blog"], assignee=cast.comms_agent, actor=cast.it_agent)
    services.ticket_set_status(
        ticket=made["blocked"], status=Ticket.Status.WAITING_THIRD_PARTY, actor=cast.it_agent
    )
    services.ticket_resolve(ticket=made["resolved"], actor=cast.employee)
    services.ticket_set_status(ticket=made["closed"], status=Ticket.Status.CLOSED, actor=cast.it_agent)
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"login", "hacked", "blog", "blocked", "policy"}),
        ({"queue": "it"}, {"login", "hacked", "blog", "blocked"}),
        ({"queue": "communications"}, {"policy"}),
        ({"status": "any"}, {"login", "hacked", "blog", "blocked", "resolved", "closed", "policy"}),
        ({"status": "resolved"}, {"resolved"}),
        ({"status": "closed"}, {"closed"}),
        ({"status": "waiting_third_party"}, {"blocked"}),
        ({"status": "open"}, {"login", "blog"}),
        ({"status": "new"}, {"hacked", "policy"}),
        ({"priority": "4"}, {"hacked"}),
        ({"priority": "2"}, {"login", "blog", "blocked", "policy"}),
        ({"platform": "blog"}, {"blog"}),
        ({"platform": "blog", "status": "any"}, {"blog", "resolved", "closed"}),
        ({"problem": "network-block"}, {"blocked"}),
        ({"problem": "policy-etiquette"}, {"policy"}),
        ({"assignee": "me"}, {"login"}),
        ({"assignee": "none"}, {"hacked", "blocked", "policy"}),
        ({"assignee": "none", "queue": "it", "priority": "4"}, {"hacked"}),
    ],
)
def test_filters_narrow_the_list(
    cast: Cast, spread: dict[str, Ticket], params: dict[str, str], expected: set[str]
) -> None:
    # The manager sees both queues, so queue filters have something to tell apart.
    user = cast.it_agent if params.get("assignee") == "me" else cast.manager

    shown_ids = listed(user, **params)

    assert sorted(shown_ids) == sorted(spread[key].pk for key in expected)


def test_assignee_filter_by_agent_id(cast: Cast, spread: dict[str, Ticket]) -> None:
    assert listed(cast.it_agent, assignee=str(cast.comms_agent.pk)) == [spread["blog"].pk]


@pytest.mark.parametrize("query", ["SIT-{pk}", "sit-{pk}", "{pk}", "  SIT-{pk} "])
def test_search_by_reference(cast: Cast, spread: dict[str, Ticket], query: str) -> None:
    target = spread["blocked"]

    assert listed(cast.it_agent, q=query.format(pk=target.pk)) == [target.pk]


def test_a_search_lists_its_newest_matches_without_counting_them_all(
    cast: Cast, spread: dict[str, Ticket]
) -> None:
    page = client_for(cast.it_agent).get("/desk/", {"q": "strange posts"}).content.decode()

    assert "Matching tickets" in page
    assert "1 ticket<" not in page


def test_search_by_words_in_the_subject(cast: Cast, spread: dict[str, Ticket]) -> None:
    assert listed(cast.it_agent, q="strange posts") == [spread["hacked"].pk]
    assert listed(cast.it_agent, q="LinkedIn") == [spread["blocked"].pk]


def test_search_by_words_in_a_reply_or_an_internal_note(cast: Cast, spread: dict[str, Ticket]) -> None:
    services.ticket_reply(
        ticket=spread["login"], author=cast.employee, body="The authenticator shows nothing"
    )
    services.ticket_reply(
        ticket=spread["blog"], author=cast.it_agent, body="Escalated to the hosting provider", internal=True
    )

    assert listed(cast.it_agent, q="authenticator") == [spread["login"].pk]
    assert listed(cast.it_agent, q="hosting provider") == [spread["blog"].pk]


def test_search_keeps_the_other_filters(cast: Cast, spread: dict[str, Ticket]) -> None:
    assert listed(cast.it_agent, q="Sorted already") == []  # resolved: not in the default view
    assert listed(cast.it_agent, q="Sorted already", status="any") == [spread["resolved"].pk]


def test_a_search_that_matches_nothing_says_so(cast: Cast, spread: dict[str, Ticket]) -> None:
    response = client_for(cast.it_agent).get(DESK, {"q": "zebra"})

    assert desk_ids(response) == []
    assert "No tickets match these filters." in shown(response)
    assert "0 tickets" in shown(response)


def test_one_bad_filter_value_does_not_discard_the_search(cast: Cast, spread: dict[str, Ticket]) -> None:
    assert listed(cast.it_agent, q="zebra", priority="99") == []


def test_filtering_by_a_queue_you_do_not_work_lists_nothing(cast: Cast, spread: dict[str, Ticket]) -> None:
    assert listed(cast.it_agent, queue="communications") == []


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
    file_ticket(cast.employee)
    client = client_for(cast.it_agent)

    for direction in ("after", "before"):
        response = client.get(DESK, {direction: cursor(values)})

        assert response.status_code == 200


# ---- htmx ---------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results_fragment(cast: Cast, spread: dict[str, Ticket]) -> None:
    client = client_for(cast.it_agent)

    fragment = client.get(DESK, {"priority": "4"}, headers={"HX-Request": "true"})
    full = client.get(DESK, {"priority": "4"})

    assert fragment.status_code == 200
    used = [template.name for template in fragment.templates]
    assert used[0] == "tickets/desk/_results.html"
    assert "base.html" not in used
    assert "tickets/desk/list.html" not in used
    assert desk_ids(fragment) == desk_ids(full) == [spread["hacked"].pk]
    body = raw(fragment)
    assert body.lstrip().startswith('<form id="bulk"')
    assert "<html" not in body
    assert 'id="filters"' not in body
    assert "Unresolved by queue" not in body
    assert "<html" in raw(full)
    assert 'id="filters"' in raw(full)


# ---- bad input ----------------------------------------------------------------------------


def test_html_in_subjects_and_names_is_shown_as_text(cast: Cast) -> None:
    cast.employee.full_name = f"Erin {IMG}"
    cast.employee.save()
    file_ticket(cast.employee, subject=f"Help {SCRIPT}")
    file_ticket(cast.employee, subject=f"Look {IMG}")

    page = raw(client_for(cast.it_agent).get(DESK, {"q": "alert"}))
    page += raw(client_for(cast.it_agent).get(DESK))

    assert "Help &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Look &lt;img src=x onerror=alert(1)&gt;" in page
    assert "Erin &lt;img src=x onerror=alert(1)&gt;" in page
    assert 'value="alert"' in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_html_in_the_search_box_is_shown_as_text(cast: Cast) -> None:
    response = client_for(cast.it_agent).get(DESK, {"q": f'"><{SCRIPT}'})

    page = raw(response)
    assert response.status_code == 200
    assert "&quot;&gt;&lt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


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
