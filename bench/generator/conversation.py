"""A ticket's history and conversation as rows: the events the services would have written,
the comments with the status changes they carry, and their attachments."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tickets import events
from tickets.events import Ref, StatusMove, status_ref
from tickets.models import Ticket

from . import vocabulary
from .cast import Person
from .life import Filed, Life
from .rows import NULL, ChunkRows, Clockface, payload_text

Status = Ticket.Status


def person_ref(person: Person) -> Ref:
    return Ref(person.id, person.name)


class History:
    """One ticket's events as COPY lines, in the order of their moments."""

    def __init__(self, ticket_id: int, face: Clockface) -> None:
        self.ticket_id = ticket_id
        self.face = face
        self.entries: list[tuple[int, str]] = []

    def add(self, moment: int, actor: Person | None, payload: events.Payload) -> None:
        self.add_text(moment, actor, payload.kind, payload_text(payload))

    def add_text(self, moment: int, actor: Person | None, kind: str, payload: str) -> None:
        """An event whose payload is already COPY text, for payloads made once per chunk."""
        actor_id = actor.id if actor else NULL
        self.entries.append(
            (moment, f"{self.ticket_id}\t{actor_id}\t{kind}\t{payload}\t{self.face.sql(moment)}\n")
        )

    def status(self, moment: int, actor: Person | None, before: str, after: str) -> None:
        self.add(moment, actor, events.StatusChanged(before=status_ref(before), after=status_ref(after)))

    def lines(self) -> list[str]:
        # A stable sort: events of the same moment keep the order the services write them in.
        return [line for _, line in sorted(self.entries, key=_moment)]


def _moment(entry: tuple[int, str]) -> int:
    return entry[0]


@dataclass(slots=True)
class Planned:
    """One comment to write: when, by whom, internal or not, and the status it moves to."""

    moment: int
    author: Person
    internal: bool = False
    new_status: str = ""


@dataclass(slots=True)
class Conversation:
    """What the conversation leaves behind for the ticket's row."""

    bodies: list[str] = field(default_factory=list)
    last_activity: int = 0
    next_comment_id: int = 0


def attachment_write(
    rng: random.Random,
    rows: ChunkRows,
    face: Clockface,
    *,
    ticket_id: int,
    comment_id: int | None,
    by: Person,
    moment: int,
) -> None:
    name, content_type = rng.choice(vocabulary.ATTACHMENTS)
    stamp = face.sql(moment)
    path = f"attachments/{stamp[:4]}/{stamp[5:7]}/{rng.getrandbits(128):032x}"
    size = int(rng.lognormvariate(11.5, 1.2)) + 200
    comment = NULL if comment_id is None else comment_id
    rows.attachments.write(
        f"{ticket_id}\t{comment}\t{path}\t{name}\t{size}\t{content_type}\t{by.id}\t{stamp}\n"
    )


