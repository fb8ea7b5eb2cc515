"""Asking for a password reset: the email goes through the outbox, a few per hour, the same page for all."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthEvent, User
from notifications.emails import build
from notifications.models import Kind, Notification, OptOut

from ..conftest import PASSWORD, Cast, client_for

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")
NEW_PASSWORD = "a brand new long passphrase"


def reset_rows(user: User | None = None) -> list[Notification]:
    rows = Notification.objects.filter(kind=Kind.PASSWORD_RESET)
    return list(rows.filter(recipient=user) if user else rows)


def same_page(page: str) -> str:
    """The page without what differs on every response anyway (nonces, CSRF tokens)."""
    return re.sub(r'(nonce|value)="[^"]*"|"X-CSRFToken": "[^"]*"', "", page)


def link_in(row: Notification) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", build(row).body)
    assert found, build(row).body
    return found.group(1)


def test_a_reset_request_queues_one_email_and_sends_nothing_in_the_request(cast: Cast) -> None:
    response = Client().post(RESET, {"email": "Erin.Employee@Example.com "})

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert mail.outbox == []
    [row] = reset_rows()
    assert (row.recipient, row.email, row.ticket_id, row.thread) == (
        cast.employee,
        cast.employee.email,
        None,
        f"account-{cast.employee.pk}",
    )
    assert row.status == Notification.Status.PENDING


def test_the_outbox_row_keeps_no_token(cast: Cast) -> None:
    Client().post(RESET, {"email": cast.employee.email})
    [row] = reset_rows()

    link = link_in(row)

    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(row.context)
    assert set(row.context) == {"url", "recipient_name"}
    assert row.context["url"] == f"http://127.0.0.1:8000{RESET}"


def test_the_email_reads_as_a_reset_and_not_as_a_ticket(cast: Cast) -> None:
    Client().post(RESET, {"email": cast.employee.email})

    message = build(reset_rows()[0])

    assert message.subject == "Reset your Social IT Desk password"
    assert "Hello Erin," in message.body
    assert "choose a new one here within 1\xa0hour" in message.body
    assert "If it wasn't you, ignore this email" in message.body
    assert "Choose a new password" in str(message.alternatives[0][0])
    assert message.to == [f"Erin Employee <{cast.employee.email}>"]


def test_the_link_sets_a_new_password_once(cast: Cast) -> None:
    Client().post(RESET, {"email": cast.employee.email})
    link = link_in(reset_rows()[0])
    client = Client()

    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == reverse("accounts:password_reset_complete")
    cast.employee.refresh_from_db()
    assert cast.employee.check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert "This link has expired or was already used." in again.content.decode()


def test_a_link_made_at_delivery_works_for_an_hour_from_then(cast: Cast) -> None:
    Client().post(RESET, {"email": cast.employee.email})
    row = reset_rows()[0]

    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        link = link_in(row)  # delivered late: SMTP was down
        with time_machine.travel(timezone.now() + timedelta(minutes=50)):
            assert "new_password1" in Client().get(link, follow=True).content.decode()
        with time_machine.travel(timezone.now() + timedelta(minutes=70)):
            assert "This link has expired" in Client().get(link, follow=True).content.decode()


def test_twenty_requests_queue_at_most_the_hourly_limit_and_every_answer_is_the_same(cast: Cast) -> None:
    client = Client()

    answers = {client.post(RESET, {"email": cast.employee.email})["Location"] for _ in range(20)}

    assert answers == {SENT}
    assert len(reset_rows(cast.employee)) == 3
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.PASSWORD_RESET_REQUESTED).count() == 3
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.PASSWORD_RESET_THROTTLED).count() == 17
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        client.post(RESET, {"email": cast.employee.email})
    assert len(reset_rows(cast.employee)) == 4


def test_the_account_limit_holds_from_any_address(cast: Cast) -> None:
    for number in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(RESET, {"email": cast.employee.email})

    assert len(reset_rows(cast.employee)) == 3


def test_one_address_asking_for_many_accounts_is_limited_too(cast: Cast) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(10):
        client.post(RESET, {"email": f"someone{number}@example.com"})

    client.post(RESET, {"email": cast.employee.email})

    assert reset_rows() == []
    Client(REMOTE_ADDR="203.0.113.9").post(RESET, {"email": cast.employee.email})
    assert len(reset_rows(cast.employee)) == 1


@pytest.mark.parametrize("email", ["nobody@example.com", "oscar.other@example.com"])
def test_an_unknown_or_inactive_address_gets_the_same_answer_and_no_email(cast: Cast, email: str) -> None:
    cast.other_employee.is_active = False
    cast.other_employee.save(update_fields=["is_active"])
    known = Client().post(RESET, {"email": cast.employee.email}, follow=True)

    unknown = Client().post(RESET, {"email": email}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert same_page(unknown.content.decode()) == same_page(known.content.decode())
    assert reset_rows() == reset_rows(cast.employee)


def test_a_malformed_address_is_refused_with_a_message(cast: Cast) -> None:
    response = Client().post(RESET, {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert reset_rows() == []


def test_the_reset_email_cannot_be_turned_off(cast: Cast) -> None:
    OptOut.objects.create(user=cast.employee, kind=Kind.PASSWORD_RESET)  # as an admin could by hand

    Client().post(RESET, {"email": cast.employee.email})

    assert len(reset_rows(cast.employee)) == 1
    preferences = client_for(cast.employee).get(reverse("notifications:preferences")).content.decode()
    assert 'value="password_reset"' not in preferences


def test_a_completed_reset_signs_out_every_session(cast: Cast) -> None:
    signed_in = Client()
    signed_in.post(reverse("accounts:login"), {"username": cast.employee.email, "password": PASSWORD})
    Client().post(RESET, {"email": cast.employee.email})
    client = Client()
    form = client.get(link_in(reset_rows()[0]), follow=True)

    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert SESSION_KEY not in signed_in.session
    assert signed_in.get("/").status_code == 302
