"""Asking for what needs a yes first: access to a company account, and exceptions.

Access goes to the account's owner (the deputy standing in), exceptions to the requester's
department head (the managers when there is none), through approvals' one mechanism. Once
approved each becomes a ticket with the approval in its history: access for the owning queue
to grant, an exception for IT. "Granted" on the access ticket records the access row.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from approvals.kinds import Details, Fact, KindHandlers, kind_register
from approvals.models import Approval
from approvals.services import approval_open
from sla.models import Calendar
from tickets import events
from tickets.clock import policy_for
from tickets.models import Platform, ProblemType, Queue, Ticket
from tickets.services import ticket_file
from tickets.services.history import event_record

from . import services
from .models import Access, CompanyAccount
from .revocation import access_problem_type
from .selectors import can_edit_account, current_access

Kind = Approval.Kind
EXCEPTION_KINDS = (Kind.NETWORK, Kind.SOFTWARE)


def queue_calendar(queue: Queue) -> Calendar | None:
    """The working hours an approval waits in: the queue's normal-priority SLA calendar."""
    policy = policy_for(queue.pk, Ticket.Priority.NORMAL)
    return policy.calendar if policy else None


def _role_name(role: str, role_label: str) -> str:
    return role_label if role == Access.Role.OTHER else Access.Role(role).label


@transaction.atomic
def access_request_open(
    *,
    requester: User,
    account: CompanyAccount,
    role: str,
    role_label: str = "",
    reason: str,
    ends_at: datetime | None = None,
) -> Approval:
    """Ask the account's owner for a role on it."""
    role_label = " ".join(role_label.split())
    if role not in Access.Role.values:
        raise ValidationError({"role": "Choose a role from the list, or Other and its name."})
    if role == Access.Role.OTHER and not role_label:
        raise ValidationError({"role_label": "Give the role's name as the platform calls it."})
    if role != Access.Role.OTHER:
        role_label = ""
    if account.status == CompanyAccount.Status.RETIRED:
        raise ValidationError({"account": f"{account.name} is retired: nobody is given access to it."})
    held = Access.objects.filter(
        current_access(), account=account, holder=requester, role=role, role_label=role_label
    )
    if held.exists():
        raise ValidationError({"role": f"You are already {_role_name(role, role_label)} on {account.name}."})
    waiting = Approval.objects.filter(
        kind=Kind.ACCESS, account=account, requester=requester, status=Approval.Status.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            {"account": f"You already asked for access to {account.name}; it waits for a decision."}
        )
    name = _role_name(role, role_label)
    details: Details = {
        "facts": [
            {"label": "Account", "value": f"{account.name} ({account.platform})"},
            {"label": "Role", "value": name},
        ],
        "role": role,
        "role_label": role_label,
    }
    return approval_open(
        kind=Kind.ACCESS,
        requester=requester,
        subject=f"{name} access to {account.name} for {requester}",
        reason=reason,
        first_approver=account.owner,
        stand_in=account.deputy,
        details=details,
        ends_at=ends_at,
        account_id=account.pk,
        calendar=queue_calendar(account.queue),
    )


def exceptions_queue() -> Queue:
    return Queue.objects.get(slug=settings.EXCEPTIONS_QUEUE_SLUG)


@transaction.atomic
def exception_request_open(
    *,
    requester: User,
    kind: str,
    what: str,
    reason: str,
    platform: Platform | None = None,
    ends_at: datetime | None = None,
) -> Approval:
    """Ask the department head for an exception: a blocked site opened, software allowed."""
    if kind not in EXCEPTION_KINDS:
        raise ValidationError({"kind": "Choose a blocked site or software."})
    what = " ".join(what.split())
    if not what:
        raise ValidationError({"what": "Name the site or the software, such as facebook.com."})
    department = (
        Department.objects.select_related("head").filter(pk=requester.department_id).first()
        if requester.department_id is not None
        else None
    )
    head = department.head if department is not None else None
    facts: list[Fact] = [{"label": "Site" if kind == Kind.NETWORK else "Software", "value": what[:200]}]
    if platform is not None:
        facts.append({"label": "Platform", "value": str(platform)})
    if department is not None:
        facts.append({"label": "Department", "value": str(department)})
    verb = "Unblock" if kind == Kind.NETWORK else "Allow"
    return approval_open(
        kind=kind,
        requester=requester,
        subject=f"{verb} {what} for {requester}",
        reason=reason,
        first_approver=head,
        details={"facts": facts, "what": what[:200], "platform": platform.slug if platform else ""},
        ends_at=ends_at,
        calendar=queue_calendar(exceptions_queue()),
    )


