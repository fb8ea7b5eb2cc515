"""In-process measurements against one generated database, with DEBUG off.

Run by bench/run.py in a child process per data set, because Django reads its database
settings once: `python -m bench.measure --tickets 1000000 --out result.json` with
DATABASE_URL naming the data set's database.

Each case is timed around the request through Django's test Client (the server's
time, without a network), after a warm-up: median and p95 over the samples, queries
of one request (CaptureQueriesContext) and peak Python memory of one request (tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH_ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DJANGO_SETTINGS_MODULE": "socialit.settings",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Result:
    name: str
    tickets: int
    p50_ms: float
    p95_ms: float
    queries: int
    peak_mb: float

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tickets": self.tickets,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "queries": self.queries,
            "peak_mb": self.peak_mb,
        }


@dataclass
class Case:
    """One thing to measure: `run` does it once and returns the HTTP status (or 0)."""

    name: str
    run: Callable[[], int]
    expect: tuple[int, ...] = (200,)
    samples: int = 40
    warmup: int = 5
    # Wraps every call, e.g. in a transaction that is rolled back.
    around: Callable[[], Any] | None = None
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def measure(case: Case, tickets: int) -> Result:
    def once() -> int:
        if case.around is None:
            return case.run()
        with case.around():
            return case.run()

    for _ in range(case.warmup):
        status = once()
        if status not in case.expect:
            raise RuntimeError(f"{case.name}: got HTTP {status}, expected {case.expect}")
    return sampled(case.name, tickets, once, case.samples)


def sampled(name: str, tickets: int, once: Callable[[], Any], samples: int) -> Result:
    """Time `samples` calls, then count the queries of one and the peak memory of another."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        once()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        once()
    # Counted now: the captured list is read from the connection's log, which the next request clears.
    query_count = len(queries)
    tracemalloc.start()
    once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Result(
        name=name,
        tickets=tickets,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile(timings, 0.95), 1),
        queries=query_count,
        peak_mb=round(peak / 1024 / 1024, 2),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---- the cases ------------------------------------------------------------------


