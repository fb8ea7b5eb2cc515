"""Every change to the registry goes through these functions.

Each checks its actor with the selectors' rule the screens use (can_edit_account), changes the
rows inside one transaction, on the account's locked row, and writes the account event.
Views, the admin, tasks and commands all call them, and none is trusted more. Nothing is
deleted: access is revoked, an app removed, an account retired.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tickets.models import REFERENCE_PREFIX, Platform, Queue, Ticket

from .history import declared_field, diff, event_record, field_change, field_names, snapshot, subject_of
from .models import Access, AccountEvent, CompanyAccount, ConnectedApp
from .selectors import ACCOUNT_RELATED, can_edit_account, can_register_in

Kind = AccountEvent.Kind

# What the registry's forms and the admin may set; review dates follow from the reviews.
EDITABLE_FIELDS = [
    "platform",
    "name",
    "handle",
    "url",
    "purpose",
    "queue",
    "owner",
    "deputy",
    "status",
    "second_factor",
    "second_factor_holder",
    "recovery_email",
    "recovery_email_holder",
    "recovery_phone",
    "recovery_phone_holder",
    "credentials_location",
    "review_interval_days",
]
# When an account joins the registry, the date of a review done before may be known.
CREATE_ONLY_FIELDS = ["last_reviewed_at"]
PEOPLE_FIELDS = ["owner", "deputy", "second_factor_holder", "recovery_email_holder", "recovery_phone_holder"]


def actor_check(actor: User, account: CompanyAccount) -> None:
    """Refuse an actor the rules don't let change the account, whoever calls.

    Asked on the locked row, so a move to another queue that lands first counts. The desk's
    screens have already sent outsiders a 404; reaching this from a view means the rights
    changed in between, and Django answers with a 403.
    """
    if can_edit_account(actor, account):
        return
    if not actor.is_active:
        raise PermissionDenied(f"{actor}'s account is deactivated.")
    raise PermissionDenied(f"Only the {account.queue} team and the managers can change {account.name}.")


def _locked(account: CompanyAccount) -> CompanyAccount:
    return (
        CompanyAccount.objects.select_for_update(of=("self",))
        .select_related(*ACCOUNT_RELATED)
        .get(pk=account.pk)
    )


def _people_check(account: CompanyAccount, names: list[str]) -> None:
    """People newly named on an account must be able to act: a leaver can't own or hold anything."""
    errors = {}
    for name in names:
        person = getattr(account, name)
        if person is not None and not person.is_active:
            label = declared_field(CompanyAccount, name).verbose_name
            errors[name] = (
                f"{person} has left (their sign-in is deactivated): choose someone else as {label}."
            )
    if errors:
        raise ValidationError(errors)


def _fields_check(given: Mapping[str, Any], allowed: list[str]) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise TypeError(f"Not a field the registry sets: {', '.join(unknown)}")


def _second_factor_rule(account: CompanyAccount) -> None:
    # Without a second factor nobody holds one: the holder goes with it.
    if account.second_factor == CompanyAccount.SecondFactor.NONE:
        account.second_factor_holder = None


@transaction.atomic
def account_create(
    *,
    actor: User,
    platform: Platform,
    name: str,
    queue: Queue,
    owner: User,
    **details: Any,
) -> CompanyAccount:
    """Register an account; its first review falls one interval after the last known one, or now."""
    _fields_check(details, EDITABLE_FIELDS + CREATE_ONLY_FIELDS)
    if not can_register_in(actor, queue):
        raise PermissionDenied(f"Only the {queue} team and the managers can register accounts for {queue}.")
    now = timezone.now()
    account = CompanyAccount(
        platform=platform,
        name=name.strip(),
        queue=queue,
        owner=owner,
        created_at=now,
        updated_at=now,
        **details,
    )
    _second_factor_rule(account)
    _people_check(account, PEOPLE_FIELDS)
    account.review_due_at = account.review_due_from(account.last_reviewed_at or now)
    account.review_notice_at = account.review_due_at
    account.full_clean()
    account.save(force_insert=True)
    recorded = [*EDITABLE_FIELDS, *CREATE_ONLY_FIELDS, "review_due_at"]
    event_record(
        account=account,
        actor=actor,
        kind=Kind.CREATED,
        summary=f"{actor} registered {account.name} on {platform}",
        fields=[field_change(account, n, None) for n in recorded if _has_value(account, n)],
    )
    return account


def end_first_due(ends_at: datetime | None, *, now: datetime) -> datetime | None:
    """When the end sweep first acts on access ending at `ends_at`: its reminder, or the end."""
    if ends_at is None:
        return None
    return max(ends_at - timedelta(days=settings.ACCESS_END_REMINDER_DAYS), min(now, ends_at))


def _has_value(account: CompanyAccount, name: str) -> bool:
    value = getattr(account, declared_field(CompanyAccount, name).attname)
    return value not in (None, "")


@transaction.atomic
def account_update(
    *, account: CompanyAccount, actor: User, changes: Mapping[str, Any], reason: str = ""
) -> CompanyAccount:
    """Change an account's details; the event lists each field's before and after."""
    _fields_check(changes, EDITABLE_FIELDS)
    account = _locked(account)
    actor_check(actor, account)
    names = list(dict.fromkeys([*changes, "second_factor_holder"]))
    before = snapshot(account, [*names, "review_due_at"])
    for name, value in changes.items():
        setattr(account, name, value.strip() if isinstance(value, str) else value)
    _second_factor_rule(account)
    changed = [c["field"] for c in diff(account, {n: before[n] for n in names})]
    if not changed:
        return account
    _people_check(account, [n for n in changed if n in PEOPLE_FIELDS])
    if {"status", "review_interval_days"} & set(changed):
        account.review_due_at = account.review_due_from(account.last_reviewed_at or account.created_at)
        account.review_notice_at = account.review_due_at
    account.full_clean()
    account.updated_at = timezone.now()
    account.save(update_fields=[*changed, "review_due_at", "review_notice_at", "updated_at"])
    fields = diff(account, before)
    event_record(
        account=account,
        actor=actor,
        kind=Kind.UPDATED,
        summary=f"{actor} changed the {field_names(changed)}",
        fields=fields,
        reason=reason.strip(),
    )
    return account


