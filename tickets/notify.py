"""Who hears about what happens to a ticket. Called by the services, inside their transaction."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone

from accounts.models import User
from notifications.models import Kind
from notifications.services import Recipient, notify

from .models import Comment, Queue, Ticket
from .workflow import reopen_deadline

MENTION_RE = re.compile(r"(?<![\w.])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]+)?)")


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "D j M, H:i")


def _portal(ticket: Ticket, user: User) -> Recipient:
    return Recipient(user=user, url=f"{settings.SITE_URL}{ticket.get_absolute_url()}")


def _desk(ticket: Ticket, user: User) -> Recipient:
    return Recipient(user=user, url=f"{settings.SITE_URL}{ticket.get_desk_url()}")


def _staff(ticket: Ticket) -> list[Recipient]:
    """The assignee, or everyone who works the queue while nobody has it."""
    if ticket.assignee is not None:
        return [_desk(ticket, ticket.assignee)]
    # .all(), filtered here, so that a caller's prefetch of queue members saves the query.
    agents = ticket.queue.members.all()
    return [_desk(ticket, agent) for agent in agents if agent.is_desk_user]


def _context(ticket: Ticket, actor: User | None = None, **extra: object) -> dict[str, object]:
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "queue": ticket.queue.name,
        "priority": ticket.get_priority_display(),
        "status": ticket.get_status_display(),
        "platform": str(ticket.platform),
        "problem_type": str(ticket.problem_type),
        "requester": str(ticket.requester),
        "assignee": str(ticket.assignee) if ticket.assignee else "",
        "actor": str(actor) if actor else "Social IT Desk",
        **extra,
    }


def _send(
    kind: Kind, ticket: Ticket, recipients: list[Recipient], actor: User | None, **extra: object
) -> None:
    notify(
        kind=kind,
        recipients=recipients,
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context=_context(ticket, actor, **extra),
        actor=actor,
    )


def on_filed(ticket: Ticket) -> None:
    requester = ticket.requester
    _send(Kind.RECEIVED, ticket, [_portal(ticket, requester)], None)
    _send(
        Kind.NEW_IN_QUEUE,
        ticket,
        _staff(ticket),
        requester,
        description=ticket.description[:2000],
    )


def on_assigned(ticket: Ticket, actor: User | None) -> None:
    if ticket.assignee is not None:
        _send(Kind.ASSIGNED, ticket, [_desk(ticket, ticket.assignee)], actor)


def on_transferred(ticket: Ticket, actor: User) -> None:
    _send(Kind.NEW_IN_QUEUE, ticket, _staff(ticket), actor, description=ticket.description[:2000])


def on_comment(ticket: Ticket, comment: Comment, *, reopened: bool) -> None:
    author = comment.author
    body = comment.body[:4000]
    if comment.is_internal:
        mentioned = mentioned_staff(comment.body, ticket)
        recipients = [_desk(ticket, user) for user in mentioned]
        _send(Kind.MENTION, ticket, recipients, author, body=body)
        _followers_told(ticket, author, f"{author} added an internal note", body=body, skip=mentioned)
    elif author.pk == ticket.requester_id or not author.is_desk_user:
        staff = [*_staff(ticket), *(_desk(ticket, user) for user in followers(ticket))]
        _send(Kind.REPLY_TO_STAFF, ticket, staff, author, body=body, reopened=reopened)
        # The requester and the colleagues on the request hear each other.
        others = [_portal(ticket, ticket.requester), *_copied(ticket)]
        _send(Kind.REPLY_TO_REQUESTER, ticket, others, author, body=body)
    else:
        # People copied on the request hear staff's replies with the requester.
        _send(
            Kind.REPLY_TO_REQUESTER,
            ticket,
            [_portal(ticket, ticket.requester), *_copied(ticket)],
            author,
            body=body,
        )
        _followers_told(ticket, author, f"{author} replied to the requester", body=body)


def _copied(ticket: Ticket) -> list[Recipient]:
    return [_portal(ticket, person) for person in ticket.participants.all()]


def followers(ticket: Ticket) -> list[User]:
    """Followers who may still open the ticket: a follower moved off its queue hears no more."""
    may_open = (
        Q(role__in=(User.Role.MANAGER, User.Role.ADMIN))
        | Q(role=User.Role.AGENT, queues=ticket.queue_id)
        | Q(role=User.Role.AGENT, queues__collaborations__ticket=ticket)
    )
    return list(ticket.followers.filter(may_open, is_active=True).distinct())


def _followers_told(
    ticket: Ticket, actor: User | None, what: str, *, body: str = "", skip: list[User] | tuple[()] = ()
) -> None:
    told = {user.pk for user in skip}
    if ticket.assignee_id is not None:
        told.add(ticket.assignee_id)  # the assignee hears through the usual kinds
    recipients = [_desk(ticket, user) for user in followers(ticket) if user.pk not in told]
    _send(Kind.FOLLOWED, ticket, recipients, actor, what=what, body=body)


STATUS_HELP: dict[str, str] = {
    Ticket.Status.WAITING_REQUESTER: "The team needs something from you: please reply on the request.",
    Ticket.Status.WAITING_THIRD_PARTY: "The team is waiting on someone outside the company, such as the platform's support.",
    Ticket.Status.CLOSED: "It takes no more replies; file a new request if you need more help.",
}


def on_status(ticket: Ticket, actor: User) -> None:
    _followers_told(ticket, actor, f"{actor} set the status to {ticket.get_status_display().lower()}")
    requesters = [_portal(ticket, ticket.requester), *_copied(ticket)]
    if actor.pk == ticket.requester_id:
        _send(Kind.STATUS_CHANGED, ticket, _staff(ticket), actor, by_requester=True)
    elif ticket.status == Ticket.Status.RESOLVED:
        _send(
            Kind.RESOLVED,
            ticket,
            requesters,
            actor,
            reopen_url=f"{settings.SITE_URL}{ticket.get_absolute_url()}",
            reopen_until=when(reopen_deadline(ticket)),
        )
    else:
        help_text = STATUS_HELP.get(ticket.status, "")
        _send(Kind.STATUS_CHANGED, ticket, requesters, actor, status_help=help_text)


def on_merged(source: Ticket, target: Ticket, actor: User, requesters: list[User]) -> None:
    """The duplicate's requester and colleagues, now on the target, hear where their request went."""
    recipients = [_portal(target, person) for person in requesters]
    _send(
        Kind.MERGED,
        source,
        recipients,
        actor,
        target=target.reference,
        target_subject=target.subject,
    )
    _followers_told(target, actor, f"{actor} merged {source.reference} into this ticket")


