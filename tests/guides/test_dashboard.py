"""The dashboard's self-service figures, computed on a small hand-built desk with known answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guides.dashboard import Range, self_service
from guides.models import Guide, GuideFeedback, GuideView
from guides.services import deflection_record
from tickets import services

from ..conftest import Cast, client_for, platform, problem
from ..factories import file_ticket
from ..tickets.pages import shown
from .conftest import guide_make


@pytest.fixture
def guide(cast: Cast) -> Guide:
    return guide_make(cast.it_agent, title="Hacked accounts", platforms=["twitter-x"])


@pytest.fixture
def desk(cast: Cast, guide: Guide) -> None:
    """Three tickets filed (two compromised accounts, one metrics request); 60 minutes of IT time
    on one of them; three deflections; two views, one followed by a ticket within a day."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    GuideView.objects.create(guide=guide, person=cast.employee, viewed_at=an_hour_ago)
    GuideView.objects.create(guide=guide, person=cast.other_employee, viewed_at=an_hour_ago)
    hacked = file_ticket(cast.employee, problem="compromised-account", platform="twitter-x")
    file_ticket(cast.employee, problem="compromised-account", platform="facebook")
    file_ticket(cast.employee, problem="metrics-request", platform="linkedin")
    services.ticket_log_time(ticket=hacked, agent=cast.it_agent, minutes=60)  # IT: 85 an hour
    for kind in ("compromised-account", "compromised-account", "metrics-request"):
        deflection_record(
            guide=guide,
            person=cast.other_employee,
            platform=platform("twitter-x"),
            problem_type=problem(kind),
        )
    GuideFeedback.objects.create(guide=guide, person=cast.employee, helpful=True)
    GuideFeedback.objects.create(guide=guide, person=cast.other_employee, helpful=False)


def today() -> Range:
    now = timezone.now()
    return Range(start=now - timedelta(days=1), end=now + timedelta(hours=1))


def test_self_service_figures(desk: None) -> None:
    result = self_service(today())

    assert (result.views, result.views_unfollowed, result.deflections, result.filed) == (2, 1, 3, 3)
    assert result.helpful_rate == 50
    assert result.score == pytest.approx(100 * 4 / 3)
    # A compromised-account ticket cost 85 / 2 on average; a metrics request nothing.
    assert result.saved == Decimal("85.00")
    by_problem = {line.name: line for line in result.by_problem_type}
    assert (by_problem["Compromised account"].deflections, by_problem["Compromised account"].saved) == (
        2,
        Decimal("85.00"),
    )
    assert by_problem["Compromised account"].score == 100
    assert by_problem["Metrics or analytics request"].saved == 0
    by_platform = {line.name: line for line in result.by_platform}
    twitter = by_platform["Twitter/X"]
    assert (twitter.deflections, twitter.views_unfollowed, twitter.filed) == (3, 1, 1)


def test_self_service_follows_the_platform_filter(desk: None) -> None:
    result = self_service(Range(today().start, today().end, platform_id=platform("facebook").pk))

    assert (result.views, result.deflections, result.filed) == (0, 0, 1)


def test_self_service_costs_the_same_queries_however_many_rows(cast: Cast, desk: None, guide: Guide) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            self_service(today())
        return len(context.captured_queries)

    before = count()
    for _ in range(3):
        file_ticket(cast.other_employee, problem="network-block", platform="blog")
        deflection_record(guide=guide, person=cast.employee, problem_type=problem("network-block"))
        GuideView.objects.create(guide=guide, person=cast.manager)
    assert count() == before


def test_the_dashboard_shows_the_deflections(cast: Cast, desk: None) -> None:
    page = shown(client_for(cast.manager).get(reverse("reports:dashboard")))

    assert "Self-service: guides that answered before a ticket" in page
    assert "“This solved it”, nothing filed" in page
