"""`seed --demo` fills the registry with the demo company's accounts, each showing what it catches."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from social.models import Access, CompanyAccount


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed", "--demo", stdout=StringIO())


def test_the_demo_registry_has_the_five_accounts_and_their_problems(seeded: None) -> None:
    names = set(CompanyAccount.objects.values_list("platform__slug", "name"))

    assert names == {
        ("blog", "Company blog"),
        ("twitter-x", "Main X account"),
        ("facebook", "Careers page"),
        ("linkedin", "Company page"),
        ("twitter-x", "France on X"),
    }
    assert all(a.owner.is_active for a in CompanyAccount.objects.select_related("owner"))
    # Each shows something the registry is there to catch.
    assert list(CompanyAccount.objects.filter(second_factor="none").values_list("name", flat=True)) == [
        "Careers page"
    ]
    overdue = CompanyAccount.objects.filter(review_due_at__lte=timezone.now())
    assert list(overdue.values_list("name", flat=True)) == ["Company page"]
    leavers = Access.objects.filter(revoked_at__isnull=True, holder__is_active=False)
    assert [(a.account.name, a.holder.full_name) for a in leavers] == [("France on X", "Liam Walsh")]


def test_seeding_twice_adds_nothing(seeded: None) -> None:
    counts = (CompanyAccount.objects.count(), Access.objects.count())

    call_command("seed", "--demo", stdout=StringIO())

    assert (CompanyAccount.objects.count(), Access.objects.count()) == counts
