"""Notifications without a broker: what would be published is recorded, and a test plays the worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from notifications.delivery import TryAgain, notification_deliver
from notifications.models import Notification
from socialit.celery import app as celery_app
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket

SITE_URL = "https://desk.example.test"
DISCONNECTED = "tests.notifications.backends.DisconnectedBackend"
CRASHING = "tests.notifications.backends.CrashingBackend"


@dataclass
class Broker:
    """Stands in for Redis: `published` is every (task name, args, options) handed to it."""

    published: list[tuple[str, list[Any], dict[str, Any]]] = field(default_factory=list)
    down: Exception | None = None

    def send_task(self, name: str, args: list[Any] | None = None, **options: Any) -> None:
        if self.down is not None:
            raise self.down
        self.published.append((name, list(args or []), options))

    @property
    def ids(self) -> list[int]:
        return [args[0] for _, args, _ in self.published]

    def work(self) -> dict[int, str]:
        """Deliver everything published so far, once each, the way a worker would."""
        results: dict[int, str] = {}
        queued, self.published = self.ids, []
        for notification_id in queued:
            try:
                results[notification_id] = notification_deliver(notification_id=notification_id)
            except TryAgain:
                results[notification_id] = "try again"
        return results


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr(celery_app, "send_task", fake.send_task)
    return fake


@pytest.fixture(autouse=True)
def site_url(settings: Settings) -> str:
    settings.SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "Social IT Desk <desk@socialit.example>"
    return SITE_URL


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    ticket = file_ticket(cast.employee, subject="Cannot log in to the support account")
    Notification.objects.all().delete()
    return ticket
