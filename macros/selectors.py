"""Which macros an agent may use on a ticket, and what one would do there."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from tickets.models import Ticket

from .models import Macro
from .placeholders import placeholders_fill

PICKER_SIZE = 20


def macros_for(user: User, ticket: Ticket) -> QuerySet[Macro]:
    """The agent's own macros and those shared with the ticket's queue."""
    return Macro.objects.filter(Q(owner=user) | Q(queue_id=ticket.queue_id), is_active=True).select_related(
        "queue"
    )


def macro_search(user: User, ticket: Ticket, query: str = "") -> list[Macro]:
    macros = macros_for(user, ticket)
    query = query.strip()
    if query:
        macros = macros.filter(Q(name__icontains=query) | Q(reply__icontains=query))
    return list(macros.order_by("name", "id")[:PICKER_SIZE])


def macro_for(user: User, ticket: Ticket, pk: int) -> Macro:
    """One macro the agent may use on this ticket; any other id is not found."""
    macro = macros_for(user, ticket).select_related("guide", "move_to", "checklist").filter(pk=pk).first()
    if macro is None:
        raise Http404("No macro of yours or of this ticket's queue has this number.")
    return macro


def macro_usable(user: User, macro: Macro, ticket: Ticket) -> bool:
    return macro.is_active and (macro.owner_id == user.pk or macro.queue_id == ticket.queue_id)


@dataclass(frozen=True)
class MacroResult:
    """A macro filled in for one ticket: what will be sent, and what will change."""

    reply: str
    note: str
    actions: list[str]


def _values(macro: Macro, ticket: Ticket, agent: User) -> dict[str, str]:
    guide = macro.guide
    return {
        "first_name": ticket.requester.get_short_name(),
        "reference": ticket.reference,
        "queue": str(ticket.queue),
        "agent": str(agent),
        "guide_link": f"[{guide.title}]({settings.SITE_URL}{guide.get_absolute_url()})" if guide else "",
    }


def macro_result(macro: Macro, ticket: Ticket, agent: User) -> MacroResult:
    """`ticket` needs its requester and queue (desk_ticket fetches them)."""
    values = _values(macro, ticket, agent)
    actions: list[str] = []
    if macro.set_status and macro.set_status != ticket.status:
        actions.append(f"Set the status to {Ticket.Status(macro.set_status).label}")
    if macro.set_priority and macro.set_priority != ticket.priority:
        actions.append(f"Set the priority to {Ticket.Priority(macro.set_priority).label}")
    if macro.assign == Macro.Assign.ME and ticket.assignee_id != agent.pk:
        actions.append("Assign the ticket to you")
    elif macro.assign == Macro.Assign.NOBODY and ticket.assignee_id:
        actions.append(f"Unassign {ticket.assignee}")
    if macro.checklist_id:
        actions.append(f"Attach the checklist “{macro.checklist}” unless it is there already")
    if macro.move_to_id and macro.move_to_id != ticket.queue_id:
        actions.append(f"Move the ticket to {macro.move_to}")
    return MacroResult(
        reply=placeholders_fill(macro.reply, values).strip(),
        note=placeholders_fill(macro.note, values).strip(),
        actions=actions,
    )
