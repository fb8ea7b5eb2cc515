"""`manage.py receive_email`, run as a mail server runs it: a process reading standard input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from inbound.models import InboundMessage, Mailbox
from tests.conftest import Cast
from tickets.models import Ticket

from .conftest import corpus

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# The command runs in its own process and must see the test's rows: a database server, not
# SQLite's in-memory test database.
shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the pipe command shares the test database only on PostgreSQL: set DATABASE_URL=postgres://...",
)


def database_url() -> str:
    """The test database, which the command must share with the test."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def receive_email(
    raw: bytes, *, slug: str, tmp_path: Path, url: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialit.settings_test",
        "DATABASE_URL": url or database_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CONN_MAX_AGE": "0",
    }
    return subprocess.run(
        [sys.executable, str(MANAGE), "receive_email", "--mailbox", slug],
        input=raw,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def pipe_mailbox(transactional_db: None, cast: Cast) -> Mailbox:
    return Mailbox.objects.create(
        address="it@socialit.example", slug="it", queue=cast.it, delivery=Mailbox.Delivery.PIPE
    )


@shared_database
def test_a_piped_message_becomes_a_ticket_once(pipe_mailbox: Mailbox, tmp_path: Path) -> None:
    raw = corpus("plain_new.eml")

    first = receive_email(raw, slug="it", tmp_path=tmp_path)
    again = receive_email(raw, slug="it", tmp_path=tmp_path)

    assert first.returncode == 0, first.stderr.decode()
    assert again.returncode == 0, again.stderr.decode()
    ticket = Ticket.objects.get()
    assert ticket.subject == "The blog shows a PHP error"
    assert InboundMessage.objects.get().ticket == ticket


@shared_database
def test_a_message_that_is_held_still_exits_zero(pipe_mailbox: Mailbox, tmp_path: Path) -> None:
    result = receive_email(corpus("unknown_sender.eml"), slug="it", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    assert InboundMessage.objects.get().status == InboundMessage.Status.HELD


@shared_database
def test_an_unknown_mailbox_exits_67(pipe_mailbox: Mailbox, tmp_path: Path) -> None:
    result = receive_email(corpus("plain_new.eml"), slug="nowhere", tmp_path=tmp_path)

    assert result.returncode == 67
    assert b"nowhere" in result.stderr
    assert not InboundMessage.objects.exists()


def test_the_database_away_exits_75_so_the_mail_server_retries(tmp_path: Path) -> None:
    result = receive_email(
        corpus("plain_new.eml"),
        slug="it",
        tmp_path=tmp_path,
        url="postgres://postgres@127.0.0.1:1/socialit_unreachable",
    )

    assert result.returncode == 75, result.stderr.decode()
    assert b"try again later" in result.stderr
