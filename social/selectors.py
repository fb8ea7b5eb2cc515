"""Reads: who may see, change and recover which account, and the lists the screens show.

Three rules, asked by the desk, the portal, the admin and every service alike:
- every desk user reads the registry (who owns what, who has access), so that IT can help with
  a Marketing page and Communications can answer for any account in a crisis;
- the owning queue's agents, the managers and the administrators change it (can_edit_account);
- recovery details (recovery email and phone and who holds them, the second factor's holder,
  where the credentials are kept) are for the owner, the deputy and the owning queue's staff
  (can_see_recovery), whichever screen shows the account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from tickets.models import Queue, Ticket
from tickets.selectors import desk_tickets

from .history import HistoryEntry, history_entries
from .models import Access, AccountEvent, CompanyAccount, ConnectedApp

ACCOUNT_RELATED = ("platform", "queue", "owner", "deputy")
RECOVERY_RELATED = ("second_factor_holder", "recovery_email_holder", "recovery_phone_holder")


# ---- who may do what ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rights:
    """One person's rights over accounts, worked out once per request rather than per row."""

    user: User
    # None: every queue (managers and administrators).
    queue_ids: frozenset[int] | None

    def can_edit(self, account: CompanyAccount) -> bool:
        if not self.user.is_active:
            return False
        return self.queue_ids is None or account.queue_id in self.queue_ids

    def can_see_recovery(self, account: CompanyAccount) -> bool:
        if not self.user.is_active:
            return False
        return self.user.pk in (account.owner_id, account.deputy_id) or self.can_edit(account)


def rights_of(user: User) -> Rights:
    if user.sees_every_queue:
        return Rights(user, None)
    if user.is_desk_user:
        return Rights(user, frozenset(user.queues.values_list("pk", flat=True)))
    return Rights(user, frozenset())


def can_edit_account(user: User, account: CompanyAccount) -> bool:
    """The owning queue's agents, managers and administrators change an account's entry and access."""
    return rights_of(user).can_edit(account)


def can_register_in(user: User, queue: Queue) -> bool:
    """Who may register an account for a queue: those who could then edit it."""
    rights = rights_of(user)
    return user.is_active and (rights.queue_ids is None or queue.pk in rights.queue_ids)


def can_see_recovery(user: User, account: CompanyAccount) -> bool:
    """The owner, the deputy, and the staff who may edit the account."""
    return rights_of(user).can_see_recovery(account)


def current_access() -> Q:
    return Q(revoked_at__isnull=True)


def editable_accounts(user: User) -> QuerySet[CompanyAccount]:
    """The accounts a user may change: the admin shows agents these and no others."""
    rights = rights_of(user)
    if not user.is_active:
        return CompanyAccount.objects.none()
    if rights.queue_ids is None:
        return CompanyAccount.objects.all()
    return CompanyAccount.objects.filter(queue__in=list(rights.queue_ids))


def desk_accounts(user: User) -> QuerySet[CompanyAccount]:
    return CompanyAccount.objects.all() if user.is_desk_user else CompanyAccount.objects.none()


def portal_accounts(user: User) -> QuerySet[CompanyAccount]:
    """What an employee owns, deputises, or holds a current role on."""
    if not user.is_active:
        return CompanyAccount.objects.none()
    holds = Access.objects.filter(current_access(), account=OuterRef("pk"), holder=user)
    return CompanyAccount.objects.filter(Q(owner=user) | Q(deputy=user) | Exists(holds))


def desk_account(user: User, pk: int) -> CompanyAccount:
    account = get_object_or_404(
        desk_accounts(user).select_related(*ACCOUNT_RELATED, *RECOVERY_RELATED), pk=pk
    )
    return account


def desk_editable_account(user: User, pk: int) -> CompanyAccount:
    """An account the user may change, or 404: the edit screens don't exist for anyone else."""
    account = desk_account(user, pk)
    if not can_edit_account(user, account):
        raise Http404("You can't change this account.")
    return account


def portal_account(user: User, pk: int) -> CompanyAccount:
    return get_object_or_404(portal_accounts(user).select_related(*ACCOUNT_RELATED, *RECOVERY_RELATED), pk=pk)


# ---- the registry list ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryFilters:
    platform: int | None = None
    queue: int | None = None
    owner: int | None = None
    status: str = ""
    no_second_factor: bool = False
    review_overdue: bool = False
    no_owner: bool = False
    query: str = ""


