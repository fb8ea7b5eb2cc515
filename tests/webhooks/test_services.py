"""Which events make deliveries: written in the event's transaction, only for subscribers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tickets import services
from tickets.models import Ticket
from tickets.services.sla import sla_sweep
from tickets.services.work import tickets_close_resolved
from webhooks.models import Delivery, Endpoint, Topic
from webhooks.services import deliveries_send_again, endpoints_turn_on, webhooks_redispatch

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import endpoint_for

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/desk"


def topics(ticket: Ticket) -> list[str]:
    return list(Delivery.objects.filter(ticket=ticket).order_by("pk").values_list("topic", flat=True))


def test_each_change_makes_its_delivery(cast: Cast) -> None:
    endpoint_for(cast.admin, URL)
    ticket = file_ticket(cast.employee)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Looking", internal=True)
    services.ticket_set_priority(ticket=ticket, priority=4, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Fixed", status=Ticket.Status.RESOLVED)

    assert topics(ticket) == [
        Topic.TICKET_CREATED,
        Topic.TICKET_ASSIGNED,
        Topic.TICKET_COMMENTED,
        Topic.TICKET_UPDATED,
        Topic.TICKET_COMMENTED,
        Topic.TICKET_RESOLVED,
    ]
    note = Delivery.objects.filter(ticket=ticket, topic=Topic.TICKET_COMMENTED).order_by("pk").first()
    assert note is not None and note.payload["event"]["kind"] == "noted"


def test_status_resolved_is_its_own_topic(cast: Cast) -> None:
    endpoint_for(cast.admin, URL, topics=[Topic.TICKET_RESOLVED])
    ticket = file_ticket(cast.employee)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)
    assert topics(ticket) == [Topic.TICKET_RESOLVED]


def test_only_subscribers_get_deliveries(cast: Cast) -> None:
    resolved_only = endpoint_for(cast.admin, URL, topics=[Topic.TICKET_RESOLVED])
    endpoint_for(cast.admin, URL, topics=[Topic.TICKET_CREATED])
    Endpoint.objects.create(name="Off", url=URL, owner=cast.admin, topics=list(Topic.values), is_active=False)
    ticket = file_ticket(cast.employee)
    assert topics(ticket) == [Topic.TICKET_CREATED]
    assert not Delivery.objects.filter(endpoint=resolved_only).exists()


def test_a_change_that_rolls_back_leaves_no_delivery(cast: Cast) -> None:
    endpoint_for(cast.admin, URL)
    ticket = file_ticket(cast.employee)
    before = Delivery.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.ticket_set_priority(ticket=ticket, priority=4, actor=cast.it_agent)
        raise RuntimeError("the request failed after the change")
    assert Delivery.objects.count() == before


def test_deliveries_go_to_the_broker_only_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(
        "notifications.services.current_app.send_task",
        lambda name, args, retry: sent.append((name, args)),
    )
    endpoint_for(cast.admin, URL)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ticket = file_ticket(cast.employee)
        assert not [name for name, _ in sent if name == "webhooks.deliver"]
    delivery = Delivery.objects.get(ticket=ticket)
    assert ("webhooks.deliver", [delivery.pk]) in sent


def test_the_sla_sweep_makes_deliveries_for_its_bulk_events(cast: Cast) -> None:
    endpoint_for(cast.admin, URL, topics=[Topic.SLA_WARNING, Topic.SLA_BREACH])
    ticket = file_ticket(cast.employee)
    assert ticket.first_response_due_at is not None
    sla_sweep(now=ticket.first_response_due_at + timedelta(minutes=1))
    (delivery,) = Delivery.objects.filter(ticket=ticket)
    assert delivery.topic == Topic.SLA_BREACH
    assert delivery.payload["event"]["payload"]["target"] == "first response"


def test_closing_resolved_tickets_makes_update_deliveries(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)
    endpoint_for(cast.admin, URL, topics=[Topic.TICKET_UPDATED])
    assert tickets_close_resolved(now=timezone.now() + timedelta(days=60)) == 1
    (delivery,) = Delivery.objects.filter(ticket=ticket)
    assert delivery.payload["ticket"]["status"] == Ticket.Status.CLOSED


def test_the_redispatcher_takes_back_rows_of_a_dead_worker(cast: Cast) -> None:
    endpoint_for(cast.admin, URL)
    file_ticket(cast.employee)
    delivery = Delivery.objects.get()
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5))
    assert webhooks_redispatch() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING


def test_send_again_is_for_administrators_and_active_endpoints(cast: Cast) -> None:
    endpoint = endpoint_for(cast.admin, URL)
    file_ticket(cast.employee)
    delivery = Delivery.objects.get()
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=8, last_error="Answered HTTP 500.")
    with pytest.raises(PermissionDenied):
        deliveries_send_again(ids=[delivery.pk], actor=cast.manager)
    Endpoint.objects.update(is_active=False)
    assert deliveries_send_again(ids=[delivery.pk], actor=cast.admin) == 0
    assert endpoints_turn_on(ids=[endpoint.pk], actor=cast.admin) == 1
    assert deliveries_send_again(ids=[delivery.pk], actor=cast.admin) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.PENDING, 0, "")
