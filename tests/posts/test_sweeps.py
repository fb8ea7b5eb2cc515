from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from posts.models import ContentReview
from posts.services import review_decide
from posts.sweeps import reviews_expire
from tickets.models import Event

from ..conftest import Cast
from .scene import file_review, soon

pytestmark = pytest.mark.django_db


def test_an_unapproved_draft_expires_at_its_publish_time_and_the_author_is_told(cast: Cast) -> None:
    waiting = file_review(cast, publish_at=soon(hours=3))
    changes = file_review(cast, publish_at=soon(hours=3))
    review_decide(review=changes, actor=cast.comms_agent, verdict="changes", comment="Shorter.")
    later = file_review(cast, publish_at=soon(hours=30))
    assert reviews_expire(now=soon(hours=2)) == 0
    assert reviews_expire(now=soon(hours=4)) == 2
    states = dict(ContentReview.objects.values_list("pk", "state"))
    assert states == {waiting.pk: "expired", changes.pk: "expired", later.pk: "pending"}
    told = Notification.objects.filter(
        recipient=cast.employee, context__title__icontains="not approved in time"
    )
    assert told.count() == 2
    assert Event.objects.filter(kind=Event.Kind.CONTENT_REVIEW, payload__action="expired").count() == 2
    assert reviews_expire(now=soon(hours=4)) == 0


def test_the_sweep_costs_the_same_however_many_drafts_are_not_due(cast: Cast) -> None:
    def expire_two() -> int:
        for _ in range(2):
            file_review(cast, publish_at=soon(hours=3))
        with CaptureQueriesContext(connection) as queries:
            assert reviews_expire(now=soon(hours=4)) == 2
        return len(queries)

    alone = expire_two()
    for _ in range(5):
        file_review(cast, publish_at=soon(hours=30))
    assert expire_two() == alone