@transaction.atomic
def access_grant(
    *,
    account: CompanyAccount,
    actor: User,
    holder: User,
    role: str,
    role_label: str = "",
    ticket: Ticket | None = None,
    ends_at: datetime | None = None,
    reason: str = "",
) -> Access:
    """Record that someone holds a role on the account, from now (until `ends_at`, if given)."""
    account = _locked(account)
    actor_check(actor, account)
    role_label = " ".join(role_label.split())
    if role not in Access.Role.values:
        raise ValidationError({"role": f"“{role}” is not a role; choose one of the list or Other."})
    if role == Access.Role.OTHER and not role_label:
        raise ValidationError({"role_label": "Give the role's name on the platform, as it is called there."})
    if role != Access.Role.OTHER:
        role_label = ""
    if account.status == CompanyAccount.Status.RETIRED:
        raise ValidationError(f"{account.name} is retired: reactivate it before granting access.")
    if not holder.is_active:
        raise ValidationError({"holder": f"{holder} has left (their sign-in is deactivated)."})
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": "The end date has passed; choose a later one or leave it empty."})
    existing = Access.objects.filter(
        account=account, holder=holder, role=role, role_label=role_label, revoked_at__isnull=True
    ).first()
    if existing is not None:
        raise ValidationError(
            f"{holder} is already {existing.role_name} on {account.name}, since "
            f"{timezone.localtime(existing.granted_at):%d %b %Y}."
        )
    access = Access(
        account=account,
        holder=holder,
        role=role,
        role_label=role_label,
        granted_at=now,
        granted_by=actor,
        granted_through=ticket,
        ends_at=ends_at,
        end_due_at=end_first_due(ends_at, now=now),
    )
    access.save(force_insert=True)
    fields = [field_change(access, name, None) for name in ("holder", "role", "role_label", "ends_at")]
    if ticket is not None:
        fields.append(
            {
                "field": "granted_through",
                "label": "Ticket",
                "before": None,
                "after": {"id": ticket.pk, "label": f"{REFERENCE_PREFIX}{ticket.pk}"},
                "restricted": False,
            }
        )
    event_record(
        account=account,
        actor=actor,
        kind=Kind.ACCESS_GRANTED,
        summary=f"{actor} granted {holder} {access.role_name} access",
        subject=subject_of(access),
        fields=[f for f in fields if f["after"] is not None],
        reason=reason.strip(),
    )
    return access


@transaction.atomic
def access_revoke(*, access: Access, actor: User, reason: str) -> Access:
    """End someone's access; the row stays, with who ended it, when and why."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the access ends, such as “left the team”."})
    account = _locked(access.account)
    actor_check(actor, account)
    now = timezone.now()
    # Conditional: of two revokes at once, one wins and the other is told.
    revoked = Access.objects.filter(pk=access.pk, account=account, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor, revoke_reason=reason[:300]
    )
    if not revoked:
        raise ValidationError("This access was already revoked.")
    access.refresh_from_db()
    event_record(
        account=account,
        actor=actor,
        kind=Kind.ACCESS_REVOKED,
        summary=f"{actor} revoked {access.holder}'s {access.role_name} access",
        subject=subject_of(access),
        fields=[field_change(access, "revoked_at", None)],
        reason=reason,
    )
    return access


@transaction.atomic
def connected_app_add(*, account: CompanyAccount, actor: User, name: str, scope: str = "") -> ConnectedApp:
    account = _locked(account)
    actor_check(actor, account)
    name, scope = " ".join(name.split()), " ".join(scope.split())
    if not name:
        raise ValidationError({"name": "Name the app, as the platform lists it."})
    if ConnectedApp.objects.filter(account=account, name__iexact=name, removed_at__isnull=True).exists():
        raise ValidationError({"name": f"{name} is already connected to {account.name}."})
    app = ConnectedApp(account=account, name=name, scope=scope, added_at=timezone.now(), added_by=actor)
    app.full_clean()
    app.save(force_insert=True)
    event_record(
        account=account,
        actor=actor,
        kind=Kind.APP_ADDED,
        summary=f"{actor} recorded the connected app {name}",
        subject=subject_of(app),
        fields=[field_change(app, n, None) for n in ("name", "scope") if getattr(app, n)],
    )
    return app


@transaction.atomic
def connected_app_remove(*, app: ConnectedApp, actor: User, reason: str = "") -> ConnectedApp:
    account = _locked(app.account)
    actor_check(actor, account)
    removed = ConnectedApp.objects.filter(pk=app.pk, account=account, removed_at__isnull=True).update(
        removed_at=timezone.now(), removed_by=actor
    )
    if not removed:
        raise ValidationError(f"{app.name} was already removed.")
    app.refresh_from_db()
    event_record(
        account=account,
        actor=actor,
        kind=Kind.APP_REMOVED,
        summary=f"{actor} removed the connected app {app.name}",
        subject=subject_of(app),
        fields=[field_change(app, "removed_at", None)],
        reason=" ".join(reason.split()),
    )
    return app
