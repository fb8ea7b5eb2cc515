"""The company-accounts registry beside the tickets: its list and an account's page.

Registered in bench/measure.py as the cases `registry_list` (a manager's `GET /desk/accounts/`,
sorted by name, first page), `registry_list_filtered` (review overdue, no second factor) and
`registry_account` (`GET /desk/accounts/<id>/` for the account with the most access rows and
history). The data set gets 2,000 accounts and 20,000 access rows the first time (a quarter
of them revoked), with an account event per change, written in bulk and kept like any other
generated rows. Targets: p95 under 60 ms, queries constant (the same count at any size).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

ACCOUNTS = 2_000
ACCESSES = 20_000
NAME_PREFIX = "Bench account"


def registry_ensure(accounts: int = ACCOUNTS, accesses: int = ACCESSES) -> int:
    """At least `accounts` accounts and `accesses` access rows; returns how many accounts were added."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from social.models import Access, AccountEvent, CompanyAccount
    from tickets.models import Platform, Queue

    have = CompanyAccount.objects.filter(name__startswith=NAME_PREFIX).count()
    if have >= accounts:
        return 0
    platforms = list(Platform.objects.order_by("pk"))
    queues = list(Queue.objects.order_by("pk"))
    people = list(User.objects.filter(is_active=True, role=User.Role.EMPLOYEE).order_by("pk")[:500])
    staff = User.objects.filter(role=User.Role.MANAGER).order_by("pk").first()
    assert people and staff is not None, "generate the tickets' data set first (bench.generate)"
    now = timezone.now()
    factors = [choice for choice, _ in CompanyAccount.SecondFactor.choices]
    made: list[CompanyAccount] = []
    with transaction.atomic():
        for number in range(have, accounts):
            owner = people[number % len(people)]
            deputy = people[(number + 7) % len(people)]
            made.append(
                CompanyAccount(
                    platform=platforms[number % len(platforms)],
                    name=f"{NAME_PREFIX} {number:05d}",
                    handle=f"@bench{number:05d}",
                    queue=queues[number % len(queues)],
                    owner=owner,
                    deputy=deputy if deputy.pk != owner.pk else None,
                    second_factor=factors[number % len(factors)],
                    review_due_at=now + timedelta(days=(number % 180) - 60),
                    review_notice_at=now + timedelta(days=(number % 180) - 60),
                    created_at=now,
                    updated_at=now,
                )
            )
        made = CompanyAccount.objects.bulk_create(made, batch_size=1000)
        per_account = max(accesses // accounts, 1)
        roles = [Access.Role.ADMIN, Access.Role.EDITOR, Access.Role.MODERATOR, Access.Role.ANALYST]
        rows: list[Access] = []
        events: list[AccountEvent] = []
        for index, account in enumerate(made):
            for slot in range(per_account):
                revoked = slot % 4 == 3
                rows.append(
                    Access(
                        account=account,
                        holder=people[(index * per_account + slot) % len(people)],
                        role=roles[slot % len(roles)],
                        granted_at=now - timedelta(days=slot + 1),
                        granted_by=staff,
                        revoked_at=now if revoked else None,
                        revoked_by=staff if revoked else None,
                        revoke_reason="Left the team" if revoked else "",
                    )
                )
            events.append(
                AccountEvent(
                    account=account,
                    actor=staff,
                    kind=AccountEvent.Kind.CREATED,
                    summary=f"{staff} registered {account.name}",
                    changes={"subject": None, "fields": []},
                    created_at=now,
                )
            )
        Access.objects.bulk_create(rows, batch_size=2000)
        AccountEvent.objects.bulk_create(events, batch_size=2000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE social_companyaccount")
                cursor.execute("ANALYZE social_access")
    return len(made)


def registry_cases() -> list[Any]:
    from django.db.models import Count

    from accounts.models import User
    from bench.generator.people import manager_email
    from bench.measure import Case, client_for, get
    from social.models import CompanyAccount

    registry_ensure()
    manager = client_for(User.objects.get(email=manager_email(0)))
    busiest = (
        CompanyAccount.objects.annotate(rows=Count("accesses"))
        .order_by("-rows", "pk")
        .values_list("pk", flat=True)[0]
    )
    return [
        Case("registry_list", get(manager, "/desk/accounts/"), notes=["target p95 < 60 ms"]),
        Case(
            "registry_list_filtered",
            get(manager, "/desk/accounts/?review_overdue=on&no_second_factor=on"),
            notes=["target p95 < 60 ms"],
        ),
        Case("registry_account", get(manager, f"/desk/accounts/{busiest}/"), notes=["target p95 < 60 ms"]),
    ]
