"""The registry in the admin: agents see their queues' accounts, recovery details follow the one rule,
saves go through the services, nothing is deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from social import services
from social.models import Access, AccountEvent, CompanyAccount

from ..conftest import Cast, client_for
from ..tickets.pages import raw, shown
from .scene import RECOVERY_PHONE, account_make, recovery_shown

ADMIN = "/admin/social/"


@pytest.fixture
def accounts(cast: Cast) -> dict[str, CompanyAccount]:
    marketing = account_make(cast, name="Marketing page", queue=cast.marketing)
    it = account_make(cast, name="IT blog", queue=cast.it)
    for account in (marketing, it):
        services.access_grant(
            account=account, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR
        )
        services.account_update(
            account=account, actor=cast.manager, changes={"recovery_phone": "+1 555 0100"}
        )
    return {"marketing": marketing, "it": it}


def change_url(account: CompanyAccount) -> str:
    return f"{ADMIN}companyaccount/{account.pk}/change/"


@pytest.mark.parametrize("model", ["companyaccount", "access", "accountevent", "connectedapp"])
def test_an_agent_lists_only_their_queues_accounts(
    cast: Cast, accounts: dict[str, CompanyAccount], model: str
) -> None:
    response = client_for(cast.marketing_agent).get(f"{ADMIN}{model}/")

    assert response.status_code == 200
    accounts_listed = {getattr(row, "account", row).pk for row in response.context["cl"].result_list}
    assert accounts_listed <= {accounts["marketing"].pk}
    if model != "connectedapp":
        assert accounts_listed == {accounts["marketing"].pk}


def test_a_manager_lists_every_account(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.manager).get(f"{ADMIN}companyaccount/")
    assert response.context["cl"].result_count == 2


def test_another_queues_account_reads_as_missing(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.marketing_agent).get(change_url(accounts["it"]))

    assert response.status_code == 302
    assert not recovery_shown(shown(client_for(cast.marketing_agent).get(response["Location"])))


def test_employees_have_no_admin(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.employee).get(change_url(accounts["marketing"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_owning_queues_agent_sees_the_recovery_fields(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    response = client_for(cast.marketing_agent).get(change_url(accounts["marketing"]))

    assert response.status_code == 200
    assert "+1 555 0100" in raw(response)
    assert "recovery_phone" in response.context["adminform"].form.fields


def test_the_admin_history_never_spells_out_recovery_values(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    event = AccountEvent.objects.filter(account=accounts["marketing"], kind="updated").last()
    response = client_for(cast.manager).get(f"{ADMIN}accountevent/{event.pk}/change/")

    page = shown(response)
    assert response.status_code == 200
    assert "(recovery detail)" in page
    assert RECOVERY_PHONE not in page


@pytest.mark.parametrize("lookup", ["recovery_phone__startswith", "credentials_location__icontains"])
def test_probing_recovery_details_by_filter_is_refused(
    cast: Cast, accounts: dict[str, CompanyAccount], lookup: str
) -> None:
    response = client_for(cast.manager).get(f"{ADMIN}companyaccount/", {lookup: "+"})
    assert response.status_code == 400


def test_probing_through_access_is_refused_too(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.manager).get(f"{ADMIN}access/", {"account__recovery_phone__startswith": "+"})
    assert response.status_code == 400


def form_data(account: CompanyAccount, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": account.platform_id,
        "name": account.name,
        "handle": account.handle,
        "url": account.url,
        "purpose": account.purpose,
        "status": account.status,
        "second_factor": account.second_factor,
        "queue": account.queue_id,
        "owner": account.owner_id,
        "deputy": account.deputy_id or "",
        "second_factor_holder": account.second_factor_holder_id or "",
        "recovery_email": account.recovery_email,
        "recovery_email_holder": account.recovery_email_holder_id or "",
        "recovery_phone": account.recovery_phone,
        "recovery_phone_holder": account.recovery_phone_holder_id or "",
        "credentials_location": account.credentials_location,
        "review_interval_days": account.review_interval_days,
    }
    saved = account.pk is not None
    for prefix, count in (
        ("accesses", account.accesses.count() if saved else 0),
        ("connected_apps", account.connected_apps.count() if saved else 0),
        ("events", account.events.count() if saved else 0),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": count,
                f"{prefix}-INITIAL_FORMS": count,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(changes)
    return data


def test_an_admin_change_goes_through_the_service_and_is_recorded(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    account = accounts["marketing"]
    account.refresh_from_db()

    response = client_for(cast.marketing_agent).post(
        change_url(account), form_data(account, status="suspended")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    account.refresh_from_db()
    assert account.status == "suspended"
    event = AccountEvent.objects.filter(account=account).last()
    assert (event.actor, [f["field"] for f in event.changes["fields"]]) == (cast.marketing_agent, ["status"])


def test_an_admin_change_with_a_secret_is_refused(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    account = accounts["marketing"]
    account.refresh_from_db()
    events = AccountEvent.objects.count()

    response = client_for(cast.manager).post(
        change_url(account), form_data(account, credentials_location="pw=Secret99!")
    )

    assert response.status_code == 200
    assert "looks like a password" in shown(response)
    assert AccountEvent.objects.count() == events


@pytest.mark.parametrize("model", ["companyaccount", "access", "accountevent", "connectedapp"])
def test_nothing_can_be_deleted_in_the_admin(
    cast: Cast, accounts: dict[str, CompanyAccount], model: str
) -> None:
    rows = {
        "companyaccount": accounts["marketing"],
        "access": Access.objects.filter(account=accounts["marketing"]).first(),
        "accountevent": AccountEvent.objects.filter(account=accounts["marketing"]).first(),
        "connectedapp": None,
    }
    client = client_for(cast.admin)
    listing = client.get(f"{ADMIN}{model}/")
    assert "delete_selected" not in raw(listing)
    row = rows[model]
    if row is not None:
        assert client.post(f"{ADMIN}{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
        assert type(row).objects.filter(pk=row.pk).exists()


def test_an_admin_registration_goes_through_the_service(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    template = CompanyAccount(
        platform=accounts["it"].platform, name="Admin page", queue=cast.it, owner=cast.other_employee
    )
    data = form_data(template)

    response = client_for(cast.it_agent).post(f"{ADMIN}companyaccount/add/", data)

    assert response.status_code == 302
    account = CompanyAccount.objects.get(name="Admin page")
    assert AccountEvent.objects.get(account=account).actor == cast.it_agent
    assert account.review_due_at is not None


def test_an_agent_registers_only_for_their_queues_in_the_admin(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    template = CompanyAccount(
        platform=accounts["it"].platform, name="Not mine", queue=cast.marketing, owner=cast.other_employee
    )

    response = client_for(cast.it_agent).post(f"{ADMIN}companyaccount/add/", form_data(template))

    assert response.status_code == 200
    assert "queue" in response.context["adminform"].form.errors
    assert not CompanyAccount.objects.filter(name="Not mine").exists()


def test_the_admin_login_page_opens_for_a_visitor_not_signed_in(db: None) -> None:
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert 'name="password"' in raw(response)
