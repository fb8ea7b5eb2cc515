"""Mailboxes, the corpus of messages, and a real IMAP server (Dovecot) for the tests of mail in."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from accounts.models import User
from inbound.models import Mailbox
from inbound.tokens import reply_address
from notifications.emails import message_id
from notifications.models import Kind, Notification
from tests.conftest import Cast
from tickets.models import Ticket

from .dovecot import DOVECOT, IMAP_PASSWORD, IMAP_USER, Dovecot

__all__ = ["IMAP_PASSWORD", "IMAP_USER", "Dovecot"]

CORPUS = Path(__file__).parent / "corpus"
PASSWORD_ENV = "DESK_TEST_IMAP_PASSWORD"


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def it_mailbox(cast: Cast) -> Mailbox:
    return Mailbox.objects.create(
        address="it@socialit.example", slug="it", queue=cast.it, delivery=Mailbox.Delivery.PIPE
    )


# Short names in the corpus: <notice-to-erin@…> becomes the Message-ID of an email the desk sent
# Erin about the ticket, reply-to-erin@… the reply address it carried.
PEOPLE = {
    "erin": "erin.employee@example.com",
    "ian": "ian.it@example.com",
    "oscar": "oscar.other@example.com",
}


def notice(ticket: Ticket, user: User) -> str:
    """A notification about the ticket, sent to the person: its Message-ID."""
    row = Notification.objects.create(
        kind=Kind.REPLY_TO_REQUESTER,
        recipient=user,
        email=user.email,
        ticket=ticket,
        thread=ticket.reference,
        status=Notification.Status.SENT,
    )
    row.message_id = message_id(row)
    row.save(update_fields=["message_id"])
    return row.message_id


def corpus(name: str, *, ticket_id: int | None = None) -> bytes:
    """A message of the corpus; SIT-TICKET in it becomes the given ticket's reference, and the
    people's notices and reply addresses real ones for that ticket."""
    raw = (CORPUS / name).read_bytes()
    if ticket_id is None:
        return raw
    ticket = Ticket.objects.get(pk=ticket_id)
    for short, email in PEOPLE.items():
        user = User.objects.filter(email=email).first()
        placeholder = f"<notice-to-{short}@socialit.example>".encode()
        if user is not None and placeholder in raw:
            raw = raw.replace(placeholder, notice(ticket, user).encode())
        placeholder = f"reply-to-{short}@socialit.example".encode()
        if user is not None and placeholder in raw:
            address = reply_address(
                mailbox_address="it@socialit.example", ticket_id=ticket_id, person_id=user.pk
            )
            raw = raw.replace(placeholder, address.encode())
    return re.sub(rb"(sit|SIT)-(TICKET|ticket)", lambda found: found.group(1) + b"-%d" % ticket_id, raw)


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not DOVECOT.exists():
        pytest.skip("Dovecot is not installed (/usr/sbin/dovecot): apt-get install dovecot-imapd")
    # Not under pytest's own temporary folder, which only its owner may enter: Dovecot's
    # unprivileged processes read the users file and the mail here.
    root = Path(tempfile.mkdtemp(prefix="socialit-dovecot-"))
    server = Dovecot(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
