"""Who follows a ticket beside its requester and queue: staff who follow it, and the
requester's colleagues copied on it (`Ticket.participants`, also filled from email's Cc)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User

from ..events import Colleague, Following, ref
from ..models import Ticket
from ..selectors import can_work_ticket
from .common import actor_check, locked, touch
from .history import event_record

# Enough for a team to follow one request together; more is a mailing list.
MAX_COLLEAGUES = 20


@transaction.atomic
def ticket_follow(*, ticket: Ticket, actor: User) -> Ticket:
    """The actor follows the ticket and hears of its replies, notes and changes."""
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    if ticket.followers.filter(pk=actor.pk).exists():
        raise ValidationError(f"You already follow {ticket.reference}.")
    ticket.followers.add(actor)
    event_record(ticket=ticket, actor=actor, payload=Following(person=ref(actor), action="followed"))
    return ticket


@transaction.atomic
def ticket_unfollow(*, ticket: Ticket, actor: User) -> Ticket:
    ticket = locked(ticket)
    # Anyone may stop following, even after leaving the ticket's queue.
    if not ticket.followers.filter(pk=actor.pk).exists():
        raise ValidationError(f"You don't follow {ticket.reference}.")
    ticket.followers.remove(actor)
    event_record(ticket=ticket, actor=actor, payload=Following(person=ref(actor), action="unfollowed"))
    return ticket


def followers_add_mentioned(*, ticket: Ticket, actor: User, mentioned: Iterable[User]) -> None:
    """Staff named in a note follow the ticket from then on; called inside the note's transaction."""
    already = set(ticket.followers.values_list("pk", flat=True))
    for person in mentioned:
        if person.pk in already or person.pk == actor.pk or not can_work_ticket(person, ticket):
            continue
        ticket.followers.add(person)
        event_record(
            ticket=ticket,
            actor=actor,
            payload=Following(person=ref(person), action="followed", mentioned=True),
        )


@transaction.atomic
def ticket_add_colleague(*, ticket: Ticket, actor: User, colleague: User) -> Ticket:
    """The requester copies a colleague: they see the request in their portal, reply, get its emails."""
    ticket = locked(ticket)
    actor_check(actor, ticket, requester=True)
    if not colleague.is_active or colleague.role != User.Role.EMPLOYEE:
        raise ValidationError(
            f"{colleague} isn't an employee who can sign in; add a colleague by their work email."
        )
    if colleague.pk == ticket.requester_id:
        raise ValidationError("That's you: you already follow your request.")
    if ticket.participants.filter(pk=colleague.pk).exists():
        raise ValidationError(f"{colleague} is already on {ticket.reference}.")
    if ticket.participants.count() >= MAX_COLLEAGUES:
        raise ValidationError(
            f"{ticket.reference} already has {MAX_COLLEAGUES} colleagues; take one off first."
        )
    ticket.participants.add(colleague)
    event_record(ticket=ticket, actor=actor, payload=Colleague(person=ref(colleague), action="added"))
    touch(ticket)
    return ticket


@transaction.atomic
def ticket_remove_colleague(*, ticket: Ticket, actor: User, colleague: User) -> Ticket:
    """The requester, or the colleague themself, takes a colleague off the request."""
    ticket = locked(ticket)
    if actor.pk != colleague.pk:
        actor_check(actor, ticket, requester=True)
    if not ticket.participants.filter(pk=colleague.pk).exists():
        raise PermissionDenied(f"{colleague} isn't on {ticket.reference}.")
    ticket.participants.remove(colleague)
    event_record(ticket=ticket, actor=actor, payload=Colleague(person=ref(colleague), action="removed"))
    touch(ticket)
    return ticket
