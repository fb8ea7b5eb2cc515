"""My accounts in the portal: what a person owns, deputises or can reach, and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client

from social import services
from social.models import Access, CompanyAccount

from ..conftest import Cast, client_for
from ..tickets.pages import shown
from .scene import account_make, queries, recovery_shown, registry_state

LIST = "/requests/accounts/"


@pytest.fixture
def accounts(cast: Cast) -> dict[str, CompanyAccount]:
    owned = account_make(cast, name="Owned page", owner=cast.employee)
    deputised = account_make(cast, name="Deputised page", owner=cast.other_employee, deputy=cast.employee)
    reachable = account_make(cast, name="Reachable page", owner=cast.other_employee)
    services.access_grant(
        account=reachable, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR
    )
    services.access_grant(
        account=reachable, actor=cast.manager, holder=cast.marketing_agent, role=Access.Role.ADMIN
    )
    past = account_make(cast, name="Past page", owner=cast.other_employee)
    gone = services.access_grant(
        account=past, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR
    )
    services.access_revoke(access=gone, actor=cast.manager, reason="Done")
    others = account_make(cast, name="Someone else's page", owner=cast.other_employee)
    return {"owned": owned, "deputised": deputised, "reachable": reachable, "past": past, "others": others}


def url(account: CompanyAccount) -> str:
    return f"{LIST}{account.pk}/"


def test_the_list_shows_what_the_person_owns_deputises_or_reaches(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    response = client_for(cast.employee).get(LIST)

    rows = [(row.account.name, row.parts) for row in response.context["rows"]]
    assert rows == [("Deputised page", ["Deputy"]), ("Owned page", ["Owner"]), ("Reachable page", ["Editor"])]
    assert not recovery_shown(shown(response))


def test_someone_with_nothing_is_told_so(cast: Cast) -> None:
    assert "No company account names you yet." in shown(client_for(cast.other_employee).get(LIST))


def test_anonymous_people_log_in_first(accounts: dict[str, CompanyAccount]) -> None:
    for address in (LIST, url(accounts["owned"])):
        response = Client().get(address)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("which", ["owned", "deputised"])
def test_the_owner_and_the_deputy_read_the_recovery_details_and_everyone_with_access(
    cast: Cast, accounts: dict[str, CompanyAccount], which: str
) -> None:
    response = client_for(cast.employee).get(url(accounts[which]))

    page = shown(response)
    assert response.status_code == 200
    assert recovery_shown(page)
    assert "Who has access" in page
    assert "/desk/" not in page.split("<main", 1)[1]  # no desk actions or links


def test_someone_with_access_sees_their_own_and_no_recovery_details(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    response = client_for(cast.employee).get(url(accounts["reachable"]))

    page = shown(response)
    assert response.status_code == 200
    assert not recovery_shown(page)
    assert "Your access" in page
    assert [a.holder for a in response.context["view"].current_access] == [cast.employee]
    assert str(cast.marketing_agent) not in page.split("<main", 1)[1]


@pytest.mark.parametrize("which", ["others", "past"])
def test_an_account_the_person_has_no_part_in_is_a_404(
    cast: Cast, accounts: dict[str, CompanyAccount], which: str
) -> None:
    assert client_for(cast.employee).get(url(accounts[which])).status_code == 404


def test_an_agent_of_another_queue_sees_no_recovery_in_the_portal_either(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    account = account_make(cast, name="Held by IT agent", owner=cast.other_employee)
    services.access_grant(account=account, actor=cast.manager, holder=cast.it_agent, role=Access.Role.ANALYST)

    response = client_for(cast.it_agent).get(url(account))

    assert response.status_code == 200
    assert not recovery_shown(shown(response))


def test_get_changes_nothing(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    before = registry_state()
    client = client_for(cast.employee)
    client.get(LIST)
    client.get(url(accounts["owned"]))
    assert registry_state() == before


def test_queries_do_not_grow_with_accounts_or_access(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    client = client_for(cast.employee)
    few = queries(client, LIST), queries(client, url(accounts["owned"]))
    for n in range(8):
        more = account_make(cast, owner=cast.employee if n % 2 else cast.other_employee)
        services.access_grant(
            account=more, actor=cast.manager, holder=cast.employee, role=Access.Role.ANALYST
        )
        services.access_grant(
            account=accounts["owned"],
            actor=cast.manager,
            holder=cast.employee,
            role=Access.Role.OTHER,
            role_label=f"Role {n}",
        )

    assert (queries(client, LIST), queries(client, url(accounts["owned"]))) == few
