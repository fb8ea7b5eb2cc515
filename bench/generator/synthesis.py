"""One chunk of tickets with their whole lives, as rows ready for COPY.

A ticket's life is drawn first (filed, taken, answered, maybe paused, resolved, closed)
in business time under its SLA policy; every column and history event follows from it,
the way the services would have written them.
"""

from __future__ import annotations

import random
from bisect import bisect_right

from tickets import events
from tickets.events import Ref

from . import vocabulary
from .aftermath import SlaState, reopen_and_close, sla_sweep_replay, time_entries_write
from .cast import Cast
from .conversation import Conversation, ConversationWriter, History, attachment_write
from .life import Filed, Life, Status, life_draw
from .rows import NULL, ChunkRows, Clockface, copy_text, interval

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


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return bisect_right(cumulative, rng.random() * cumulative[-1])


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
        writer = ConversationWriter(rows, self.face, self.text, now=self.now)
        comment_id = first_comment_id
        for offset, moment in enumerate(created):
            filed = self._filed(rng, first + offset, first_ticket_id + offset, moment)
            comment_id = self._ticket(rng, rows, writer, filed, comment_id)
        rows.ticket_count = len(created)
        return rows

    def _ticket(
        self, rng: random.Random, rows: ChunkRows, writer: ConversationWriter, filed: Filed, comment_id: int
    ) -> int:
        """Write one ticket's rows; returns the id its next ticket's first comment takes."""
        now, face = self.now, self.face
        history = History(filed.ticket_id, face)
        self._filing_events(filed, history)
        life = life_draw(rng, filed, now=now)
        said = writer.write(rng, filed, life, history, comment_id=comment_id)
        sla = sla_sweep_replay(rng, filed, life, history, face, now=now)
        reopened = reopen_and_close(rng, filed, life, history)
        rate = self.cast.queue_rates[filed.routed.queue_id]
        time_entries_write(rng, filed, life, history, rows, face, rate=rate, now=now)
        for _ in range(rng.choices((0, 1, 2), weights=(87, 10, 3))[0]):
            attachment_write(
                rng, rows, face, ticket_id=filed.ticket_id, comment_id=None, by=filed.requester, moment=filed.created
            )  # fmt: skip
        rows.tickets.write(self._ticket_row(filed, life, said, sla, reopened))
        events = history.lines()
        rows.events.writelines(events)
        rows.event_count += len(events)
        return said.next_comment_id

    def _filed(self, rng: random.Random, ordinal: int, ticket_id: int, created: int) -> Filed:
        """Who files what, in which words, and where routing sends it."""
        cast = self.cast
        heavy = cast.heavy_stride and ordinal % cast.heavy_stride == cast.heavy_stride // 2
        who = cast.heavy_requester if heavy else _pick(rng, cast.requester_weights)
        problem_id, problem = cast.problems[_pick(rng, cast.problem_weights)]
        platform_id, platform = cast.platforms[_pick(rng, cast.platform_weights[problem])]
        fill = {
            "platform": vocabulary.PLATFORM_NAMES[platform],
            "account": rng.choice(vocabulary.ACCOUNTS[platform]),
            "campaign": rng.choice(vocabulary.CAMPAIGNS),
        }
        subject = rng.choice(self.text[f"subject:{problem}"]).format(**fill)
        description = rng.choice(self.text[f"description:{problem}"]).format(**fill)
        if rng.random() < 0.45:
            description += "\\n\\n" + rng.choice(self.text[f"description:{problem}"]).format(**fill)
        account = fill["account"] if rng.random() < 0.6 else ""
        department = cast.requester_departments[who]
        routed = cast.route(platform_id, problem_id, department, f"{subject}\n{description}")
        return Filed(
            ticket_id=ticket_id,
            created=created,
            requester=cast.requesters[who],
            department=department,
            problem_id=problem_id,
            problem=problem,
            platform_id=platform_id,
            subject=subject,
            description=description,
            account=account,
            routed=routed,
            policy=cast.policies[(routed.queue_id, routed.priority)],
            agents=cast.agents[routed.queue_id],
            long_thread=ordinal % cast.long_stride == cast.long_stride // 2,
        )

    def _filing_events(self, filed: Filed, history: History) -> None:
        created, policy, moment = filed.created, filed.policy, self.face.moment
        history.add(created, filed.requester, events.Filed())
        history.add_text(created, None, events.Routed.kind, filed.routed.payload)
        targets = events.SlaTargets(
            policy=Ref(policy.id, policy.name),
            first_response_due_at=moment(policy.clock.add(created, policy.first_response)),
            resolution_due_at=moment(policy.clock.add(created, policy.resolution)),
        )
        history.add(created, None, targets)

    def _ticket_row(self, filed: Filed, life: Life, said: Conversation, sla: SlaState, reopened: int) -> str:
        sql, at = self.face.sql, self.face.sql_or_null
        clock, created = filed.policy.clock, filed.created
        if life.status == Status.CLOSED:
            updated_at = life.closed_at
        elif life.status == Status.RESOLVED:
            updated_at = life.resolved_at
        else:
            updated_at = said.last_activity
        assert updated_at is not None
        answered, resolved = life.first_response_at, life.resolved_at
        first_business = None if answered is None else clock.between(created, answered)
        resolution_business = (
            None if resolved is None else max(clock.between(created, resolved) - life.paused, 0)
        )
        marks = sla.marks
        columns = (
            str(filed.ticket_id), filed.subject, filed.description, str(filed.requester.id),
            str(filed.platform_id), str(filed.problem_id), filed.account, str(filed.routed.queue_id),
            str(life.agent.id) if life.agent else NULL, life.status, str(sla.priority), sql(created),
            sql(updated_at), at(answered), at(resolved), at(life.closed_at), str(filed.policy.id),
            at(life.paused_at), interval(life.paused), sql(life.first_due), sql(life.first_warn),
            sql(life.resolution_due), sql(life.resolution_warn), at(marks["first_response_warned_at"]),
            at(marks["first_response_breached_at"]), at(marks["resolution_warned_at"]),
            at(marks["resolution_breached_at"]), at(sla.sla_due_at), at(sla.next_sla_at),
            interval(first_business), interval(resolution_business), str(reopened),
            # Not a ticket column: the staging table's text of the conversation, for the search vector.
            " ".join(said.bodies),
        )  # fmt: skip
        return "\t".join(columns) + "\n"
