"""People in the admin: an agent finds only those on their queues' tickets, and their emails.

Mia works Marketing. Oscar asked Marketing for help; Erin asked IT, which Ian works. Mia sees
Oscar and herself, never Erin, Ian, the other agents, the manager or the administrator.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from accounts.models import User
from tickets import services

from ..conftest import Cast, client_for, person
from ..factories import file_ticket
from ..tickets.admin_scene import Scene, admin_url, autocomplete, listed, said_missing, scene_build
from ..tickets.pages import query_count, raw


@pytest.fixture
def scene(cast: Cast, settings: Settings, tmp_path: Path) -> Scene:
    settings.MEDIA_ROOT = tmp_path / "media"
    return scene_build(cast)


@pytest.fixture
def mia(cast: Cast) -> Client:
    return client_for(cast.marketing_agent)


def outsiders(cast: Cast) -> list[User]:
    return [cast.employee, cast.it_agent, cast.comms_agent, cast.manager, cast.admin]


def test_an_agent_lists_the_people_on_their_queues_tickets_only(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    assert listed(mia, User) == {cast.other_employee.pk, cast.marketing_agent.pk}

    page = raw(mia.get(admin_url(User, "changelist")))
    assert cast.other_employee.email in page
    for outsider in outsiders(cast):
        assert outsider.email not in page, outsider


def test_a_manager_and_an_administrator_list_everyone(scene: Scene, cast: Cast) -> None:
    everyone = set(User.objects.values_list("pk", flat=True))

    for viewer in (cast.manager, cast.admin):
        assert listed(client_for(viewer), User) == everyone


def test_an_agent_reads_a_requester_of_their_queue_but_nobody_else(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    page = mia.get(admin_url(User, "change", cast.other_employee.pk))
    assert page.status_code == 200
    assert cast.other_employee.email in raw(page)
    assert 'name="_save"' not in raw(page)

    missing = admin_url(User, "change", User.objects.order_by("-pk").first().pk + 1000)
    for outsider in outsiders(cast):
        assert said_missing(mia, admin_url(User, "change", outsider.pk)) == said_missing(mia, missing)


def test_an_agent_changes_nobodys_password(scene: Scene, cast: Cast, mia: Client) -> None:
    for someone in (cast.other_employee, cast.employee):
        response = mia.post(
            reverse("admin:auth_user_password_change", args=[someone.pk]),
            {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
        )
        assert response.status_code == 403
        assert User.objects.get(pk=someone.pk).password == someone.password


def test_searching_people_finds_only_those_on_the_agents_tickets(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    assert listed(mia, User, q="example.com") == {cast.other_employee.pk, cast.marketing_agent.pk}
    assert listed(mia, User, q=cast.employee.email) == set()
    assert listed(mia, User, q="ian") == set()
    assert listed(mia, User, q="oscar") == {cast.other_employee.pk}


def test_the_people_filters_count_only_those_the_agent_may_see(scene: Scene, cast: Cast, mia: Client) -> None:
    response = mia.get(admin_url(User, "changelist"), {"_facets": "1"})

    changelist = response.context["cl"]
    role = next(spec for spec in changelist.filter_specs if getattr(spec, "field_path", "") == "role")
    assert [choice["display"] for choice in role.choices(changelist)] == [
        "All",
        "Employee (1)",
        "Agent (1)",
        "Manager (0)",
        "Administrator (0)",
    ]
    assert listed(mia, User, role__exact=User.Role.ADMIN) == set()


def test_password_hashes_cannot_be_probed_through_the_filters(scene: Scene, cast: Cast, mia: Client) -> None:
    prefix = cast.other_employee.password[:6]

    assert mia.get(admin_url(User, "changelist"), {"password__startswith": prefix}).status_code == 400


def test_autocomplete_offers_only_the_people_on_the_agents_tickets(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    mine = {str(cast.other_employee.pk), str(cast.marketing_agent.pk)}

    assert autocomplete(mia, "tickets", "ticket", "requester") == mine
    assert autocomplete(mia, "tickets", "routingrule", "assignee", "example.com") == mine
    assert autocomplete(mia, "tickets", "ticket", "assignee", cast.it_agent.email) == set()
    assert autocomplete(mia, "notifications", "optout", "user", "ada") == set()


def test_a_manager_autocompletes_everyone(scene: Scene, cast: Cast) -> None:
    found = autocomplete(client_for(cast.manager), "tickets", "ticket", "requester", "example.com")

    assert found == {str(pk) for pk in User.objects.values_list("pk", flat=True)}


def test_a_ticket_moved_into_the_queue_brings_its_requester_not_its_former_assignee(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    services.ticket_transfer(ticket=scene.it, queue=cast.marketing, actor=cast.it_agent)

    assert listed(mia, User) == {cast.other_employee.pk, cast.marketing_agent.pk, cast.employee.pk}


def test_a_new_queue_member_is_seen_by_their_colleagues(scene: Scene, cast: Cast, mia: Client) -> None:
    newcomer = person("nina.new@example.com", User.Role.AGENT, "Marketing")
    cast.marketing.members.add(newcomer)

    assert newcomer.pk in listed(mia, User)


def test_leaving_the_queue_ends_what_the_agent_sees_of_its_people(
    scene: Scene, cast: Cast, mia: Client
) -> None:
    assert mia.get(admin_url(User, "change", cast.other_employee.pk)).status_code == 200

    cast.marketing.members.remove(cast.marketing_agent)

    assert listed(mia, User) == set()
    said_missing(mia, admin_url(User, "change", cast.other_employee.pk))
    assert autocomplete(mia, "tickets", "ticket", "requester") == set()


def test_reading_people_changes_nothing(scene: Scene, cast: Cast, mia: Client) -> None:
    before = list(User.objects.order_by("pk").values_list("pk", "email", "password", "role", "is_active"))

    for someone in (cast.other_employee, cast.employee):
        mia.get(admin_url(User, "change", someone.pk))
        mia.get(admin_url(User, "history", someone.pk))
        mia.get(admin_url(User, "delete", someone.pk))
    mia.get(
        admin_url(User, "changelist"), {"action": "delete_selected", "_selected_action": cast.employee.pk}
    )

    assert (
        list(User.objects.order_by("pk").values_list("pk", "email", "password", "role", "is_active"))
        == before
    )


def test_the_agents_people_list_costs_the_same_queries_for_more_people(cast: Cast, mia: Client) -> None:
    def more_requesters(first: int, count: int) -> None:
        for number in range(first, first + count):
            requester = person(f"requester.{number}@example.com", User.Role.EMPLOYEE)
            file_ticket(requester, problem="metrics-request")

    url = admin_url(User, "changelist")
    more_requesters(0, 2)
    few = query_count(mia, url, data={"_facets": "1"})
    more_requesters(2, 5)

    assert query_count(mia, url, data={"_facets": "1"}) == few
