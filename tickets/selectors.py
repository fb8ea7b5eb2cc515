"""Reads: who may see which tickets, and the lists the screens show."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications.models import Notification

from .events import HistoryLine, history_lines
from .models import REFERENCE_PREFIX, Attachment, Collaboration, Comment, Event, Queue, Ticket, TimeEntry
from .search_text import search_condition, search_query

# ---- who sees what ---------------------------------------------------------


# The other queues working a ticket, for its page's facts.
COLLABORATIONS = Prefetch("collaborations", queryset=Collaboration.objects.select_related("queue"))


def desk_queues(user: User) -> QuerySet[Queue]:
    """The queues a user works: every queue for managers, their own for agents."""
    if user.sees_every_queue:
        return Queue.objects.all()
    if user.is_desk_user:
        return user.queues.all()
    return Queue.objects.none()


def can_work_queue(user: User, queue: Queue) -> bool:
    """Whether the queue is among the user's desk_queues, without listing them."""
    if not user.is_desk_user:
        return False
    return user.sees_every_queue or user.queues.filter(pk=queue.pk).exists()


def can_work_ticket(user: User, ticket: Ticket) -> bool:
    """Staff of the ticket's queue or of a queue collaborating on it: they assign, transfer,
    reply, note, set status and priority, log time.

    The one rule for one ticket, asked by the desk's fetch helper and by every service;
    desk_tickets is the same rule for a list.
    """
    if can_work_queue(user, ticket.queue):
        return True
    return user.is_desk_user and Collaboration.objects.filter(ticket=ticket, queue__members=user).exists()


def is_requester(user: User, ticket: Ticket) -> bool:
    """The person who filed the ticket, while their account is active: they reply, resolve, reopen."""
    return user.is_active and ticket.requester_id == user.pk


def is_participant(user: User, ticket: Ticket) -> bool:
    """Someone copied on the request's email, while their account is active: they reply by email."""
    return user.is_active and ticket.participants.filter(pk=user.pk).exists()


def desk_tickets(user: User) -> QuerySet[Ticket]:
    if user.sees_every_queue:
        return Ticket.objects.all()
    if user.is_desk_user:
        # A literal list, not a subquery: with `queue_id IN (1)` PostgreSQL walks the
        # (queue, updated_at) index in order and stops at the page's end; with a subquery it
        # fetches and sorts the whole queue (bench/RESULTS.md, issue 4).
        queue_ids = list(user.queues.values_list("pk", flat=True))
        # The tickets other queues share with theirs, also as a literal list: collaborations are
        # few (incidents), and with none the condition drops out and the plan above stays.
        shared = list(
            Collaboration.objects.filter(queue__in=queue_ids)
            .exclude(ticket__queue__in=queue_ids)
            .values_list("ticket_id", flat=True)
        )
        return Ticket.objects.filter(Q(queue__in=queue_ids) | Q(pk__in=shared))
    return Ticket.objects.none()


def desk_ticket(user: User, pk: int) -> Ticket:
    """A ticket the user works, or 404: outsiders can't tell it exists."""
    ticket = get_object_or_404(
        Ticket.objects.select_related(
            "requester__department", "queue", "assignee", "platform", "problem_type", "sla_policy", "account"
        ).prefetch_related(COLLABORATIONS),
        pk=pk,
    )
    if not can_work_ticket(user, ticket):
        raise Http404("No such ticket.")
    return ticket


def desk_ticket_whereabouts(user: User, pk: int) -> Ticket | None:
    """A ticket out of the user's queues that they may still be told the queue of, or None.

    Staff who took part in it (acted on it, or were emailed about it) may learn where it went
    after a move; to anyone else a ticket they can't open does not exist.
    """
    if not user.is_desk_user:
        return None
    acted = Event.objects.filter(ticket=OuterRef("pk"), actor=user)
    told = Notification.objects.filter(ticket=OuterRef("pk"), recipient=user)
    return Ticket.objects.select_related("queue").filter(Exists(acted) | Exists(told), pk=pk).first()


def portal_ticket(user: User, pk: int) -> Ticket:
    """The requester's own ticket, or one they were added to, or 404."""
    ticket = get_object_or_404(
        Ticket.objects.select_related(
            "queue", "assignee", "platform", "problem_type", "account"
        ).prefetch_related(COLLABORATIONS),
        pk=pk,
    )
    if not portal_may_see(user, ticket):
        raise Http404("No such ticket.")
    return ticket


def portal_may_see(user: User, ticket: Ticket) -> bool:
    """The requester, and the colleagues on the request: they read it and reply in the portal."""
    return is_requester(user, ticket) or is_participant(user, ticket)


def attachment_for(user: User, pk: int) -> Attachment:
    """An attachment the user may download: staff of its queue, or its requester if public."""
    attachment = get_object_or_404(Attachment.objects.select_related("ticket__queue", "comment"), pk=pk)
    ticket = attachment.ticket
    public_to_requester = portal_may_see(user, ticket) and not attachment.is_internal
    if not public_to_requester and not can_work_ticket(user, ticket):
        raise Http404("No such attachment.")
    return attachment


# ---- one ticket -------------------------------------------------------------


def conversation(ticket: Ticket, *, include_internal: bool) -> list[Comment]:
    comments = Comment.objects.filter(ticket=ticket)
    if not include_internal:
        comments = comments.filter(is_internal=False)
    return list(
        comments.select_related("author").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        )
    )


def ticket_attachments(ticket: Ticket) -> list[Attachment]:
    """Files attached when the request was filed (not to a comment)."""
    return list(Attachment.objects.filter(ticket=ticket, comment__isnull=True))


def ticket_history(ticket: Ticket) -> list[HistoryLine]:
    return history_lines(Event.objects.filter(ticket=ticket).select_related("actor"))


