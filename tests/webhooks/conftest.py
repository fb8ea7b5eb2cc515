from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from accounts.models import User
from webhooks.models import Endpoint, Topic

from .receiver import Receiver, receiving


@pytest.fixture
def receiver(settings: Settings) -> Iterator[Receiver]:
    """A live receiver on loopback, which the desk may call only with the allow setting on."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_READ_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS = 0.5
    with receiving() as live:
        yield live


def endpoint_for(owner: User, url: str, topics: list[str] | None = None) -> Endpoint:
    return Endpoint.objects.create(name="IT chat", url=url, owner=owner, topics=topics or list(Topic.values))
