from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User

from .. import notify
from ..attachments import validate_uploads
from ..clock import clock_start
from ..models import Event, Platform, ProblemType, Queue, Ticket
from ..notify import when
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
    files: Sequence[UploadedFile] = (),
) -> Ticket:
    """File a request: route it, record why, keep the attachments."""
    if not requester.is_active:
        raise PermissionDenied(f"{requester}'s account is deactivated.")
    message_check(description, what="description")
    validate_uploads(files)
    subject = " ".join(subject.split())
    decision = route(
        Facts(
            platform_id=platform.pk,
            problem_type_id=problem_type.pk,
            department_id=requester.department_id,
            subject=subject,
            description=description,
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
            company_account=company_account.strip(),
            queue=decision.queue,
            priority=decision.priority,
            created_at=now,
            updated_at=now,
        )
        clock_start(ticket)
        ticket.save(force_insert=True)
        event_record(
            ticket=ticket,
            actor=requester,
            kind=Event.Kind.FILED,
            summary=f"{requester} filed the request",
        )
        event_record(
            ticket=ticket,
            actor=None,
            kind=Event.Kind.ROUTED,
            summary=_routing_summary(decision),
            changes={
                "rule": decision.rule.name if decision.rule else None,
                "rule_id": decision.rule.pk if decision.rule else None,
                "queue": decision.queue.name,
                "priority": Ticket.Priority(decision.priority).label,
            },
        )
        assignee = _routed_assignee(decision)
        if assignee is not None:
            ticket.assignee = assignee
            ticket.save(update_fields=["assignee"])
            how = "in turn" if decision.round_robin else "by routing"
            event_record(
                ticket=ticket,
                actor=None,
                kind=Event.Kind.ASSIGNED,
                summary=f"Assigned to {assignee} {how}",
                changes={"assignee": [None, assignee.pk]},
            )
        if ticket.sla_policy is not None:
            event_record(
                ticket=ticket,
                actor=None,
                kind=Event.Kind.SLA,
                summary=f"SLA “{ticket.sla_policy}”: first response due {when(ticket.first_response_due_at)}, "
                f"resolution due {when(ticket.resolution_due_at)}",
            )
        attachments_add(ticket=ticket, comment=None, files=files, uploaded_by=requester, written=written)
        ticket_search_refresh(ticket_id=ticket.pk)
        notify.on_filed(ticket)
    return ticket


def _routing_summary(decision: Decision) -> str:
    priority = Ticket.Priority(decision.priority).label
    if decision.rule is None:
        return f"No routing rule matched: sent to {decision.queue} (fallback) as {priority}"
    return f"Routed to {decision.queue} as {priority} by rule “{decision.rule.name}”"


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
    queue.last_assigned_to = chosen
    queue.save(update_fields=["last_assigned_to"])
    return chosen
