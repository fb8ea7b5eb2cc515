"""Company accounts through the API: exactly the registry's rules, recovery details included."""

from __future__ import annotations

import pytest

from social import services
from social.models import Access, CompanyAccount

from ..conftest import Cast, person
from ..social.scene import RECOVERY_EMAIL, account_make, registry_state
from .conftest import ApiClient, api_as
from .test_queries import queries

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounts/"


def ids(response: object) -> set[int]:
    return {row["id"] for row in response.json()["results"]}  # type: ignore[attr-defined]


def test_staff_read_the_whole_registry_employees_their_own(cast: Cast) -> None:
    mine = account_make(cast)
    theirs = account_make(cast, owner=cast.other_employee)
    assert ids(api_as(cast.it_agent).get(ACCOUNTS)) == {mine.pk, theirs.pk}
    assert ids(api_as(cast.employee).get(ACCOUNTS)) == {mine.pk}
    assert ids(api_as(cast.other_employee).get(ACCOUNTS)) == {theirs.pk}


def test_an_employee_with_a_role_sees_that_account(cast: Cast) -> None:
    account = account_make(cast, owner=cast.other_employee)
    services.access_grant(
        account=account, actor=cast.marketing_agent, holder=cast.employee, role=Access.Role.EDITOR
    )
    assert ids(api_as(cast.employee).get(ACCOUNTS)) == {account.pk}
    body = api_as(cast.employee).get(f"{ACCOUNTS}{account.pk}/").json()
    assert [row["holder"]["id"] for row in body["access"]] == [cast.employee.pk]
    assert body["recovery"] is None


@pytest.mark.parametrize(
    ("who", "shown"),
    [("employee", True), ("marketing_agent", True), ("manager", True), ("it_agent", False)],
)
def test_recovery_details_only_for_owner_and_owning_staff(cast: Cast, who: str, shown: bool) -> None:
    account = account_make(cast)  # owned by the employee, looked after by Marketing
    body = api_as(getattr(cast, who)).get(f"{ACCOUNTS}{account.pk}/").json()
    assert (body["recovery"] is not None) == shown
    assert (RECOVERY_EMAIL in str(body)) == shown
    listed = api_as(getattr(cast, who)).get(ACCOUNTS).json()
    assert RECOVERY_EMAIL not in str(listed)


def test_an_outsider_gets_404_for_an_account(cast: Cast) -> None:
    account = account_make(cast)
    assert api_as(cast.other_employee).get(f"{ACCOUNTS}{account.pk}/").status_code == 404
    assert api_as(cast.manager).get(f"{ACCOUNTS}999999/").status_code == 404
    assert ApiClient().get(ACCOUNTS).status_code == 401


def test_account_filters_are_allowlisted(cast: Cast) -> None:
    account = account_make(cast)
    account_make(cast, queue=cast.it)
    client = api_as(cast.manager)
    assert ids(client.get(ACCOUNTS, {"queue": cast.marketing.pk})) == {account.pk}
    assert ids(client.get(ACCOUNTS, {"q": account.handle})) == {account.pk}
    for params in ({"owner__email": "x"}, {"status": "gone"}, {"queue": "it"}):
        response = client.get(ACCOUNTS, params)
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == set(params)


def test_reading_accounts_changes_nothing_and_writing_is_not_offered(cast: Cast) -> None:
    account = account_make(cast)
    before = registry_state()
    client = api_as(cast.manager)
    client.get(ACCOUNTS)
    client.get(f"{ACCOUNTS}{account.pk}/")
    assert client.post(ACCOUNTS, {"name": "x"}).status_code == 405
    assert client.patch(f"{ACCOUNTS}{account.pk}/", {"status": "retired"}).status_code == 405
    assert registry_state() == before
    assert CompanyAccount.objects.get().status == CompanyAccount.Status.ACTIVE


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_the_account_list_costs_the_same_for_2_and_20_accounts(cast: Cast, who: str) -> None:
    client = api_as(getattr(cast, who))
    for _ in range(2):
        account_make(cast)
    few = queries(client, f"{ACCOUNTS}?page_size=100")
    for number in range(18):
        account_make(cast, deputy=person(f"deputy.{number}@example.com", "employee"))
    assert queries(client, f"{ACCOUNTS}?page_size=100") == few
