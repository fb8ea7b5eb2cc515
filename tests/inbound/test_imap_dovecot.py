"""IMAP polling against a real Dovecot: delivered mail becomes tickets, once, whatever breaks."""

from __future__ import annotations

import imaplib
import logging

import pytest

from inbound import imap
from inbound.models import InboundMessage, Mailbox
from inbound.tasks import imap_poll
from tests.conftest import Cast
from tests.factories import file_ticket
from tickets.models import Comment, Ticket

from .conftest import IMAP_PASSWORD, IMAP_USER, PASSWORD_ENV, Dovecot, corpus


@pytest.fixture
def imap_mailbox(cast: Cast, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    monkeypatch.setenv(PASSWORD_ENV, IMAP_PASSWORD)
    return Mailbox.objects.create(
        address=IMAP_USER,
        slug="it",
        queue=cast.it,
        delivery=Mailbox.Delivery.IMAP,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Mailbox.Security.NONE,
        imap_user=IMAP_USER,
        imap_password_env=PASSWORD_ENV,
    )


def deliver(dovecot: Dovecot, raw: bytes) -> None:
    with imaplib.IMAP4("127.0.0.1", dovecot.port, timeout=10) as client:
        client.login(IMAP_USER, IMAP_PASSWORD)
        status, _ = client.append("INBOX", "", imaplib.Time2Internaldate(0), raw)
        assert status == "OK"


def unseen(dovecot: Dovecot) -> int:
    with imaplib.IMAP4("127.0.0.1", dovecot.port, timeout=10) as client:
        client.login(IMAP_USER, IMAP_PASSWORD)
        client.select("INBOX")
        _, data = client.uid("SEARCH", "UNSEEN")
        return len(data[0].split())


def test_delivered_mail_becomes_a_routed_ticket_and_is_flagged_seen(
    cast: Cast, dovecot: Dovecot, imap_mailbox: Mailbox
) -> None:
    deliver(dovecot, corpus("plain_new.eml").replace(b"shows a PHP error on", b"was hacked, it errors on"))

    assert imap_poll() == 1

    ticket = Ticket.objects.get()
    assert ticket.requester == cast.employee
    assert ticket.queue == cast.it
    assert ticket.priority == Ticket.Priority.URGENT
    assert unseen(dovecot) == 0


def test_a_reply_to_a_notification_lands_on_its_ticket(
    cast: Cast, dovecot: Dovecot, imap_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    deliver(dovecot, corpus("gmail_reply.eml", ticket_id=ticket.pk))

    imap_poll()

    comment = Comment.objects.get(ticket=ticket)
    assert comment.author == cast.employee
    assert Ticket.objects.count() == 1


def test_imap_down_is_logged_and_the_next_tick_picks_the_mail_up(
    dovecot: Dovecot, imap_mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    deliver(dovecot, corpus("plain_new.eml"))
    dovecot.stop()

    with caplog.at_level(logging.WARNING, logger="inbound.imap"):
        assert imap_poll() == 0
    assert "unreachable" in caplog.text
    assert not InboundMessage.objects.exists()

    dovecot.start()
    assert imap_poll() == 1
    assert Ticket.objects.count() == 1


class Crash(Exception):
    """The worker dies after the ticket was committed and before the seen flag was set."""


def test_a_crash_between_the_ticket_and_the_seen_flag_makes_one_ticket(
    dovecot: Dovecot, imap_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver(dovecot, corpus("plain_new.eml"))
    receive = imap.message_receive

    def receive_then_crash(**kwargs: object) -> InboundMessage:
        receive(**kwargs)  # type: ignore[arg-type]
        raise Crash

    monkeypatch.setattr(imap, "message_receive", receive_then_crash)
    with pytest.raises(Crash):
        imap_poll()
    assert Ticket.objects.count() == 1
    assert unseen(dovecot) == 1

    monkeypatch.setattr(imap, "message_receive", receive)
    assert imap_poll() == 1

    assert Ticket.objects.count() == 1
    assert unseen(dovecot) == 0


def test_a_wrong_password_is_logged_and_fetches_nothing(
    dovecot: Dovecot,
    imap_mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deliver(dovecot, corpus("plain_new.eml"))
    monkeypatch.setenv(PASSWORD_ENV, "not the password")

    with caplog.at_level(logging.WARNING, logger="inbound.imap"):
        assert imap_poll() == 0

    assert "unreachable" in caplog.text
    assert unseen(dovecot) == 1


def test_a_missing_password_variable_is_named_in_the_log(
    imap_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(PASSWORD_ENV)

    with caplog.at_level(logging.WARNING, logger="inbound.imap"):
        assert imap_poll() == 0

    assert PASSWORD_ENV in caplog.text