class ConversationWriter:
    """Writes one chunk's comments, their events and attachments, from each ticket's life."""

    def __init__(self, rows: ChunkRows, face: Clockface, text: dict[str, list[str]], *, now: int) -> None:
        self.rows, self.face, self.text, self.now = rows, face, text, now

    def write(
        self, rng: random.Random, filed: Filed, life: Life, history: History, *, comment_id: int
    ) -> Conversation:
        said = Conversation(last_activity=max(filed.created, life.assigned_at), next_comment_id=comment_id)
        agent = life.agent
        if agent is not None:
            history.add(life.assigned_at, agent, events.Assigned(before=None, after=person_ref(agent)))
        if life.comment_count and agent is not None and life.first_response_at is not None:
            plan, closing_reply = self._plan(rng, filed, life, agent)
            current = self._comments_write(rng, filed, plan, history, said)
            if life.resolved_at is not None and not closing_reply:
                history.status(life.resolved_at, agent, current, Status.RESOLVED)
        elif life.resolved_at is not None:
            history.status(life.resolved_at, agent, Status.OPEN if agent else Status.NEW, Status.RESOLVED)
        if life.status == Status.WAITING_THIRD_PARTY and agent is not None:
            now = self.now
            moment = rng.randrange(said.last_activity, now) if now > said.last_activity else now
            history.status(moment, agent, Status.OPEN, Status.WAITING_THIRD_PARTY)
            said.last_activity = moment
        return said

    def _plan(
        self, rng: random.Random, filed: Filed, life: Life, agent: Person
    ) -> tuple[list[Planned], bool]:
        """The first answer, the pause and its end, replies and notes, and the closing reply."""
        assert life.first_response_at is not None
        now = self.now
        plan = [Planned(life.first_response_at, agent)]
        if life.pause_end is not None:
            plan[0] = Planned(life.first_response_at, agent, new_status=Status.WAITING_REQUESTER)
            plan.append(Planned(life.pause_end, filed.requester, new_status=Status.OPEN))
        closing_reply = life.resolved_at is not None and life.comment_count > len(plan)
        middle = life.comment_count - len(plan) - (1 if closing_reply else 0)
        if life.status == Status.WAITING_REQUESTER:
            middle = max(middle - 1, 0)
        start, stop = plan[-1].moment, life.end(now)
        public_authors = (filed.requester, agent)
        for moment in sorted(rng.randrange(start, max(stop, start + 2)) for _ in range(max(middle, 0))):
            roll = rng.random()
            if roll < 0.2:
                note_by = agent if rng.random() < 0.85 else rng.choice(filed.agents)
                plan.append(Planned(moment, note_by, internal=True))
            else:
                plan.append(Planned(moment, public_authors[roll < 0.62]))
        if closing_reply:
            assert life.resolved_at is not None
            plan.append(Planned(life.resolved_at, agent, new_status=Status.RESOLVED))
        if life.status == Status.WAITING_REQUESTER:
            last = plan[-1].moment
            asked = rng.randrange(max(last, life.first_response_at), now) if now > last else now
            plan.append(Planned(asked, agent, new_status=Status.WAITING_REQUESTER))
            life.paused_at = asked
        return plan, closing_reply

    def _comments_write(
        self, rng: random.Random, filed: Filed, plan: list[Planned], history: History, said: Conversation
    ) -> str:
        """Each planned comment with its event; returns the status the last one left."""
        current: str = Status.OPEN
        for comment in plan:
            comment_id = said.next_comment_id
            body = self._body(rng, filed, comment)
            said.bodies.append(body)
            internal = "t" if comment.internal else "f"
            self.rows.comments.write(
                f"{comment_id}\t{filed.ticket_id}\t{comment.author.id}\t{body}\t{internal}\t{self.face.sql(comment.moment)}\n"
            )
            current = _comment_event(history, comment, comment_id, current)
            if rng.random() < 0.04 and not comment.internal:
                attachment_write(
                    rng, self.rows, self.face, ticket_id=filed.ticket_id, comment_id=comment_id,
                    by=comment.author, moment=comment.moment,
                )  # fmt: skip
            said.next_comment_id += 1
            said.last_activity = max(said.last_activity, comment.moment)
        self.rows.comment_count += len(plan)
        return current

    def _body(self, rng: random.Random, filed: Filed, comment: Planned) -> str:
        if comment.internal:
            pool = "notes" if rng.random() < 0.5 else f"notes:{filed.problem}"
        elif comment.author is filed.requester:
            pool = "requester"
        else:
            pool = "agent" if rng.random() < 0.35 else f"agent:{filed.problem}"
        body = rng.choice(self.text[pool])
        if rng.random() < 0.5:
            body += " " + rng.choice(self.text[pool])
        return body


def _comment_event(history: History, comment: Planned, comment_id: int, current: str) -> str:
    author, moment = comment.author, comment.moment
    if comment.internal:
        history.add(moment, author, events.Noted(comment_id=comment_id))
        return current
    if comment.new_status and comment.new_status != current:
        new = comment.new_status
        history.add(
            moment, author, events.Replied(comment_id=comment_id, status=StatusMove.between(current, new))
        )
        return new
    history.add(moment, author, events.Replied(comment_id=comment_id))
    return current
