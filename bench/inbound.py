"""Mail in: plain messages through `manage.py receive_email` and through the IMAP poll.

`python -m bench.inbound --messages 1000` with DATABASE_URL naming a data set (or any migrated
database with the reference data) receives that many new plain messages from the data set's
requesters by each way in, in one process (one worker), and prints messages per second and
the p95 of one message. Everything happens in one transaction that is rolled back, so the data
set keeps no tickets; on_commit work (the notifications' hand-over to the broker) never runs,
as it runs after the message's work in production too. The IMAP path reads from a Dovecot of
its own (tests/inbound/dovecot.py), delivered to beforehand; one message there is FETCH,
receive and STORE \\Seen on an open connection, as the poll does them.

Registered in bench/measure.py as the cases `inbound_receive_email` and `inbound_imap`.
Targets: at least 20 plain messages per second per worker, p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import atexit
import imaplib
import io
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

PASSWORD_ENV = "DESK_BENCH_IMAP_PASSWORD"
_serial = itertools.count(1)


def plain_message(sender: str, number: int) -> bytes:
    return (
        f"From: Requester {number} <{sender}>\r\n"
        "To: it@socialit.example\r\n"
        f"Subject: The blog shows an error on page {number}\r\n"
        f"Message-ID: <bench-{os.getpid()}-{number}@mail.example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Since this morning page {number} of the company blog shows a PHP error.\r\n"
        "It happens in every browser I tried.\r\n\r\n--\r\nA requester\r\n"
    ).encode()


def senders() -> list[str]:
    from accounts.models import User

    found = list(
        User.objects.filter(role=User.Role.EMPLOYEE, is_active=True, mail_contact__isnull=True)
        .order_by("pk")
        .values_list("email", flat=True)[:200]
    )
    if not found:  # a database without a data set: one requester, rolled back with the rest
        found = [User.objects.create_user("bench.requester@example.com", None, full_name="Bench").email]
    return found


def mailbox() -> Any:
    from inbound.models import Mailbox
    from tickets.models import Queue

    box, _ = Mailbox.objects.get_or_create(
        slug="bench-it",
        defaults={
            "address": "bench-it@socialit.example",
            "queue": Queue.objects.get(slug="it"),
            "delivery": Mailbox.Delivery.PIPE,
        },
    )
    return box


def pipe_run(slug: str, people: list[str]) -> Callable[[], int]:
    """One message piped into receive_email, as Postfix runs it (in-process: no interpreter start)."""
    from django.core.management import call_command

    def run() -> int:
        number = next(_serial)
        raw = plain_message(people[number % len(people)], number)
        stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
        try:
            with redirect_stdout(io.StringIO()):
                call_command("receive_email", "--mailbox", slug)
        finally:
            sys.stdin = stdin
        return 0

    return run


class ImapFeed:
    """A Dovecot with `count` messages waiting, and one open connection that takes them one by one."""

    def __init__(self, count: int, people: list[str], box: Any) -> None:
        from inbound.imap import imap_connect
        from tests.inbound.dovecot import IMAP_PASSWORD, IMAP_USER, Dovecot

        self.root = Path(tempfile.mkdtemp(prefix="socialit-bench-dovecot-"))
        self.server = Dovecot(self.root)
        self.server.start()
        atexit.register(self.stop)
        with imaplib.IMAP4("127.0.0.1", self.server.port, timeout=30) as client:
            client.login(IMAP_USER, IMAP_PASSWORD)
            for _ in range(count):
                number = next(_serial)
                client.append(
                    "INBOX",
                    "",
                    imaplib.Time2Internaldate(0),
                    plain_message(people[number % len(people)], number),
                )
        os.environ[PASSWORD_ENV] = IMAP_PASSWORD
        box.imap_host, box.imap_port, box.imap_user = "127.0.0.1", self.server.port, IMAP_USER
        box.imap_security, box.imap_password_env = "none", PASSWORD_ENV
        self.box = box
        self.client = imap_connect(box)
        self.client.select("INBOX")
        _, data = self.client.uid("SEARCH", "UNSEEN")
        self.uids = iter(data[0].decode().split())

    def run(self) -> int:
        from inbound.imap import message_take

        return 0 if message_take(self.client, self.box, next(self.uids)) == 1 else 1

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def rolled_back() -> Iterator[None]:
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def inbound_cases(tickets: int) -> list[Any]:
    """The two ways in as bench/measure.py cases: each sample is one message, rolled back."""
    from bench.measure import Case

    people, box = senders(), mailbox()
    feed = ImapFeed(60, people, box)
    return [
        Case("inbound_receive_email", pipe_run(box.slug, people), expect=(0,), around=rolled_back),
        Case("inbound_imap", feed.run, expect=(0,), around=rolled_back),
    ]


def timed(run: Callable[[], int], count: int) -> dict[str, float]:
    timings = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for _ in range(count):
        begun = time.perf_counter()
        if run() != 0:
            raise RuntimeError("a message was not received")
        timings.append((time.perf_counter() - begun) * 1000)
    elapsed = time.perf_counter() - started
    # This process's own CPU per message (PostgreSQL's is not in it): what a loaded machine hides.
    cpu_ms = (time.process_time() - cpu_started) * 1000 / count
    from bench.measure import percentile

    return {
        "messages": count,
        "per_second_per_worker": round(count / elapsed, 1),
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "cpu_ms": round(cpu_ms, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from bench.measure import BENCH_ENVIRONMENT

    for name, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    # A data set's few requesters send hundreds each here: the storm limit would hold them back.
    os.environ.setdefault("INBOUND_SENDER_LIMIT_PER_HOUR", "1000000")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from inbound.models import InboundMessage
    from tickets.models import Ticket

    results: dict[str, Any] = {"tickets": Ticket.objects.count()}
    with rolled_back():
        people, box = senders(), mailbox()
        results["receive_email"] = timed(pipe_run(box.slug, people), args.messages)
        feed = ImapFeed(args.messages, people, box)
        try:
            results["imap"] = timed(feed.run, args.messages)
        finally:
            feed.stop()
        filed = InboundMessage.objects.filter(mailbox=box, status=InboundMessage.Status.TICKET).count()
        if filed != 2 * args.messages:
            raise RuntimeError(f"{filed} of {2 * args.messages} messages became tickets")
    for way in ("receive_email", "imap"):
        row = results[way]
        print(
            f"    inbound {way:<14} {row['messages']:5d} messages  {row['per_second_per_worker']:6.1f} /s per worker"
            f"  p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  CPU {row['cpu_ms']:5.1f} ms"
            f"  ({results['tickets']:,} tickets, load {os.getloadavg()[0]:.1f})"
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
