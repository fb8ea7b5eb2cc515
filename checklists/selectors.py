"""Reads: a ticket's checklists and statement, and who may do what with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from tickets.models import Ticket
from tickets.selectors import can_work_ticket

from .models import Checklist, Item, Needs, Statement


def speaks_for_the_company(user: User) -> bool:
    """Communications agents and managers draft and approve what the company says publicly."""
    if not user.is_desk_user:
        return False
    return user.sees_every_queue or user.queues.filter(slug=settings.STATEMENT_QUEUE).exists()


def can_waive(user: User) -> bool:
    """Managers (and administrators) may let a ticket be resolved with required items open."""
    return user.sees_every_queue


def ticket_checklists(ticket: Ticket) -> list[Checklist]:
    items = Item.objects.select_related("done_by").order_by("position", "id")
    return list(
        Checklist.objects.filter(ticket=ticket)
        .select_related("waived_by")
        .prefetch_related(Prefetch("items", queryset=items))
    )


def required_open(checklist: Checklist) -> list[Item]:
    """What stops the ticket from being resolved: required items not done, unless waived."""
    if checklist.waived_at is not None:
        return []
    return [item for item in checklist.items.all() if item.required and item.done_at is None]


def ticket_statement(ticket: Ticket) -> Statement | None:
    return Statement.objects.filter(ticket=ticket).select_related("drafted_by", "approved_by").first()


@dataclass(frozen=True)
class ItemRow:
    item: Item
    # Why it can't be ticked yet, or "".
    waits_for: str


@dataclass(frozen=True)
class ChecklistView:
    checklist: Checklist
    rows: list[ItemRow]
    open_required: int
    done: int
    # Whether any item counts towards "account secured" (a content review's items do not).
    secures: bool


@dataclass(frozen=True)
class Panel:
    """Everything the ticket's checklist panel shows, fetched in a fixed number of queries."""

    ticket: Ticket
    checklists: list[ChecklistView]
    statement: Statement | None
    wants_statement: bool
    can_work: bool
    can_draft: bool
    can_approve: bool
    can_waive: bool
    secured_after: timedelta | None

    @property
    def secured_label(self) -> str:
        return duration_label(self.secured_after) if self.secured_after is not None else ""


def duration_label(span: timedelta) -> str:
    """ "3 h 10 min", "2 days 4 h", "under a minute": how long something took, as people say it."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


def panel(user: User, ticket: Ticket) -> Panel:
    checklists = ticket_checklists(ticket)
    statement = ticket_statement(ticket)
    approved = statement is not None and statement.is_approved
    views = []
    wants_statement = False
    for checklist in checklists:
        rows = []
        for item in checklist.items.all():
            waits = ""
            if item.needs == Needs.APPROVED_STATEMENT:
                wants_statement = True
                if not approved and not item.is_done:
                    waits = "Waits for the holding statement to be approved."
            rows.append(ItemRow(item, waits))
        views.append(
            ChecklistView(
                checklist=checklist,
                rows=rows,
                open_required=len(required_open(checklist)),
                done=sum(1 for item in checklist.items.all() if item.is_done),
                secures=any(item.secures for item in checklist.items.all()),
            )
        )
    speaks = speaks_for_the_company(user)
    secured = [c.secured_at for c in checklists if c.secured_at is not None]
    return Panel(
        ticket=ticket,
        checklists=views,
        statement=statement,
        wants_statement=wants_statement or statement is not None,
        can_work=can_work_ticket(user, ticket) and ticket.is_open,
        can_draft=speaks and ticket.is_open,
        can_approve=speaks
        and ticket.is_open
        and statement is not None
        and not statement.is_approved
        and statement.drafted_by_id != user.pk,
        can_waive=can_waive(user) and ticket.is_open,
        secured_after=(min(secured) - ticket.created_at) if secured else None,
    )


def desk_item(user: User, pk: int) -> Item:
    """A checklist item on a ticket the user works, or 404."""
    item = get_object_or_404(Item.objects.select_related("checklist__ticket__queue"), pk=pk)
    if not can_work_ticket(user, item.checklist.ticket):
        raise Http404("No such checklist item.")
    return item


def desk_checklist(user: User, pk: int) -> Checklist:
    checklist = get_object_or_404(Checklist.objects.select_related("ticket__queue"), pk=pk)
    if not can_work_ticket(user, checklist.ticket):
        raise Http404("No such checklist.")
    return checklist


@dataclass(frozen=True)
class SecuredIncident:
    ticket: Ticket
    secured_after: timedelta | None  # None while not yet secured

    @property
    def secured_label(self) -> str:
        return duration_label(self.secured_after) if self.secured_after is not None else "not yet"


def incidents_secured(tickets: QuerySet[Ticket]) -> list[SecuredIncident]:
    """Time to "account secured" for each of `tickets` that has a checklist with securing items,
    for the dashboard's incidents (the caller narrows `tickets` to the range and the viewer)."""
    with_securing = Checklist.objects.filter(items__secures=True).values("ticket_id")
    rows = (
        tickets.filter(pk__in=with_securing)
        .select_related("account", "platform")
        .annotate(secured_at=Min("checklists__secured_at"))
        .order_by("-created_at", "-id")
    )
    return [
        SecuredIncident(ticket, (ticket.secured_at - ticket.created_at) if ticket.secured_at else None)
        for ticket in rows
    ]
