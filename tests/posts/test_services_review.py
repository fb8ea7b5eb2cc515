from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from checklists.models import Item
from checklists.services import checklist_tick
from notifications.models import Notification
from posts.models import ContentReview, Decision, Draft
from posts.reference_data import review_checklist_load
from posts.services import PUBLISH_MARGIN, content_review_file, draft_revise, review_decide
from tickets.models import Event, Ticket

from ..conftest import Cast, person
from .scene import TEXT, file_review, page, soon

pytestmark = pytest.mark.django_db


def cast_agent(review: ContentReview) -> User:
    return review.ticket.queue.members.order_by("pk").first()


def tick_all(review: ContentReview) -> None:
    for item in Item.objects.filter(checklist__ticket=review.ticket):
        checklist_tick(item=item, actor=cast_agent(review))


def test_filing_routes_to_communications_with_the_checklist_and_version_one(cast: Cast) -> None:
    review = file_review(cast)
    ticket = review.ticket
    assert ticket.queue == cast.communications
    assert ticket.problem_type.slug == "content-review"
    assert [draft.number for draft in review.drafts.all()] == [1]
    assert Item.objects.filter(checklist__ticket=ticket).count() == 7
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.CONTENT_REVIEW).count() == 1


def test_due_time_is_the_publish_time_minus_the_margin_when_sooner(cast: Cast) -> None:
    publish_at = soon(hours=3)
    review = file_review(cast, publish_at=publish_at)
    ticket = Ticket.objects.get(pk=review.ticket_id)
    assert ticket.resolution_due_at == publish_at - PUBLISH_MARGIN
    assert ticket.resolution_warn_at is not None and ticket.resolution_warn_at <= ticket.resolution_due_at


def test_due_time_is_the_policy_target_when_the_publish_time_is_far(cast: Cast) -> None:
    publish_at = soon(hours=24 * 60)
    review = file_review(cast, publish_at=publish_at)
    ticket = Ticket.objects.get(pk=review.ticket_id)
    assert ticket.resolution_due_at is not None
    assert ticket.resolution_due_at < publish_at - PUBLISH_MARGIN


def test_over_the_platform_limit_is_refused_and_nothing_is_filed(cast: Cast) -> None:
    account = page(cast, "twitter-x")
    with pytest.raises(ValidationError) as refused:
        file_review(cast, account, text="x" * 281)
    assert "280 characters; this draft has 281" in str(refused.value)
    assert not Ticket.objects.exists()


def test_a_line_break_counts_once_and_the_blog_has_no_limit(cast: Cast) -> None:
    file_review(cast, page(cast, "twitter-x"), text="a\r\n" * 140)
    file_review(cast, page(cast, "blog"), text="word " * 20_000)
    assert ContentReview.objects.count() == 2


def test_publish_time_must_leave_time_to_review(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="at least an hour"):
        file_review(cast, publish_at=soon(hours=0.5))


def test_changes_and_rejection_need_a_comment(cast: Cast) -> None:
    review = file_review(cast)
    for verdict in (Decision.Verdict.CHANGES, Decision.Verdict.REJECT):
        with pytest.raises(ValidationError, match="the author reads it"):
            review_decide(review=review, actor=cast.comms_agent, verdict=verdict, comment="   ")
    assert not Decision.objects.exists()
    assert ContentReview.objects.get().state == ContentReview.State.PENDING


def test_approval_waits_for_the_checklist(cast: Cast) -> None:
    review = file_review(cast)
    with pytest.raises(ValidationError, match="review checklist"):
        review_decide(review=review, actor=cast.comms_agent, verdict=Decision.Verdict.APPROVE)
    tick_all(review)
    decision = review_decide(review=review, actor=cast.comms_agent, verdict=Decision.Verdict.APPROVE)
    assert (decision.reviewer, decision.draft.number) == (cast.comms_agent, 1)


def test_request_changes_revise_and_a_second_reviewer_approves_and_the_owner_is_told(cast: Cast) -> None:
    review = file_review(cast)
    review_decide(review=review, actor=cast.comms_agent, verdict="changes", comment="Say which office.")
    assert ContentReview.objects.get().state == ContentReview.State.CHANGES
    draft = draft_revise(review=review, actor=cast.employee, text=TEXT.replace("Lyon.", "our Lyon office."))
    assert draft.number == 2
    assert Draft.objects.get(number=1).text == TEXT
    second = person("rita.reviewer@example.com", User.Role.AGENT, "Communications")
    cast.communications.members.add(second)
    tick_all(review)
    decision = review_decide(review=review, actor=second, verdict="approve")
    assert decision.draft == draft
    assert ContentReview.objects.get().state == ContentReview.State.APPROVED
    told = Notification.objects.filter(recipient=cast.other_employee)
    assert any("was approved" in row.context["title"] for row in told)
    with pytest.raises(ValidationError, match="already approved"):
        draft_revise(review=review, actor=cast.employee, text="Another try")


def test_nobody_reviews_their_own_post(cast: Cast) -> None:
    review_checklist_load()
    review = content_review_file(requester=cast.comms_agent, account=page(cast), text=TEXT, publish_at=soon())
    tick_all(review)
    with pytest.raises(PermissionDenied, match="someone else"):
        review_decide(review=review, actor=cast.comms_agent, verdict="approve")


def test_only_the_queue_decides_and_only_the_author_revises(cast: Cast) -> None:
    review = file_review(cast)
    with pytest.raises(PermissionDenied):
        review_decide(review=review, actor=cast.it_agent, verdict="reject", comment="No")
    with pytest.raises(PermissionDenied):
        review_decide(review=review, actor=cast.other_employee, verdict="reject", comment="No")
    with pytest.raises(PermissionDenied):
        draft_revise(review=review, actor=cast.comms_agent, text="Mine now")
    assert review.drafts.count() == 1


def test_over_limit_revision_is_refused_and_keeps_the_versions(cast: Cast) -> None:
    review = file_review(cast, page(cast, "twitter-x"), text="short")
    with pytest.raises(ValidationError, match="Cut 1 character"):
        draft_revise(review=review, actor=cast.employee, text="y" * 281)
    assert list(review.drafts.values_list("text", flat=True)) == ["short"]


def test_the_publish_time_still_bounds_the_due_time_after_a_priority_change(cast: Cast) -> None:
    from tickets.services import ticket_set_priority

    publish_at = soon(hours=3)
    review = file_review(cast, publish_at=publish_at)
    ticket_set_priority(ticket=review.ticket, priority=Ticket.Priority.LOW, actor=cast.comms_agent)
    assert Ticket.objects.get(pk=review.ticket_id).resolution_due_at == publish_at - PUBLISH_MARGIN
