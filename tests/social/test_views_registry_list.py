"""The desk's registry list: every desk user reads it, filtered, searched and paged; its queries stay flat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import User
from social import services
from social.models import Access, CompanyAccount

from ..conftest import Cast, client_for, platform
from ..tickets.pages import IMG, SCRIPT, pager_link, raw, shown
from .scene import account_make, queries, recovery_shown

LIST = "/desk/accounts/"


def listed(user: User, **params: object) -> list[str]:
    response = client_for(user).get(LIST, params)
    assert response.status_code == 200
    return [a.name for a in response.context["page"].rows]


def test_anonymous_people_are_sent_to_log_in(cast: Cast) -> None:
    response = Client().get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_employees_are_refused(cast: Cast) -> None:
    account_make(cast, owner=cast.employee)
    assert client_for(cast.employee).get(LIST).status_code == 403


def test_every_desk_user_reads_the_whole_registry_but_never_its_recovery_details(cast: Cast) -> None:
    account_make(cast, name="Marketing page", queue=cast.marketing)
    account_make(cast, name="IT blog", queue=cast.it, platform=platform("blog"))

    for who in ("it_agent", "marketing_agent", "comms_agent", "manager"):
        assert listed(getattr(cast, who)) == ["IT blog", "Marketing page"]
        assert not recovery_shown(raw(client_for(getattr(cast, who)).get(LIST)))


@pytest.fixture
def spread(cast: Cast) -> dict[str, CompanyAccount]:
    made = {
        "blog": account_make(cast, name="Company blog", platform=platform("blog"), queue=cast.it),
        "x": account_make(
            cast, name="Main X", handle="@acme", platform=platform("twitter-x"), owner=cast.other_employee
        ),
        "facebook": account_make(
            cast,
            name="Careers",
            platform=platform("facebook"),
            second_factor="none",
            second_factor_holder=None,
        ),
        "overdue": account_make(cast, name="Old page", last_reviewed_at=timezone.now() - timedelta(days=200)),
        "retired": account_make(cast, name="Retired page", owner=cast.comms_agent),
    }
    services.account_update(account=made["retired"], actor=cast.manager, changes={"status": "retired"})
    User.objects.filter(pk=cast.comms_agent.pk).update(is_active=False)
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"platform": "blog"}, ["Company blog"]),
        ({"queue": "it"}, ["Company blog"]),
        ({"status": "retired"}, ["Retired page"]),
        ({"no_second_factor": "on"}, ["Careers"]),
        ({"review_overdue": "on"}, ["Old page"]),
        ({"no_owner": "on"}, ["Retired page"]),
        ({"q": "@acme"}, ["Main X"]),
        ({"q": "CAREERS"}, ["Careers"]),
        ({"platform": "facebook", "no_second_factor": "on"}, ["Careers"]),
    ],
)
def test_filters_and_search(
    cast: Cast, spread: dict[str, CompanyAccount], params: dict[str, str], expected: list[str]
) -> None:
    assert listed(cast.it_agent, **params) == expected


def test_the_owner_filter(cast: Cast, spread: dict[str, CompanyAccount]) -> None:
    assert listed(cast.manager, owner=cast.other_employee.pk) == ["Main X"]


def test_a_bad_filter_is_ignored_and_said(cast: Cast, spread: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.manager).get(LIST, {"platform": "myspace", "status": "active"})

    assert "were not understood" in shown(response)
    assert len(response.context["page"].rows) == 4


def test_the_list_orders_by_review_due(cast: Cast, spread: dict[str, CompanyAccount]) -> None:
    names = listed(cast.manager, sort="review")
    assert names[0] == "Old page"
    assert names[-1] == "Retired page"  # no review due: last


def test_badges_say_what_needs_attention(cast: Cast, spread: dict[str, CompanyAccount]) -> None:
    page = shown(client_for(cast.manager).get(LIST))
    assert "overdue" in page
    assert "No second factor" in page
    assert "left" in page


def test_the_list_pages_by_cursor(cast: Cast, settings: Settings) -> None:
    settings.DESK_PAGE_SIZE = 2
    for n in range(5):
        account_make(cast, name=f"Page {n}")
    client = client_for(cast.manager)

    first = client.get(LIST)
    second = client.get(LIST + pager_link(first, "after"))
    third = client.get(LIST + pager_link(second, "after"))

    names = [[a.name for a in r.context["page"].rows] for r in (first, second, third)]
    assert names == [["Page 0", "Page 1"], ["Page 2", "Page 3"], ["Page 4"]]
    back = client.get(LIST + pager_link(third, "before"))
    assert [a.name for a in back.context["page"].rows] == ["Page 2", "Page 3"]


def test_htmx_gets_the_results_only(cast: Cast) -> None:
    account_make(cast, name="Fragment page")
    response = client_for(cast.manager).get(LIST, headers={"HX-Request": "true"})

    assert "Fragment page" in shown(response)
    assert "<html" not in raw(response)
    assert "HX-Request" in response["Vary"]


def test_names_are_shown_as_text(cast: Cast) -> None:
    account_make(cast, name=SCRIPT, handle=IMG)
    page = raw(client_for(cast.manager).get(LIST))
    assert SCRIPT not in page
    assert IMG not in page


def test_queries_do_not_grow_with_accounts(cast: Cast, settings: Settings) -> None:
    settings.DESK_PAGE_SIZE = 50
    account_make(cast)
    client = client_for(cast.it_agent)
    few = queries(client, LIST), queries(client, LIST + "?no_second_factor=on&q=page")
    for n in range(15):
        account = account_make(cast, queue=cast.it if n % 2 else cast.marketing, owner=cast.other_employee)
        for holder in (cast.employee, cast.marketing_agent):
            services.access_grant(account=account, actor=cast.manager, holder=holder, role=Access.Role.EDITOR)

    many = queries(client, LIST), queries(client, LIST + "?no_second_factor=on&q=page")

    assert many == few
