"""Every change to an approval goes through these functions.

Asking picks who decides: the first approver, their stand-in when they are away or gone,
the managers when neither can. Deciding is checked with selectors.can_decide on the locked
row, whoever calls (the portal, an email link, the admin). The sweep passes an unanswered
approval to the managers after APPROVAL_ESCALATE_BUSINESS_HOURS of the calendar's working
time, and expires it after APPROVAL_EXPIRE_DAYS, through one indexed column (next_due_at).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from sla.business_time import add_business_time
from sla.models import Calendar

from . import notify
from .kinds import Details, handlers_for
from .models import Absence, Approval, ApprovalEvent
from .selectors import active_managers, can_act, can_decide

log = logging.getLogger(__name__)

Stage = Approval.Stage
Status = Approval.Status
REASON_MAX_CHARS = 2000
RETRY_BAD_ROW = timedelta(minutes=10)


def _event(approval: Approval, actor: User | None, kind: str, summary: str) -> None:
    ApprovalEvent.objects.create(
        approval=approval, actor=actor, kind=kind, summary=summary[:300], created_at=timezone.now()
    )


def _escalate_at(start: datetime, calendar: Calendar | None) -> datetime:
    hours = timedelta(hours=settings.APPROVAL_ESCALATE_BUSINESS_HOURS)
    if calendar is None:
        return start + hours
    return add_business_time(start, hours, calendar.schedule())


def _due(approval: Approval) -> datetime | None:
    if not approval.is_pending:
        return None
    moments = [m for m in (approval.escalate_at, approval.expires_at) if m is not None]
    return min(moments) if moments else None


def _hand_to(approval: Approval, first: User | None, stand_in: User | None) -> list[User]:
    """Set who is asked now; returns the people to email."""
    if first is not None and can_act(first) and first.pk != approval.requester_id:
        approval.stage, approval.approver = Stage.FIRST, first
        return [first]
    if stand_in is not None and can_act(stand_in) and stand_in.pk != approval.requester_id:
        approval.stage, approval.approver = Stage.STAND_IN, stand_in
        return [stand_in]
    approval.stage, approval.approver, approval.escalate_at = Stage.MANAGERS, None, None
    return [m for m in active_managers() if m.pk != approval.requester_id]


@transaction.atomic
def approval_open(
    *,
    kind: str,
    requester: User,
    subject: str,
    reason: str,
    first_approver: User | None,
    stand_in: User | None = None,
    details: Details | None = None,
    ends_at: datetime | None = None,
    account_id: int | None = None,
    calendar: Calendar | None = None,
) -> Approval:
    """Ask for a yes: the approver hears at once, by email with a link and in the portal."""
    if not requester.is_active:
        raise PermissionDenied(f"{requester}'s account is deactivated.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why you need it: the approver decides on it."})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX_CHARS:,} characters."})
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": "That date has passed; choose a later one or leave it empty."})
    approval = Approval(
        kind=kind,
        requester=requester,
        subject=" ".join(subject.split())[:200],
        reason=reason,
        details=dict(details or {}),
        ends_at=ends_at,
        account_id=account_id,
        first_approver=first_approver,
        stand_in=stand_in,
        calendar=calendar,
        created_at=now,
        escalate_at=_escalate_at(now, calendar),
        expires_at=now + timedelta(days=settings.APPROVAL_EXPIRE_DAYS),
    )
    asked = _hand_to(approval, first_approver, stand_in)
    approval.next_due_at = _due(approval)
    approval.full_clean(exclude=["details"])
    approval.save(force_insert=True)
    who = approval.approver or "the managers"
    _event(approval, requester, ApprovalEvent.Kind.ASKED, f"{requester} asked {who}")
    notify.on_asked(approval, asked)
    return approval


def _locked(approval: Approval) -> Approval:
    return (
        Approval.objects.select_for_update(of=("self",))
        .select_related("requester", "approver", "first_approver", "stand_in", "account__queue")
        .get(pk=approval.pk)
    )


@transaction.atomic
def approval_decide(*, approval: Approval, actor: User, approve: bool, comment: str = "") -> Approval:
    """Approve or reject; the kind's handler acts in the same transaction (a ticket to grant)."""
    approval = _locked(approval)
    comment = comment.strip()
    if not approval.is_pending:
        raise ValidationError(f"This request was already {approval.get_status_display().lower()}.")
    if not can_decide(actor, approval):
        raise PermissionDenied(f"{actor} is not the one asked to decide “{approval.subject}”.")
    if not approve and not comment:
        raise ValidationError({"comment": "Say why you reject it: the requester reads your reason."})
    if len(comment) > REASON_MAX_CHARS:
        raise ValidationError({"comment": f"Keep the comment to {REASON_MAX_CHARS:,} characters."})
    now = timezone.now()
    approval.status = Status.APPROVED if approve else Status.REJECTED
    approval.decided_at, approval.decided_by, approval.comment = now, actor, comment
    approval.next_due_at = None
    approval.link_version += 1
    verb = "approved" if approve else "rejected"
    _event(
        approval,
        actor,
        ApprovalEvent.Kind.APPROVED if approve else ApprovalEvent.Kind.REJECTED,
        f"{actor} {verb}" + (f": {comment}" if comment else ""),
    )
    handlers = handlers_for(approval.kind)
    (handlers.on_approved if approve else handlers.on_rejected)(approval, actor)
    approval.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "comment",
            "next_due_at",
            "link_version",
            "ticket",
        ]
    )
    notify.on_decided(approval)
    return approval


