"""The admin shows an agent what the desk shows them: their queues' tickets and nothing of others'.

Mia works Marketing. Every admin list, change page, filter, search, date drill-down,
autocomplete and action for tickets, comments, attachments, events and time entries gives her
the Marketing rows only, and a row of IT reads as one that doesn't exist. Managers and
administrators see every queue, as in the desk.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import AGENT_PERMISSIONS
from tickets import services
from tickets.admin_scope import DeskScopedAdmin
from tickets.models import Attachment, Comment, Event, Queue, Ticket, TimeEntry

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .admin_scene import (
    TICKET_MODELS,
    Scene,
    admin_url,
    autocomplete,
    listed,
    of_ticket,
    said_missing,
    scene_build,
    worked,
)
from .pages import desk_state, query_count, raw

model_ids = pytest.mark.parametrize("model", TICKET_MODELS, ids=lambda model: model.__name__)


@pytest.fixture
def scene(cast: Cast) -> Scene:
    return scene_build(cast)


@pytest.fixture
def mia(cast: Cast) -> Client:
    return client_for(cast.marketing_agent)


def every(model: type[Model]) -> set[int]:
    return set(model._default_manager.values_list("pk", flat=True))


# ---- lists -----------------------------------------------------------------------------------


@model_ids
def test_an_agent_lists_only_the_rows_of_their_queues_tickets(
    scene: Scene, mia: Client, model: type[Model]
) -> None:
    shown = listed(mia, model)

    assert shown
    assert shown == of_ticket(model, scene.marketing)


@model_ids
def test_a_manager_and_an_administrator_list_every_queue(
    scene: Scene, cast: Cast, model: type[Model]
) -> None:
    for person in (cast.manager, cast.admin):
        assert listed(client_for(person), model) == every(model), person


def test_the_agents_ticket_list_shows_nothing_of_the_other_queues(scene: Scene, mia: Client) -> None:
    page = raw(mia.get(admin_url(Ticket, "changelist")))

    assert "Marketing follower numbers" in page
    assert "IT strange posts" not in page
    assert scene.it.reference not in page


# ---- change pages ----------------------------------------------------------------------------


@model_ids
def test_another_queues_row_reads_as_one_that_does_not_exist(
    scene: Scene, mia: Client, model: type[Model]
) -> None:
    foreign = min(of_ticket(model, scene.it))
    missing = max(every(model)) + 1000

    for view in ("change", "history"):
        assert said_missing(mia, admin_url(model, view, foreign)) == said_missing(
            mia, admin_url(model, view, missing)
        ), view


def test_an_agent_reads_their_queues_ticket_with_its_internal_notes(scene: Scene, mia: Client) -> None:
    page = mia.get(admin_url(Ticket, "change", scene.marketing.pk))

    assert page.status_code == 200
    content = raw(page)
    assert scene.marketing_note.body in content
    assert "marketing-internal.png" in content
    assert "IT internal" not in content
    assert 'name="_save"' not in content


def test_a_manager_reads_any_queues_ticket_with_its_internal_notes(scene: Scene, cast: Cast) -> None:
    page = client_for(cast.manager).get(admin_url(Ticket, "change", scene.it.pk))

    assert page.status_code == 200
    assert scene.it_note.body in raw(page)


def test_an_agent_who_asked_another_queue_for_help_reads_none_of_its_notes(cast: Cast) -> None:
    asked = file_ticket(cast.it_agent, problem="metrics-request", subject="Our follower numbers, please")
    note = services.ticket_reply(
        ticket=asked,
        author=cast.marketing_agent,
        body="Marketing only: check with legal first",
        internal=True,
    )
    ian = client_for(cast.it_agent)

    assert asked.queue == cast.marketing
    assert listed(ian, Ticket) == set()
    assert listed(ian, Comment) == set()
    said_missing(ian, admin_url(Comment, "change", note.pk))
    said_missing(ian, admin_url(Ticket, "change", asked.pk))


# ---- files -----------------------------------------------------------------------------------


def test_no_admin_page_names_where_a_file_is_stored(scene: Scene, cast: Cast) -> None:
    for person in (cast.marketing_agent, cast.admin):
        client = client_for(person)
        for url in (
            admin_url(Attachment, "changelist"),
            admin_url(Attachment, "change", scene.marketing_file.pk),
            admin_url(Ticket, "change", scene.marketing.pk),
            admin_url(Comment, "change", scene.marketing_note.pk),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert scene.marketing_file.file.name not in raw(response), url


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (Attachment, "file"),
        (Attachment, "file__startswith"),
        (Attachment, "file__contains"),
        (Ticket, "attachments__file__startswith"),
        (Comment, "attachments__file__startswith"),
    ],
)
def test_stored_file_paths_cannot_be_probed_through_the_filters(
    scene: Scene, cast: Cast, model: type[Model], lookup: str
) -> None:
    prefix = scene.marketing_file.file.name[:16]

    for person in (cast.marketing_agent, cast.admin):
        response = client_for(person).get(admin_url(model, "changelist"), {lookup: prefix})
        assert response.status_code == 400, person


def test_a_filter_or_search_on_a_stored_file_path_fails_the_system_checks() -> None:
    class LeakyAttachmentAdmin(DeskScopedAdmin):
        list_filter = ["file"]
        search_fields = ["comment__attachments__file"]

    errors = LeakyAttachmentAdmin(Attachment, admin.site).check()

    assert [error.id for error in errors] == ["tickets.E001", "tickets.E001"]


# ---- filters, date drill-down ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "lookup"), [(Ticket, "queue__id__exact"), (TimeEntry, "ticket__queue__id__exact")]
)
def test_the_queue_filter_offers_only_the_agents_queues(
    scene: Scene, cast: Cast, mia: Client, model: type[Model], lookup: str
) -> None:
    cast.communications.members.add(cast.marketing_agent)

    response = mia.get(admin_url(model, "changelist"), {"_facets": "1"})

    changelist = response.context["cl"]
    spec = next(spec for spec in changelist.filter_specs if getattr(spec, "lookup_kwarg", "") == lookup)
    offered = [choice["display"] for choice in spec.choices(changelist)]
    assert offered == ["All", "Communications (0)", "Marketing (1)"]
    assert f"{lookup}={cast.it.pk}" not in raw(response)
    assert listed(mia, model, **{lookup: cast.it.pk}) == set()
    assert listed(mia, model, **{lookup: cast.marketing.pk}) == of_ticket(model, scene.marketing)


def test_an_agent_of_one_queue_gets_no_queue_filter(scene: Scene, cast: Cast, mia: Client) -> None:
    response = mia.get(admin_url(Ticket, "changelist"))

    lookups = [getattr(spec, "lookup_kwarg", "") for spec in response.context["cl"].filter_specs]
    assert "queue__id__exact" not in lookups
    assert f"queue__id__exact={cast.it.pk}" not in raw(response)


@model_ids
def test_every_filter_choice_and_its_counts_cover_only_the_agents_rows(
    scene: Scene, mia: Client, model: type[Model]
) -> None:
    url = admin_url(model, "changelist")
    mine = of_ticket(model, scene.marketing)

    response = mia.get(url, {"_facets": "1"})

    changelist = response.context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            # A count is the choice's rows among those the agent may see, never more.
            count = str(choice["display"]).rpartition("(")[2].rstrip(")")
            if count.isdigit():
                assert int(count) <= len(mine), choice
            filtered = mia.get(url + choice["query_string"])
            assert filtered.status_code == 200, choice["query_string"]
            assert {row.pk for row in filtered.context["cl"].result_list} <= mine, choice["query_string"]


@pytest.mark.parametrize(("model", "field"), [(Ticket, "created_at"), (TimeEntry, "logged_at")])
def test_the_date_drill_down_offers_only_the_agents_dates(
    scene: Scene, cast: Cast, mia: Client, model: type[Model], field: str
) -> None:
    model._default_manager.filter(
        **({"pk": scene.it.pk} if model is Ticket else {"ticket": scene.it})
    ).update(**{field: scene.it.created_at - timedelta(days=6 * 365)})
    old_year = f"{field}__year={scene.it.created_at.year - 6}"

    assert old_year not in raw(mia.get(admin_url(model, "changelist")))
    assert listed(mia, model, **{f"{field}__year": scene.it.created_at.year - 6}) == set()
    assert old_year in raw(client_for(cast.admin).get(admin_url(model, "changelist")))


# ---- search and autocomplete -----------------------------------------------------------------


def test_searching_finds_only_the_agents_rows(scene: Scene, cast: Cast, mia: Client) -> None:
    assert listed(mia, Ticket, q="strange posts") == set()
    assert listed(mia, Ticket, q=scene.it.reference) == set()
    assert listed(mia, Ticket, q=cast.employee.email) == set()
    assert listed(mia, Ticket, q=scene.marketing.reference) == {scene.marketing.pk}
    assert listed(mia, Comment, q="sticky note") == {scene.marketing_note.pk}
    assert listed(mia, Comment, q=str(scene.it.pk)) == set()
    assert listed(mia, Attachment, q="internal") == {scene.marketing_file.pk}
    assert listed(mia, Event, q="internal note") == set(
        Event.objects.filter(ticket=scene.marketing, kind=Event.Kind.NOTED).values_list("pk", flat=True)
    )
    assert listed(mia, TimeEntry, q="time") == of_ticket(TimeEntry, scene.marketing)


def test_a_manager_searches_every_queue(scene: Scene, cast: Cast) -> None:
    assert listed(client_for(cast.manager), Comment, q="sticky note") == {
        scene.it_note.pk,
        scene.marketing_note.pk,
    }


def test_autocomplete_offers_only_the_agents_tickets_and_comments(scene: Scene, mia: Client) -> None:
    assert autocomplete(mia, "notifications", "notification", "ticket") == {str(scene.marketing.pk)}
    assert autocomplete(mia, "tickets", "timeentry", "ticket", scene.it.reference) == set()
    assert autocomplete(mia, "tickets", "attachment", "comment", "sticky") == {str(scene.marketing_note.pk)}


def test_a_manager_autocompletes_every_queues_tickets(scene: Scene, cast: Cast) -> None:
    assert autocomplete(client_for(cast.manager), "notifications", "notification", "ticket") == {
        str(scene.it.pk),
        str(scene.marketing.pk),
    }


# ---- leaving the queue -----------------------------------------------------------------------


def test_leaving_the_queue_ends_what_the_admin_shows_of_it(scene: Scene, cast: Cast, mia: Client) -> None:
    for model in TICKET_MODELS:
        assert listed(mia, model) == of_ticket(model, scene.marketing), model
    assert mia.get(admin_url(Ticket, "change", scene.marketing.pk)).status_code == 200
    assert autocomplete(mia, "notifications", "notification", "ticket") == {str(scene.marketing.pk)}

    cast.marketing.members.remove(cast.marketing_agent)

    for model in TICKET_MODELS:
        assert listed(mia, model) == set(), model
        said_missing(mia, admin_url(model, "change", min(of_ticket(model, scene.marketing))))
    assert listed(mia, Comment, q="sticky note") == set()
    assert autocomplete(mia, "notifications", "notification", "ticket") == set()


def test_joining_a_queue_shows_its_rows_at_once(scene: Scene, cast: Cast, mia: Client) -> None:
    cast.it.members.add(cast.marketing_agent)

    assert listed(mia, Ticket) == {scene.it.pk, scene.marketing.pk}
    assert mia.get(admin_url(Comment, "change", scene.it_note.pk)).status_code == 200


# ---- actions, and reading changes nothing ----------------------------------------------------


def test_an_agent_gets_no_ticket_action_and_a_forged_one_deletes_nothing(scene: Scene, mia: Client) -> None:
    url = admin_url(Ticket, "changelist")
    assert 'name="action"' not in raw(mia.get(url))

    response = mia.post(
        url, {"action": "delete_selected", "_selected_action": [scene.it.pk, scene.marketing.pk], "index": 0}
    )

    assert response.status_code == 200
    assert Ticket.objects.filter(pk__in=[scene.it.pk, scene.marketing.pk]).count() == 2
    assert "IT strange posts" not in raw(response)


def test_an_agent_cannot_add_or_delete_rows_of_any_queue(scene: Scene, mia: Client) -> None:
    before = desk_state()

    for model in TICKET_MODELS:
        assert mia.get(admin_url(model, "add")).status_code == 403, model
        for ticket in (scene.it, scene.marketing):
            pk = min(of_ticket(model, ticket))
            assert mia.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403, model

    assert desk_state() == before


def test_reading_every_admin_page_changes_nothing(scene: Scene, cast: Cast, mia: Client) -> None:
    before = desk_state()

    for model in TICKET_MODELS:
        mia.get(admin_url(model, "changelist"), {"q": "note", "_facets": "1"})
        for ticket in (scene.it, scene.marketing):
            pk = min(of_ticket(model, ticket))
            mia.get(admin_url(model, "change", pk))
            mia.get(admin_url(model, "history", pk))
            mia.get(admin_url(model, "delete", pk))
    mia.get(admin_url(Ticket, "changelist"), {"action": "delete_selected", "_selected_action": scene.it.pk})

    assert desk_state() == before


# ---- what agents may do in the admin ---------------------------------------------------------


def test_agents_only_read_in_the_admin(cast: Cast) -> None:
    granted = cast.marketing_agent.get_all_permissions()

    assert granted == set(AGENT_PERMISSIONS)
    assert all(name.split(".")[1].startswith("view_") for name in granted)


def test_agents_no_longer_read_queues_their_rates_and_members(cast: Cast, mia: Client) -> None:
    assert mia.get(admin_url(Queue, "changelist")).status_code == 403
    assert mia.get(admin_url(Queue, "change", cast.it.pk)).status_code == 403
    assert listed(client_for(cast.manager), Queue) == set(Queue.objects.values_list("pk", flat=True))


def test_migrate_brings_a_role_group_of_an_earlier_release_in_line(cast: Cast) -> None:
    earlier = Permission.objects.filter(
        content_type__app_label="tickets", codename__in=["view_queue", "view_platform", "change_ticket"]
    )
    Group.objects.get(name="Agents").permissions.add(*earlier)
    assert "tickets.change_ticket" in User.objects.get(pk=cast.marketing_agent.pk).get_all_permissions()

    call_command("migrate", verbosity=0, interactive=False)

    assert User.objects.get(pk=cast.marketing_agent.pk).get_all_permissions() == set(AGENT_PERMISSIONS)


# ---- query counts ----------------------------------------------------------------------------


@model_ids
def test_an_agents_admin_list_costs_the_same_queries_for_more_rows(
    cast: Cast, mia: Client, model: type[Model]
) -> None:
    def more_work(count: int) -> None:
        for number in range(count):
            ticket = file_ticket(cast.other_employee, problem="metrics-request")
            worked(ticket, cast.marketing_agent, f"Batch{number}")

    url = admin_url(model, "changelist")
    more_work(2)
    few = query_count(mia, url, data={"_facets": "1"})
    more_work(5)

    assert query_count(mia, url, data={"_facets": "1"}) == few


def test_view_on_site_tells_nothing_of_another_queues_rows(scene: Scene, cast: Cast, mia: Client) -> None:
    ticket_type = ContentType.objects.get_for_model(Ticket)
    own = reverse("admin:view_on_site", args=[ticket_type.pk, scene.marketing.pk])
    foreign = reverse("admin:view_on_site", args=[ticket_type.pk, scene.it.pk])
    missing = reverse("admin:view_on_site", args=[ticket_type.pk, scene.it.pk + 1000])

    assert mia.get(own).status_code == 302
    assert mia.get(foreign).status_code == 404
    assert mia.get(missing).status_code == 404
    assert mia.get(reverse("admin:view_on_site", args=[ticket_type.pk, "not-a-number"])).status_code == 404
    assert client_for(cast.manager).get(foreign).status_code == 302
