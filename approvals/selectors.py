"""Who may see and decide an approval, and the lists the portal shows."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User

from .models import Absence, Approval

APPROVAL_RELATED = ("requester", "approver", "first_approver", "stand_in", "decided_by", "account__platform")


def is_away(user: User) -> bool:
    return Absence.objects.filter(user=user, until__gte=timezone.localdate()).exists()


def can_act(user: User | None) -> bool:
    """Someone who can be asked now: still here and not away."""
    return user is not None and user.is_active and not is_away(user)


def active_managers() -> list[User]:
    return list(User.objects.filter(role=User.Role.MANAGER, is_active=True).order_by("pk"))


def can_decide(user: User, approval: Approval) -> bool:
    """The approver asked now; once it has passed to the managers, any manager."""
    if not (user.is_active and approval.is_pending) or user.pk == approval.requester_id:
        return False
    if approval.stage == Approval.Stage.MANAGERS:
        return user.role == User.Role.MANAGER
    return user.pk == approval.approver_id


def visible_approvals(user: User) -> QuerySet[Approval]:
    """The requester's own, those they were asked to decide, and every one for managers."""
    if not user.is_active:
        return Approval.objects.none()
    if user.role in (User.Role.MANAGER, User.Role.ADMIN):
        return Approval.objects.all()
    return Approval.objects.filter(
        Q(requester=user) | Q(approver=user) | Q(first_approver=user) | Q(stand_in=user) | Q(decided_by=user)
    )


def approval_for(user: User, pk: int) -> Approval:
    return get_object_or_404(visible_approvals(user).select_related(*APPROVAL_RELATED), pk=pk)


def waiting_for(user: User) -> QuerySet[Approval]:
    """What this person may decide now, oldest first."""
    if not user.is_active:
        return Approval.objects.none()
    mine = Q(status=Approval.Status.PENDING, approver=user)
    if user.role == User.Role.MANAGER:
        mine |= Q(status=Approval.Status.PENDING, stage=Approval.Stage.MANAGERS)
    return (
        Approval.objects.filter(mine)
        .exclude(requester=user)
        .select_related(*APPROVAL_RELATED)
        .order_by("created_at", "id")
    )


def asked_by(user: User) -> QuerySet[Approval]:
    return Approval.objects.filter(requester=user).select_related(*APPROVAL_RELATED)