def client_for(user: Any) -> Any:
    """A signed-in client; staff have given their second factor, as at the real sign-in."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.is_staff:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Benchmark"}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def get(client: Any, path: str) -> Callable[[], int]:
    def run() -> int:
        return int(client.get(path).status_code)

    return run


def desk_cases(tickets: int) -> list[Case]:
    from accounts.models import User
    from bench.generator.people import agent_email
    from tickets.models import Queue, Ticket
    from tickets.paging import _encode

    agent = User.objects.get(email=agent_email("it", 0))
    desk = client_for(agent)
    it = Queue.objects.get(slug="it")
    in_queue = Ticket.objects.filter(queue=it).order_by("-updated_at", "-id")
    depth = in_queue.count() // 2
    updated_at, pk = in_queue.values_list("updated_at", "id")[depth]
    deep = _encode([updated_at, pk])
    return [
        Case("desk_list_default", get(desk, "/desk/")),
        Case("desk_list_filtered", get(desk, "/desk/?queue=it&status=waiting_requester")),
        Case("desk_list_search", get(desk, "/desk/?q=password")),
        Case("desk_list_search_all", get(desk, "/desk/?q=password&status=any")),
        Case(
            "desk_list_deep",
            get(desk, f"/desk/?queue=it&status=any&after={deep}"),
            notes=[f"page after row {depth:,} of the IT queue, newest first"],
        ),
    ]


def ticket_page_case() -> Case:
    from accounts.models import User

    ticket = long_thread_ticket()
    agent = ticket.queue.members.filter(role=User.Role.AGENT).order_by("email").first()
    return Case("ticket_page", get(client_for(agent), f"/desk/tickets/{ticket.pk}/"))


def long_thread_ticket() -> Any:
    """A ticket of the data set with a thread of 50 comments."""
    from django.db.models import Count

    from bench.generator.cast import LONG_THREAD_EVERY
    from tickets.models import Ticket

    candidates = [LONG_THREAD_EVERY * i + LONG_THREAD_EVERY // 2 + 1 for i in range(20)]
    ticket = (
        Ticket.objects.filter(pk__in=candidates)
        .annotate(n=Count("comments"))
        .filter(n=50)
        .order_by("pk")
        .first()
    )
    if ticket is None:  # a small data set: its one long thread
        ticket = Ticket.objects.annotate(n=Count("comments")).filter(n=50).order_by("pk").first()
    assert ticket is not None, "the data set has no ticket with 50 comments"
    return ticket


def portal_case() -> Case:
    from accounts.models import User
    from bench.generator.people import requester_email

    heavy = User.objects.get(email=requester_email(0))
    return Case("portal_list", get(client_for(heavy), "/requests/"))


def file_ticket_case() -> Case:
    from accounts.models import User
    from bench.generator.people import requester_email
    from tickets.models import Platform, ProblemType

    client = client_for(User.objects.get(email=requester_email(1)))
    form = {
        "platform": Platform.objects.get(slug="linkedin").pk,
        "problem_type": ProblemType.objects.get(slug="login-access").pk,
        "company_account": "Acme company page",
        "subject": "Can't log in to the LinkedIn page since this morning",
        "description": "The two-factor code is refused every time. I tried twice from the office.",
    }

    def run() -> int:
        return int(client.post("/requests/new/", form).status_code)

    # Filing for real: routing, SLA due times, history and outbox rows, then rolled back.
    return Case("file_ticket", run, expect=(302,), around=rolled_back)


def dashboard_cases() -> list[Case]:
    """The manager dashboard for the last 90 days, and that range's tickets as CSV.

    The export is read to its last row; its peak memory must not grow with the rows
    (about 1,500 at 10k tickets, 150,000 at 1M).
    """
    from django.urls import reverse

    from accounts.models import User
    from bench.generator.people import manager_email

    manager = client_for(User.objects.get(email=manager_email(0)))
    export = reverse("reports:export", args=["tickets"]) + "?range=90d"

    def read_export() -> int:
        response = manager.get(export)
        for _chunk in response.streaming_content:
            pass
        return int(response.status_code)

    return [
        Case("dashboard", get(manager, reverse("reports:dashboard") + "?range=90d"), samples=20),
        Case("dashboard_export_csv", read_export, samples=5, warmup=1),
    ]


def sweep_results(tickets: int, *, samples: int) -> list[Result]:
    """The SLA sweep with 1,000 tickets due among every ticket of the data set made open.

    Everything happens inside one transaction that is rolled back; bench/run.py runs this
    on a scratch copy of the database, so the rolled-back rewrite leaves the data set unbloated.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from tickets.services.sla import sla_sweep

    now = timezone.now()
    due = 1000
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE tickets_ticket SET
                    status = 'open', resolved_at = NULL, closed_at = NULL, sla_paused_at = NULL,
                    first_response_at = NULL,
                    first_response_warned_at = NULL, first_response_breached_at = NULL,
                    resolution_warned_at = NULL, resolution_breached_at = NULL,
                    first_response_warn_at = %(now)s + interval '1 day' + (id %% 5000) * interval '1 minute',
                    first_response_due_at = %(now)s + interval '2 days',
                    resolution_warn_at = %(now)s + interval '5 days',
                    resolution_due_at = %(now)s + interval '6 days',
                    sla_due_at = %(now)s + interval '2 days',
                    next_sla_at = %(now)s + interval '1 day' + (id %% 5000) * interval '1 minute'
                """,
                {"now": now},
            )
            open_count = cursor.rowcount
            cursor.execute(
                """
                UPDATE tickets_ticket SET first_response_warn_at = %(past)s, next_sla_at = %(past)s
                WHERE id IN (SELECT id FROM tickets_ticket ORDER BY md5(id::text) LIMIT %(due)s)
                """,
                {"past": now - timedelta(minutes=1), "due": due},
            )
            cursor.execute("ANALYZE tickets_ticket")

        def once() -> int:
            point = transaction.savepoint()
            try:
                return sla_sweep(now=now)
            finally:
                transaction.savepoint_rollback(point)

        fired = once()  # warm-up, and a check that it does what is asked
        if fired != due:
            raise RuntimeError(f"sla_sweep fired {fired} notices, expected {due}")
        result = sampled(f"sla_sweep_{due}_due", open_count, once, samples)
        transaction.set_rollback(True)
    return [result]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", choices=["requests", "sweep"], default="requests")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--cases", default="", help="Comma-separated name prefixes to run (default all).")
    args = parser.parse_args()
    for name, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG, "benchmarks run with DEBUG off"
    from bench.api import api_cases
    from bench.guides import guides_cases
    from bench.inbound import inbound_cases
    from bench.registry import registry_cases

    results: list[dict[str, Any]] = []
    if args.only == "sweep":
        results = [r.as_json() for r in sweep_results(args.tickets, samples=max(args.samples // 3, 10))]
    else:
        cases = [
            *desk_cases(args.tickets),
            ticket_page_case(),
            portal_case(),
            file_ticket_case(),
            *dashboard_cases(),
            *inbound_cases(args.tickets),
            *api_cases(),
            *guides_cases(),
            *registry_cases(),
        ]
        wanted = [prefix for prefix in args.cases.split(",") if prefix]
        for case in cases:
            if wanted and not any(case.name.startswith(prefix) for prefix in wanted):
                continue
            case.samples = min(case.samples, args.samples)
            result = measure(case, args.tickets)
            print(
                f"    {result.name:<22} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms"
                f"  {result.queries:3d} queries  {result.peak_mb:6.2f} MB",
                flush=True,
            )
            results.append(result.as_json())
    args.out.write_text(json.dumps({"results": results}, indent=2))


if __name__ == "__main__":
    main()
