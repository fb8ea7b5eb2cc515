"""A password reset while SMTP is frozen: the page answers at once, the mail follows when SMTP is back.

Run with DATABASE_URL=postgres://... and REDIS_URL=redis://... as the rest of the integration suite.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from accounts.models import AuthEvent
from notifications.models import Kind, Notification

from ..conftest import PASSWORD, Cast
from .conftest import SITE_URL, Mailbox, Received, Worker, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the integration suite needs PostgreSQL and Redis: set DATABASE_URL=postgres://... "
        "and REDIS_URL=redis://... (a Celery worker in another process must share the database)",
    ),
]

StartWorker = Callable[[], Worker]
NEW_PASSWORD = "a brand new long passphrase"
# The old in-request send waited for EMAIL_TIMEOUT (10 s) on a frozen server.
PROMPT_SECONDS = 2.0


@pytest.fixture(autouse=True)
def site_url(settings: Settings) -> None:
    settings.SITE_URL = SITE_URL


def ask_for_a_reset(email: str) -> float:
    started = time.monotonic()
    response = Client().post(reverse("accounts:password_reset"), {"email": email})
    took = time.monotonic() - started
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    return took


def reset_link(received: Received) -> str:
    found = re.search(re.escape(SITE_URL) + r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", received.text)
    assert found, received.text
    assert found.group(0) in received.html
    return found.group(1)


def set_password_through(link: str) -> Client:
    client = Client()
    form = client.get(link, follow=True)
    assert "new_password1" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    return client


def signs_in_with(email: str, password: str) -> bool:
    response = Client().post(reverse("accounts:login"), {"username": email, "password": password})
    return response.status_code == 302


def test_a_reset_asked_while_smtp_hangs_answers_at_once_and_the_mail_arrives_after(
    transactional_db: None, cast: Cast, mailbox: Mailbox, start_worker: StartWorker
) -> None:
    mailbox.hold_next()  # the first DATA is never answered: the worker's send times out
    start_worker()

    assert ask_for_a_reset(cast.employee.email) < PROMPT_SECONDS

    wait_until(mailbox.holding.is_set, what="the worker stuck on the frozen server")
    assert mailbox.accepted == []
    mailbox.release()
    (received,) = mailbox.wait_for(1)
    assert received.rcpt_tos == [cast.employee.email]
    assert received["Subject"] == "Reset your Social IT Desk password"
    set_password_through(reset_link(received))
    assert signs_in_with(cast.employee.email, NEW_PASSWORD)
    assert not signs_in_with(cast.employee.email, PASSWORD)
    wait_until(
        lambda: Notification.objects.filter(kind=Kind.PASSWORD_RESET, status="sent", attempts=2).exists(),
        what="the row marked sent after its second attempt",
    )
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.PASSWORD_RESET_DONE, user=cast.employee).exists()


def test_a_reset_asked_while_smtp_refuses_is_retried_until_it_accepts_and_the_link_works(
    transactional_db: None, cast: Cast, mailbox: Mailbox, start_worker: StartWorker
) -> None:
    mailbox.refuse_next(2)
    start_worker()

    assert ask_for_a_reset(cast.employee.email) < PROMPT_SECONDS

    (received,) = mailbox.wait_for(1)
    assert len(mailbox.refused) == 2
    link = reset_link(received)
    # Each attempt wrote its own link; only the one delivered needs to work, and no row keeps one.
    row = Notification.objects.get(kind=Kind.PASSWORD_RESET)
    assert link.rstrip("/").rsplit("/", 1)[1] not in str(row.context)
    set_password_through(link)
    assert signs_in_with(cast.employee.email, NEW_PASSWORD)