def _approval_event(ticket: Ticket, approval: Approval) -> None:
    assert approval.decided_by is not None and approval.decided_at is not None
    event_record(
        ticket=ticket,
        actor=approval.decided_by,
        payload=events.Approval(
            approval=events.Ref(approval.pk, approval.subject),
            requester=events.ref(approval.requester),
            decided_by=events.ref(approval.decided_by),
            decided_at=approval.decided_at,
            comment=approval.comment,
        ),
    )


def _description(approval: Approval, lead: str) -> str:
    facts = "\n".join(f"{fact['label']}: {fact['value']}" for fact in approval.details.get("facts", []))
    until = f"\nUntil: {timezone.localtime(approval.ends_at):%d %b %Y}" if approval.ends_at else ""
    return f"{lead}\n\n{facts}{until}\n\nWhy: {approval.reason}\n\nApproved by {approval.decided_by}."


def _access_approved(approval: Approval, actor: User | None) -> None:
    assert approval.account_id is not None
    account = CompanyAccount.objects.select_related("platform", "queue").get(pk=approval.account_id)
    role = _role_name(approval.details["role"], approval.details.get("role_label", ""))
    ticket = ticket_file(
        requester=approval.requester,
        platform=account.platform,
        problem_type=access_problem_type(),
        subject=f"Grant {approval.requester} {role} access to {account.name}"[:200],
        description=_description(
            approval, f"Give the access on {account.platform}, then mark it granted here."
        ),
        account=account,
        queue=account.queue,
        queue_reason=f"{account.queue} looks after {account.name}",
    )
    _approval_event(ticket, approval)
    approval.ticket = ticket


def _exception_approved(approval: Approval, actor: User | None) -> None:
    slug = approval.details.get("platform") or "other"
    platform = Platform.objects.filter(slug=slug).first() or Platform.objects.get(slug="other")
    problem = "network-block" if approval.kind == Kind.NETWORK else "other"
    ticket = ticket_file(
        requester=approval.requester,
        platform=platform,
        problem_type=ProblemType.objects.get(slug=problem),
        subject=approval.subject,
        description=_description(approval, "An exception approved by the department."),
        queue=exceptions_queue(),
        queue_reason="an approved exception goes to IT",
    )
    _approval_event(ticket, approval)
    approval.ticket = ticket
    if approval.ends_at is not None:
        approval.end_due_at = services.end_first_due(approval.ends_at, now=timezone.now())
        approval.save(update_fields=["end_due_at"])


def approval_kinds_register() -> None:
    kind_register(Kind.ACCESS, KindHandlers(on_approved=_access_approved))
    for kind in EXCEPTION_KINDS:
        kind_register(kind, KindHandlers(on_approved=_exception_approved))


# ---- granting on the ticket --------------------------------------------------------------


def grant_for_ticket(ticket: Ticket) -> Approval | None:
    """The approved access request a ticket carries out, if it is one."""
    return (
        Approval.objects.select_related("requester", "account__queue", "account__platform")
        .filter(kind=Kind.ACCESS, status=Approval.Status.APPROVED, ticket=ticket)
        .first()
    )


@transaction.atomic
def access_request_grant(*, approval: Approval, actor: User) -> Access:
    """The owning queue gave the access on the platform: record it, once, in both histories."""
    approval = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("requester", "account__queue", "account__platform", "ticket")
        .get(pk=approval.pk)
    )
    if approval.kind != Kind.ACCESS or approval.status != Approval.Status.APPROVED or approval.ticket is None:
        raise ValidationError("Only an approved access request is granted.")
    account = approval.account
    assert account is not None
    if not can_edit_account(actor, account):
        raise PermissionDenied(
            f"Only the {account.queue} team and the managers grant access to {account.name}."
        )
    if approval.fulfilled_at is not None:
        raise ValidationError("This access was already recorded as granted.")
    if approval.ends_at is not None and approval.ends_at <= timezone.now():
        raise ValidationError("The access asked for has already ended; ask the requester to ask again.")
    access = services.access_grant(
        account=account,
        actor=actor,
        holder=approval.requester,
        role=approval.details["role"],
        role_label=approval.details.get("role_label", ""),
        ticket=approval.ticket,
        ends_at=approval.ends_at,
        reason=f"Approved by {approval.decided_by}",
    )
    approval.fulfilled_at = timezone.now()
    approval.save(update_fields=["fulfilled_at"])
    event_record(
        ticket=approval.ticket,
        actor=actor,
        payload=events.AccessRecorded(
            account=events.ref(account),
            holder=events.ref(approval.requester),
            role=access.role_name,
            action="granted",
        ),
    )
    return access
