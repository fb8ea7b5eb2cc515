from __future__ import annotations

import pytest

from notifications.models import Notification
from tickets.models import Event, Ticket

from ..conftest import Cast, client_for, platform, problem
from ..factories import file_ticket
from .conftest import ApiClient, api_as

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"


def url(ticket: Ticket, tail: str = "") -> str:
    return f"{TICKETS}{ticket.pk}/{tail}"


def it_ticket(cast: Cast, **extra: object) -> Ticket:
    ticket = file_ticket(cast.employee, **extra)
    assert ticket.queue == cast.it  # routed to IT by the reference rules
    return ticket


def ids(response: object) -> set[int]:
    return {row["id"] for row in response.json()["results"]}  # type: ignore[attr-defined]


# ---- who sees what -----------------------------------------------------------------------


def test_employee_lists_only_their_own_tickets(cast: Cast) -> None:
    mine = it_ticket(cast)
    file_ticket(cast.other_employee)
    assert ids(api_as(cast.employee).get(TICKETS)) == {mine.pk}


def test_agent_lists_only_their_queues(cast: Cast) -> None:
    mine = it_ticket(cast)
    assert ids(api_as(cast.it_agent).get(TICKETS)) == {mine.pk}
    assert ids(api_as(cast.marketing_agent).get(TICKETS)) == set()
    assert ids(api_as(cast.manager).get(TICKETS)) == {mine.pk}


@pytest.mark.parametrize("who", ["other_employee", "marketing_agent"])
def test_outsiders_get_404_for_every_ticket_endpoint(cast: Cast, who: str) -> None:
    ticket = it_ticket(cast)
    client = api_as(getattr(cast, who))
    assert client.get(url(ticket)).status_code == 404
    assert client.patch(url(ticket), {"priority": 4}).status_code == 404
    assert client.post(url(ticket, "comments/"), {"body": "Hello"}).status_code == 404
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.PRIORITY).count() == 0


def test_forged_ticket_id_is_404(cast: Cast) -> None:
    response = api_as(cast.manager).get(f"{TICKETS}999999/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


@pytest.mark.parametrize(
    "path",
    [TICKETS, "/api/v1/queues/", "/api/v1/queues/mine/", "/api/v1/platforms/", "/api/v1/problem-types/"],
)
def test_anonymous_gets_401_everywhere(cast: Cast, path: str) -> None:
    assert ApiClient().get(path).status_code == 401


def test_requester_reads_their_ticket_without_internal_notes(cast: Cast) -> None:
    ticket = it_ticket(cast)
    api_as(cast.it_agent).post(url(ticket, "comments/"), {"body": "Checked the logs", "internal": True})
    api_as(cast.it_agent).post(url(ticket, "comments/"), {"body": "We are on it"})
    seen = api_as(cast.employee).get(url(ticket)).json()
    assert [c["body"] for c in seen["comments"]] == ["We are on it"]
    staff_view = api_as(cast.it_agent).get(url(ticket)).json()
    assert [c["internal"] for c in staff_view["comments"]] == [True, False]


def test_requester_cannot_add_internal_notes(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.employee).post(url(ticket, "comments/"), {"body": "psst", "internal": True})
    assert response.status_code == 400
    assert "internal" in response.json()["error"]["fields"]


def test_requester_reply_goes_through_the_service(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.employee).post(url(ticket, "comments/"), {"body": "Still broken"})
    assert response.status_code == 201
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.REPLIED, actor=cast.employee).exists()


def test_empty_reply_is_400_with_the_services_words(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.employee).post(url(ticket, "comments/"), {"body": "   "})
    assert response.status_code == 400


# ---- filing ----------------------------------------------------------------------------


def filing(cast: Cast) -> dict[str, object]:
    return {
        "platform": platform("twitter-x").pk,
        "problem_type": problem("login-access").pk,
        "subject": "Locked out of the company account",
        "description": "It stopped working this morning.",
    }


def trail(ticket: Ticket) -> tuple[list[tuple[str, list[str]]], list[tuple[str, int]]]:
    events = [(e.kind, sorted(e.payload)) for e in Event.objects.filter(ticket=ticket).order_by("pk")]
    outbox = [(n.kind, n.recipient_id) for n in Notification.objects.filter(ticket=ticket).order_by("pk")]
    return events, outbox


def test_filing_through_the_api_leaves_the_same_trail_as_the_portal(cast: Cast) -> None:
    response = api_as(cast.employee).post(TICKETS, filing(cast))
    assert response.status_code == 201
    by_api = Ticket.objects.get(pk=response.json()["id"])
    assert response.headers["Location"] == url(by_api)
    client_for(cast.employee).post("/requests/new/", filing(cast))
    by_portal = Ticket.objects.exclude(pk=by_api.pk).get()
    assert trail(by_api) == trail(by_portal)
    assert trail(by_api)[1], "the requester is told the request arrived"


