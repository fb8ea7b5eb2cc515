"""Every change to a checklist or a holding statement goes through these functions.

Each checks its actor with the tickets' one rule (tickets.services.common.actor_check), works
on the ticket's locked row, and writes the ticket's history through tickets.services.history.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tickets.events import ref
from tickets.models import Ticket
from tickets.payloads import Ref
from tickets.services.common import actor_check, locked, message_check
from tickets.services.history import event_record
from tickets.workflow import check_open

from .events import ChecklistAdded, ChecklistTicked, ChecklistWaived, StatementChanged
from .models import Checklist, ChecklistTemplate, Item, Needs, Statement
from .selectors import can_waive, required_open, speaks_for_the_company

REASON_MAX = 300


def _copy(ticket: Ticket, template: ChecklistTemplate) -> Checklist:
    links = [
        {"label": link.label, "url": link.url}
        for link in template.links.all()
        if link.platform_id in (None, ticket.platform_id)
    ]
    checklist = Checklist.objects.create(
        ticket=ticket,
        template=template,
        name=template.name,
        description=template.description,
        links=links,
        created_at=timezone.now(),
    )
    items = Item.objects.bulk_create(
        Item(
            checklist=checklist,
            position=position,
            text=item.text,
            help_text=item.help_text,
            required=item.required,
            needs=item.needs,
            secures=item.secures,
        )
        for position, item in enumerate(template.items.all(), start=1)
    )
    payload = ChecklistAdded(
        checklist=Ref(checklist.pk, checklist.name),
        items=len(items),
        required=sum(1 for item in items if item.required),
    )
    event_record(ticket=ticket, actor=None, payload=payload)
    return checklist


def checklist_attach_for(ticket: Ticket) -> list[Checklist]:
    """At filing: the active templates of the ticket's problem type (tickets.hooks.on_filed)."""
    templates = ChecklistTemplate.objects.filter(is_active=True, problem_types=ticket.problem_type_id)
    return [_copy(ticket, template) for template in templates.prefetch_related("items", "links")]


@transaction.atomic
def checklist_attach(*, ticket: Ticket, template: ChecklistTemplate, actor: User) -> Checklist:
    """Staff add a checklist to a ticket by hand (or a macro does, on their behalf)."""
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    check_open(ticket.status, reference=ticket.reference)
    if Checklist.objects.filter(ticket=ticket, template=template).exists():
        raise ValidationError(f"{ticket.reference} already has the checklist “{template}”.")
    return _copy(ticket, template)


def checklist_still_to_do(ticket: Ticket) -> list[str]:
    """The required items still open, for the refusal to resolve (tickets.hooks.on_resolution_check)."""
    left = []
    for checklist in Checklist.objects.filter(ticket=ticket).prefetch_related("items"):
        left += [f"“{item.text}”" for item in required_open(checklist)]
    return left


@transaction.atomic
def checklist_tick(*, item: Item, actor: User, done: bool = True) -> Item:
    ticket = locked(item.checklist.ticket)
    actor_check(actor, ticket, staff=True)
    check_open(ticket.status, reference=ticket.reference)
    # The item's row is read again under the ticket's lock: two ticks at once don't both count.
    item = Item.objects.select_related("checklist").get(pk=item.pk, checklist__ticket=ticket)
    if item.is_done == done:
        return item
    if done and item.needs == Needs.APPROVED_STATEMENT:
        statement = Statement.objects.filter(ticket=ticket).first()
        if statement is None or not statement.is_approved:
            raise ValidationError(
                f"“{item.text}” waits for the holding statement: draft it, and have someone other "
                "than its author approve it first."
            )
    now = timezone.now()
    item.done_at, item.done_by = (now, actor) if done else (None, None)
    item.save(update_fields=["done_at", "done_by"])
    _secured_refresh(item.checklist)
    payload = ChecklistTicked(
        checklist=Ref(item.checklist_id, item.checklist.name), item=ref(item), done=done
    )
    event_record(ticket=ticket, actor=actor, payload=payload)
    return item


