"""The desk's account page and its actions: who sees the recovery details, who may act, and that GET changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from social import services
from social.models import Access, AccountEvent, CompanyAccount, ConnectedApp

from ..conftest import Cast, client_for, platform
from ..factories import file_ticket
from ..tickets.pages import SCRIPT, messages_shown, raw, shown
from .scene import RECOVERY_PHONE, account_make, queries, recovery_shown, registry_state


@pytest.fixture
def account(cast: Cast) -> CompanyAccount:
    account = account_make(cast, queue=cast.marketing, owner=cast.employee)
    services.access_grant(
        account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR
    )
    services.connected_app_add(account=account, actor=cast.manager, name="Buffer", scope="publish posts")
    return account


def page_url(account: CompanyAccount) -> str:
    return f"/desk/accounts/{account.pk}/"


# ---- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["marketing_agent", "manager", "admin"])
def test_the_owning_queues_staff_see_the_recovery_details(
    cast: Cast, account: CompanyAccount, who: str
) -> None:
    response = client_for(getattr(cast, who)).get(page_url(account))

    page = shown(response)
    assert response.status_code == 200
    assert recovery_shown(page)
    assert "Who has access" in page and str(cast.other_employee) in page
    assert "Buffer" in page


@pytest.mark.parametrize("who", ["it_agent", "comms_agent"])
def test_an_agent_of_another_queue_reads_the_page_without_recovery_details(
    cast: Cast, account: CompanyAccount, who: str
) -> None:
    services.account_update(account=account, actor=cast.manager, changes={"recovery_phone": "+1 555 0100"})

    response = client_for(getattr(cast, who)).get(page_url(account))

    page = shown(response)
    assert response.status_code == 200
    assert not recovery_shown(page)
    assert "+1 555 0100" not in page
    assert "shown to the owner, the deputy and the Marketing team only" in page
    assert "(recovery detail)" in page  # the history says it changed, not what to
    assert f"/desk/accounts/{account.pk}/edit/" not in page


def test_the_history_shows_recovery_values_to_those_allowed(cast: Cast, account: CompanyAccount) -> None:
    services.account_update(account=account, actor=cast.manager, changes={"recovery_phone": "+1 555 0100"})

    page = shown(client_for(cast.marketing_agent).get(page_url(account)))

    assert RECOVERY_PHONE in page and "+1 555 0100" in page


def test_the_desk_page_is_for_staff_even_for_the_owner(cast: Cast, account: CompanyAccount) -> None:
    assert client_for(cast.employee).get(page_url(account)).status_code == 403


def test_anonymous_people_log_in_first(account: CompanyAccount) -> None:
    response = Client().get(page_url(account))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_account_is_a_404(cast: Cast) -> None:
    assert client_for(cast.manager).get("/desk/accounts/999999/").status_code == 404


def test_past_access_stays_on_the_page(cast: Cast, account: CompanyAccount) -> None:
    access = Access.objects.get(account=account)
    services.access_revoke(access=access, actor=cast.manager, reason="Left the team")

    page = shown(client_for(cast.it_agent).get(page_url(account)))

    assert "Past access" in page and "Left the team" in page
    assert "Nobody is recorded with access." in page


def test_text_is_shown_as_text(cast: Cast) -> None:
    account = account_make(cast, name=SCRIPT, purpose=SCRIPT)
    assert SCRIPT not in raw(client_for(cast.manager).get(page_url(account)))


def test_queries_do_not_grow_with_access_apps_and_history(cast: Cast, account: CompanyAccount) -> None:
    client = client_for(cast.marketing_agent)
    few = queries(client, page_url(account))
    for n in range(12):
        access = services.access_grant(
            account=account,
            actor=cast.manager,
            holder=cast.employee,
            role=Access.Role.OTHER,
            role_label=f"Role {n}",
        )
        if n % 2:
            services.access_revoke(access=access, actor=cast.manager, reason="Done")
        services.connected_app_add(account=account, actor=cast.manager, name=f"App {n}")

    assert queries(client, page_url(account)) == few


# ---- the actions ------------------------------------------------------------------------------


def actions(account: CompanyAccount) -> dict[str, tuple[str, dict[str, Any]]]:
    access = Access.objects.get(account=account, revoked_at__isnull=True)
    app = ConnectedApp.objects.get(account=account)
    base = page_url(account)
    return {
        "edit": (f"{base}edit/", {"name": "Renamed page"}),
        "grant": (f"{base}access/new/", {"role": "analyst"}),
        "revoke": (f"/desk/accounts/access/{access.pk}/revoke/", {"reason": "Left the team"}),
        "app_add": (f"{base}apps/new/", {"name": "Hootsuite"}),
        "app_remove": (f"/desk/accounts/apps/{app.pk}/remove/", {"reason": ""}),
    }


def edit_data(cast: Cast, account: CompanyAccount, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": account.platform_id,
        "name": account.name,
        "handle": account.handle,
        "url": account.url,
        "purpose": account.purpose,
        "queue": account.queue_id,
        "owner": account.owner_id,
        "deputy": account.deputy_id or "",
        "status": account.status,
        "second_factor": account.second_factor,
        "second_factor_holder": account.second_factor_holder_id or "",
        "recovery_email": account.recovery_email,
        "recovery_email_holder": account.recovery_email_holder_id or "",
        "recovery_phone": account.recovery_phone,
        "recovery_phone_holder": account.recovery_phone_holder_id or "",
        "credentials_location": account.credentials_location,
        "review_interval_days": account.review_interval_days,
        "reason": "",
    }
    data.update(changes)
    return data


ACTIONS = ["edit", "grant", "revoke", "app_add", "app_remove"]


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_people_act_on_nothing(cast: Cast, account: CompanyAccount, action: str) -> None:
    url, data = actions(account)[action]
    before = registry_state()
    response = Client().post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert registry_state() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_employees_are_refused_even_the_owner(cast: Cast, account: CompanyAccount, action: str) -> None:
    url, data = actions(account)[action]
    before = registry_state()
    for method in ("get", "post"):
        assert getattr(client_for(cast.employee), method)(url, data).status_code == 403
    assert registry_state() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_agent_of_another_queue_finds_no_action(cast: Cast, account: CompanyAccount, action: str) -> None:
    url, data = actions(account)[action]
    before = registry_state()
    for method in ("get", "post"):
        assert getattr(client_for(cast.it_agent), method)(url, data).status_code == 404
    assert registry_state() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_get_shows_a_labelled_form_and_changes_nothing(
    cast: Cast, account: CompanyAccount, action: str
) -> None:
    url, _ = actions(account)[action]
    before = registry_state()

    response = client_for(cast.marketing_agent).get(url)

    assert response.status_code == 200
    assert '<form method="post"' in raw(response)
    assert "csrfmiddlewaretoken" in raw(response)
    assert registry_state() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_post_without_the_csrf_token_is_refused(cast: Cast, account: CompanyAccount, action: str) -> None:
    url, data = actions(account)[action]
    client = client_for(cast.marketing_agent)
    client.handler.enforce_csrf_checks = True
    before = registry_state()

    assert client.post(url, data).status_code == 403
    assert registry_state() == before


def test_editing_saves_through_the_service_and_says_so(cast: Cast, account: CompanyAccount) -> None:
    url, _ = actions(account)["edit"]
    response = client_for(cast.marketing_agent).post(
        url, edit_data(cast, account, status="compromised", reason="Strange posts")
    )

    assert response.status_code == 302 and response["Location"] == page_url(account)
    account.refresh_from_db()
    assert account.status == "compromised"
    event = AccountEvent.objects.filter(account=account).last()
    assert (event.kind, event.reason) == (AccountEvent.Kind.UPDATED, "Strange posts")
    assert [f["field"] for f in event.changes["fields"]] == ["status"]


def test_an_edit_with_a_password_is_refused_next_to_the_field_and_keeps_the_text(
    cast: Cast, account: CompanyAccount
) -> None:
    url, _ = actions(account)["edit"]
    before = registry_state()

    response = client_for(cast.marketing_agent).post(
        url, edit_data(cast, account, name="Kept name", credentials_location="password: Hunter2!x")
    )

    assert response.status_code == 200
    assert "looks like a password" in shown(response)
    assert 'value="Kept name"' in raw(response)
    assert registry_state() == before


def test_an_edit_without_an_owner_says_what_to_do(cast: Cast, account: CompanyAccount) -> None:
    url, _ = actions(account)["edit"]
    response = client_for(cast.marketing_agent).post(url, edit_data(cast, account, owner=""))
    assert "Every account needs a business owner: choose one." in shown(response)


def test_registering_an_account(cast: Cast) -> None:
    data = {
        "platform": platform("facebook").pk,
        "name": "New page",
        "queue": cast.marketing.pk,
        "owner": cast.employee.pk,
        "status": "active",
        "second_factor": "key",
        "second_factor_holder": cast.employee.pk,
        "credentials_location": "vault: Social/Facebook",
        "review_interval_days": 60,
        "last_reviewed_at": "",
    }

    response = client_for(cast.marketing_agent).post("/desk/accounts/new/", data)

    account = CompanyAccount.objects.get(name="New page")
    assert response["Location"] == page_url(account)
    assert (account.second_factor_holder, account.review_interval_days) == (cast.employee, 60)
    assert AccountEvent.objects.get(account=account).actor == cast.marketing_agent


def test_registering_with_errors_says_what_to_fix(cast: Cast) -> None:
    response = client_for(cast.marketing_agent).post("/desk/accounts/new/", {"review_interval_days": 0})

    page = shown(response)
    assert response.status_code == 200
    for message in ("Name the account", "Choose the platform", "Choose the team", "needs a business owner"):
        assert message in page
    assert not CompanyAccount.objects.exists()


def test_registering_offers_only_the_agents_queues(cast: Cast) -> None:
    response = client_for(cast.it_agent).get("/desk/accounts/new/")
    assert list(response.context["form"].fields["queue"].queryset) == [cast.it]


def test_granting_through_a_ticket_of_the_agents_queues(cast: Cast, account: CompanyAccount) -> None:
    url, _ = actions(account)["grant"]
    ticket = file_ticket(cast.employee, problem="metrics-request")

    response = client_for(cast.marketing_agent).post(
        url, {"holder": cast.employee.pk, "role": "analyst", "ticket": ticket.reference}, follow=True
    )

    assert response.redirect_chain == [(page_url(account), 302)]
    access = Access.objects.get(account=account, holder=cast.employee)
    assert access.granted_through == ticket
    assert ("success", f"Access recorded for {cast.employee}.") in messages_shown(response)
    assert ticket.reference in shown(response)


def test_granting_refuses_a_ticket_out_of_reach_and_says_what_to_give(
    cast: Cast, account: CompanyAccount
) -> None:
    url, _ = actions(account)["grant"]
    theirs = file_ticket(cast.employee, problem="login-access")  # IT's
    before = registry_state()

    response = client_for(cast.marketing_agent).post(
        url, {"holder": cast.employee.pk, "role": "analyst", "ticket": theirs.reference}
    )

    assert response.status_code == 200
    assert "in your queues: give its reference, such as SIT-123" in shown(response)
    assert registry_state() == before


def test_granting_twice_is_explained_on_the_form(cast: Cast, account: CompanyAccount) -> None:
    url, _ = actions(account)["grant"]
    response = client_for(cast.marketing_agent).post(
        url, {"holder": cast.other_employee.pk, "role": "editor"}
    )
    assert response.status_code == 200
    assert "is already Editor" in shown(response)


def test_revoking_needs_a_reason(cast: Cast, account: CompanyAccount) -> None:
    url, _ = actions(account)["revoke"]
    before = registry_state()

    response = client_for(cast.marketing_agent).post(url, {"reason": ""})

    assert response.status_code == 200
    assert "Say why" in shown(response)
    assert registry_state() == before


def test_revoking_then_the_row_is_past(cast: Cast, account: CompanyAccount) -> None:
    url, data = actions(account)["revoke"]

    response = client_for(cast.marketing_agent).post(url, data)

    assert response.status_code == 302
    access = Access.objects.get(account=account)
    assert access.revoke_reason == "Left the team" and access.revoked_by == cast.marketing_agent
    assert client_for(cast.marketing_agent).post(url, data).status_code == 404  # no longer current


def test_an_unknown_access_or_app_is_a_404(cast: Cast, account: CompanyAccount) -> None:
    client = client_for(cast.manager)
    assert client.post("/desk/accounts/access/999999/revoke/", {"reason": "Forged"}).status_code == 404
    assert client.post("/desk/accounts/apps/999999/remove/", {"reason": ""}).status_code == 404


def test_recording_and_removing_an_app(cast: Cast, account: CompanyAccount) -> None:
    client = client_for(cast.marketing_agent)
    add_url, add = actions(account)["app_add"]
    remove_url, remove = actions(account)["app_remove"]

    assert client.post(add_url, add).status_code == 302
    assert client.post(remove_url, remove).status_code == 302

    assert list(
        ConnectedApp.objects.filter(account=account, removed_at__isnull=True).values_list("name", flat=True)
    ) == ["Hootsuite"]
