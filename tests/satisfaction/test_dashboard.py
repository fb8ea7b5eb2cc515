"""CSAT on the dashboard, computed on a small hand-built desk with known answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from satisfaction.dashboard import csat
from satisfaction.services import rating_give
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import shown


def resolved(cast: Cast, *, problem: str, platform: str, agent: object | None = None) -> Ticket:
    ticket = file_ticket(cast.employee, problem=problem, platform=platform)
    worker = cast.comms_agent if problem == "policy-etiquette" else cast.it_agent
    if agent is not None:
        services.ticket_assign(ticket=ticket, assignee=agent, actor=worker)  # type: ignore[arg-type]
    return services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=worker)


@pytest.fixture
def desk(cast: Cast) -> dict[str, Ticket]:
    tickets = {
        "a": resolved(cast, problem="login-access", platform="twitter-x", agent=cast.it_agent),
        "b": resolved(cast, problem="login-access", platform="facebook", agent=cast.it_agent),
        "c": resolved(cast, problem="policy-etiquette", platform="twitter-x", agent=cast.comms_agent),
        "d": resolved(cast, problem="login-access", platform="twitter-x"),
    }
    rating_give(actor=cast.employee, ticket=tickets["a"], score=5, comment="Fixed in minutes")
    rating_give(actor=cast.employee, ticket=tickets["b"], score=2, comment="Took a week")
    rating_give(actor=cast.employee, ticket=tickets["d"], score=4)
    return tickets


def today() -> dict[str, object]:
    now = timezone.now()
    return {"start": now - timedelta(days=1), "end": now + timedelta(hours=1)}


def test_csat_overall_and_by_queue_agent_and_platform(cast: Cast, desk: dict[str, Ticket]) -> None:
    result = csat(**today())  # type: ignore[arg-type]

    overall = result.overall
    assert (overall.resolved, overall.responses) == (4, 3)
    assert overall.average == pytest.approx(11 / 3)
    assert overall.good_rate == pytest.approx(200 / 3)
    assert overall.response_rate == pytest.approx(75.0)
    tables = {key: {line.name: line for line in lines} for key, _, lines in result.tables}
    it, communications = tables["queue"]["IT"], tables["queue"]["Communications"]
    assert (it.resolved, it.responses, it.average) == (3, 3, pytest.approx(11 / 3))
    assert (communications.resolved, communications.responses, communications.average) == (1, 0, None)
    assert tables["agent"][str(cast.it_agent)].average == pytest.approx(3.5)
    assert tables["agent"]["Unassigned"].average == 4
    assert tables["platform"]["Facebook"].good_rate == 0
    assert tables["platform"]["Twitter/X"].good_rate == 100
    assert [(rating.ticket, rating.comment) for rating in result.comments] == [
        (desk["b"], "Took a week"),
        (desk["a"], "Fixed in minutes"),
    ]


def test_csat_follows_the_queue_filter(cast: Cast, desk: dict[str, Ticket]) -> None:
    result = csat(**today(), queue_id=cast.communications.pk)  # type: ignore[arg-type]

    assert (result.overall.resolved, result.overall.responses) == (1, 0)
    assert result.comments == []


def test_csat_costs_the_same_queries_however_many_ratings(cast: Cast, desk: dict[str, Ticket]) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            result = csat(**today())  # type: ignore[arg-type]
            [rating.ticket.reference for rating in result.comments]
        return len(context.captured_queries)

    before = count()
    for _ in range(4):
        ticket = resolved(cast, problem="login-access", platform="linkedin", agent=cast.it_agent)
        rating_give(actor=cast.employee, ticket=ticket, score=3, comment="Fine")
    assert count() == before


def test_the_dashboard_shows_csat_with_comments_linked_to_their_tickets(
    cast: Cast, desk: dict[str, Ticket]
) -> None:
    page = shown(client_for(cast.manager).get(reverse("reports:dashboard")))

    assert "Satisfaction after resolution" in page
    assert "3.67" in page and "of 4 resolved were rated" in page
    assert f'href="{desk["b"].get_desk_url()}"' in page and "Took a week" in page
