"""The dashboard's accounts section: each count, and the page its link opens shows exactly those rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import user_deactivate
from approvals.models import Approval
from social import access_requests
from social.dashboard import accounts_section
from social.models import Access, CompanyAccount

from ..conftest import Cast, client_for, person
from ..factories import file_ticket
from ..tickets.pages import shown
from .scene import account_make

pytestmark = pytest.mark.django_db


def test_each_count_links_to_what_it_counts(cast: Cast) -> None:
    none = account_make(cast, name="No factor page", second_factor="none", second_factor_holder=None)
    leaver = person("lee.leaver@example.com", "employee")
    ownerless = account_make(cast, name="Ownerless page", owner=leaver)
    user_deactivate(user=leaver)
    overdue = account_make(cast, name="Overdue page", last_reviewed_at=timezone.now() - timedelta(days=400))
    account_make(cast, name="Fine page")
    access_requests.access_request_open(
        requester=cast.other_employee, account=none, role=Access.Role.EDITOR, reason="Posts"
    )
    hacked = file_ticket(cast.employee, problem="compromised-account", subject="Our X account posts spam")
    file_ticket(cast.employee, subject="Something else")

    section = accounts_section(
        user=cast.manager, start=timezone.now() - timedelta(days=1), end=timezone.now() + timedelta(days=1)
    )

    counts = {figure.label: figure.count for figure in section.figures}
    assert counts == {
        "without a second factor": 1,
        "without an owner": 1,
        "access review overdue": 1,
        "access requests waiting": 1,
    }
    assert section.incident_count == 1 and section.incidents[0].ticket == hacked
    client = client_for(cast.manager)
    pages = {figure.label: shown(client.get(figure.url)) for figure in section.figures}
    assert (
        none.name in pages["without a second factor"] and "Fine page" not in pages["without a second factor"]
    )
    assert ownerless.name in pages["without an owner"] and none.name not in pages["without an owner"]
    assert (
        overdue.name in pages["access review overdue"] and "Fine page" not in pages["access review overdue"]
    )
    assert f"access to {none.name}" in pages["access requests waiting"]
    assert "1 approval" in pages["access requests waiting"]
    incidents = shown(client.get(section.incidents_url))
    assert hacked.subject in incidents and "Something else" not in incidents


def test_the_dashboard_shows_the_section(cast: Cast) -> None:
    page = shown(client_for(cast.manager).get("/admin/reports/"))

    assert "Company accounts" in page and "without a second factor" in page
    assert "No hacked accounts reported in this range." in page
    assert Approval.objects.count() == 0 and CompanyAccount.objects.count() == 0
