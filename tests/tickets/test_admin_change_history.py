"""Change history of routing rules, SLA policies and queue rates: who changed what, shown in the admin."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from sla.models import Policy
from tickets.models import Queue, RoutingRule

from ..conftest import Cast, client_for, platform
from ..factories import file_ticket
from .pages import raw, shown

pytestmark = pytest.mark.django_db


def words(response: object) -> str:
    """The page's text without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", shown(response)).split())  # type: ignore[arg-type]


def history_url(model: str, pk: int) -> str:
    return f"/admin/{model}/{pk}/history/"


def test_a_rate_change_is_kept_with_who_made_it_and_shown_in_the_admin(cast: Cast) -> None:
    queue = Queue.objects.get(slug="it")
    queue.hourly_rate = Decimal("92.50")
    queue._history_user = cast.admin  # type: ignore[attr-defined]  # what the middleware sets for a request
    queue.save()

    page = client_for(cast.admin).get(history_url("tickets/queue", queue.pk))

    assert page.status_code == 200
    text = words(page)
    assert "Hourly cost rate: 85.00 → 92.50" in text
    assert "Ada Admin" in text
    assert 'style="' not in raw(page)


def test_a_rule_change_keeps_what_the_rule_said_then(cast: Cast) -> None:
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")
    rule.keywords = "password, locked out"
    rule.save()
    rule.platforms.add(platform("linkedin"))

    versions = list(rule.history.order_by("history_id"))
    assert [version.keywords for version in versions][-1] == "password, locked out"
    assert "Keywords: — → password, locked out" in words(
        client_for(cast.manager).get(history_url("tickets/routingrule", rule.pk))
    )


def test_a_policy_change_is_kept(cast: Cast) -> None:
    policy = Policy.objects.get(name="Normal")
    before = policy.resolution_minutes
    policy.resolution_minutes = before * 2
    policy.save()

    assert (
        list(policy.history.order_by("history_id").values_list("resolution_minutes", flat=True))[-1]
        == before * 2
    )
    assert client_for(cast.manager).get(history_url("sla/policy", policy.pk)).status_code == 200


def test_taking_turns_writes_no_history(cast: Cast) -> None:
    cast.it.members.add(cast.marketing_agent)
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")
    rule.round_robin = True
    rule.save()
    before = Queue.history.count()

    for _ in range(3):
        file_ticket(cast.employee, problem="login-access")

    assert Queue.history.count() == before
    assert Queue.objects.get(slug="it").last_assigned_to is not None


def test_an_agent_cant_read_the_history(cast: Cast) -> None:
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")

    assert client_for(cast.it_agent).get(history_url("tickets/routingrule", rule.pk)).status_code in (
        302,
        403,
    )


def test_nothing_can_be_reverted_from_the_history(cast: Cast) -> None:
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")
    rule.keywords = "changed"
    rule.save()
    version = rule.history.earliest("history_id")

    response = client_for(cast.admin).post(
        f"/admin/tickets/routingrule/{rule.pk}/history/{version.history_id}/", {"name": rule.name}
    )

    rule.refresh_from_db()
    assert rule.keywords == "changed"
    assert response.status_code == 403
