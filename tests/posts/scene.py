"""A LinkedIn page and a post drafted for it, filed the way the portal files it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from posts.models import ContentReview
from posts.reference_data import review_checklist_load
from posts.services import content_review_file
from social.models import CompanyAccount

from ..conftest import Cast, platform
from ..social.scene import account_make

TEXT = "We are hiring engineers in Lyon. Join a team that ships every week. #Hiring #LyonTech"


def page(cast: Cast, slug: str = "linkedin", **fields: Any) -> CompanyAccount:
    values: dict[str, Any] = {
        "platform": platform(slug),
        "owner": cast.other_employee,
        "queue": cast.marketing,
    }
    values.update(fields)
    return account_make(cast, **values)


def soon(hours: float = 48) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def file_review(cast: Cast, account: CompanyAccount | None = None, **extra: Any) -> ContentReview:
    review_checklist_load()
    values: dict[str, Any] = {"text": TEXT, "publish_at": soon(), "links": "https://example.com/jobs"}
    values.update(extra)
    return content_review_file(requester=cast.employee, account=account or page(cast), **values)
