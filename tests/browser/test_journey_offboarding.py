"""Journey (3) in a real Chromium: an administrator deactivates a leaver in the admin, and every
account the leaver can reach gets its revoke ticket, for the queue that looks after it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from social import services
from social.models import Access
from tickets.models import Ticket

from ..conftest import Cast, platform
from ..social.scene import account_make
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_deactivating_a_leaver_opens_one_revoke_ticket_per_account(cast: Cast, page: Page) -> None:
    leaver = cast.other_employee
    linkedin = account_make(cast, name="LinkedIn page", queue=cast.marketing, owner=cast.employee)
    x_account = account_make(
        cast,
        name="Main X account",
        platform=platform("twitter-x"),
        queue=cast.communications,
        owner=leaver,
        deputy=cast.comms_agent,
    )
    for account, role in (
        (linkedin, Access.Role.EDITOR),
        (linkedin, Access.Role.ANALYST),
        (x_account, Access.Role.ADMIN),
    ):
        services.access_grant(account=account, actor=cast.manager, holder=leaver, role=role)

    log_in(page, cast.admin)
    page.goto(f"/admin/accounts/user/{leaver.pk}/change/")
    page.get_by_label("Active").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    tickets = {ticket.account_id: ticket for ticket in Ticket.objects.filter(subject__startswith="Remove")}
    assert set(tickets) == {linkedin.pk, x_account.pk}
    assert tickets[linkedin.pk].queue == cast.marketing and tickets[x_account.pk].queue == cast.communications
    x_account.refresh_from_db()
    assert x_account.owner == cast.comms_agent

    page.goto(linkedin.get_desk_url())
    expect(page.locator(".access-list").get_by_text("revocation pending")).to_have_count(2)