def test_filing_ignores_fields_a_requester_may_not_set(cast: Cast) -> None:
    body = {
        **filing(cast),
        "queue": cast.marketing.pk,
        "priority": 4,
        "status": "resolved",
        "requester": cast.other_employee.pk,
    }
    ticket = Ticket.objects.get(pk=api_as(cast.employee).post(TICKETS, body).json()["id"])
    assert (ticket.queue, ticket.requester, ticket.status) == (cast.it, cast.employee, Ticket.Status.NEW)
    assert ticket.priority != 4


def test_filing_with_missing_fields_names_them(cast: Cast) -> None:
    response = api_as(cast.employee).post(TICKETS, {"subject": "Help"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"platform", "problem_type", "description"}
    assert not Ticket.objects.exists()


# ---- changes ---------------------------------------------------------------------------


def test_agent_changes_priority_assignee_and_status_through_the_services(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.it_agent).patch(
        url(ticket), {"priority": 4, "assignee": cast.it_agent.pk, "status": "waiting_third_party"}
    )
    assert response.status_code == 200, response.json()
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee, ticket.status) == (4, cast.it_agent, "waiting_third_party")
    kinds = set(Event.objects.filter(ticket=ticket, actor=cast.it_agent).values_list("kind", flat=True))
    assert {Event.Kind.PRIORITY, Event.Kind.ASSIGNED, Event.Kind.STATUS} <= kinds


def test_agent_transfers_to_another_queue(cast: Cast) -> None:
    ticket = it_ticket(cast)
    assert api_as(cast.it_agent).patch(url(ticket), {"queue": cast.marketing.pk}).status_code == 200
    ticket.refresh_from_db()
    assert ticket.queue == cast.marketing
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.TRANSFERRED).exists()
    assert api_as(cast.it_agent).get(url(ticket)).status_code == 404


def test_a_refused_change_undoes_the_whole_request(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.it_agent).patch(url(ticket), {"priority": 4, "assignee": cast.marketing_agent.pk})
    assert response.status_code == 400
    assert "doesn't work" in response.json()["error"]["message"]
    ticket.refresh_from_db()
    assert ticket.priority != 4
    assert not Event.objects.filter(ticket=ticket, kind=Event.Kind.PRIORITY).exists()


def test_requester_may_not_change_their_ticket(cast: Cast) -> None:
    ticket = it_ticket(cast)
    response = api_as(cast.employee).patch(url(ticket), {"priority": 4})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_invalid_transition_is_400(cast: Cast) -> None:
    ticket = it_ticket(cast)
    agent = api_as(cast.it_agent)
    assert agent.patch(url(ticket), {"status": "closed"}).status_code == 200
    response = agent.patch(url(ticket), {"status": "open"})
    assert response.status_code == 400
    assert "closed ticket can't change" in response.json()["error"]["message"]


def test_empty_change_is_400(cast: Cast) -> None:
    ticket = it_ticket(cast)
    assert api_as(cast.it_agent).patch(url(ticket), {"subject": "renamed"}).status_code == 400


# ---- lists: filters, ordering, pages --------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"requester": "1"},
        {"status": "gone"},
        {"ordering": "requester__password"},
        {"priority": "x"},
        {"page_size": "101"},
    ],
)
def test_list_refuses_what_is_not_allowlisted(cast: Cast, params: dict[str, str]) -> None:
    response = api_as(cast.manager).get(TICKETS, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_agent_may_not_filter_on_a_queue_they_dont_work(cast: Cast) -> None:
    mine = it_ticket(cast)

    assert api_as(cast.it_agent).get(TICKETS, {"queue": cast.marketing.pk}).status_code == 400
    assert ids(api_as(cast.it_agent).get(TICKETS, {"queue": cast.it.pk})) == {mine.pk}


def test_list_filters_by_status_and_priority(cast: Cast) -> None:
    low, urgent = it_ticket(cast), it_ticket(cast)
    api_as(cast.it_agent).patch(url(urgent), {"priority": 4})
    assert ids(api_as(cast.it_agent).get(TICKETS, {"priority": "4"})) == {urgent.pk}
    assert ids(api_as(cast.employee).get(TICKETS, {"priority": "4", "status": "unresolved"})) == {urgent.pk}
    assert low.pk in ids(api_as(cast.employee).get(TICKETS, {"status": "new"}))


def test_list_pages_with_cursors(cast: Cast) -> None:
    made = [it_ticket(cast).pk for _ in range(5)]
    client = api_as(cast.employee)
    first = client.get(TICKETS, {"page_size": "2", "ordering": "created"}).json()
    assert [row["id"] for row in first["results"]] == made[:2]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == made[2:4]
    back = client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == made[:2]


def test_queue_lists(cast: Cast) -> None:
    assert len(api_as(cast.it_agent).get("/api/v1/queues/").json()) >= 3
    assert [q["id"] for q in api_as(cast.it_agent).get("/api/v1/queues/mine/").json()] == [cast.it.pk]
    assert api_as(cast.employee).get("/api/v1/queues/").json() == []
    assert api_as(cast.employee).get("/api/v1/platforms/").json()
    assert api_as(cast.employee).get("/api/v1/problem-types/").json()
