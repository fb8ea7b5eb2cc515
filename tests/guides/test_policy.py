"""The social media policy: the banner until confirmed, versions, and the managers' list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from guides.models import Guide, PolicyConfirmation
from guides.seed import POLICY_SLUG, starter_guides_load

from ..conftest import Cast, client_for, person
from ..tickets.pages import shown

BANNER = "Read and confirm"


@pytest.fixture
def policy(cast: Cast) -> Guide:
    starter_guides_load()
    return Guide.objects.get(slug=POLICY_SLUG)


def confirm(client: Client, guide: Guide, version: int | str) -> None:
    client.post(reverse("guides:policy_confirm", args=[guide.slug]), {"version": version})


def test_the_starter_policy_is_version_1(policy: Guide) -> None:
    assert (policy.is_policy, policy.policy_version) == (True, 1)


def test_the_banner_asks_until_the_current_version_is_confirmed(cast: Cast, policy: Guide) -> None:
    client = client_for(cast.employee)
    assert BANNER in shown(client.get(reverse("guides:list")))

    confirm(client, policy, 1)

    assert BANNER not in shown(client.get(reverse("guides:list")))
    assert "You have confirmed version 1" in shown(client.get(policy.get_absolute_url()))
    assert PolicyConfirmation.objects.get().person == cast.employee


def test_a_new_version_asks_everyone_again(cast: Cast, policy: Guide) -> None:
    employee = client_for(cast.employee)
    confirm(employee, policy, 1)

    client_for(cast.comms_agent).post(reverse("desk_guides:policy_version", args=[policy.pk]))

    page = shown(employee.get(reverse("guides:list")))
    assert BANNER in page and "has changed (version 2)" in page
    confirm(employee, policy, 1)  # the old version, from a page left open
    assert PolicyConfirmation.objects.filter(version=2).count() == 0
    confirm(employee, policy, 2)
    assert BANNER not in shown(employee.get(reverse("guides:list")))


def test_only_communications_or_a_manager_versions_the_policy(cast: Cast, policy: Guide) -> None:
    response = client_for(cast.it_agent).post(reverse("desk_guides:policy_version", args=[policy.pk]))

    assert response.status_code == 403
    assert client_for(cast.employee).post(
        reverse("desk_guides:policy_version", args=[policy.pk])
    ).status_code in (
        403,
        404,
    )
    policy.refresh_from_db()
    assert policy.policy_version == 1


def test_a_forged_version_or_guide_records_nothing(cast: Cast, policy: Guide) -> None:
    client = client_for(cast.employee)
    confirm(client, policy, "99")
    confirm(client, policy, "x")
    other = Guide.objects.exclude(pk=policy.pk).first()
    assert other is not None
    confirm(client, other, 1)
    assert (
        Client().post(reverse("guides:policy_confirm", args=[policy.slug]), {"version": 1}).status_code == 302
    )
    assert client.get(reverse("guides:policy_confirm", args=[policy.slug])).status_code == 405
    assert PolicyConfirmation.objects.count() == 0


def test_managers_see_who_has_confirmed_by_department(cast: Cast, policy: Guide) -> None:
    confirm(client_for(cast.employee), policy, 1)  # Sales: one of two
    person("sam.sales@example.com", User.Role.EMPLOYEE, "Sales")

    page = shown(client_for(cast.manager).get(reverse("desk_guides:policy_confirmations")))

    assert "Who has confirmed the social media policy" in page
    assert "Oscar Other" in page and "Sam Sales" in page
    assert "Erin Employee" not in page.split("Not confirmed yet")[1]
    csv_text = b"".join(
        client_for(cast.manager).get(reverse("desk_guides:policy_confirmations_csv")).streaming_content
    ).decode()
    rows = [line.split(",") for line in csv_text.lstrip("\ufeff").splitlines()]
    assert rows[0] == ["Name", "Email", "Department", "Confirmed version 1"]
    erin = next(row for row in rows if row[0] == "Erin Employee")
    assert erin[2] == "Sales" and erin[3]
    assert next(row for row in rows if row[0] == "Sam Sales")[3] == ""


def test_the_list_is_for_managers(cast: Cast, policy: Guide) -> None:
    for url in (reverse("desk_guides:policy_confirmations"), reverse("desk_guides:policy_confirmations_csv")):
        assert client_for(cast.comms_agent).get(url).status_code == 403
        assert client_for(cast.employee).get(url).status_code in (403, 404)
        assert Client().get(url).status_code == 302


def test_the_list_costs_the_same_queries_however_many_people(cast: Cast, policy: Guide) -> None:
    client = client_for(cast.manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("desk_guides:policy_confirmations")).status_code == 200
        return len(context.captured_queries)

    before = count()
    for number in range(5):
        person(f"new.person{number}@example.com", User.Role.EMPLOYEE, "Legal")
    assert count() == before


def test_a_name_a_spreadsheet_would_run_is_kept_as_text(cast: Cast, policy: Guide) -> None:
    User.objects.filter(pk=cast.other_employee.pk).update(full_name="=HYPERLINK(1)")

    csv_text = b"".join(
        client_for(cast.manager).get(reverse("desk_guides:policy_confirmations_csv")).streaming_content
    ).decode()
    assert "'=HYPERLINK(1)" in csv_text


def test_the_dashboard_sums_up_the_confirmations(cast: Cast, policy: Guide) -> None:
    confirm(client_for(cast.employee), policy, 1)

    page = shown(client_for(cast.manager).get(reverse("reports:dashboard")))

    people = User.objects.filter(is_active=True).count()
    assert f"Social media policy, version 1: 1 of {people} confirmed" in page


def test_managers_list_the_confirmations_in_the_admin(cast: Cast, policy: Guide) -> None:
    confirm(client_for(cast.employee), policy, 1)
    url = reverse("admin:guides_policyconfirmation_changelist")

    page = shown(client_for(cast.manager).get(url))

    assert "Erin Employee" in page and "Sales" in page
    assert client_for(cast.manager).get(url, {"person__department__id__exact": 999999}).status_code == 200
    assert client_for(cast.comms_agent).get(url).status_code in (302, 403)
