"""A hacked X account, reported the way the portal reports it."""

from __future__ import annotations

from checklists.reference_data import checklists_load
from social.incidents import account_report_hacked
from social.models import CompanyAccount
from tickets.models import Ticket

from ..conftest import Cast, platform
from ..social.scene import account_make


def x_account(cast: Cast, **fields: object) -> CompanyAccount:
    values: dict[str, object] = {
        "platform": platform("twitter-x"),
        "name": "Acme on X",
        "handle": "@acme",
        "queue": cast.marketing,
        "owner": cast.employee,
        "deputy": cast.other_employee,
    }
    values.update(fields)
    return account_make(cast, **values)


def report(cast: Cast, account: CompanyAccount | None, **extra: object) -> Ticket:
    checklists_load()
    values: dict[str, object] = {"signs": ["strange_posts", "unasked_reset"]}
    values.update(extra)
    return account_report_hacked(
        reporter=cast.other_employee,
        platform=account.platform if account else platform("twitter-x"),
        account=account,
        **values,  # type: ignore[arg-type]
    )