def _escalate(approval: Approval, now: datetime) -> None:
    approval.stage, approval.approver, approval.escalate_at = Stage.MANAGERS, None, None
    approval.link_version += 1
    hours = settings.APPROVAL_ESCALATE_BUSINESS_HOURS
    _event(
        approval,
        None,
        ApprovalEvent.Kind.PASSED,
        f"No answer after {hours} working hours: passed to the managers",
    )
    notify.on_asked(approval, [m for m in active_managers() if m.pk != approval.requester_id])


def _expire(approval: Approval, now: datetime) -> None:
    approval.status, approval.decided_at = Status.EXPIRED, now
    approval.link_version += 1
    _event(approval, None, ApprovalEvent.Kind.EXPIRED, "Nobody decided in time: the request expired")
    handlers_for(approval.kind).on_expired(approval, None)
    notify.on_expired(approval)


def approvals_sweep(*, now: datetime | None = None, batch: int = 100) -> int:
    """Escalate and expire what is due; its cost follows the approvals due (one partial index)."""
    now = now or timezone.now()
    acted = 0
    while True:
        with transaction.atomic():
            due = list(
                Approval.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("requester")
                .filter(next_due_at__lte=now)
                .order_by("next_due_at")[:batch]
            )
            for approval in due:
                try:
                    with transaction.atomic():
                        if approval.expires_at <= now:
                            _expire(approval, now)
                        else:
                            _escalate(approval, now)
                        approval.next_due_at = _due(approval)
                        approval.save(
                            update_fields=[
                                "status",
                                "decided_at",
                                "stage",
                                "approver",
                                "escalate_at",
                                "link_version",
                                "next_due_at",
                            ]
                        )
                        acted += 1
                except Exception:
                    log.exception("Approval sweep failed on approval %s; trying again later", approval.pk)
                    Approval.objects.filter(pk=approval.pk).update(next_due_at=now + RETRY_BAD_ROW)
        if len(due) < batch:
            return acted


@transaction.atomic
def absence_set(*, user: User, until: date | None) -> Absence | None:
    """Say one is away until a day (or back: None); approvals asked meanwhile go to the stand-in."""
    if until is None:
        Absence.objects.filter(user=user).delete()
        return None
    if until < timezone.localdate():
        raise ValidationError({"until": "That day has passed; choose today or later."})
    absence, _ = Absence.objects.update_or_create(user=user, defaults={"until": until})
    return absence
