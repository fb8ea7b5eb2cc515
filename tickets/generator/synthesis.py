"""One chunk of tickets with their whole lives, as rows ready for COPY.

A ticket's life is drawn first (filed, taken, answered, maybe paused, resolved, closed)
in business time under its SLA policy; every column and history event follows from it,
the way the services would have written them. Everything is whole seconds since the
epoch until it is written out.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from ..models import Event, Ticket
from . import vocabulary
from .business_clock import BusinessClock

Status = Ticket.Status
Kind = Event.Kind
PRIORITY_LABELS = {int(value): label for value, label in Ticket.Priority.choices}
STATUS_LABELS = {str(value): label for value, label in Ticket.Status.choices}
FIRST_RESPONSE, RESOLUTION = "first response", "resolution"
NULL = "\\N"
LONG_THREAD = 50  # comments on the few tickets the ticket-page benchmark opens
MAX_COMMENTS = 30


def copy_text(value: str) -> str:
    """Escape for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass(frozen=True)
class PolicyFacts:
    id: int
    name: str
    clock: BusinessClock
    first_response: int  # seconds of business time
    resolution: int
    first_response_warn: int
    resolution_warn: int
    raise_priority: bool


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Routed:
    """What routing decided for one kind of ticket, with its history lines made once."""

    queue_id: int
    queue_name: str
    priority: int
    summary: str
    changes: str


@dataclass
class Cast:
    """Everything a chunk needs from the database, read once."""

    requesters: list[Person]
    requester_departments: list[int | None]
    requester_weights: list[float]  # cumulative
    heavy_requester: int  # index in requesters: the one with hundreds of tickets
    agents: dict[int, list[Person]]  # by queue id
    queue_rates: dict[int, str]
    platforms: list[tuple[int, str]]  # id, slug
    problems: list[tuple[int, str]]
    problem_weights: list[float]  # cumulative
    platform_weights: dict[str, list[float]]  # cumulative, by problem slug
    policies: dict[tuple[int, int], PolicyFacts]
    route: Callable[[int, int, int | None, str], Routed]
    zone: ZoneInfo
    heavy_stride: int = 0
    long_stride: int = 0


class Clockface:
    """Epoch seconds to the text PostgreSQL and the history summaries want, fast."""

    def __init__(self, first_day: date, days: int, zone: ZoneInfo) -> None:
        self.base = int(datetime.combine(first_day, datetime.min.time(), tzinfo=UTC).timestamp())
        self.day_text = [(first_day + timedelta(days=i)).isoformat() for i in range(days)]
        self.time_text = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self.zone = zone

    def sql(self, moment: int) -> str:
        days, seconds = divmod(moment - self.base, 86400)
        return f"{self.day_text[days]} {self.time_text[seconds]}+00"

    def iso(self, moment: int) -> str:
        days, seconds = divmod(moment - self.base, 86400)
        return f"{self.day_text[days]}T{self.time_text[seconds]}+00:00"

    def when(self, moment: int) -> str:
        """As tickets.notify.when shows a moment: local, like "Mon 3 Mar, 14:00"."""
        local = datetime.fromtimestamp(moment, self.zone)
        return f"{local:%a} {local.day} {local:%b, %H:%M}"


@dataclass
class ChunkRows:
    tickets: StringIO = field(default_factory=StringIO)
    comments: StringIO = field(default_factory=StringIO)
    events: StringIO = field(default_factory=StringIO)
    attachments: StringIO = field(default_factory=StringIO)
    time_entries: StringIO = field(default_factory=StringIO)
    ticket_count: int = 0
    comment_count: int = 0
    event_count: int = 0


