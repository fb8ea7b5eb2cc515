"""Saved views from the desk: saving, counting in the sidebar, defaults, and who may do what."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from savedviews.models import QueueDefaultView, SavedView
from savedviews.selectors import sidebar
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import messages_shown, shown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    cache.clear()


def saved(cast: Cast, name: str = "Urgent", **fields: object) -> SavedView:
    values: dict[str, object] = {
        "owner": cast.it_agent,
        "filters": {"priority": "4"},
        "created_by": cast.it_agent,
    }
    values.update(fields)
    return SavedView.objects.create(name=name, **values)


def views_state() -> tuple[object, ...]:
    return (
        list(SavedView.objects.order_by("pk").values_list("pk", "name", "filters")),
        list(QueueDefaultView.objects.values_list("queue_id", "view_id")),
    )


def test_an_agent_saves_the_current_filters_and_only_allowlisted_ones_are_kept(cast: Cast) -> None:
    data = {
        "name": " Urgent  on X ",
        "priority": "4",
        "platform": "twitter-x",
        "after": "abc",
        "is_staff": "1",
    }

    response = client_for(cast.it_agent).post("/desk/views/", data, follow=True)

    view = SavedView.objects.get()
    assert (view.name, view.owner, view.queue) == ("Urgent on X", cast.it_agent, None)
    assert view.filters == {"priority": "4", "platform": "twitter-x"}
    assert ("success", "Saved “Urgent on X”.") in messages_shown(response)
    assert response.redirect_chain[-1][0] == "/desk/?priority=4&platform=twitter-x"


def test_a_view_shared_with_a_queue_is_seen_by_its_agents_only(cast: Cast) -> None:
    client_for(cast.it_agent).post("/desk/views/", {"name": "Unassigned", "assignee": "none", "share": "it"})

    assert [e.view.name for e in sidebar(cast.it_agent)] == ["Unassigned"]
    assert sidebar(cast.marketing_agent) == []
    assert [e.view.name for e in sidebar(cast.manager)] == ["Unassigned"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "priority": "4"}, "Name the view, such as “Urgent on X”."),
        ({"name": "Nothing"}, "Choose at least one filter before saving a view."),
        (
            {"name": "Bad", "priority": "9"},
            "These filters are not valid, so the view was not saved: priority.",
        ),
        (
            {"name": "Theirs", "queue": "marketing"},
            "These filters are not valid, so the view was not saved: queue.",
        ),
        (
            {"name": "Share", "priority": "4", "share": "marketing"},
            "Choose one of your queues to share the view with",
        ),
    ],
)
def test_bad_input_says_what_to_do_and_saves_nothing(cast: Cast, data: dict[str, str], message: str) -> None:
    response = client_for(cast.it_agent).post("/desk/views/", data, follow=True)

    assert any(level == "danger" and text.startswith(message) for level, text in messages_shown(response))
    assert not SavedView.objects.exists()


def test_a_second_view_of_the_same_name_is_refused(cast: Cast) -> None:
    saved(cast)

    response = client_for(cast.it_agent).post(
        "/desk/views/", {"name": "Urgent", "priority": "3"}, follow=True
    )

    assert ("danger", "You already have a view named “Urgent”: choose another name.") in messages_shown(
        response
    )
    assert SavedView.objects.count() == 1


def test_the_sidebar_counts_what_the_view_lists_capped_and_kept_a_minute(cast: Cast) -> None:
    view = saved(cast, filters={"status": "any"})
    file_ticket(cast.employee)
    assert sidebar(cast.it_agent)[0].count == "1"

    file_ticket(cast.employee)
    assert sidebar(cast.it_agent)[0].count == "1"  # counted less than a minute ago
    cache.clear()
    assert sidebar(cast.it_agent)[0].count == "2"

    view.filters = {"status": "any", "assignee": "me"}
    view.save()
    assert sidebar(cast.it_agent)[0].count == "0"  # new filters, counted afresh


def test_past_the_cap_the_count_reads_99_plus(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("savedviews.selectors.COUNT_CAP", 2)
    saved(cast, filters={"status": "any"})
    for _ in range(3):
        file_ticket(cast.employee)

    assert sidebar(cast.it_agent)[0].count == "2+"


def test_a_view_naming_a_queue_the_agent_left_counts_nothing(cast: Cast) -> None:
    saved(cast, filters={"queue": "it"})
    file_ticket(cast.employee)
    cast.it.members.remove(cast.it_agent)
    cast.marketing.members.add(cast.it_agent)

    assert sidebar(cast.it_agent)[0].count == "0"


def test_the_sidebar_costs_one_query_per_view_and_none_when_counted(cast: Cast) -> None:
    for number in range(10):
        filters = [{"priority": "4"}, {"assignee": "me"}, {"platform": "twitter-x"}, {"q": "password"}][
            number % 4
        ]
        shared = number % 2
        saved(
            cast,
            f"View {number}",
            filters=filters,
            owner=None if shared else cast.it_agent,
            queue=cast.it if shared else None,
        )
    file_ticket(cast.employee)

    with CaptureQueriesContext(connection) as first:
        entries = sidebar(cast.it_agent)
    with CaptureQueriesContext(connection) as again:
        sidebar(cast.it_agent)

    assert len(entries) == 10
    # the views, the defaults, the user's queues and shared tickets, the platforms named, then
    # one capped count per view
    assert len(first.captured_queries) == 5 + 10
    assert len(again.captured_queries) == 2


def test_the_desk_list_with_ten_views_costs_the_same_as_with_one(cast: Cast) -> None:
    client = client_for(cast.it_agent)
    saved(cast, "View 0")
    client.get("/desk/?status=any")
    with CaptureQueriesContext(connection) as one:
        client.get("/desk/?status=any")
    for number in range(1, 10):
        saved(cast, f"View {number}")
    client.get("/desk/?status=any")  # counts them once
    with CaptureQueriesContext(connection) as ten:
        response = client.get("/desk/?status=any")

    assert len(ten.captured_queries) == len(one.captured_queries)
    assert "View 9" in shown(response)


def test_a_manager_sets_a_queues_default_view_and_its_agents_open_on_it(cast: Cast) -> None:
    view = saved(cast, "IT unassigned", owner=None, queue=cast.it, filters={"assignee": "none"})

    response = client_for(cast.manager).post(f"/desk/views/{view.pk}/default/", follow=True)

    assert ("success", "IT's agents now open the desk on “IT unassigned”.") in messages_shown(response)
    assert client_for(cast.it_agent).get("/desk/")["Location"] == "/desk/?assignee=none"
    assert client_for(cast.marketing_agent).get("/desk/").status_code == 200
    assert client_for(cast.manager).get("/desk/").status_code == 200
    assert (
        client_for(cast.it_agent).get("/desk/?status=").status_code == 200
    )  # the whole list is still reachable

    client_for(cast.manager).post(f"/desk/views/{view.pk}/default/")
    assert not QueueDefaultView.objects.exists()


def test_an_agent_cannot_set_a_default(cast: Cast) -> None:
    view = saved(cast, owner=None, queue=cast.it)

    assert client_for(cast.it_agent).post(f"/desk/views/{view.pk}/default/").status_code == 403
    assert not QueueDefaultView.objects.exists()


def test_only_whoever_shared_it_or_a_manager_removes_a_shared_view(cast: Cast) -> None:
    colleague = cast.comms_agent
    cast.it.members.add(colleague)
    view = saved(cast, owner=None, queue=cast.it)

    assert client_for(colleague).post(f"/desk/views/{view.pk}/delete/").status_code == 403
    assert SavedView.objects.exists()
    client_for(cast.manager).post(f"/desk/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def urls(view: SavedView) -> dict[str, str]:
    return {
        "save": "/desk/views/",
        "delete": f"/desk/views/{view.pk}/delete/",
        "default": f"/desk/views/{view.pk}/default/",
    }


DATA = {"name": "Mine", "priority": "3", "share": "it"}


@pytest.mark.parametrize("action", ["save", "delete", "default"])
def test_anonymous_is_sent_to_log_in_and_nothing_changes(cast: Cast, action: str) -> None:
    view = saved(cast, owner=None, queue=cast.it)
    before = views_state()

    response = Client().post(urls(view)[action], DATA)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert views_state() == before


@pytest.mark.parametrize("action", ["save", "delete", "default"])
def test_an_employee_is_refused(cast: Cast, action: str) -> None:
    view = saved(cast, owner=None, queue=cast.it)
    before = views_state()

    assert client_for(cast.employee).post(urls(view)[action], DATA).status_code == 403
    assert views_state() == before


@pytest.mark.parametrize("action", ["delete", "default"])
def test_someone_elses_or_another_queues_view_is_not_found(cast: Cast, action: str) -> None:
    personal = saved(cast)
    shared = saved(cast, "Shared", owner=None, queue=cast.it)
    before = views_state()
    client = client_for(cast.marketing_agent)

    assert client.post(urls(personal)[action]).status_code == 404
    assert client.post(urls(shared)[action]).status_code == 404
    assert (
        client_for(cast.manager).post(urls(personal)[action]).status_code == 404
    )  # personal: the owner's alone
    assert views_state() == before


@pytest.mark.parametrize("path", ["999999/delete/", "999999/default/"])
def test_forged_ids_get_a_404(cast: Cast, path: str) -> None:
    assert client_for(cast.manager).post(f"/desk/views/{path}").status_code == 404


@pytest.mark.parametrize("action", ["save", "delete", "default"])
def test_get_changes_nothing(cast: Cast, action: str) -> None:
    view = saved(cast, owner=None, queue=cast.it)
    before = views_state()

    assert client_for(cast.manager).get(urls(view)[action], DATA).status_code == 405
    assert views_state() == before


def test_csrf_holds(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.it_agent)

    assert client.post("/desk/views/", DATA).status_code == 403
    assert not SavedView.objects.exists()


def test_names_and_filters_are_shown_as_text(cast: Cast) -> None:
    saved(cast, "<img src=x onerror=alert(1)>", filters={"q": '"><script>alert(1)</script>'})

    body = client_for(cast.it_agent).get("/desk/?status=any").content.decode()

    assert "<img src=x" not in body and "<script>alert(1)" not in body


def test_the_ticket_count_badge_matches_the_list(cast: Cast) -> None:
    saved(cast, filters={"status": "any", "platform": "twitter-x"})
    file_ticket(cast.employee)
    file_ticket(cast.employee, platform="facebook")

    assert sidebar(cast.it_agent)[0].count == str(
        Ticket.objects.filter(platform__slug="twitter-x", queue=cast.it).count()
    )