def active_managers() -> list[User]:
    return list(User.objects.filter(role=User.Role.MANAGER, is_active=True))


def on_sla(
    ticket: Ticket, *, target: str, stage: str, due_at: datetime, managers: list[User] | None = None
) -> None:
    """A warning to whoever works the ticket; a breach also escalated to the managers."""
    extra = {"target": target, "due_at": when(due_at)}
    if stage == "warning":
        _send(Kind.SLA_WARNING, ticket, _staff(ticket), None, **extra)
        return
    _send(Kind.SLA_BREACH, ticket, _staff(ticket), None, **extra)
    if managers is None:
        managers = active_managers()
    _send(Kind.SLA_ESCALATION, ticket, [_desk(ticket, manager) for manager in managers], None, **extra)


def mentioned_staff(text: str, ticket: Ticket) -> list[User]:
    """Staff named by @handle or @address who can open the ticket: its queue's agents, managers, admins."""
    # A sentence may end right after a handle: "ask @ian.it."
    handles = {match.lower().rstrip(".") for match in MENTION_RE.findall(text)}
    if not handles:
        return []
    named = Q()
    for handle in handles:
        named |= Q(email__iexact=handle) if "@" in handle else Q(email__istartswith=f"{handle}@")
    may_open = Q(role__in=(User.Role.MANAGER, User.Role.ADMIN)) | Q(
        role=User.Role.AGENT, queues=ticket.queue_id
    )
    return list(User.objects.filter(named, may_open, is_active=True).distinct())


def on_collaborating(ticket: Ticket, queue: Queue) -> None:
    """A queue joining a ticket hears of it as of a new ticket: its agents work it from now on."""
    agents = [_desk(ticket, agent) for agent in queue.members.all() if agent.is_desk_user]
    _send(Kind.NEW_IN_QUEUE, ticket, agents, None, description=ticket.description[:2000])
