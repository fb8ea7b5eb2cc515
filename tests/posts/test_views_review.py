from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from posts.models import ContentReview, Decision, Draft
from posts.reference_data import review_checklist_load
from tickets.models import Ticket

from ..conftest import Cast, client_for
from .scene import TEXT, file_review, page

pytestmark = pytest.mark.django_db


def local(moment: timezone.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(account_pk: int, **extra: str) -> dict[str, str]:
    data = {
        "account": str(account_pk),
        "text": TEXT,
        "links": "https://example.com/jobs",
        "publish_at": local(timezone.now() + timedelta(days=2)),
        "context": "For the Lyon job fair.",
    }
    data.update(extra)
    return data


def test_employee_files_a_review_and_lands_on_the_ticket_with_the_post(cast: Cast) -> None:
    review_checklist_load()
    account = page(cast)
    client = client_for(cast.employee)
    form = client.get(reverse("posts:new"))
    assert b'data-limit="3000"' in form.content
    assert b"post-draft.js" in form.content
    answer = client.post(reverse("posts:new"), form_data(account.pk))
    review = ContentReview.objects.get()
    assert answer.status_code == 302 and answer.url == review.ticket.get_absolute_url()
    detail = client.get(answer.url)
    assert b"Post for" in detail.content and b"Revise the post" in detail.content


def test_over_limit_draft_is_refused_with_the_text_kept(cast: Cast) -> None:
    account = page(cast, "twitter-x")
    long = "Long post " * 40
    answer = client_for(cast.employee).post(reverse("posts:new"), form_data(account.pk, text=long))
    assert answer.status_code == 200
    assert "Twitter/X allows 280 characters; this draft has 400" in answer.content.decode()
    assert long.strip() in answer.content.decode()
    assert not Ticket.objects.exists()


def test_an_image_needs_alt_text(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("team.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    answer = client_for(cast.employee).post(
        reverse("posts:new"), {**form_data(page(cast).pk), "image_1": image}
    )
    assert "Describe this image for people who can&#x27;t see it." in answer.content.decode()
    assert not Ticket.objects.exists()


def test_reviewer_decides_on_the_desk_and_a_refusal_without_comment_keeps_nothing(cast: Cast) -> None:
    review = file_review(cast)
    client = client_for(cast.comms_agent)
    desk = client.get(review.ticket.get_desk_url())
    assert b"Record decision" in desk.content and b"Brand voice" in desk.content
    url = reverse("posts:decide", args=[review.ticket_id])
    refused = client.post(url, {"verdict": "reject", "comment": ""})
    assert refused.status_code == 200 and b"the author reads it" in refused.content
    assert not Decision.objects.exists()
    done = client.post(url, {"verdict": "changes", "comment": "Name the office."})
    assert done.status_code == 302
    assert ContentReview.objects.get().state == ContentReview.State.CHANGES


def test_author_revises_and_the_page_shows_the_word_diff(cast: Cast) -> None:
    review = file_review(cast)
    client = client_for(cast.employee)
    revised = TEXT.replace("in Lyon.", "in our Lyon office.")
    answer = client.post(reverse("posts:revise", args=[review.ticket_id]), {"text": revised, "links": ""})
    assert answer.status_code == 302
    body = client.get(review.ticket.get_absolute_url()).content.decode()
    assert "<ins>our </ins>" in body or "<ins>our</ins>" in body
    assert "<ins> office</ins>" in body or "<ins>office</ins>" in body
    assert Draft.objects.count() == 2


@pytest.mark.parametrize("who", ["anonymous", "other_employee", "it_agent", "marketing_agent"])
def test_outsiders_cannot_decide_or_revise(cast: Cast, who: str) -> None:
    review = file_review(cast)
    client = Client() if who == "anonymous" else client_for(getattr(cast, who))
    decide = client.post(reverse("posts:decide", args=[review.ticket_id]), {"verdict": "approve"})
    revise = client.post(reverse("posts:revise", args=[review.ticket_id]), {"text": "Mine"})
    if who == "anonymous":
        assert decide.status_code == 302 and revise.status_code == 302
    else:
        assert decide.status_code in (403, 404) and revise.status_code == 404
    assert not Decision.objects.exists() and Draft.objects.count() == 1


def test_forged_ids_are_404_and_get_changes_nothing(cast: Cast) -> None:
    review = file_review(cast)
    agent = client_for(cast.comms_agent)
    assert (
        agent.post(reverse("posts:decide", args=[review.ticket_id + 999]), {"verdict": "approve"}).status_code
        == 404
    )
    assert agent.get(reverse("posts:decide", args=[review.ticket_id])).status_code == 405
    author = client_for(cast.employee)
    assert author.get(reverse("posts:revise", args=[review.ticket_id])).status_code == 405
    assert (
        author.post(reverse("posts:revise", args=[review.ticket_id + 999]), {"text": "x"}).status_code == 404
    )
    assert not Decision.objects.exists() and Draft.objects.count() == 1


def test_a_ticket_without_a_post_is_404(cast: Cast) -> None:
    from tickets.services import ticket_file

    from ..conftest import platform, problem

    ticket = ticket_file(
        requester=cast.employee,
        platform=platform("blog"),
        problem_type=problem("policy-etiquette"),
        subject="May I?",
        description="Post about work?",
    )
    client = client_for(cast.employee)
    assert client.post(reverse("posts:revise", args=[ticket.pk]), {"text": "x"}).status_code == 404


def test_csrf_holds(cast: Cast) -> None:
    review = file_review(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.employee)
    answer = client.post(reverse("posts:revise", args=[review.ticket_id]), {"text": "Changed"})
    assert answer.status_code == 403
    assert Draft.objects.count() == 1


def test_the_panel_costs_the_same_with_more_versions_and_decisions(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from posts.services import draft_revise, review_decide

    review = file_review(cast)
    review_decide(review=review, actor=cast.comms_agent, verdict="changes", comment="Round one")
    draft_revise(review=review, actor=cast.employee, text=f"{TEXT} again")
    client = client_for(cast.comms_agent)
    url = review.ticket.get_desk_url()
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for number in range(3):
        review_decide(review=review, actor=cast.comms_agent, verdict="changes", comment=f"Round {number}")
        draft_revise(review=review, actor=cast.employee, text=f"{TEXT} {number}")
    with CaptureQueriesContext(connection) as five:
        body = client.get(url).content.decode()
    assert "Version 5" in body and "Round 2" in body
    # The history grows by a row per change and reads them in one query; the panel adds nothing per version.
    assert len(five) == len(two)
