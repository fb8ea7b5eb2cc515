"""Offboarding: every account a leaver reaches gets a revoke ticket; what they owned passes on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.services import user_deactivate
from notifications.models import Kind, Notification
from social import services
from social.models import Access, AccountEvent, CompanyAccount
from social.offboarding import offboarding_plan, user_offboard, user_offboard_now
from social.selectors import RegistryFilters, registry_search
from tickets.models import Ticket

from ..conftest import Cast
from .scene import account_make

pytestmark = pytest.mark.django_db


def scene(cast: Cast) -> tuple[CompanyAccount, CompanyAccount, CompanyAccount]:
    """A page the leaver edits (two roles), one they own with a deputy, one they own alone."""
    edits = account_make(cast, queue=cast.marketing, owner=cast.employee)
    services.access_grant(
        account=edits, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR
    )
    services.access_grant(
        account=edits, actor=cast.manager, holder=cast.other_employee, role=Access.Role.ANALYST
    )
    owned = account_make(cast, queue=cast.communications, owner=cast.other_employee, deputy=cast.comms_agent)
    services.access_grant(
        account=owned, actor=cast.manager, holder=cast.other_employee, role=Access.Role.ADMIN
    )
    alone = account_make(
        cast, queue=cast.it, owner=cast.other_employee, credentials_location="vault: Social/X"
    )
    return edits, owned, alone


def test_one_revoke_ticket_per_account_with_the_roles_to_remove(cast: Cast) -> None:
    edits, owned, _ = scene(cast)

    plan = user_offboard_now(person=cast.other_employee, actor=cast.manager, leaving_on=timezone.localdate())

    assert len(plan.tickets) == 2
    by_account = {ticket.account_id: ticket for ticket in plan.tickets}
    assert by_account[edits.pk].queue == cast.marketing
    assert "Editor" in by_account[edits.pk].description and "Analyst" in by_account[edits.pk].description
    assert by_account[owned.pk].queue == cast.communications
    pending = Access.objects.filter(holder=cast.other_employee)
    assert all(access.revocation_pending for access in pending)
    cast.other_employee.refresh_from_db()
    assert not cast.other_employee.is_active


def test_owned_accounts_pass_to_the_deputy_or_are_flagged_without_owner(cast: Cast) -> None:
    _, owned, alone = scene(cast)

    user_offboard_now(person=cast.other_employee, actor=cast.manager, leaving_on=timezone.localdate())

    owned.refresh_from_db()
    alone.refresh_from_db()
    assert (owned.owner, owned.deputy) == (cast.comms_agent, None)
    ownerless = registry_search(cast.manager, RegistryFilters(no_owner=True))
    assert list(ownerless) == [alone]
    assert alone.credentials_rotation_since is not None
    assert AccountEvent.objects.filter(account=alone, kind=AccountEvent.Kind.ROTATION_FLAGGED).exists()


def test_the_owners_are_told(cast: Cast) -> None:
    scene(cast)

    user_offboard_now(person=cast.other_employee, actor=cast.admin, leaving_on=timezone.localdate())

    told = {n.recipient for n in Notification.objects.filter(kind=Kind.ACCOUNT_NOTICE)}
    # The account left without an owner goes to the managers, who name one.
    assert told == {cast.employee, cast.comms_agent, cast.manager}


def test_deactivating_in_the_admin_offboards_too(cast: Cast) -> None:
    scene(cast)

    user_deactivate(user=cast.other_employee)

    assert Ticket.objects.filter(subject__startswith="Remove").count() == 2
    assert all(a.revocation_pending for a in Access.objects.filter(holder=cast.other_employee))


def test_a_later_leaving_date_keeps_the_sign_in_until_then(cast: Cast) -> None:
    scene(cast)

    user_offboard_now(
        person=cast.other_employee,
        actor=cast.manager,
        leaving_on=timezone.localdate() + timezone.timedelta(days=5),
    )

    cast.other_employee.refresh_from_db()
    assert cast.other_employee.is_active
    assert Ticket.objects.filter(subject__startswith="Remove").count() == 2


def test_only_managers_and_administrators_offboard(cast: Cast) -> None:
    scene(cast)
    for who in (cast.marketing_agent, cast.employee):
        with pytest.raises(PermissionDenied):
            user_offboard(person=cast.other_employee, actor=who)
    assert not Ticket.objects.exists()


def test_the_plan_lists_everything_reachable(cast: Cast) -> None:
    edits, owned, alone = scene(cast)
    holder_only = account_make(cast, owner=cast.employee, recovery_phone_holder=cast.other_employee)

    rows = dict(offboarding_plan(cast.other_employee).rows())

    assert set(rows) == {edits, owned, alone, holder_only}
    assert rows[edits] == ["Editor", "Analyst"] or sorted(rows[edits]) == ["Analyst", "Editor"]
    assert any("passes to" in part for part in rows[owned])
