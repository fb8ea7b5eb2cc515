"""The outbox in the admin: rows about a ticket for whoever works its queue, the rest for admins.

Agents get no outbox by their role; one an administrator lets in anyway still reads only the
rows of their queues' tickets. Managers read every ticket's rows; a row about no ticket (a
person's own mail, such as a password reset) only administrators read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from pytest_django.fixtures import Settings

from accounts.models import User
from notifications.models import Notification

from ..conftest import Cast, client_for
from ..tickets.admin_scene import Scene, admin_url, listed, said_missing, scene_build
from ..tickets.pages import query_count, raw
from ..twofactor.devices import session_verify

Status = Notification.Status


@pytest.fixture
def scene(cast: Cast, settings: Settings, tmp_path: Path) -> Scene:
    settings.MEDIA_ROOT = tmp_path / "media"
    return scene_build(cast)


@pytest.fixture
def mia(cast: Cast) -> Client:
    """Mia of Marketing, let into the outbox by hand (no role gives agents that)."""
    cast.marketing_agent.user_permissions.add(
        Permission.objects.get(content_type__app_label="notifications", codename="view_notification")
    )
    return client_for(User.objects.get(pk=cast.marketing_agent.pk))


def rows_of(*tickets: object) -> set[int]:
    return set(Notification.objects.filter(ticket__in=tickets).values_list("pk", flat=True))


def failed(*rows: Notification | int) -> list[int]:
    ids = [row if isinstance(row, int) else row.pk for row in rows]
    Notification.objects.filter(pk__in=ids).update(status=Status.FAILED, last_error="SMTP said no")
    return ids


def statuses(ids: list[int]) -> dict[int, str]:
    return dict(Notification.objects.filter(pk__in=ids).values_list("pk", "status"))


def first_of(ticket: object) -> int:
    return Notification.objects.filter(ticket=ticket).order_by("pk").values_list("pk", flat=True)[0]


def retry(client: Client, ids: list[int], **extra: object) -> object:
    return client.post(
        admin_url(Notification, "changelist"),
        {"action": "retry", "_selected_action": ids, "index": 0, **extra},
    )


def test_agents_get_no_outbox_by_their_role(scene: Scene, cast: Cast) -> None:
    assert client_for(cast.marketing_agent).get(admin_url(Notification, "changelist")).status_code == 403


def test_an_agent_let_into_the_outbox_reads_only_their_queues_rows(scene: Scene, mia: Client) -> None:
    assert listed(mia, Notification) == rows_of(scene.marketing)
    assert rows_of(scene.marketing)
    assert listed(mia, Notification, q=str(scene.it.pk)) == set()
    assert listed(mia, Notification, q="example.com") == rows_of(scene.marketing)


def test_another_queues_row_and_a_ticketless_row_read_as_missing(scene: Scene, mia: Client) -> None:
    missing = said_missing(mia, admin_url(Notification, "change", scene.ticketless.pk + 1000))

    assert said_missing(mia, admin_url(Notification, "change", first_of(scene.it))) == missing
    assert said_missing(mia, admin_url(Notification, "change", scene.ticketless.pk)) == missing
    assert mia.get(admin_url(Notification, "change", first_of(scene.marketing))).status_code == 200


def test_the_outbox_filters_and_dates_cover_only_the_agents_rows(scene: Scene, mia: Client) -> None:
    url = admin_url(Notification, "changelist")
    mine = rows_of(scene.marketing)

    response = mia.get(url, {"_facets": "1"})

    changelist = response.context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            count = str(choice["display"]).rpartition("(")[2].rstrip(")")
            if count.isdigit():
                assert int(count) <= len(mine), choice
            filtered = mia.get(url + choice["query_string"])
            assert {row.pk for row in filtered.context["cl"].result_list} <= mine, choice["query_string"]
    Notification.objects.filter(pk__in=rows_of(scene.it)).update(
        created_at=scene.it.created_at.replace(year=2019)
    )
    assert "created_at__year=2019" not in raw(mia.get(url))


def test_a_manager_reads_every_tickets_rows_but_not_a_ticketless_one(scene: Scene, cast: Cast) -> None:
    manager = client_for(cast.manager)

    assert listed(manager, Notification) == rows_of(scene.it, scene.marketing)
    said_missing(manager, admin_url(Notification, "change", scene.ticketless.pk))


def test_an_administrator_reads_every_row(scene: Scene, cast: Cast) -> None:
    administrator = client_for(cast.admin)

    assert listed(administrator, Notification) == set(Notification.objects.values_list("pk", flat=True))
    page = administrator.get(admin_url(Notification, "change", scene.ticketless.pk))
    assert page.status_code == 200


# ---- the retry action ------------------------------------------------------------------------


def test_retrying_with_another_queues_ids_retries_only_the_agents_rows(scene: Scene, mia: Client) -> None:
    ids = failed(first_of(scene.it), first_of(scene.marketing), scene.ticketless)

    response = retry(mia, ids)

    assert response.status_code == 302
    assert statuses(ids) == {ids[0]: Status.FAILED, ids[1]: Status.PENDING, ids[2]: Status.FAILED}


def test_a_manager_cannot_retry_a_ticketless_row_but_an_administrator_can(scene: Scene, cast: Cast) -> None:
    ids = failed(scene.ticketless)

    retry(client_for(cast.manager), ids)
    assert statuses(ids) == {ids[0]: Status.FAILED}

    retry(client_for(cast.admin), ids)
    assert statuses(ids) == {ids[0]: Status.PENDING}


def test_the_retry_action_needs_the_forms_csrf_token(scene: Scene, cast: Cast) -> None:
    ids = failed(first_of(scene.marketing))
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    session_verify(client, cast.manager)
    client.get(admin_url(Notification, "changelist"))

    assert retry(client, ids).status_code == 403
    assert statuses(ids) == {ids[0]: Status.FAILED}

    assert retry(client, ids, csrfmiddlewaretoken=client.cookies["csrftoken"].value).status_code == 302
    assert statuses(ids) == {ids[0]: Status.PENDING}


def test_reading_the_outbox_retries_nothing(scene: Scene, cast: Cast, mia: Client) -> None:
    ids = failed(first_of(scene.it), first_of(scene.marketing), scene.ticketless)
    url = admin_url(Notification, "changelist")

    for client in (mia, client_for(cast.manager), client_for(cast.admin)):
        client.get(url, {"action": "retry", "_selected_action": ids, "index": 0})
        for pk in ids:
            client.get(admin_url(Notification, "change", pk))

    assert set(statuses(ids).values()) == {Status.FAILED}


def test_the_outbox_list_costs_the_same_queries_for_more_rows(scene: Scene, cast: Cast, mia: Client) -> None:
    url = admin_url(Notification, "changelist")
    few = query_count(mia, url, data={"_facets": "1"})
    template = Notification.objects.filter(ticket=scene.marketing).first()
    assert template is not None
    Notification.objects.bulk_create(
        [
            Notification(
                kind=template.kind,
                recipient_id=template.recipient_id,
                email=template.email,
                ticket=scene.marketing,
                thread=template.thread,
            )
            for _ in range(5)
        ]
    )

    assert query_count(mia, url, data={"_facets": "1"}) == few