def time_logged(ticket: Ticket) -> int:
    """Minutes logged on the ticket so far."""
    return TimeEntry.objects.filter(ticket=ticket).aggregate(total=Sum("minutes"))["total"] or 0


def queue_agents(queue: Queue) -> list[User]:
    return list(queue.members.filter(is_active=True).exclude(role=User.Role.EMPLOYEE))


# ---- lists ------------------------------------------------------------------

LIST_RELATED = ("queue", "assignee", "platform", "problem_type", "requester")


def requester_tickets(user: User, *, state: str = "all") -> QuerySet[Ticket]:
    # Their own and those they were added to; the second set is small and comes as a literal list.
    copied = list(Ticket.participants.through.objects.filter(user=user).values_list("ticket_id", flat=True))
    mine = Q(requester=user) | Q(pk__in=copied) if copied else Q(requester=user)
    tickets = Ticket.objects.filter(mine).select_related("queue", "platform")
    if state == "open":
        tickets = tickets.filter(status__in=Ticket.OPEN_STATUSES)
    elif state == "closed":
        tickets = tickets.exclude(status__in=Ticket.OPEN_STATUSES)
    return tickets


REFERENCE_RE = re.compile(rf"^\s*(?:{REFERENCE_PREFIX})?(\d{{1,12}})\s*$", re.IGNORECASE)


def search_filter(query: str) -> Q:
    """Reference, subject, description and conversation, as tickets.search_text reads them."""
    reference = REFERENCE_RE.match(query)
    by_reference = Q(pk=int(reference.group(1))) if reference else Q(pk__in=[])
    if connection.vendor == "postgresql":
        words = search_query(query)
        return by_reference | Q(search_vector=words) if words is not None else by_reference
    found = search_condition(query, _ticket_text_matches)
    return by_reference | found if found is not None else by_reference


def _ticket_text_matches(pattern: str) -> Q:
    in_comments = Exists(Comment.objects.filter(ticket=OuterRef("pk"), body__iregex=pattern))
    return Q(subject__iregex=pattern) | Q(description__iregex=pattern) | Q(in_comments)


@dataclass(frozen=True)
class DeskFilters:
    queues: list[Queue]
    statuses: list[str]
    priorities: list[int]
    platforms: list[int]
    problem_types: list[int]
    assignee: str  # "", "me", "none" or a user id
    query: str


def desk_search(user: User, filters: DeskFilters) -> QuerySet[Ticket]:
    return tickets_filtered(desk_tickets(user).select_related(*LIST_RELATED), filters, user)


def tickets_filtered(tickets: QuerySet[Ticket], filters: DeskFilters, user: User) -> QuerySet[Ticket]:
    """`tickets` narrowed by the desk's filters; "me" in the assignee filter is `user`."""
    if filters.queues:
        tickets = tickets.filter(queue__in=filters.queues)
    if filters.statuses:
        tickets = tickets.filter(status__in=filters.statuses)
    if filters.priorities:
        tickets = tickets.filter(priority__in=filters.priorities)
    if filters.platforms:
        tickets = tickets.filter(platform__in=filters.platforms)
    if filters.problem_types:
        tickets = tickets.filter(problem_type__in=filters.problem_types)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.query:
        tickets = tickets.filter(search_filter(filters.query))
    return tickets


def capped_count(tickets: QuerySet[Ticket], cap: int = 1000) -> tuple[int, bool]:
    """How many rows match, counting no further than `cap` (a full count costs a scan)."""
    count = tickets.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def open_counts(user: User, queues: Iterable[Queue]) -> dict[int, dict[str, int]]:
    """Open tickets per queue and status, from the partial index on open tickets."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        desk_tickets(user)
        .filter(status__in=Ticket.OPEN_STATUSES, queue__in=list(queues))
        .values("queue_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        counts[row["queue_id"]][row["status"]] = row["n"]
    return counts


# ---- SLA states ---------------------------------------------------------------


def sla_conditions(now: datetime) -> dict[str, Q]:
    """Where tickets stand against their targets at `now`, as filters.

    One definition for the admin's SLA filter and the dashboards, so a count and the list it
    links to always agree. At risk and on track follow the target the desk badge shows: the
    first response until there is one, then the resolution.
    """
    is_open = Q(status__in=Ticket.OPEN_STATUSES)
    running = is_open & Q(sla_policy__isnull=False, sla_paused_at__isnull=True)
    unanswered = Q(first_response_at__isnull=True)
    # A target is missed if the sweep saw it slip, if it was met late (between two sweeps),
    # or if its time has passed on a running clock.
    first_missed = (
        Q(first_response_breached_at__isnull=False)
        | Q(first_response_at__gt=F("first_response_due_at"))
        | (running & unanswered & Q(first_response_due_at__lte=now))
    )
    resolution_missed = (
        Q(resolution_breached_at__isnull=False)
        | Q(resolved_at__gt=F("resolution_due_at"))
        | (running & Q(resolution_due_at__lte=now))
    )
    warned = (unanswered & Q(first_response_warn_at__lte=now, first_response_due_at__gt=now)) | (
        ~unanswered & Q(resolution_warn_at__lte=now, resolution_due_at__gt=now)
    )
    breached = first_missed | resolution_missed
    return {
        "first_met": Q(
            first_response_at__lte=F("first_response_due_at"), first_response_breached_at__isnull=True
        ),
        "first_missed": first_missed,
        "resolution_met": Q(resolved_at__lte=F("resolution_due_at"), resolution_breached_at__isnull=True),
        "resolution_missed": resolution_missed,
        "on-track": running & ~warned & ~breached,
        "at-risk": running & warned,
        "breached": is_open & breached,
        "paused": is_open & Q(sla_paused_at__isnull=False),
        "ever-breached": breached,
    }
