"""The registry's writes: who may make them, what they record, and that nothing is ever deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import User
from social import services
from social.models import Access, AccountEvent, CompanyAccount, ConnectedApp

from ..conftest import Cast, platform
from ..factories import file_ticket
from .scene import RECOVERY_PHONE, account_make

Kind = AccountEvent.Kind


# ---- registering ------------------------------------------------------------------------


def test_an_agent_registers_an_account_for_their_queue_and_the_event_says_what(cast: Cast) -> None:
    account = account_make(cast, actor=cast.marketing_agent, name="Careers page")

    event = AccountEvent.objects.get(account=account)
    assert event.kind == Kind.CREATED
    assert event.actor == cast.marketing_agent
    assert "registered Careers page on LinkedIn" in event.summary
    owner = next(f for f in event.changes["fields"] if f["field"] == "owner")
    assert owner["after"] == {"id": cast.employee.pk, "label": str(cast.employee)}
    phone = next(f for f in event.changes["fields"] if f["field"] == "recovery_phone")
    assert phone["restricted"] is True


def test_the_first_review_falls_one_interval_after_registering_or_the_last_known_review(cast: Cast) -> None:
    fresh = account_make(cast, review_interval_days=30)
    reviewed = account_make(cast, last_reviewed_at=timezone.now() - timedelta(days=100))

    assert fresh.review_due_at - fresh.created_at == timedelta(days=30)
    assert reviewed.review_due_at < timezone.now()


@pytest.mark.parametrize("who", ["it_agent", "employee"])
def test_only_the_queues_staff_register_for_it(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        account_make(cast, actor=getattr(cast, who), queue=cast.marketing)
    assert not CompanyAccount.objects.exists()


def test_a_leaver_cannot_be_made_owner(cast: Cast) -> None:
    User.objects.filter(pk=cast.other_employee.pk).update(is_active=False)
    cast.other_employee.refresh_from_db()

    with pytest.raises(ValidationError) as refusal:
        account_make(cast, owner=cast.other_employee)

    assert "has left" in refusal.value.message_dict["owner"][0]


def test_the_deputy_is_someone_other_than_the_owner(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refusal:
        account_make(cast, deputy=cast.employee)
    assert "someone other than the owner" in " ".join(refusal.value.messages)


def test_a_password_is_refused_where_the_credentials_location_goes(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refusal:
        account_make(cast, credentials_location="password: Spring2024!")
    assert "credentials_location" in refusal.value.message_dict
    assert not CompanyAccount.objects.exists()


# ---- changing -------------------------------------------------------------------------------


def test_an_update_records_each_fields_before_and_after(cast: Cast) -> None:
    account = account_make(cast)

    services.account_update(
        account=account,
        actor=cast.marketing_agent,
        changes={
            "status": CompanyAccount.Status.SUSPENDED,
            "deputy": cast.other_employee,
            "name": account.name,
        },
        reason="Platform suspended it for review",
    )

    event = AccountEvent.objects.filter(account=account).last()
    assert event.kind == Kind.UPDATED
    assert event.reason == "Platform suspended it for review"
    by_field = {f["field"]: f for f in event.changes["fields"]}
    assert set(by_field) == {"status", "deputy"}
    assert by_field["status"]["before"] == {"id": "active", "label": "Active"}
    assert by_field["status"]["after"] == {"id": "suspended", "label": "Suspended"}
    assert by_field["deputy"]["before"] is None
    assert by_field["deputy"]["after"]["id"] == cast.other_employee.pk


def test_an_update_that_changes_nothing_records_nothing(cast: Cast) -> None:
    account = account_make(cast)

    services.account_update(account=account, actor=cast.manager, changes={"name": account.name})

    assert AccountEvent.objects.filter(account=account).count() == 1


def test_dropping_the_second_factor_drops_its_holder(cast: Cast) -> None:
    account = account_make(cast)

    account = services.account_update(
        account=account, actor=cast.manager, changes={"second_factor": CompanyAccount.SecondFactor.NONE}
    )

    assert account.second_factor_holder is None
    fields = {f["field"] for f in AccountEvent.objects.filter(account=account).last().changes["fields"]}
    assert fields == {"second_factor", "second_factor_holder"}


def test_retiring_an_account_ends_its_reviews(cast: Cast) -> None:
    account = account_make(cast)

    account = services.account_update(
        account=account, actor=cast.manager, changes={"status": CompanyAccount.Status.RETIRED}
    )

    assert account.review_due_at is None


@pytest.mark.parametrize("who", ["it_agent", "employee", "comms_agent"])
def test_only_the_owning_queues_staff_change_an_account(cast: Cast, who: str) -> None:
    account = account_make(cast)

    with pytest.raises(PermissionDenied):
        services.account_update(account=account, actor=getattr(cast, who), changes={"name": "Taken"})

    account.refresh_from_db()
    assert account.name != "Taken"


def test_the_owner_cannot_change_the_entry_directly(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee)

    with pytest.raises(PermissionDenied):
        services.account_update(account=account, actor=cast.employee, changes={"recovery_phone": "+1 555"})


def test_a_deactivated_agent_changes_nothing(cast: Cast) -> None:
    account = account_make(cast)
    User.objects.filter(pk=cast.marketing_agent.pk).update(is_active=False)
    cast.marketing_agent.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.account_update(account=account, actor=cast.marketing_agent, changes={"name": "Late"})


def test_a_recovery_change_keeps_its_values_for_those_allowed(cast: Cast) -> None:
    account = account_make(cast)

    services.account_update(
        account=account, actor=cast.manager, changes={"recovery_phone": "+44 20 7946 0000"}
    )

    change = AccountEvent.objects.filter(account=account).last().changes["fields"][0]
    assert change["restricted"] is True
    assert change["before"]["label"] == RECOVERY_PHONE
    assert "+44" not in AccountEvent.objects.filter(account=account).last().summary


# ---- access ---------------------------------------------------------------------------------


def test_granting_records_who_what_by_whom_and_through_which_ticket(cast: Cast) -> None:
    account = account_make(cast)
    ticket = file_ticket(cast.employee, problem="metrics-request")
    ends = timezone.now() + timedelta(days=30)

    access = services.access_grant(
        account=account,
        actor=cast.marketing_agent,
        holder=cast.other_employee,
        role=Access.Role.EDITOR,
        ticket=ticket,
        ends_at=ends,
    )

    assert (access.holder, access.granted_by, access.granted_through, access.ends_at) == (
        cast.other_employee,
        cast.marketing_agent,
        ticket,
        ends,
    )
    event = AccountEvent.objects.filter(account=account).last()
    assert event.kind == Kind.ACCESS_GRANTED
    assert event.changes["subject"]["id"] == access.pk
    by_field = {f["field"]: f["after"] for f in event.changes["fields"]}
    assert by_field["role"] == {"id": "editor", "label": "Editor"}
    assert by_field["granted_through"] == {"id": ticket.pk, "label": ticket.reference}


def test_a_free_role_label_needs_other_and_a_name(cast: Cast) -> None:
    account = account_make(cast)

    with pytest.raises(ValidationError):
        services.access_grant(
            account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.OTHER
        )
    access = services.access_grant(
        account=account,
        actor=cast.manager,
        holder=cast.employee,
        role=Access.Role.OTHER,
        role_label="  Content   admin ",
    )

    assert access.role_name == "Content admin"


def test_the_same_current_access_is_not_recorded_twice(cast: Cast) -> None:
    account = account_make(cast)
    services.access_grant(account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR)

    with pytest.raises(ValidationError) as refusal:
        services.access_grant(
            account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR
        )

    assert "already Editor" in refusal.value.messages[0]


def test_access_cannot_end_in_the_past_or_go_to_a_leaver(cast: Cast) -> None:
    account = account_make(cast)
    with pytest.raises(ValidationError):
        services.access_grant(
            account=account,
            actor=cast.manager,
            holder=cast.employee,
            role=Access.Role.EDITOR,
            ends_at=timezone.now() - timedelta(minutes=1),
        )
    User.objects.filter(pk=cast.other_employee.pk).update(is_active=False)
    cast.other_employee.refresh_from_db()
    with pytest.raises(ValidationError):
        services.access_grant(
            account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR
        )
    assert not Access.objects.exists()


@pytest.mark.parametrize("who", ["it_agent", "employee"])
def test_only_the_owning_queues_staff_grant_and_revoke(cast: Cast, who: str) -> None:
    account = account_make(cast)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN
    )
    actor = getattr(cast, who)

    with pytest.raises(PermissionDenied):
        services.access_grant(
            account=account, actor=actor, holder=cast.other_employee, role=Access.Role.ADMIN
        )
    with pytest.raises(PermissionDenied):
        services.access_revoke(access=access, actor=actor, reason="Mine now")

    access.refresh_from_db()
    assert access.is_current
    assert Access.objects.count() == 1


def test_revoking_keeps_the_row_with_who_when_and_why(cast: Cast) -> None:
    account = account_make(cast)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN
    )

    services.access_revoke(access=access, actor=cast.marketing_agent, reason="  Moved to   Sales ")

    access.refresh_from_db()
    assert (access.revoked_by, access.revoke_reason) == (cast.marketing_agent, "Moved to Sales")
    assert access.revoked_at is not None
    assert not Access.objects.filter(account=account, revoked_at__isnull=True).exists()
    event = AccountEvent.objects.filter(account=account).last()
    assert (event.kind, event.reason) == (Kind.ACCESS_REVOKED, "Moved to Sales")


def test_revoking_needs_a_reason_and_happens_once(cast: Cast) -> None:
    account = account_make(cast)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN
    )

    with pytest.raises(ValidationError) as refusal:
        services.access_revoke(access=access, actor=cast.manager, reason="   ")
    assert "Say why" in refusal.value.message_dict["reason"][0]
    services.access_revoke(access=access, actor=cast.manager, reason="Left")
    with pytest.raises(ValidationError):
        services.access_revoke(access=access, actor=cast.manager, reason="Again")
    assert AccountEvent.objects.filter(account=account, kind=Kind.ACCESS_REVOKED).count() == 1


def test_a_revoked_row_without_who_is_refused_by_the_database(cast: Cast) -> None:
    account = account_make(cast)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Access.objects.filter(pk=access.pk).update(revoked_at=timezone.now())


# ---- connected apps --------------------------------------------------------------------------


def test_apps_are_added_and_removed_by_the_queues_staff_only(cast: Cast) -> None:
    account = account_make(cast)
    with pytest.raises(PermissionDenied):
        services.connected_app_add(account=account, actor=cast.it_agent, name="Buffer")

    app = services.connected_app_add(
        account=account, actor=cast.marketing_agent, name="Buffer", scope="publish posts"
    )
    with pytest.raises(ValidationError):
        services.connected_app_add(account=account, actor=cast.marketing_agent, name="buffer")
    with pytest.raises(PermissionDenied):
        services.connected_app_remove(app=app, actor=cast.employee)
    services.connected_app_remove(app=app, actor=cast.manager, reason="Not used")

    app.refresh_from_db()
    assert (app.removed_by, app.added_by) == (cast.manager, cast.marketing_agent)
    kinds = list(AccountEvent.objects.filter(account=account).values_list("kind", flat=True))
    assert kinds == [Kind.CREATED, Kind.APP_ADDED, Kind.APP_REMOVED]


# ---- nothing is ever deleted -----------------------------------------------------------------


def test_an_account_with_history_cannot_be_deleted(cast: Cast) -> None:
    account = account_make(cast)
    services.access_grant(account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN)
    services.connected_app_add(account=account, actor=cast.manager, name="Buffer")

    with pytest.raises(ProtectedError), transaction.atomic():
        account.delete()

    assert CompanyAccount.objects.filter(pk=account.pk).exists()
    assert Access.objects.count() == ConnectedApp.objects.count() == 1


def test_a_holder_with_access_on_record_cannot_be_deleted(cast: Cast) -> None:
    account = account_make(cast, owner=cast.other_employee)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.ADMIN
    )
    services.access_revoke(access=access, actor=cast.manager, reason="Left")

    with pytest.raises(ProtectedError), transaction.atomic():
        cast.employee.delete()


def test_the_services_offer_no_delete() -> None:
    assert not [name for name in dir(services) if "delete" in name]


def test_platform_choices_include_company_email(cast: Cast) -> None:
    assert platform("company-email").name == "Company email"