TICKET_COLUMNS = [
    "id", "subject", "description", "requester_id", "platform_id", "problem_type_id", "company_account",
    "queue_id", "assignee_id", "status", "priority", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "sla_policy_id", "sla_paused_at", "sla_paused", "first_response_due_at",
    "first_response_warn_at", "resolution_due_at", "resolution_warn_at", "first_response_warned_at",
    "first_response_breached_at", "resolution_warned_at", "resolution_breached_at", "sla_due_at",
    "next_sla_at", "first_response_business", "resolution_business", "reopen_count",
]  # fmt: skip
COMMENT_COLUMNS = ["id", "ticket_id", "author_id", "body", "is_internal", "created_at"]
EVENT_COLUMNS = ["ticket_id", "actor_id", "kind", "summary", "changes", "created_at"]
ATTACHMENT_COLUMNS = [
    "ticket_id", "comment_id", "file", "name", "size", "content_type", "uploaded_by_id", "created_at",
]  # fmt: skip
TIME_ENTRY_COLUMNS = [
    "ticket_id", "agent_id", "minutes", "note", "hourly_rate", "logged_at", "queue_id", "platform_id", "department_id",
]  # fmt: skip


def open_chance(age_days: float) -> float:
    """How likely a ticket of this age is still unresolved: mostly recent ones, and a stale tail."""
    if age_days < 2:
        return 0.7
    if age_days < 7:
        return 0.35
    if age_days < 30:
        return 0.1
    return 0.018


