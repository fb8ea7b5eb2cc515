"""The kinds of ticket history, each with one declared payload and the sentence people read.

An Event row holds its kind, who acted (`actor`, empty when the desk itself did), when, and
`payload`: the kind's dataclass below as JSON. Payloads keep ids for code that follows a
change later (webhooks, reports) and labels as they read at the time for people; moments
are ISO 8601 in UTC. No sentence is stored: `Payload.sentence` writes it when the history
is shown, so times read in the reader's time zone and a rewording reaches old rows too.

To add a kind:
1. add it to `Event.Kind` (tickets/models/ticket.py) and run makemigrations for the choices;
2. declare its payload here: a frozen dataclass subclassing `Payload`, with `kind` set, its
   fields typed as tickets/payloads.py allows, and `sentence(actor)` written in full;
3. decorate it with `@KINDS.register`;
4. write it with tickets.services.history.event_record(ticket=, actor=, payload=), inside the
   change's transaction; bulk writers use event_build and bulk_create.
tests/tickets/test_events.py checks that every kind has a payload and a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal, overload

from django.db import models

from .models import Event, Ticket
from .notify import when
from .payloads import Payload as BasePayload
from .payloads import PayloadError, Ref, Registry

if TYPE_CHECKING:
    from accounts.models import User
    from sla.models import Policy

Kind = Event.Kind
SlaTarget = Literal["first response", "resolution"]
SLA_TARGETS: tuple[SlaTarget, ...] = ("first response", "resolution")


class Payload(BasePayload):
    def sentence(self, actor: User | None) -> str:
        raise NotImplementedError


KINDS: Registry[Payload] = Registry("ticket event")


def name(actor: User | None) -> str:
    # Actors are deactivated, not deleted; a row whose actor is gone still reads.
    return str(actor) if actor is not None else "Someone"


@overload
def ref(instance: models.Model) -> Ref: ...
@overload
def ref(instance: models.Model | None) -> Ref | None: ...
def ref(instance: models.Model | None) -> Ref | None:
    """A model row as a Ref: its primary key and how it reads now."""
    return None if instance is None else Ref(instance.pk, str(instance))


def sla_target(target: str) -> SlaTarget:
    """A clock's target name (tickets.clock) as the payloads type it."""
    for known in SLA_TARGETS:
        if target == known:
            return known
    raise PayloadError(f"{target!r} is not an SLA target")


def status_ref(status: str) -> Ref:
    return Ref(str(status), Ticket.Status(status).label)


def priority_ref(priority: int) -> Ref:
    return Ref(int(priority), Ticket.Priority(priority).label)


@dataclass(frozen=True)
class StatusMove:
    """A status change that came with another action (a reply, an assignment)."""

    before: Ref
    after: Ref

    @classmethod
    def between(cls, before: str, after: str) -> StatusMove | None:
        return None if before == after else cls(status_ref(before), status_ref(after))

    def clause(self) -> str:
        return f"; status {self.before} → {self.after}"


def _moved(status: StatusMove | None) -> str:
    return status.clause() if status else ""


@KINDS.register
@dataclass(frozen=True)
class Filed(Payload):
    kind: ClassVar[str] = Kind.FILED

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} filed the request"


@KINDS.register
@dataclass(frozen=True)
class Routed(Payload):
    kind: ClassVar[str] = Kind.ROUTED
    queue: Ref
    priority: Ref
    rule: Ref | None  # None: no rule matched and the fallback queue took it
    # No rule matched and the queue whose mailbox the request was emailed to took it.
    emailed_to: Ref | None = None
    # A workflow named the queue and no rule was asked: why, such as "it owns the account".
    named_because: str = ""

    def sentence(self, actor: User | None) -> str:
        if self.named_because:
            return f"Sent to {self.queue} as {self.priority}: {self.named_because}"
        if self.rule is None and self.emailed_to is not None:
            return f"No routing rule matched: sent to {self.queue}, the queue it was emailed to, as {self.priority}"
        if self.rule is None:
            return f"No routing rule matched: sent to {self.queue} (fallback) as {self.priority}"
        return f"Routed to {self.queue} as {self.priority} by rule “{self.rule}”"


@KINDS.register
@dataclass(frozen=True)
class Assigned(Payload):
    kind: ClassVar[str] = Kind.ASSIGNED
    before: Ref | None
    after: Ref | None
    # Who chose: a person (the actor), a routing rule, or the queue's turn.
    chosen_by: Literal["person", "rule", "turn"] = "person"
    status: StatusMove | None = None

    def sentence(self, actor: User | None) -> str:
        if self.chosen_by != "person":
            how = "in turn" if self.chosen_by == "turn" else "by routing"
            return f"Assigned to {self.after} {how}{_moved(self.status)}"
        if self.after is None:
            done = f"unassigned {self.before}"
        elif actor is not None and self.after.id == actor.pk:
            done = "took the ticket"
        else:
            done = f"assigned the ticket to {self.after}"
        return f"{name(actor)} {done}{_moved(self.status)}"


