"""Accounts made the way the desk makes them: through the services."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from social import services
from social.models import Access, AccountEvent, CompanyAccount, ConnectedApp

from ..conftest import Cast, platform

# Markers that must never reach a page for someone not allowed to see recovery details.
RECOVERY_EMAIL = "recovery-box@example.com"
RECOVERY_PHONE = "+33 6 99 88 77 66"
VAULT = "vault: Social/Hidden-Shelf"

_counter = 0


def account_make(cast: Cast, *, actor: User | None = None, **fields: Any) -> CompanyAccount:
    """A Marketing-owned LinkedIn page owned by the employee, with recovery details filled in."""
    global _counter
    _counter += 1
    values: dict[str, Any] = {
        "platform": platform("linkedin"),
        "name": f"Company page {_counter}",
        "queue": cast.marketing,
        "owner": cast.employee,
        "handle": f"acme-{_counter}",
        "second_factor": CompanyAccount.SecondFactor.APP,
        "second_factor_holder": cast.marketing_agent,
        "recovery_email": RECOVERY_EMAIL,
        "recovery_email_holder": cast.marketing_agent,
        "recovery_phone": RECOVERY_PHONE,
        "recovery_phone_holder": cast.marketing_agent,
        "credentials_location": VAULT,
    }
    values.update(fields)
    return services.account_create(
        actor=actor or cast.manager,
        platform=values.pop("platform"),
        name=values.pop("name"),
        queue=values.pop("queue"),
        owner=values.pop("owner"),
        **values,
    )


def registry_state() -> tuple[object, ...]:
    """Everything a request could have changed in the registry, to prove that one changed nothing."""
    return (
        list(
            CompanyAccount.objects.order_by("pk").values_list(
                "pk", "name", "status", "owner_id", "updated_at"
            )
        ),
        list(Access.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(ConnectedApp.objects.order_by("pk").values_list("pk", "removed_at")),
        AccountEvent.objects.count(),
    )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def recovery_shown(html: str) -> bool:
    return any(marker in html for marker in (RECOVERY_EMAIL, RECOVERY_PHONE, VAULT))
