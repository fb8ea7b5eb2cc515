from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User

if TYPE_CHECKING:
    # For the annotation only: the registry sits above tickets and is never imported here.
    from social.models import CompanyAccount

from .. import events, hooks, notify
from ..attachments import validate_uploads
from ..clock import clock_start
from ..models import Platform, ProblemType, Queue, Ticket
from ..routing import Decision, Facts, route
from .common import message_check
from .files import atomic_with_files, attachments_add
from .history import event_record
from .search import ticket_search_refresh


def ticket_file(
    *,
    requester: User,
    platform: Platform,
    problem_type: ProblemType,
    subject: str,
    description: str,
    company_account: str = "",
    account: CompanyAccount | None = None,
    files: Sequence[UploadedFile] = (),
    emailed_to: Queue | None = None,
    participants: Sequence[User] = (),
    queue: Queue | None = None,
    queue_reason: str = "",
    resolve_by: datetime | None = None,
) -> Ticket:
    """File a request: route it, record why, keep the attachments.

    `account` is the registry's entry the request is about (a social.CompanyAccount).
    `emailed_to` is the queue whose mailbox the request came to: a routing condition, and
    where it goes when no rule matches. `participants` were copied on that email.
    `queue` is the queue a workflow names (an approved access request goes to the account's
    owning queue): no rule is asked, and `queue_reason` says why in the history.
    `resolve_by` brings the resolution target forward when the request expires sooner.
    """
    if not requester.is_active:
        raise PermissionDenied(f"{requester}'s account is deactivated.")
    account_check(account, platform)
    message_check(description, what="description")
    validate_uploads(files)
    subject = " ".join(subject.split())
    decision = (
        Decision(queue=queue, priority=Ticket.Priority.NORMAL, rule=None, assignee_id=None, round_robin=False)
        if queue is not None
        else route(
            Facts(
                platform_id=platform.pk,
                problem_type_id=problem_type.pk,
                department_id=requester.department_id,
                subject=subject,
                description=description,
                emailed_to_id=emailed_to.pk if emailed_to else None,
            ),
            emailed_to=emailed_to,
        )
    )
    with atomic_with_files() as written:
        now = timezone.now()
        ticket = Ticket(
            subject=subject,
            description=description,
            requester=requester,
            platform=platform,
            problem_type=problem_type,
            company_account="" if account is not None else company_account.strip(),
            account=account,
            queue=decision.queue,
            priority=decision.priority,
            created_at=now,
            updated_at=now,
        )
        clock_start(ticket, resolve_by=resolve_by)
        ticket.save(force_insert=True)
        event_record(ticket=ticket, actor=requester, payload=events.Filed())
        event_record(ticket=ticket, actor=None, payload=_routed(decision, queue_reason))
        assignee = _routed_assignee(decision)
        if assignee is not None:
            ticket.assignee = assignee
            ticket.save(update_fields=["assignee"])
            assigned = events.Assigned(
                before=None, after=events.ref(assignee), chosen_by="turn" if decision.round_robin else "rule"
            )
            event_record(ticket=ticket, actor=None, payload=assigned)
        if ticket.sla_policy is not None:
            event_record(ticket=ticket, actor=None, payload=events.SlaTargets.of(ticket, recomputed=False))
        attachments_add(ticket=ticket, comment=None, files=files, uploaded_by=requester, written=written)
        if participants:
            ticket.participants.set([person for person in participants if person.pk != requester.pk])
        ticket_search_refresh(ticket_id=ticket.pk)
        hooks.filed(ticket)
        notify.on_filed(ticket)
    return ticket


def account_check(account: CompanyAccount | None, platform: Platform) -> None:
    if account is None:
        return
    if account.platform_id != platform.pk:
        raise ValidationError(f"{account} is not on {platform}: choose one of {platform}'s accounts.")
    if account.status == "retired":
        raise ValidationError(f"{account} is retired; name the account you mean if it is another one.")


def _routed(decision: Decision, queue_reason: str = "") -> events.Routed:
    return events.Routed(
        queue=events.ref(decision.queue),
        priority=events.priority_ref(decision.priority),
        rule=events.ref(decision.rule),
        emailed_to=events.ref(decision.queue) if decision.emailed_queue else None,
        named_because=queue_reason,
    )


def _routed_assignee(decision: Decision) -> User | None:
    if decision.round_robin:
        return _next_in_turn(decision.queue)
    if decision.assignee_id is None:
        return None
    # A rule may name someone who has since left the queue: then nobody is assigned.
    return decision.queue.members.filter(pk=decision.assignee_id, is_active=True).first()


def _next_in_turn(queue: Queue) -> User | None:
    # The queue row is locked so that two filings at once do not pick the same agent.
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    agents = list(queue.members.filter(is_active=True, role=User.Role.AGENT).order_by("pk"))
    if not agents:
        return None
    last = queue.last_assigned_to_id
    chosen = next((agent for agent in agents if last is None or agent.pk > last), agents[0])
    # An update, not a save: the turn isn't part of the queue's change history.
    Queue.objects.filter(pk=queue.pk).update(last_assigned_to=chosen)
    return chosen
