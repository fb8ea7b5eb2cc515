"""Tickets that belong together: links read from both sides, merging a duplicate, and
resolving a parent with its children."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import User

from .. import notify
from ..events import Linked, MergedFrom, MergedInto, Unlinked, ref
from ..linking import Relation, relation_ref
from ..models import Attachment, Comment, Ticket, TicketLink
from ..payloads import Ref
from ..selectors import can_work_ticket
from .common import actor_check, locked, message_check, status_change, touch
from .conversation import ticket_reply
from .history import event_record
from .search import ticket_search_refresh

Status = Ticket.Status


def _number(ticket: Ticket) -> Ref:
    # The reference alone: a reader of one ticket's history may not be allowed the other's subject.
    return Ref(ticket.pk, ticket.reference)


def _both_locked(first: Ticket, second: Ticket) -> tuple[Ticket, Ticket]:
    # Always in id order, so two merges of the same pair can't wait on each other.
    if first.pk < second.pk:
        return locked(first), locked(second)
    second, first = locked(second), locked(first)
    return first, second


def _stored(ticket: Ticket, other: Ticket, relation: Relation) -> tuple[Ticket, Ticket, str]:
    """Source, target and kind as a row keeps them: "parent of" is the other's "child of"."""
    if relation == "parent":
        return other, ticket, TicketLink.Kind.CHILD
    return ticket, other, relation


@transaction.atomic
def ticket_link(*, ticket: Ticket, other: Ticket, relation: Relation, actor: User) -> TicketLink:
    """Link two tickets the actor works; both histories say so."""
    if ticket.pk == other.pk:
        raise ValidationError("A ticket can't be linked to itself; give another ticket's reference.")
    ticket, other = _both_locked(ticket, other)
    actor_check(actor, ticket, staff=True)
    actor_check(actor, other, staff=True)
    existing = TicketLink.objects.filter(
        Q(source=ticket, target=other) | Q(source=other, target=ticket)
    ).first()
    if existing is not None:
        raise ValidationError(
            f"{ticket.reference} and {other.reference} are already linked; remove that link to change it."
        )
    source, target, kind = _stored(ticket, other, relation)
    link = TicketLink.objects.create(source=source, target=target, kind=kind, created_by=actor)
    event_record(
        ticket=source, actor=actor, payload=Linked(relation=relation_ref(kind), other=_number(target))
    )
    event_record(
        ticket=target,
        actor=actor,
        payload=Linked(relation=relation_ref(kind, reverse=True), other=_number(source)),
    )
    touch(ticket)
    return link


@transaction.atomic
def ticket_unlink(*, link: TicketLink, ticket: Ticket, actor: User) -> None:
    """Remove a link, seen from `ticket`, one of its two ends; both histories keep that it was."""
    if ticket.pk not in (link.source_id, link.target_id):
        raise ValidationError(f"That link isn't on {ticket.reference}.")
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    source, target = link.source, link.target
    kind = link.kind
    link.delete()
    event_record(
        ticket=source, actor=actor, payload=Unlinked(relation=relation_ref(kind), other=_number(target))
    )
    event_record(
        ticket=target,
        actor=actor,
        payload=Unlinked(relation=relation_ref(kind, reverse=True), other=_number(source)),
    )


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Merge the duplicate `source` into `target`.

    Its request and replies move to the target in the order they were written, each marked
    with where it came from, with their files; its requester and colleagues join the target as
    colleagues and are told; the source closes pointing at the target. Nothing is deleted.
    """
    if source.pk == target.pk:
        raise ValidationError("A ticket can't be merged into itself; give the other ticket's reference.")
    source, target = _both_locked(source, target)
    # Working across queues needs both: the one rule, asked of each ticket.
    actor_check(actor, source, staff=True)
    actor_check(actor, target, staff=True)
    if source.merged_into_id is not None:
        raise ValidationError(f"{source.reference} was already merged into SIT-{source.merged_into_id}.")
    if source.status == Status.CLOSED:
        raise ValidationError(f"{source.reference} is closed; only an open or resolved ticket can be merged.")
    if target.merged_into_id is not None or target.status == Status.CLOSED:
        raise ValidationError(f"{target.reference} is closed; merge into the ticket that is still worked.")

    filed = Comment.objects.create(
        ticket=target,
        author=source.requester,
        body=source.description,
        created_at=source.created_at,
        merged_from=source,
    )
    Attachment.objects.filter(ticket=source, comment__isnull=True).update(ticket=target, comment=filed)
    moved = Comment.objects.filter(ticket=source).update(ticket=target, merged_from=source)
    Attachment.objects.filter(ticket=source).update(ticket=target)

    requesters = [source.requester, *source.participants.exclude(pk=target.requester_id)]
    newcomers = [person for person in requesters if person.pk != target.requester_id]
    target.participants.add(*newcomers)
    TicketLink.objects.filter(Q(source=source, target=target) | Q(source=target, target=source)).delete()
    TicketLink.objects.create(source=source, target=target, kind=TicketLink.Kind.DUPLICATE, created_by=actor)

    source.merged_into = target
    fields = ["merged_into"]
    if source.status != Status.CLOSED:
        fields += status_change(source, Status.CLOSED)
    touch(source, *fields)
    touch(target)
    messages = moved + 1
    event_record(ticket=source, actor=actor, payload=MergedInto(target=_number(target), messages=messages))
    event_record(
        ticket=target,
        actor=actor,
        payload=MergedFrom(source=_number(source), requester=ref(source.requester), messages=messages),
    )
    ticket_search_refresh(ticket_id=source.pk)
    ticket_search_refresh(ticket_id=target.pk)
    notify.on_merged(source, target, actor, [person for person in requesters if person.is_active])
    return target


@dataclass(frozen=True)
class FamilyResolved:
    resolved: list[Ticket]
    # Children left as they were: already finished, or in a queue the actor doesn't work.
    skipped: list[str]


@transaction.atomic
def ticket_resolve_family(*, ticket: Ticket, actor: User, body: str, children: bool = True) -> FamilyResolved:
    """Resolve a parent and, if asked, its open children, each with the same public reply to its
    requester: the usual reply service, so workflow, SLA, rules and history apply to each."""
    message_check(body.strip(), what="message")
    resolved = [ticket_reply(ticket=ticket, author=actor, body=body, status=Status.RESOLVED).ticket]
    skipped: list[str] = []
    if children:
        links = TicketLink.objects.filter(target=ticket, kind=TicketLink.Kind.CHILD).select_related(
            "source__queue"
        )
        for link in links:
            child = link.source
            if child.status not in Ticket.OPEN_STATUSES:
                continue
            if not can_work_ticket(actor, child):
                skipped.append(f"{child.reference} (in {child.queue}, which you don't work)")
                continue
            resolved.append(
                ticket_reply(ticket=child, author=actor, body=body, status=Status.RESOLVED).ticket
            )
    return FamilyResolved(resolved=resolved, skipped=skipped)
