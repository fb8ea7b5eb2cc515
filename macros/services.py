"""Applying a macro: one transaction through the tickets' own services, so every rule holds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from checklists.models import Checklist
from checklists.services import checklist_attach
from tickets import services as tickets
from tickets.events import ref
from tickets.models import Ticket
from tickets.services.common import actor_check, locked
from tickets.services.history import event_record

from .events import MacroApplied
from .models import Macro
from .selectors import macro_result, macro_usable


@transaction.atomic
def macro_apply(*, macro: Macro, ticket: Ticket, actor: User, reply: str | None = None) -> Ticket:
    """Send the macro's reply (as the agent edited it, when given) and make its changes.

    All or nothing: a change the rules refuse (a closed ticket, a checklist still open at
    resolution) undoes the reply too, and the agent sees why.
    """
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    if not macro_usable(actor, macro, ticket):
        raise PermissionDenied(f"The macro “{macro}” is not yours or shared with {ticket.queue}.")
    result = macro_result(macro, ticket, actor)
    body = result.reply if reply is None else reply.strip()
    event_record(
        ticket=ticket,
        actor=actor,
        payload=MacroApplied(macro=ref(macro), edited=reply is not None and body != result.reply),
    )
    # Changes first, the status last: a reply that resolves must still let them through.
    if macro.set_priority and macro.set_priority != ticket.priority:
        ticket = tickets.ticket_set_priority(ticket=ticket, priority=macro.set_priority, actor=actor)
    if macro.assign == Macro.Assign.ME and ticket.assignee_id != actor.pk:
        ticket = tickets.ticket_assign(ticket=ticket, assignee=actor, actor=actor)
    elif macro.assign == Macro.Assign.NOBODY and ticket.assignee_id:
        ticket = tickets.ticket_assign(ticket=ticket, assignee=None, actor=actor)
    if macro.checklist and not Checklist.objects.filter(ticket=ticket, template=macro.checklist).exists():
        checklist_attach(ticket=ticket, template=macro.checklist, actor=actor)
    if result.note:
        tickets.ticket_reply(ticket=ticket, author=actor, body=result.note, internal=True)
    status = macro.set_status or None
    if body:
        tickets.ticket_reply(ticket=ticket, author=actor, body=body, status=status)
    ticket = locked(ticket)
    if not body and status and status != ticket.status:
        ticket = tickets.ticket_set_status(ticket=ticket, status=status, actor=actor)
    # Last: after the move the agent may no longer work the ticket.
    if macro.move_to and macro.move_to_id != ticket.queue_id:
        ticket = tickets.ticket_transfer(
            ticket=ticket, queue=macro.move_to, actor=actor, note=f"macro “{macro}”"
        )
    return ticket