@KINDS.register
@dataclass(frozen=True)
class Transferred(Payload):
    kind: ClassVar[str] = Kind.TRANSFERRED
    before: Ref
    after: Ref
    unassigned: Ref | None = None  # the assignee, who doesn't work the new queue
    note: str = ""

    def sentence(self, actor: User | None) -> str:
        text = f"{name(actor)} moved the ticket from {self.before} to {self.after}"
        if self.unassigned is not None:
            text += f" and unassigned {self.unassigned}, who doesn't work {self.after}"
        return f"{text}: {self.note}" if self.note else text


@KINDS.register
@dataclass(frozen=True)
class TimeLogged(Payload):
    kind: ClassVar[str] = Kind.TIME_LOGGED
    minutes: int
    note: str = ""

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} logged {self.minutes} min" + (f": {self.note}" if self.note else "")


@KINDS.register
@dataclass(frozen=True)
class StatusChanged(Payload):
    kind: ClassVar[str] = Kind.STATUS
    before: Ref
    after: Ref
    # "set" by staff; the requester "resolved" or "reopened"; the desk "closed" it on its own.
    how: Literal["set", "resolved", "reopened", "closed"] = "set"
    reason: str = ""
    reopen_days: int | None = None  # for "closed": how long requesters could reopen it

    def sentence(self, actor: User | None) -> str:
        if self.how == "closed":
            return f"Closed automatically {self.reopen_days} days after it was resolved"
        if self.how == "resolved":
            return f"{name(actor)} marked the request resolved"
        if self.how == "reopened":
            return f"{name(actor)} reopened the request" + (f": {self.reason}" if self.reason else "")
        return f"{name(actor)} changed the status from {self.before} to {self.after}"


@KINDS.register
@dataclass(frozen=True)
class PriorityChanged(Payload):
    kind: ClassVar[str] = Kind.PRIORITY
    before: Ref
    after: Ref
    overdue: SlaTarget | None = None  # set when a breach of this target raised it

    def sentence(self, actor: User | None) -> str:
        if self.overdue is not None:
            return f"Priority raised from {self.before} to {self.after}: the {self.overdue} is overdue"
        return f"{name(actor)} changed the priority from {self.before} to {self.after}"


@dataclass(frozen=True)
class Commented(Payload):
    comment_id: int | None  # None only in history older than payloads, where it wasn't kept
    status: StatusMove | None = None


@KINDS.register
@dataclass(frozen=True)
class Replied(Commented):
    kind: ClassVar[str] = Kind.REPLIED

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} replied{_moved(self.status)}"


@KINDS.register
@dataclass(frozen=True)
class Noted(Commented):
    kind: ClassVar[str] = Kind.NOTED

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} added an internal note{_moved(self.status)}"


def _dues(first_response: datetime | None, resolution: datetime | None) -> str:
    parts = [
        f"{target} due {when(moment)}"
        for target, moment in (("first response", first_response), ("resolution", resolution))
        if moment is not None
    ]
    return ", ".join(parts) or "no targets running"


@KINDS.register
@dataclass(frozen=True)
class SlaTargets(Payload):
    """The SLA policy that applies and its deadlines, at filing or after a change."""

    kind: ClassVar[str] = Kind.SLA
    policy: Ref | None  # None: no policy applies any more
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    recomputed: bool = False

    @classmethod
    def of(cls, ticket: Ticket, *, recomputed: bool) -> SlaTargets:
        policy: Policy | None = ticket.sla_policy
        return cls(
            policy=ref(policy),
            first_response_due_at=ticket.first_response_due_at,
            resolution_due_at=ticket.resolution_due_at,
            recomputed=recomputed,
        )

    def sentence(self, actor: User | None) -> str:
        if self.policy is None:
            return "No SLA policy applies any more"
        dues = _dues(self.first_response_due_at, self.resolution_due_at)
        if self.recomputed:
            return f"SLA targets recomputed under “{self.policy}”: {dues}"
        return f"SLA “{self.policy}”: {dues}"


@KINDS.register
@dataclass(frozen=True)
class SlaWarning(Payload):
    kind: ClassVar[str] = Kind.SLA_WARNING
    target: SlaTarget
    due_at: datetime

    def sentence(self, actor: User | None) -> str:
        return f"SLA warning: the {self.target} is due {when(self.due_at)}"


@KINDS.register
@dataclass(frozen=True)
class SlaBreach(Payload):
    kind: ClassVar[str] = Kind.SLA_BREACH
    target: SlaTarget
    due_at: datetime

    def sentence(self, actor: User | None) -> str:
        return f"SLA breached: the {self.target} was due {when(self.due_at)}"


