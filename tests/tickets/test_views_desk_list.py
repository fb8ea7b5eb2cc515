"""The desk list: an agent's queues, filtered and searched, and the fragment htmx gets."""

from __future__ import annotations

import pytest

from accounts.models import User
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import DESK, IMG, SCRIPT, desk_ids, listed, raw, shown

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
