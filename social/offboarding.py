"""Offboarding: when someone leaves, everything they can reach is taken back.

Deactivating a person (the admin's form, or a manager's "offboard" with a leaving date) lists
every account they can reach and opens one revoke ticket per account for its owning queue,
with the roles to remove; those accesses show "revocation pending" until revoked. Accounts
they owned pass to the deputy, or stay flagged "no owner" (an inactive owner owns nothing).
Accounts whose credentials they could see are flagged for rotation. The owners are told.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.services import user_deactivate
from notifications.models import Kind as Email
from notifications.services import Recipient, notify
from tickets.models import Ticket

from . import services
from .history import declared_field, event_record
from .models import Access, AccountEvent, CompanyAccount
from .revocation import revoke_ticket_open
from .selectors import current_access

HOLDER_FIELDS = ("second_factor_holder", "recovery_email_holder", "recovery_phone_holder")


def reachable_accounts(person: User) -> QuerySet[CompanyAccount]:
    """Every account the person owns, deputises, holds a role on, or holds a recovery key of."""
    holds = Q(accesses__holder=person, accesses__revoked_at__isnull=True)
    recovery = Q()
    for name in HOLDER_FIELDS:
        recovery |= Q(**{name: person})
    return (
        CompanyAccount.objects.filter(Q(owner=person) | Q(deputy=person) | holds | recovery)
        .exclude(status=CompanyAccount.Status.RETIRED)
        .select_related("platform", "queue", "owner", "deputy")
        .distinct()
        .order_by("name", "id")
    )


@dataclass
class Plan:
    """What offboarding someone does, shown before it is done and reported after."""

    person: User
    accesses: dict[int, list[Access]] = field(default_factory=dict)
    accounts: list[CompanyAccount] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)

    def rows(self) -> list[tuple[CompanyAccount, list[str]]]:
        rows = []
        for account in self.accounts:
            parts = [access.role_name for access in self.accesses.get(account.pk, [])]
            if account.owner_id == self.person.pk:
                parts.append(
                    "owner: passes to " + (str(account.deputy) if account.deputy else "nobody (no owner)")
                )
            if account.deputy_id == self.person.pk:
                parts.append("deputy")
            parts += [
                str(declared_field(CompanyAccount, name).verbose_name)
                for name in HOLDER_FIELDS
                if getattr(account, f"{name}_id") == self.person.pk
            ]
            rows.append((account, parts))
        return rows


def offboarding_plan(person: User) -> Plan:
    accounts = list(reachable_accounts(person))
    by_account: dict[int, list[Access]] = defaultdict(list)
    for access in Access.objects.filter(current_access(), holder=person, account__in=accounts).select_related(
        "holder"
    ):
        by_account[access.account_id].append(access)
    return Plan(person=person, accesses=dict(by_account), accounts=accounts)


def _requester(actor: User | None) -> User:
    if actor is not None and actor.is_active:
        return actor
    fallback = (
        User.objects.filter(is_active=True, role__in=[User.Role.ADMIN, User.Role.MANAGER])
        .order_by("pk")
        .first()
    )
    if fallback is None:
        raise ValidationError("Nobody is left to file the revoke tickets: add a manager first.")
    return fallback


def _offboard_account(plan: Plan, account: CompanyAccount, actor: User | None, why: str) -> list[str]:
    person = plan.person
    told: list[str] = []
    accesses = plan.accesses.get(account.pk, [])
    if accesses:
        ticket = revoke_ticket_open(
            account=account, accesses=accesses, requester=_requester(actor), why=why, actor=actor
        )
        plan.tickets.append(ticket)
        told.append(
            f"{ticket.reference} removes {person}'s {', '.join(a.role_name for a in accesses)} access"
        )
    changes: dict[str, object] = {}
    if account.owner_id == person.pk and account.deputy is not None and account.deputy.is_active:
        changes.update(owner=account.deputy, deputy=None)
        told.append(f"{account.deputy} is now the owner")
    elif account.owner_id == person.pk:
        told.append("it has no owner now: name one")
    if account.deputy_id == person.pk and "deputy" not in changes:
        changes["deputy"] = None
        told.append("it has no deputy now")
    for name in HOLDER_FIELDS:
        if getattr(account, f"{name}_id") == person.pk:
            told.append(f"{person} held the {declared_field(CompanyAccount, name).verbose_name}: move it")
    if changes and actor is not None:
        services.account_update(account=account, actor=actor, changes=changes, reason=why)
    else:
        event_record(
            account=account,
            actor=actor,
            kind=AccountEvent.Kind.OWNER_LEFT,
            summary=f"{person} left: {'; '.join(told) or 'nothing to pass on'}",
            fields=[],
            reason=why,
        )
    if account.credentials_location and account.credentials_rotation_since is None:
        now = timezone.now()
        CompanyAccount.objects.filter(pk=account.pk).update(credentials_rotation_since=now)
        event_record(
            account=account,
            actor=actor,
            kind=AccountEvent.Kind.ROTATION_FLAGGED,
            summary=f"{person} could see the credentials: change them on {account.platform}",
            fields=[],
            reason=why,
        )
        told.append("change its credentials: they could see them")
    return told


@transaction.atomic
def user_offboard(*, person: User, actor: User | None, leaving_on: date | None = None) -> Plan:
    """Take back everything `person` reaches; deactivates them unless they leave later."""
    if actor is not None and not (actor.is_active and actor.sees_every_queue):
        raise PermissionDenied("Only managers and administrators offboard people.")
    if actor is not None and actor.pk == person.pk:
        raise ValidationError("You can't offboard yourself; ask another manager.")
    today = timezone.localdate()
    leaving_on = leaving_on or today
    why = f"{person} leaves on {leaving_on:%d %b %Y}" if leaving_on > today else f"{person} left"
    plan = offboarding_plan(person)
    managers = list(User.objects.filter(role=User.Role.MANAGER, is_active=True).exclude(pk=person.pk))
    for account in plan.accounts:
        told = _offboard_account(plan, account, actor, why)
        owner = CompanyAccount.objects.select_related("owner").get(pk=account.pk).owner
        # An account left without an owner: the managers name one.
        told_people = [owner] if owner.pk != person.pk else managers
        url = account.get_portal_url() if owner.pk != person.pk else account.get_desk_url()
        notify(
            kind=Email.ACCOUNT_NOTICE,
            recipients=[Recipient(user=user, url=f"{settings.SITE_URL}{url}") for user in told_people],
            ticket_id=None,
            thread=f"account-{account.pk}",
            context={
                "title": f"{why}: {account.name}",
                "headline": f"{why}. For {account.name}:",
                "lines": told,
            },
            actor=actor,
        )
    return plan


def offboard_on_deactivation(person: User, actor: User | None) -> None:
    """Deactivated anywhere (the admin's form, a command): offboard, unless it was done already."""
    pending = Access.objects.filter(current_access(), holder=person, revocation_ticket__isnull=True)
    if (
        pending.exists()
        or CompanyAccount.objects.filter(Q(owner=person, deputy__isnull=False) | Q(deputy=person)).exists()
    ):
        user_offboard(person=person, actor=actor if actor is not None and actor.sees_every_queue else None)


@transaction.atomic
def user_offboard_now(*, person: User, actor: User, leaving_on: date) -> Plan:
    """The desk's "offboard": revoke tickets now; the sign-in ends now if the day has come."""
    plan = user_offboard(person=person, actor=actor, leaving_on=leaving_on)
    if leaving_on <= timezone.localdate() and person.is_active:
        user_deactivate(user=person)
    return plan
