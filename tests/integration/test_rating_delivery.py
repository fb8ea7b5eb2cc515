"""The resolved email's rating link, received by a real SMTP server from a real worker, rates
the ticket, and the rating is on the dashboard.

Run with DATABASE_URL=postgres://... and REDIS_URL=redis://... as the rest of the integration suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from satisfaction.models import Rating
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import SITE_URL, Mailbox, Worker, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the integration suite needs PostgreSQL and Redis: set DATABASE_URL=postgres://... "
        "and REDIS_URL=redis://... (a Celery worker in another process must share the database)",
    ),
]


@pytest.fixture(autouse=True)
def site_url(settings: Settings) -> None:
    settings.SITE_URL = SITE_URL


def test_the_rating_link_in_the_resolved_email_rates_the_ticket(
    transactional_db: None, cast: Cast, mailbox: Mailbox, start_worker: Callable[[], Worker]
) -> None:
    start_worker()
    ticket = file_ticket(cast.employee, subject="The blog shows an error")
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    received = wait_until(
        lambda: next((mail for mail in mailbox.accepted if "Resolved:" in (mail["Subject"] or "")), None),
        what="the resolved email",
    )
    assert received.rcpt_tos == [cast.employee.email]
    assert "Resolved: The blog shows an error" in (received["Subject"] or "")
    found = re.search(re.escape(SITE_URL) + r"(/satisfaction/rate/[^/\s]+/)", received.text)
    assert found, received.text
    assert found.group(0) in received.html
    link = found.group(1)

    assert Client().get(link).status_code == 200  # a mail scanner's GET
    assert Rating.objects.count() == 0
    assert Client().post(link, {"score": "5", "comment": "Back within the hour"}).status_code == 302
    assert Rating.objects.get().score == 5

    page = client_for(cast.manager).get(reverse("reports:dashboard")).content.decode()
    assert "Back within the hour" in page and ticket.reference in page
