"""A post reviewed before it goes out, in a real Chromium.

An employee drafts a post for the company's X account on its own form and watches the count
pass the limit; Communications asks for changes; the author revises on the same ticket and sees
the word diff; a second reviewer works the checklist and approves; the account's owner is told.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import Kind, Notification
from posts.models import ContentReview, Decision
from posts.reference_data import ITEMS, review_checklist_load

from ..conftest import Cast, person
from ..posts.scene import page as account_page
from .conftest import PageFactory, assert_fields_labelled, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser

FIRST = "We are hiring engineers in Lyon. Join a team that ships every week. #hiring"
PHONE = {"width": 390, "height": 844}
SECOND = "We are hiring engineers in our Lyon office. Join a team that ships every week. #Hiring"


def test_changes_requested_revised_then_approved_by_a_second_reviewer(
    cast: Cast, new_page: PageFactory
) -> None:
    review_checklist_load()
    account = account_page(cast, "twitter-x", name="Acme on X", handle="@acme")
    second = person("rita.reviewer@example.com", User.Role.AGENT, "Communications")
    cast.communications.members.add(second)

    author = new_page()
    log_in(author, cast.employee)
    author.get_by_role("link", name="Review a post").click()
    expect(author.get_by_role("heading", name="Review a post before it goes out")).to_be_visible()
    author.get_by_label("Post on").select_option(label="Acme on X (@acme) — Twitter/X")
    draft = author.get_by_label("Draft")
    draft.fill("x" * 290)
    count = author.locator("#draft-count")
    expect(count).to_have_text("290 of 280 characters: cut 10.")
    expect(count).to_have_class(re.compile("text-danger"))
    draft.fill(FIRST)
    expect(count).to_have_text(f"{len(FIRST)} of 280 characters.")
    publish_at = timezone.localtime(timezone.now() + timedelta(days=2))
    author.get_by_label("Publish at").fill(publish_at.strftime("%Y-%m-%dT%H:%M"))
    author.get_by_label("Links in the post").fill("https://example.com/jobs")
    author.get_by_label("Context").fill("For the Lyon job fair on Thursday.")
    assert_fields_labelled(author)
    screenshot(author, "post-review-form")
    author.get_by_role("button", name="Ask for review").click()
    expect(author.locator("#messages")).to_contain_text("Communications reviews")
    review = ContentReview.objects.get()
    assert review.ticket.queue == cast.communications

    reviewer = new_page()
    log_in(reviewer, cast.comms_agent)
    reviewer.goto(review.ticket.get_desk_url())
    panel = reviewer.locator("#post-review")
    expect(panel).to_contain_text(FIRST)
    panel.get_by_label("Request changes").check()
    panel.get_by_role("button", name="Record decision").click()
    expect(reviewer.get_by_text("Say what must change")).to_be_visible()
    panel = reviewer.locator("#post-review")
    panel.get_by_label("Request changes").check()
    panel.get_by_label("Comment").fill("Name the office, and CamelCase the hashtag.")
    panel.get_by_role("button", name="Record decision").click()
    expect(reviewer.locator("#messages")).to_contain_text("Changes requested")

    author.reload()
    expect(author.locator("#post-review")).to_contain_text("Name the office, and CamelCase the hashtag.")
    author.get_by_label("Next version").fill(SECOND)
    expect(author.locator("#draft-count")).to_have_text(f"{len(SECOND)} of 280 characters.")
    author.get_by_role("button", name="Submit version 2").click()
    expect(author.locator("#messages")).to_contain_text("Version 2 is with the reviewers")
    expect(author.locator("#post-review ins").first).to_be_visible()
    expect(author.locator("#post-review del", has_text=re.compile(r"^hiring$"))).to_be_visible()
    expect(author.locator("#post-review ins", has_text=re.compile(r"^Hiring$"))).to_be_visible()
    screenshot(author, "post-review-portal-panel")

    approver = new_page()
    log_in(approver, second)
    approver.goto(review.ticket.get_desk_url())
    for text, _how in ITEMS:
        approver.get_by_role("button", name=f"Done: “{text}”").click()
        expect(approver.get_by_role("button", name=f"Undo “{text}”")).to_be_visible()
    screenshot(approver, "post-review-desk-panel")
    approver.locator("#post-review").get_by_label("Approve", exact=True).check()
    approver.locator("#post-review").get_by_role("button", name="Record decision").click()
    expect(approver.locator("#messages")).to_contain_text("Approved")
    expect(approver.locator("#post-review")).to_contain_text("Approved by Rita Reviewer")

    decision = Decision.objects.get(verdict="approve")
    assert (decision.reviewer, decision.draft.number) == (second, 2)
    told = Notification.objects.filter(kind=Kind.ACCOUNT_NOTICE, recipient=account.owner)
    assert [row.context["title"] for row in told] == [
        f"A post for Acme on X was approved ({review.ticket.reference})"
    ]

    for viewport_page, path in (
        (author, review.ticket.get_absolute_url()),
        (approver, review.ticket.get_desk_url()),
    ):
        small = new_page(PHONE)
        log_in(small, cast.employee if viewport_page is author else second)
        small.goto(path)
        assert_no_horizontal_scroll(small)
        screenshot(small, "post-review-portal-panel" if viewport_page is author else "post-review-desk-panel")
    form = new_page(PHONE)
    log_in(form, cast.employee)
    form.goto("/requests/posts/new/")
    form.get_by_label("Post on").select_option(label="Acme on X (@acme) — Twitter/X")
    form.get_by_label("Draft").fill(FIRST)
    assert_no_horizontal_scroll(form)
    screenshot(form, "post-review-form")
