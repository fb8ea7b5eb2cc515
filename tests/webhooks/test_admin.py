"""The administrators' webhook screens: endpoints refused on private addresses, the delivery log,
"send again" and "turn on"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from webhooks.models import Attempt, Delivery, Endpoint, Topic

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import endpoint_for

pytestmark = pytest.mark.django_db

PUBLIC = "https://93.184.215.14/hooks/desk"  # a public literal address: no DNS needed


def add_form(cast: Cast, url: str) -> dict[str, object]:
    return {
        "name": "Comms chat",
        "url": url,
        "topics": [Topic.TICKET_CREATED, Topic.SLA_BREACH],
        "owner": cast.admin.pk,
        "is_active": "on",
    }


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:8000/hook", "a loopback address"),
        ("http://localhost/hook", "localhost resolves to"),
        ("http://10.1.2.3/hook", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://[::1]/hook", "a loopback address"),
        ("http://[::ffff:192.168.0.1]/hook", "a private address"),
        ("http://224.0.0.1/hook", "a multicast address"),
        ("http://240.0.0.1/hook", "address"),
        ("ftp://93.184.215.14/hook", "http:// or https://"),
        ("https://user:secret@93.184.215.14/hook", "Leave the user name and password out"),
    ],
)
def test_an_endpoint_on_a_private_address_is_refused_at_save(cast: Cast, url: str, says: str) -> None:
    response = client_for(cast.admin).post(reverse("admin:webhooks_endpoint_add"), add_form(cast, url))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.errors.get("url", []))
    assert says in errors, errors
    assert not Endpoint.objects.exists()


def test_an_administrator_adds_an_endpoint_and_reads_its_secret(cast: Cast) -> None:
    client = client_for(cast.admin)
    response = client.post(reverse("admin:webhooks_endpoint_add"), add_form(cast, PUBLIC))
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.topics == [Topic.TICKET_CREATED, Topic.SLA_BREACH]
    assert endpoint.secret.startswith("whsec_")
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.secret in page
    listing = client.get(reverse("admin:webhooks_endpoint_changelist")).content.decode()
    assert "Ticket created, SLA deadline missed" in listing


@pytest.mark.parametrize("who", ["manager", "it_agent", "employee"])
def test_only_administrators_reach_the_webhook_screens(cast: Cast, who: str) -> None:
    endpoint_for(cast.admin, PUBLIC)
    client = client_for(getattr(cast, who))
    for name in ("admin:webhooks_endpoint_changelist", "admin:webhooks_delivery_changelist"):
        assert client.get(reverse(name)).status_code in (302, 403)
    assert client.post(reverse("admin:webhooks_endpoint_add"), add_form(cast, PUBLIC)).status_code in (
        302,
        403,
    )
    assert Endpoint.objects.count() == 1


def test_the_delivery_log_shows_each_attempt_and_sends_again(cast: Cast) -> None:
    endpoint_for(cast.admin, PUBLIC)
    file_ticket(cast.employee)
    delivery = Delivery.objects.get()
    Attempt.objects.create(
        delivery=delivery, number=1, duration_ms=12, status_code=500, error="Answered HTTP 500."
    )
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=1, last_error="Answered HTTP 500.")
    client = client_for(cast.admin)
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).content.decode()
    assert "Answered HTTP 500." in page and str(delivery.uuid) in page
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)


def test_an_endpoint_turned_off_is_turned_on_again(cast: Cast) -> None:
    endpoint = endpoint_for(cast.admin, PUBLIC)
    Endpoint.objects.update(is_active=False, failures_in_row=15, disabled_reason="15 failures in a row")
    response = client_for(cast.admin).post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "turn_on", "_selected_action": [endpoint.pk]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures_in_row, endpoint.disabled_reason) == (True, 0, "")


def test_a_new_secret_replaces_the_old_one(cast: Cast) -> None:
    endpoint = endpoint_for(cast.admin, PUBLIC)
    old = endpoint.secret
    client_for(cast.admin).post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "renew_secret", "_selected_action": [endpoint.pk]},
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")


def admin_list_queries(cast: Cast, name: str) -> int:
    client = client_for(cast.admin)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    return len(captured)


def test_the_admin_lists_cost_the_same_for_few_and_many_rows(cast: Cast) -> None:
    endpoint_for(cast.admin, PUBLIC)
    file_ticket(cast.employee)
    few = [admin_list_queries(cast, name) for name in LISTS]
    for number in range(10):
        endpoint_for(cast.manager, f"https://93.184.215.{number + 20}/hooks")
        file_ticket(cast.employee)
    assert Delivery.objects.count() > 10
    assert [admin_list_queries(cast, name) for name in LISTS] == few


LISTS = ["admin:webhooks_endpoint_changelist", "admin:webhooks_delivery_changelist"]
