"""Access reviews: keep or revoke each, warnings about admins, the review recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from social import services
from social.models import Access, AccountEvent, CompanyAccount
from social.reviews import access_review_complete, review_page

from ..conftest import Cast
from .scene import account_make

pytestmark = pytest.mark.django_db


def test_fewer_than_two_full_admins_is_warned(cast: Cast) -> None:
    account = account_make(cast)
    services.access_grant(
        account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.ADMIN
    )

    page = review_page(account)

    assert page.admin_count == 1
    assert any("Only 1 full admin" in warning for warning in page.warnings)


def test_more_than_ten_full_admins_is_warned(cast: Cast) -> None:
    from ..conftest import person

    account = account_make(cast)
    for number in range(11):
        holder = person(f"admin{number}@example.com", "employee")
        services.access_grant(account=account, actor=cast.manager, holder=holder, role=Access.Role.ADMIN)

    assert any("11 full admins" in warning for warning in review_page(account).warnings)


def test_completing_keeps_some_revokes_others_and_records_it(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee, queue=cast.marketing)
    keep = services.access_grant(
        account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR
    )
    drop = services.access_grant(
        account=account, actor=cast.manager, holder=cast.it_agent, role=Access.Role.ANALYST
    )

    done = access_review_complete(
        account=account, actor=cast.employee, revoke=[drop.pk], note="Left the team"
    )

    drop.refresh_from_db()
    keep.refresh_from_db()
    assert drop.revocation_pending and drop.revocation_ticket.queue == cast.marketing  # type: ignore[union-attr]
    assert not keep.revocation_pending
    assert done.last_reviewed_at is not None
    assert done.review_due_at is not None and done.review_due_at > timezone.now()
    event = AccountEvent.objects.filter(account=account, kind=AccountEvent.Kind.REVIEWED).get()
    assert "kept 1, revoking 1" in event.summary and event.reason == "Left the team"


def test_revoking_needs_a_note(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee)
    drop = services.access_grant(
        account=account, actor=cast.manager, holder=cast.it_agent, role=Access.Role.ANALYST
    )

    with pytest.raises(ValidationError):
        access_review_complete(account=account, actor=cast.employee, revoke=[drop.pk])

    account.refresh_from_db()
    assert account.last_reviewed_at is None


def test_only_the_owner_deputy_and_owning_queue_review(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee, queue=cast.marketing)

    for outsider in (cast.other_employee, cast.it_agent):
        with pytest.raises(PermissionDenied):
            access_review_complete(account=account, actor=outsider, revoke=[])
    access_review_complete(account=account, actor=cast.marketing_agent, revoke=[])


def test_forged_access_ids_are_refused(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee)
    other = account_make(cast, owner=cast.employee)
    theirs = services.access_grant(
        account=other, actor=cast.manager, holder=cast.it_agent, role=Access.Role.ANALYST
    )

    with pytest.raises(ValidationError, match="changed meanwhile"):
        access_review_complete(account=account, actor=cast.employee, revoke=[theirs.pk], note="x")
    assert CompanyAccount.objects.get(pk=account.pk).last_reviewed_at is None