@KINDS.register
@dataclass(frozen=True)
class Approval(Payload):
    """The yes a request needed before it reached the queue (approvals/), as it was given."""

    kind: ClassVar[str] = Kind.APPROVAL
    approval: Ref  # the approval and what was asked
    requester: Ref
    decided_by: Ref
    decided_at: datetime
    comment: str = ""

    def sentence(self, actor: User | None) -> str:
        text = f"{self.decided_by} approved “{self.approval}”, asked by {self.requester}, on {when(self.decided_at)}"
        return f"{text}: “{self.comment}”" if self.comment else text


@KINDS.register
@dataclass(frozen=True)
class AccessRecorded(Payload):
    """Access to a company account given or taken away as the ticket asked (social/)."""

    kind: ClassVar[str] = Kind.ACCESS_RECORDED
    account: Ref
    holder: Ref
    role: str
    action: Literal["granted", "revoked"]

    def sentence(self, actor: User | None) -> str:
        if self.action == "granted":
            return f"{name(actor)} granted {self.holder} {self.role} access to {self.account}"
        return f"{name(actor)} revoked {self.holder}'s {self.role} access to {self.account}"


@KINDS.register
@dataclass(frozen=True)
class Collaborating(Payload):
    """Another queue joined the ticket: its agents see and work it beside the ticket's queue."""

    kind: ClassVar[str] = Kind.COLLABORATING
    queue: Ref
    why: str = ""

    def sentence(self, actor: User | None) -> str:
        who = name(actor) if actor is not None else "The desk"
        return f"{who} added {self.queue} to work the ticket" + (f": {self.why}" if self.why else "")


@KINDS.register
@dataclass(frozen=True)
class Linked(Payload):
    """A link to another ticket, as read from this one: "duplicate of SIT-3", "parent of SIT-9"."""

    kind: ClassVar[str] = Kind.LINKED
    relation: Ref  # the link's kind and how it reads from this ticket
    other: Ref

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} linked this ticket: {self.relation.label.lower()} {self.other}"


@KINDS.register
@dataclass(frozen=True)
class Unlinked(Payload):
    kind: ClassVar[str] = Kind.UNLINKED
    relation: Ref
    other: Ref

    def sentence(self, actor: User | None) -> str:
        return f"{name(actor)} removed the link: {self.relation.label.lower()} {self.other}"


@KINDS.register
@dataclass(frozen=True)
class MergedInto(Payload):
    """This ticket was a duplicate: closed, its conversation moved to `target`."""

    kind: ClassVar[str] = Kind.MERGED_INTO
    target: Ref
    messages: int

    def sentence(self, actor: User | None) -> str:
        return (
            f"{name(actor)} merged this ticket into {self.target}; its {self.messages} messages moved there"
        )


@KINDS.register
@dataclass(frozen=True)
class MergedFrom(Payload):
    """A duplicate's conversation moved onto this ticket, marked with where it came from."""

    kind: ClassVar[str] = Kind.MERGED_FROM
    source: Ref
    requester: Ref
    messages: int

    def sentence(self, actor: User | None) -> str:
        return (
            f"{name(actor)} merged {self.source} by {self.requester} into this ticket "
            f"({self.messages} messages)"
        )


@KINDS.register
@dataclass(frozen=True)
class Following(Payload):
    """Someone on staff started or stopped following the ticket."""

    kind: ClassVar[str] = Kind.FOLLOWING
    person: Ref
    action: Literal["followed", "unfollowed"]
    mentioned: bool = False  # added because a note named them

    def sentence(self, actor: User | None) -> str:
        if self.mentioned:
            return f"{self.person} follows the ticket: {name(actor)} mentioned them"
        if actor is not None and actor.pk == self.person.id:
            return (
                f"{self.person} {'follows' if self.action == 'followed' else 'no longer follows'} the ticket"
            )
        verb = "added" if self.action == "followed" else "removed"
        return f"{name(actor)} {verb} {self.person} as a follower"


@KINDS.register
@dataclass(frozen=True)
class Colleague(Payload):
    """A colleague of the requester copied on the ticket, or taken off it."""

    kind: ClassVar[str] = Kind.COLLEAGUE
    person: Ref
    action: Literal["added", "removed"]

    def sentence(self, actor: User | None) -> str:
        if self.action == "added":
            return f"{name(actor)} added {self.person} to the request"
        return f"{name(actor)} took {self.person} off the request"


def payload_of(event: Event) -> Payload:
    return KINDS.load(event.kind, event.payload)


def event_sentence(event: Event) -> str:
    """The event as one sentence, its times in the current (the reader's) time zone."""
    return payload_of(event).sentence(event.actor)


@dataclass(frozen=True)
class HistoryLine:
    """One event as a screen shows it, written once per event."""

    created_at: datetime
    kind: str
    sentence: str


def history_lines(events: Iterable[Event]) -> list[HistoryLine]:
    """The events as lines; each event's actor should be fetched with it (select_related)."""
    return [HistoryLine(event.created_at, event.kind, event_sentence(event)) for event in events]