def lognormal_share(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def interval(seconds: int | None) -> str:
    return NULL if seconds is None else f"{seconds} seconds"


class ChunkMaker:
    def __init__(self, cast: Cast, clockface: Clockface, *, now: int) -> None:
        self.cast = cast
        self.face = clockface
        self.now = now
        self.text = {name: [copy_text(t) for t in pool] for name, pool in _POOLS.items()}

    def make(
        self, *, chunk: int, first: int, created: list[int], first_ticket_id: int, first_comment_id: int
    ) -> ChunkRows:
        rng = random.Random(f"{chunk}:{first}:{len(created)}:{self.cast.heavy_stride}")
        rows = ChunkRows()
        comment_id = first_comment_id
        for offset, moment in enumerate(created):
            ordinal = first + offset
            comment_id = self._ticket(rng, rows, ordinal, first_ticket_id + offset, moment, comment_id)
        rows.ticket_count = len(created)
        return rows

    # ---- one ticket ------------------------------------------------------------

    def _ticket(
        self, rng: random.Random, rows: ChunkRows, ordinal: int, ticket_id: int, created: int, comment_id: int
    ) -> int:
        cast, face, now, text = self.cast, self.face, self.now, self.text
        choices = rng.choices
        heavy = cast.heavy_stride and ordinal % cast.heavy_stride == cast.heavy_stride // 2
        long_thread = ordinal % cast.long_stride == cast.long_stride // 2
        who = cast.heavy_requester if heavy else _pick(rng, cast.requester_weights)
        requester = cast.requesters[who]
        problem_id, problem = cast.problems[_pick(rng, cast.problem_weights)]
        platform_id, platform = cast.platforms[_pick(rng, cast.platform_weights[problem])]
        fill = {
            "platform": vocabulary.PLATFORM_NAMES[platform],
            "account": rng.choice(vocabulary.ACCOUNTS[platform]),
            "campaign": rng.choice(vocabulary.CAMPAIGNS),
        }
        subject = rng.choice(text[f"subject:{problem}"]).format(**fill)
        description = rng.choice(text[f"description:{problem}"]).format(**fill)
        if rng.random() < 0.45:
            description += "\\n\\n" + rng.choice(text[f"description:{problem}"]).format(**fill)
        account = fill["account"] if rng.random() < 0.6 else ""
        department = cast.requester_departments[who]
        routed = cast.route(platform_id, problem_id, department, f"{subject}\n{description}")
        priority = routed.priority
        policy = cast.policies[(routed.queue_id, priority)]
        clock = policy.clock
        agents = cast.agents[routed.queue_id]

        events: list[tuple[int, str]] = []

        def event(moment: int, actor: Person | None, kind: str, summary: str, changes: str = "{}") -> None:
            events.append(
                (
                    moment,
                    f"{ticket_id}\t{actor.id if actor else NULL}\t{kind}\t{summary[:300]}\t{changes}\t{face.sql(moment)}\n",
                )
            )

        event(created, requester, Kind.FILED, f"{requester.name} filed the request")
        event(created, None, Kind.ROUTED, routed.summary, routed.changes)
        event(
            created,
            None,
            Kind.SLA,
            f"SLA “{policy.name}”: first response due {face.when(clock.add(created, policy.first_response))}, "
            f"resolution due {face.when(clock.add(created, policy.resolution))}",
        )

        # ---- the life: who takes it, when it is answered, paused, resolved, closed
        age_days = (now - created) / 86400
        # The long threads the ticket-page benchmark opens are answered and done.
        is_open = rng.random() < open_chance(age_days) and not long_thread
        assigned_at = clock.add(created, rng.randrange(120, 5400))
        first_delay = int(policy.first_response * lognormal_share(rng, 0.25, 0.75))
        first_response_at: int | None = clock.add(created, max(first_delay, 60))
        resolve_delay = int(policy.resolution * lognormal_share(rng, 0.3, 0.8))
        resolve_delay = max(resolve_delay, first_delay + 900)
        paused = 0
        pause_start = pause_end = None
        if rng.random() < 0.22:
            paused = int(3600 * 9 * lognormal_share(rng, 0.6, 1.0)) + 600
        resolved_at: int | None = clock.add(created, resolve_delay + paused)
        closed_at: int | None = None
        status = Status.CLOSED
        agent: Person | None = rng.choice(agents) if agents else None
        comment_count = 0 if rng.random() < 0.06 else 1 + min(int(rng.expovariate(1 / 3.4)), MAX_COMMENTS - 1)
        if long_thread:
            comment_count = LONG_THREAD
        if comment_count == 0:
            first_response_at = None
            paused = 0

        if is_open:
            resolved_at = None
            if agent is None or assigned_at >= now or rng.random() < (0.4 if age_days < 3 else 0.04):
                status, agent, first_response_at, paused = Status.NEW, None, None, 0
            elif first_response_at is None or first_response_at >= now:
                status, first_response_at, paused = Status.OPEN, None, 0
            else:
                status = choices(
                    (Status.OPEN, Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY),
                    weights=(50, 30, 20) if age_days < 7 else (30, 40, 30),
                )[0]
                paused = 0  # the running pause, if any, is in sla_paused_at
        else:
            assert resolved_at is not None
            if resolved_at >= now - 60:
                # Drawn to resolve in the future but not open: squeeze its life into the time it had.
                span = max(now - 120 - created, 240)
                resolved_at = created + int(span * rng.uniform(0.5, 0.95))
                assigned_at = created + (resolved_at - created) // 6
                first_response_at = (
                    None if first_response_at is None else created + (resolved_at - created) // 3
                )
                paused = 0
            closed_at = resolved_at + rng.randrange(2 * 86400, 10 * 86400)
            status = Status.CLOSED if closed_at <= now else Status.RESOLVED
            if status == Status.RESOLVED:
                closed_at = None
        if agent is None:
            assigned_at = 0
        if status == Status.NEW or first_response_at is None:
            comment_count = 0
        if paused and first_response_at is not None:
            pause_start = first_response_at
            pause_end = clock.add(pause_start, paused)
            comment_count = max(comment_count, 3)
        else:
            paused = 0

        # ---- the SLA columns, from the targets plus the time spent waiting
        first_due = clock.add(created, policy.first_response + paused)
        first_warn = clock.add(created, policy.first_response_warn + paused)
        resolution_due = clock.add(created, policy.resolution + paused)
        resolution_warn = clock.add(created, policy.resolution_warn + paused)
        paused_at: int | None = None
        end = resolved_at if resolved_at is not None else now

        # ---- the conversation
        bodies: list[str] = []
        comment_lines: list[str] = []
        last_activity = max(created, assigned_at)
        public_authors = (requester, agent)
        if agent is not None:
            event(
                assigned_at,
                agent,
                Kind.ASSIGNED,
                f"{agent.name} took the ticket",
                f'{{"assignee": [null, {agent.id}]}}',
            )
        if comment_count and agent is not None and first_response_at is not None:
            plan: list[tuple[int, Person, bool, str]] = [(first_response_at, agent, False, "")]
            if pause_end is not None:
                plan[0] = (first_response_at, agent, False, Status.WAITING_REQUESTER)
                plan.append((pause_end, requester, False, Status.OPEN))
            closing_reply = resolved_at is not None and comment_count > len(plan)
            middle = comment_count - len(plan) - (1 if closing_reply else 0)
            start = plan[-1][0]
            stop = end if resolved_at is not None else now
            if status == Status.WAITING_REQUESTER:
                middle = max(middle - 1, 0)
            for moment in sorted(rng.randrange(start, max(stop, start + 2)) for _ in range(max(middle, 0))):
                roll = rng.random()
                if roll < 0.2:
                    note_by = agent if rng.random() < 0.85 else rng.choice(agents)
                    plan.append((moment, note_by, True, ""))
                else:
                    plan.append((moment, public_authors[roll < 0.62], False, ""))
            if closing_reply:
                assert resolved_at is not None
                plan.append((resolved_at, agent, False, Status.RESOLVED))
            if status == Status.WAITING_REQUESTER:
                asked = rng.randrange(max(plan[-1][0], first_response_at), now) if now > plan[-1][0] else now
                plan.append((asked, agent, False, Status.WAITING_REQUESTER))
                paused_at = asked
            current = Status.OPEN
            for moment, author, internal, new_status in plan:
                if internal:
                    pool = "notes" if rng.random() < 0.5 else f"notes:{problem}"
                elif author is agent:
                    pool = "agent" if rng.random() < 0.35 else f"agent:{problem}"
                else:
                    pool = "requester"
                body = rng.choice(text[pool])
                if rng.random() < 0.5:
                    body += " " + rng.choice(text[pool])
                bodies.append(body)
                comment_lines.append(
                    f"{comment_id}\t{ticket_id}\t{author.id}\t{body}\t{'t' if internal else 'f'}\t{face.sql(moment)}\n"
                )
                if internal:
                    event(
                        moment,
                        author,
                        Kind.NOTED,
                        f"{author.name} added an internal note",
                        f'{{"comment": {comment_id}}}',
                    )
                elif new_status and new_status != current:
                    event(
                        moment,
                        author,
                        Kind.REPLIED,
                        f"{author.name} replied; status {STATUS_LABELS[current]} → {STATUS_LABELS[new_status]}",
                        f'{{"comment": {comment_id}, "status": ["{current}", "{new_status}"]}}',
                    )
                    current = new_status
                else:
                    event(
                        moment, author, Kind.REPLIED, f"{author.name} replied", f'{{"comment": {comment_id}}}'
                    )
                if rng.random() < 0.04 and not internal:
                    self._attachment(rng, rows, ticket_id, comment_id, author, moment)
                comment_id += 1
                last_activity = max(last_activity, moment)
            rows.comment_count += len(plan)
            if resolved_at is not None and not closing_reply:
                self._status_event(event, resolved_at, agent, current, Status.RESOLVED)
        elif resolved_at is not None:
            self._status_event(
                event, resolved_at, agent, Status.OPEN if agent else Status.NEW, Status.RESOLVED
            )
        if status == Status.WAITING_THIRD_PARTY and agent is not None:
            moment = rng.randrange(last_activity, now) if now > last_activity else now
            self._status_event(event, moment, agent, Status.OPEN, Status.WAITING_THIRD_PARTY)
            last_activity = moment

        # ---- what the sweep would have done: warnings and breaches, once each, with escalation
        first_stop = first_response_at if first_response_at is not None else end
        resolution_stop = paused_at if paused_at is not None else end
        marks: dict[str, int | None] = {}
        for mark, target, stage, moment, stop in (
            ("first_response_warned_at", FIRST_RESPONSE, "warning", first_warn, first_stop),
            ("first_response_breached_at", FIRST_RESPONSE, "breach", first_due, first_stop),
            ("resolution_warned_at", RESOLUTION, "warning", resolution_warn, resolution_stop),
            ("resolution_breached_at", RESOLUTION, "breach", resolution_due, resolution_stop),
        ):
            if moment < stop and moment <= now:
                fired = min(moment + rng.randrange(1, 60), now)
                marks[mark] = fired
                due = first_due if target == FIRST_RESPONSE else resolution_due
                if stage == "warning":
                    event(fired, None, Kind.SLA_WARNING, f"SLA warning: the {target} is due {face.when(due)}",
                          f'{{"target": "{target}", "due_at": "{face.iso(due)}"}}')  # fmt: skip
                else:
                    event(fired, None, Kind.SLA_BREACH, f"SLA breached: the {target} was due {face.when(due)}",
                          f'{{"target": "{target}", "due_at": "{face.iso(due)}"}}')  # fmt: skip
                    if policy.raise_priority and priority < Ticket.Priority.URGENT:
                        event(
                            fired,
                            None,
                            Kind.PRIORITY,
                            f"Priority raised from {PRIORITY_LABELS[priority]} to {PRIORITY_LABELS[priority + 1]}: "
                            f"the {target} is overdue",
                            f'{{"priority": [{priority}, {priority + 1}]}}',
                        )
                        priority += 1
            else:
                marks[mark] = None
        sla_due_at: int | None = None
        next_sla_at: int | None = None
        if status not in (Status.RESOLVED, Status.CLOSED) and paused_at is None:
            sla_due_at = first_due if first_response_at is None else resolution_due
            coming = [
                moment
                for mark, moment in (
                    ("first_response_warned_at", first_warn),
                    ("first_response_breached_at", first_due),
                    ("resolution_warned_at", resolution_warn),
                    ("resolution_breached_at", resolution_due),
                )
                if marks[mark] is None and (first_response_at is None or not mark.startswith("first"))
            ]
            next_sla_at = min(coming) if coming else None

        # ---- reopened once, closed, time logged
        reopen_count = 0
        if (
            resolved_at is not None
            and agent is not None
            and first_response_at is not None
            and rng.random() < 0.03
        ):
            reopen_count = 1
            earlier = first_response_at + (resolved_at - first_response_at) // 3
            self._status_event(event, earlier, agent, Status.OPEN, Status.RESOLVED)
            back = earlier + (resolved_at - earlier) // 4
            event(back, requester, Kind.STATUS, f"{requester.name} reopened the request",
                  '{"status": ["resolved", "open"], "reopened": true}')  # fmt: skip
        if closed_at is not None and agent is not None:
            self._status_event(event, closed_at, agent, Status.RESOLVED, Status.CLOSED)
        elif closed_at is not None:
            event(
                closed_at,
                None,
                Kind.STATUS,
                "The desk closed the request",
                '{"status": ["resolved", "closed"]}',
            )
        if agent is not None and first_response_at is not None and rng.random() < 0.55:
            rate = cast.queue_rates[routed.queue_id]
            for _ in range(choices((1, 2, 3), weights=(60, 30, 10))[0]):
                minutes = choices(_MINUTES, weights=_MINUTE_WEIGHTS)[0]
                note = rng.choice(vocabulary.TIME_NOTES)
                logged = rng.randrange(first_response_at, max(end, first_response_at + 1))
                rows.time_entries.write(
                    f"{ticket_id}\t{agent.id}\t{minutes}\t{note}\t{rate}\t{face.sql(logged)}"
                    f"\t{routed.queue_id}\t{platform_id}\t{NULL if department is None else department}\n"
                )
                event(logged, agent, Kind.TIME_LOGGED, f"{agent.name} logged {minutes} min" + (f": {note}" if note else ""),
                      f'{{"minutes": {minutes}}}')  # fmt: skip
        attachments_at_filing = choices((0, 1, 2), weights=(87, 10, 3))[0]
        for _ in range(attachments_at_filing):
            self._attachment(rng, rows, ticket_id, None, requester, created)

        if status == Status.CLOSED:
            updated_at = closed_at
        elif status == Status.RESOLVED:
            updated_at = resolved_at
        else:
            updated_at = last_activity
        assert updated_at is not None

        first_response_business = (
            None if first_response_at is None else clock.between(created, first_response_at)
        )
        resolution_business = (
            None if resolved_at is None else max(clock.between(created, resolved_at) - paused, 0)
        )
        sql = face.sql

        def at(moment: int | None) -> str:
            return NULL if moment is None else sql(moment)

        rows.tickets.write(
            "\t".join(
                (
                    str(ticket_id),
                    subject,
                    description,
                    str(requester.id),
                    str(platform_id),
                    str(problem_id),
                    account,
                    str(routed.queue_id),
                    str(agent.id) if agent else NULL,
                    status,
                    str(priority),
                    sql(created),
                    sql(updated_at),
                    at(first_response_at),
                    at(resolved_at),
                    at(closed_at),
                    str(policy.id),
                    at(paused_at),
                    interval(paused),
                    sql(first_due),
                    sql(first_warn),
                    sql(resolution_due),
                    sql(resolution_warn),
                    at(marks["first_response_warned_at"]),
                    at(marks["first_response_breached_at"]),
                    at(marks["resolution_warned_at"]),
                    at(marks["resolution_breached_at"]),
                    at(sla_due_at),
                    at(next_sla_at),
                    interval(first_response_business),
                    interval(resolution_business),
                    str(reopen_count),
                    " ".join(bodies),
                )
            )
            + "\n"
        )
        rows.comments.writelines(comment_lines)
        events.sort(key=_first)
        rows.events.writelines(line for _, line in events)
        rows.event_count += len(events)
        return comment_id

    def _status_event(
        self, event: Callable[..., None], moment: int, actor: Person | None, before: str, after: str
    ) -> None:
        name = actor.name if actor else "The desk"
        event(
            moment,
            actor,
            Kind.STATUS,
            f"{name} changed the status from {STATUS_LABELS[before]} to {STATUS_LABELS[after]}",
            f'{{"status": ["{before}", "{after}"]}}',
        )

    def _attachment(
        self,
        rng: random.Random,
        rows: ChunkRows,
        ticket_id: int,
        comment_id: int | None,
        by: Person,
        moment: int,
    ) -> None:
        name, content_type = rng.choice(vocabulary.ATTACHMENTS)
        stamp = self.face.sql(moment)
        path = f"attachments/{stamp[:4]}/{stamp[5:7]}/{rng.getrandbits(128):032x}"
        size = int(rng.lognormvariate(11.5, 1.2)) + 200
        rows.attachments.write(
            f"{ticket_id}\t{NULL if comment_id is None else comment_id}\t{path}\t{name}\t{size}\t{content_type}\t{by.id}\t{stamp}\n"
        )


_MINUTES = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180)
_MINUTE_WEIGHTS = (8, 14, 18, 14, 16, 10, 9, 5, 4, 2)
_POOLS: dict[str, list[str]] = {
    "agent": vocabulary.AGENT_REPLIES,
    "requester": vocabulary.REQUESTER_REPLIES,
    "notes": vocabulary.INTERNAL_NOTES,
    **{f"agent:{slug}": pool for slug, pool in vocabulary.AGENT_REPLIES_BY_PROBLEM.items()},
    **{
        f"notes:{slug}": vocabulary.INTERNAL_NOTES_BY_PROBLEM.get(slug, vocabulary.INTERNAL_NOTES)
        for slug in vocabulary.SUBJECTS
    },
    **{f"subject:{slug}": pool for slug, pool in vocabulary.SUBJECTS.items()},
    **{f"description:{slug}": pool for slug, pool in vocabulary.DESCRIPTIONS.items()},
}


def _first(pair: tuple[int, str]) -> int:
    return pair[0]


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return bisect_right(cumulative, rng.random() * cumulative[-1])


def cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def routing_changes(rule_name: str | None, rule_id: int | None, queue: str, priority: int) -> str:
    return copy_text(
        json.dumps(
            {"rule": rule_name, "rule_id": rule_id, "queue": queue, "priority": PRIORITY_LABELS[priority]}
        )
    )
