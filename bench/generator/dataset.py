"""The whole data set: its plan, the chunks still to make, and the finishing touches."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from sla.models import Calendar
from tickets.models import Ticket
from tickets.reference_data import reference_data_load

from . import loading
from .cast import cast_load
from .people import people_ensure, queue_rates_set
from .rows import ChunkRows, Clockface
from .synthesis import ChunkMaker
from .timeline import DAYS, Timeline

DEFAULT_CHUNK = 10_000
# Below this many tickets the load is quick anyway: no index juggling and no second thread,
# so it also runs inside a test's transaction.
BULK_FROM = 50_000


class GeneratorError(Exception):
    pass


@dataclass(frozen=True)
class Plan:
    tickets: int
    seed: int
    until: date
    chunk_size: int

    @property
    def chunks(self) -> int:
        return -(-self.tickets // self.chunk_size)

    def chunk_tickets(self, chunk: int) -> int:
        return min(self.chunk_size, self.tickets - chunk * self.chunk_size)

    def as_state(self) -> dict[str, object]:
        return {
            "tickets": self.tickets,
            "seed": self.seed,
            "until": self.until.isoformat(),
            "chunk_size": self.chunk_size,
        }


def plan_settle(*, tickets: int, seed: int | None, until: date | None, chunk_size: int | None) -> Plan:
    """The plan of the data set already in the database, or a new one; refuse to mix two."""
    loading.bookkeeping_create()
    saved = loading.state_read().get("plan")
    if saved is None:
        if Ticket.objects.exists():
            raise GeneratorError(
                "This database already has tickets that the generator did not make. "
                "Generate into an empty database (for example socialit_bench_1m)."
            )
        plan = Plan(
            tickets=tickets,
            seed=42 if seed is None else seed,
            until=until or date.today(),
            chunk_size=chunk_size or min(DEFAULT_CHUNK, tickets),
        )
        loading.state_write(plan=plan.as_state(), complete=False)
        return plan
    plan = Plan(
        tickets=saved["tickets"],
        seed=saved["seed"],
        until=date.fromisoformat(saved["until"]),
        chunk_size=saved["chunk_size"],
    )
    asked = {"tickets": tickets, "seed": seed, "until": until, "chunk_size": chunk_size}
    for name, value in asked.items():
        if value is not None and value != getattr(plan, name):
            raise GeneratorError(
                f"This database holds a data set generated with {name}={getattr(plan, name)}, not {value}. "
                "Re-run with the same options to resume, or use another database."
            )
    return plan


def dataset_generate(
    *,
    tickets: int,
    seed: int | None = None,
    until: date | None = None,
    chunk_size: int | None = None,
    report: Callable[[str], None] = print,
) -> bool:
    """Make (or finish making) the data set; False when it was already complete."""
    if connection.vendor != "postgresql":
        raise GeneratorError(
            "The generator needs PostgreSQL: it loads with COPY and builds full-text vectors. "
            "Set DATABASE_URL=postgres://user@host:5432/dbname."
        )
    if tickets < 1:
        raise GeneratorError("Ask for at least one ticket.")
    started = time.monotonic()
    reference_data_load()
    queue_rates_set()
    plan = plan_settle(tickets=tickets, seed=seed, until=until, chunk_size=chunk_size)
    state = loading.state_read()
    if state.get("complete"):
        report(f"The data set of {plan.tickets:,} tickets is complete; nothing to do.")
        return False
    bulk = plan.tickets >= BULK_FROM
    if bulk and not state.get("relaxed"):
        loading.schema_relax()
    _chunks_make(plan, bulk=bulk and not connection.in_atomic_block, report=report)
    report(f"Rows loaded in {time.monotonic() - started:.0f} s; building indexes and statistics.")
    _finish(started, report)
    report(f"Done: {plan.tickets:,} tickets in {time.monotonic() - started:.0f} s.")
    return True


def _chunks_make(plan: Plan, *, bulk: bool, report: Callable[[str], None]) -> None:
    """Make every chunk not yet in the database; a bulk load writes on a second connection."""
    zone = ZoneInfo(settings.TIME_ZONE)
    timeline = Timeline(
        total=plan.tickets, seed=plan.seed, until=plan.until, zone=zone, holidays=_days_off(plan.until)
    )
    people_ensure(total=plan.tickets, seed=plan.seed)
    cast = cast_load(
        total=plan.tickets, seed=plan.seed, first_day=timeline.days[0], until=plan.until, zone=zone
    )
    face = Clockface(timeline.days[0] - timedelta(days=3), DAYS + 500)
    maker = ChunkMaker(cast, face, now=timeline.now)
    done = loading.chunks_done()
    todo = [chunk for chunk in range(plan.chunks) if chunk not in done]
    report(
        f"Generating {plan.tickets:,} tickets (seed {plan.seed}, filed over the {DAYS} days before {plan.until}): "
        f"{len(todo)} of {plan.chunks} chunks to make."
    )
    progress = Progress(total=plan.tickets, already=sum(plan.chunk_tickets(c) for c in done), report=report)
    comment_id = loading.next_comment_id()
    writer = loading.Writer(progress.written) if bulk else None
    for chunk in todo:
        first = chunk * plan.chunk_size
        last = first + plan.chunk_tickets(chunk)
        rows = maker.make(
            chunk=chunk,
            first=first,
            created=timeline.created(first, last),
            first_ticket_id=first + 1,
            first_comment_id=comment_id,
        )
        comment_id += rows.comment_count
        if writer is None:
            loading.chunk_write(chunk, rows)
            progress.written(chunk, rows)
        else:
            writer.submit(chunk, rows)
    if writer is not None:
        writer.finish()


def _days_off(until: date) -> frozenset[date]:
    """The days some working calendar takes off, over the generated years: fewer tickets are filed."""
    schedules = [calendar.schedule() for calendar in Calendar.objects.filter(always_open=False)]
    days = (until - timedelta(days=offset) for offset in range(DAYS + 1))
    return frozenset(day for day in days if any(day in schedule.holidays for schedule in schedules))


def _finish(started: float, report: Callable[[str], None]) -> None:
    if loading.state_read().get("relaxed"):
        loading.schema_restore(report)
    loading.sequences_catch_up()
    loading.vacuum_analyze(loading.ANALYZED_TABLES, in_transaction=connection.in_atomic_block)
    loading.state_write(complete=True, seconds=round(time.monotonic() - started, 1))


class Progress:
    def __init__(self, *, total: int, already: int, report: Callable[[str], None]) -> None:
        self.total, self.done, self.report = total, already, report
        self.start_done = already
        self.started = time.monotonic()
        self.last_report = 0.0
        self.comments = self.events = 0

    def written(self, chunk: int, rows: ChunkRows) -> None:
        self.done += rows.ticket_count
        self.comments += rows.comment_count
        self.events += rows.event_count
        now = time.monotonic()
        if now - self.last_report < 5 and self.done < self.total:
            return
        self.last_report = now
        elapsed = now - self.started
        rate = (self.done - self.start_done) / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        self.report(
            f"  {self.done:>10,} / {self.total:,} tickets ({100 * self.done / self.total:5.1f}%)"
            f"  {rate:8,.0f} tickets/s  {self.comments:,} comments  {self.events:,} events"
            f"  ETA {int(left) // 60}:{int(left) % 60:02d}"
        )