def _secured_refresh(checklist: Checklist) -> None:
    """Secured once every item that secures the account is done; the moment stays once reached."""
    securing = list(checklist.items.filter(secures=True).values_list("done_at", flat=True))
    done = [moment for moment in securing if moment is not None]
    secured_at = max(done) if done and len(done) == len(securing) else None
    if checklist.secured_at is None and secured_at is not None:
        checklist.secured_at = secured_at
        checklist.save(update_fields=["secured_at"])
    elif secured_at is None and checklist.secured_at is not None:
        checklist.secured_at = None
        checklist.save(update_fields=["secured_at"])


@transaction.atomic
def checklist_waive(*, checklist: Checklist, actor: User, reason: str) -> Checklist:
    """A manager lets the ticket be resolved with required items open; the reason is kept."""
    ticket = locked(checklist.ticket)
    actor_check(actor, ticket, staff=True)
    if not can_waive(actor):
        raise PermissionDenied("Only a manager can let a ticket be resolved with required items open.")
    check_open(ticket.status, reference=ticket.reference)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the ticket may be resolved with these items open."})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_MAX} characters; it has {len(reason)}."}
        )
    checklist = Checklist.objects.prefetch_related("items").get(pk=checklist.pk, ticket=ticket)
    if checklist.waived_at is not None:
        raise ValidationError(f"“{checklist.name}” was already waived by {checklist.waived_by}.")
    left = required_open(checklist)
    if not left:
        raise ValidationError(f"Every required item of “{checklist.name}” is done: nothing to waive.")
    checklist.waived_at, checklist.waived_by, checklist.waive_reason = timezone.now(), actor, reason
    checklist.save(update_fields=["waived_at", "waived_by", "waive_reason"])
    payload = ChecklistWaived(
        checklist=Ref(checklist.pk, checklist.name), open_items=len(left), reason=reason
    )
    event_record(ticket=ticket, actor=actor, payload=payload)
    return checklist


def _speaker_check(actor: User, ticket: Ticket) -> None:
    actor_check(actor, ticket, staff=True)
    if not speaks_for_the_company(actor):
        raise PermissionDenied("Only Communications and the managers draft and approve public statements.")
    check_open(ticket.status, reference=ticket.reference)


@transaction.atomic
def statement_draft(*, ticket: Ticket, actor: User, text: str) -> Statement:
    """Draft or rewrite the holding statement; a rewrite needs approving again."""
    ticket = locked(ticket)
    _speaker_check(actor, ticket)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the statement the company will publish."})
    message_check(text, what="statement")
    published = Item.objects.filter(
        checklist__ticket=ticket, needs=Needs.APPROVED_STATEMENT, done_at__isnull=False
    ).exists()
    if published:
        raise ValidationError("The statement is already published; untick that item before rewriting it.")
    statement = Statement.objects.select_for_update().filter(ticket=ticket).first()
    now = timezone.now()
    action: Literal["drafted", "redrafted"]
    if statement is None:
        statement = Statement.objects.create(ticket=ticket, text=text, drafted_by=actor, drafted_at=now)
        action = "drafted"
    elif statement.text == text:
        return statement
    else:
        statement.text, statement.drafted_by, statement.drafted_at = text, actor, now
        statement.approved_by = statement.approved_at = None
        statement.save(update_fields=["text", "drafted_by", "drafted_at", "approved_by", "approved_at"])
        action = "redrafted"
    event_record(ticket=ticket, actor=actor, payload=StatementChanged(action=action, text=text))
    return statement


@transaction.atomic
def statement_approve(*, ticket: Ticket, actor: User) -> Statement:
    """Approval by someone other than the author: a second pair of eyes before it goes out."""
    ticket = locked(ticket)
    _speaker_check(actor, ticket)
    statement = Statement.objects.select_for_update().filter(ticket=ticket).first()
    if statement is None:
        raise ValidationError("There is no statement to approve yet.")
    if statement.is_approved:
        raise ValidationError(f"{statement.approved_by} already approved the statement.")
    if statement.drafted_by_id == actor.pk:
        raise ValidationError("You wrote this statement: someone else approves it.")
    statement.approved_by, statement.approved_at = actor, timezone.now()
    statement.save(update_fields=["approved_by", "approved_at"])
    event_record(ticket=ticket, actor=actor, payload=StatementChanged(action="approved", text=statement.text))
    return statement