def registry_search(user: User, filters: RegistryFilters) -> QuerySet[CompanyAccount]:
    accounts = (
        desk_accounts(user)
        .select_related(*ACCOUNT_RELATED)
        .annotate(
            # A subquery, counted for the page's rows only: a join and GROUP BY would count the
            # access of every account before the page is cut.
            access_count=Coalesce(
                Subquery(
                    Access.objects.filter(current_access(), account=OuterRef("pk"))
                    .order_by()
                    .values("account")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
            review_is_overdue=ExpressionWrapper(review_overdue(), output_field=BooleanField()),
        )
    )
    if filters.platform:
        accounts = accounts.filter(platform_id=filters.platform)
    if filters.queue:
        accounts = accounts.filter(queue_id=filters.queue)
    if filters.owner:
        accounts = accounts.filter(owner_id=filters.owner)
    if filters.status:
        accounts = accounts.filter(status=filters.status)
    if filters.no_second_factor:
        accounts = accounts.filter(second_factor=CompanyAccount.SecondFactor.NONE)
    if filters.review_overdue:
        accounts = accounts.filter(review_overdue())
    if filters.no_owner:
        accounts = accounts.filter(without_owner())
    if filters.query:
        accounts = accounts.filter(Q(name__icontains=filters.query) | Q(handle__icontains=filters.query))
    return accounts


def review_overdue(now: datetime | None = None) -> Q:
    return Q(review_due_at__lte=now or timezone.now())


def without_owner() -> Q:
    """An owner who has left (their sign-in deactivated) owns nothing any more."""
    return Q(owner__is_active=False)


def registry_owners() -> QuerySet[User]:
    """People who own at least one account, for the owner filter."""
    owns = CompanyAccount.objects.filter(owner=OuterRef("pk"))
    return User.objects.filter(Exists(owns)).order_by("full_name")


# ---- My accounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyAccount:
    account: CompanyAccount
    parts: list[str]


def my_account_rows(user: User, accounts: list[CompanyAccount]) -> list[MyAccount]:
    """Each account with the person's part in it: owner, deputy, and the roles they hold."""
    roles: dict[int, list[str]] = defaultdict(list)
    held = Access.objects.filter(current_access(), holder=user, account__in=[a.pk for a in accounts])
    for access in held.order_by("role", "id"):
        roles[access.account_id].append(access.role_name)
    rows = []
    for account in accounts:
        parts = []
        if account.owner_id == user.pk:
            parts.append("Owner")
        if account.deputy_id == user.pk:
            parts.append("Deputy")
        parts.extend(roles[account.pk])
        rows.append(MyAccount(account, parts))
    return rows


# ---- one account ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountPage:
    """Everything an account's page shows, fetched in a fixed number of queries."""

    account: CompanyAccount
    can_edit: bool
    shows_recovery: bool
    # Desk users, the owner and the deputy see everyone's access; others only their own.
    sees_all_access: bool
    review_overdue: bool
    current_access: list[Access]
    past_access: list[Access]
    current_apps: list[ConnectedApp]
    removed_apps: list[ConnectedApp]
    history: list[HistoryEntry] = field(default_factory=list)


def account_page(user: User, account: CompanyAccount, *, with_history: bool = True) -> AccountPage:
    rights = rights_of(user)
    shows_recovery = rights.can_see_recovery(account)
    sees_all = user.is_desk_user or user.pk in (account.owner_id, account.deputy_id)
    shown = Access.objects.filter(account=account).select_related("holder", "granted_by", "revoked_by")
    if not sees_all:
        shown = shown.filter(holder=user)
    accesses = list(shown)
    apps = (
        list(ConnectedApp.objects.filter(account=account).select_related("added_by", "removed_by"))
        if sees_all
        else []
    )
    history: list[HistoryEntry] = []
    if with_history:
        events = list(AccountEvent.objects.filter(account=account).select_related("actor"))
        history = history_entries(events, show_recovery=shows_recovery)
    return AccountPage(
        account=account,
        can_edit=rights.can_edit(account),
        shows_recovery=shows_recovery,
        sees_all_access=sees_all,
        review_overdue=account.review_due_at is not None and account.review_due_at <= timezone.now(),
        current_access=[a for a in accesses if a.is_current],
        past_access=sorted(
            (a for a in accesses if not a.is_current), key=attrgetter("revoked_at"), reverse=True
        ),
        current_apps=[app for app in apps if app.removed_at is None],
        removed_apps=[app for app in apps if app.removed_at is not None],
        history=history,
    )


def desk_current_access(user: User, pk: int) -> Access:
    """A current access row of an account the user may change, or 404 (forged, stale or not theirs)."""
    access = get_object_or_404(
        Access.objects.select_related("holder", "account__platform", "account__queue").filter(
            current_access()
        ),
        pk=pk,
    )
    if not (user.is_desk_user and can_edit_account(user, access.account)):
        raise Http404("No such access on an account you look after.")
    return access


def desk_connected_app(user: User, pk: int) -> ConnectedApp:
    app = get_object_or_404(
        ConnectedApp.objects.select_related("account__platform", "account__queue").filter(
            removed_at__isnull=True
        ),
        pk=pk,
    )
    if not (user.is_desk_user and can_edit_account(user, app.account)):
        raise Http404("No such app on an account you look after.")
    return app


# ---- an account's tickets ------------------------------------------------------------------

ACCOUNT_TICKETS = 20


def account_tickets(user: User, account: CompanyAccount) -> list[Ticket]:
    """The latest tickets about the account that the user may open: in the desk, those of the
    queues they work (tickets.selectors' one rule); in the portal, their own requests."""
    tickets = desk_tickets(user) if user.is_desk_user else Ticket.objects.filter(requester=user)
    return list(
        tickets.filter(account=account)
        .select_related("queue", "assignee", "problem_type")
        .order_by("-created_at", "-id")[:ACCOUNT_TICKETS]
    )
