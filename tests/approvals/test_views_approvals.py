"""The portal's approvals: the list, one approval, deciding it, and being away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.models import Absence, Approval

from ..conftest import Cast, client_for
from ..social.scene import queries
from ..tickets.pages import shown
from .scene import approval_ask, approval_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(cast: Cast) -> Approval:
    return approval_ask(cast.employee, cast.other_employee)


@pytest.mark.parametrize("url", ["/approvals/", "/approvals/{pk}/"])
def test_anonymous_visitors_are_sent_to_log_in(approval: Approval, url: str) -> None:
    response = Client().get(url.format(pk=approval.pk))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_approver_sees_what_waits_and_the_requester_what_they_asked(
    cast: Cast, approval: Approval
) -> None:
    waiting = shown(client_for(cast.other_employee).get("/approvals/"))
    asked = shown(client_for(cast.employee).get("/approvals/"))

    assert "Unblock facebook.com" in waiting.split("Asked by you")[0]
    assert "Unblock facebook.com" in asked.split("Asked by you")[1]
    assert "Nothing waits for you" in asked


def test_someone_elses_approval_is_not_found(cast: Cast, approval: Approval) -> None:
    for outsider in (cast.it_agent, cast.comms_agent):
        assert client_for(outsider).get(f"/approvals/{approval.pk}/").status_code == 404
    assert (
        client_for(cast.it_agent)
        .post(f"/approvals/{approval.pk}/decide/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert client_for(cast.employee).get("/approvals/999999/").status_code == 404


def test_the_requester_sees_the_approval_but_cannot_decide_it(cast: Cast, approval: Approval) -> None:
    client = client_for(cast.employee)
    before = approval_state(approval)

    page = shown(client.get(f"/approvals/{approval.pk}/"))
    response = client.post(f"/approvals/{approval.pk}/decide/", {"decision": "approve"})

    assert "Your decision" not in page and "Waiting for" in page
    assert response.status_code == 403 and "someone else decides" in shown(response)
    assert approval_state(approval) == before


def test_a_manager_reads_it_but_decides_only_once_it_passes_to_the_managers(
    cast: Cast, approval: Approval
) -> None:
    client = client_for(cast.manager)
    before = approval_state(approval)

    assert client.get(f"/approvals/{approval.pk}/").status_code == 200
    assert client.post(f"/approvals/{approval.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert approval_state(approval) == before


def test_deciding_is_post_only(cast: Cast, approval: Approval) -> None:
    before = approval_state(approval)

    response = client_for(cast.other_employee).get(f"/approvals/{approval.pk}/decide/")

    assert response.status_code == 405
    assert approval_state(approval) == before


def test_the_approver_decides_in_the_portal(cast: Cast, approval: Approval) -> None:
    response = client_for(cast.other_employee).post(
        f"/approvals/{approval.pk}/decide/",
        {"decision": "reject", "comment": "Use the VPN profile for social"},
    )

    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.comment) == ("rejected", "Use the VPN profile for social")


def test_an_unknown_decision_is_refused(cast: Cast, approval: Approval) -> None:
    response = client_for(cast.other_employee).post(
        f"/approvals/{approval.pk}/decide/", {"decision": "maybe"}
    )

    assert response.status_code == 400
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_being_away_is_saved_and_a_past_day_refused(cast: Cast) -> None:
    client = client_for(cast.other_employee)

    past = client.post("/approvals/", {"until": (timezone.localdate() - timedelta(days=1)).isoformat()})
    soon = client.post("/approvals/", {"until": (timezone.localdate() + timedelta(days=2)).isoformat()})

    assert past.status_code == 200 and "That day has passed" in shown(past)
    assert soon.status_code == 302
    assert Absence.objects.get(user=cast.other_employee).until == timezone.localdate() + timedelta(days=2)
    client.post("/approvals/", {"until": ""})
    assert not Absence.objects.exists()


def test_the_list_costs_the_same_for_many_approvals(cast: Cast) -> None:
    approval_ask(cast.employee, cast.other_employee)
    client = client_for(cast.other_employee)
    few = queries(client, "/approvals/")
    for _ in range(6):
        approval_ask(cast.employee, cast.other_employee)
        approval_ask(cast.other_employee, cast.employee)

    assert queries(client, "/approvals/") == few


def test_the_page_costs_the_same_with_more_history(cast: Cast, approval: Approval) -> None:
    client = client_for(cast.other_employee)
    few = queries(client, f"/approvals/{approval.pk}/")
    for _ in range(4):
        approval.events.create(kind="passed", summary="Passed on")

    assert queries(client, f"/approvals/{approval.pk}/") == few
