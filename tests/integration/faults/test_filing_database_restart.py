"""PostgreSQL restarted while people file requests: a 503 that asks to try again, no half-stored ticket.

Run with DATABASE_URL=postgres://... REDIS_URL=redis://...; the drill restarts a server of its own.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

from tickets.models import Event, Platform, ProblemType

from ...conftest import Cast, client_for
from ..conftest import RedisServer, wait_until
from .conftest import Answer, PrivatePostgres, WebServer

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="fault drills need PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
    ),
]

CLIENTS = 4
SUBJECT = "Fault drill filing"
NOT_SAVED = b"What you just sent was not saved"
# Any 32 letters and digits make a CSRF secret; the form sends it back as its token.
CSRF_SECRET = secrets.token_hex(16)


@dataclass(frozen=True)
class Filing:
    subject: str
    answer: Answer


class FilingStream:
    """People filing one request after another, each with a subject of its own, until stopped."""

    def __init__(self, web: WebServer, sessions: list[str], form: dict[str, object]) -> None:
        self.web = web
        self.sessions = sessions
        self.form = form
        self.filings: list[Filing] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._file, args=(n,)) for n in range(len(sessions))]

    def __enter__(self) -> FilingStream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _file(self, person: int) -> None:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.sessions[person]}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        }
        number = 0
        while not self._stop.is_set():
            number += 1
            subject = f"{SUBJECT} {person}-{number}"
            body = urlencode({**self.form, "subject": subject, "csrfmiddlewaretoken": CSRF_SECRET})
            answer = self.web.request("POST", "/requests/new/", body=body, headers=headers)
            with self._lock:
                self.filings.append(Filing(subject, answer))

    def mark(self) -> int:
        with self._lock:
            return len(self.filings)

    def wait_for(self, status: int, count: int, *, since: int = 0) -> None:
        def seen() -> bool:
            with self._lock:
                return sum(f.answer.status == status for f in self.filings[since:]) >= count

        wait_until(seen, what=f"{count} answers {status}")


def test_filings_while_postgres_restarts_are_stored_whole_or_answered_503(
    transactional_db: None,
    cast: Cast,
    private_postgres: PrivatePostgres,
    start_web_server: object,
    redis_server: RedisServer,
) -> None:
    sessions = [client_for(cast.employee).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(CLIENTS)]
    form = {
        "platform": Platform.objects.get(slug="twitter-x").pk,
        "problem_type": ProblemType.objects.get(slug="login-access").pk,
        "company_account": "@acme_support",
        "description": "The two-factor code never arrives on the shared phone.",
    }
    database = "drill_filing"
    web = start_web_server(database_url=private_postgres.copy_of_test_database(database))  # type: ignore[operator]

    with FilingStream(web, sessions, form) as stream:
        stream.wait_for(302, 5)
        stopped_at = stream.mark()
        private_postgres.stop()
        stream.wait_for(503, 3, since=stopped_at)
        started_at = stream.mark()
        private_postgres.start()
        stream.wait_for(302, 5, since=started_at)

    filings = stream.filings
    assert set(Counter(f.answer.status for f in filings)) == {302, 503}, web.output()
    for refused in (f.answer for f in filings if f.answer.status == 503):
        assert refused.headers["retry-after"] == "5"
        assert refused.headers["content-type"] == "text/html; charset=utf-8"
        assert NOT_SAVED in refused.body
    stored = {
        subject: (ticket_id, events, notifications)
        for subject, ticket_id, events, notifications in private_postgres.rows(
            database,
            """
            SELECT t.subject, t.id,
                   (SELECT string_agg(e.kind, ',' ORDER BY e.id) FROM tickets_event e WHERE e.ticket_id = t.id),
                   (SELECT string_agg(n.kind || ':' || n.email, ',' ORDER BY n.id)
                      FROM notifications_notification n WHERE n.ticket_id = t.id)
            FROM tickets_ticket t WHERE t.subject LIKE %s
            """,
            f"{SUBJECT} %",
        )
    }
    filed = {f.subject: f.answer for f in filings if f.answer.status == 302}
    # Every request the desk confirmed is stored, and none it refused.
    assert set(stored) == set(filed)
    whole = (
        f"{Event.Kind.FILED},{Event.Kind.ROUTED},{Event.Kind.SLA}",
        f"received:{cast.employee.email},new_in_queue:{cast.it_agent.email}",
    )
    for subject, (ticket_id, *parts) in stored.items():
        assert tuple(parts) == whole, subject
        assert filed[subject].headers["location"] == f"/requests/{ticket_id}/"
    log = web.output()
    assert "Internal Server Error" not in log
    assert "Service Unavailable: /requests/new/" in log
