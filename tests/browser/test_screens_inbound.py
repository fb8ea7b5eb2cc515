"""The ticket page's mail for staff, and the admin's held messages, at desktop and phone width,
into test-results/screens/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inbound.models import Mailbox
from inbound.services import message_receive

from ..conftest import Cast
from ..inbound.conftest import corpus
from .conftest import DESKTOP, PHONE, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def mailed_ticket(cast: Cast) -> int:
    mailbox = Mailbox.objects.create(
        address="it@socialit.example", slug="it", queue=cast.it, delivery=Mailbox.Delivery.PIPE
    )
    filed = message_receive(mailbox=mailbox, raw=corpus("plain_new.eml"))
    assert filed.ticket is not None
    for name in ("apple_mail_reply.eml", "outlook_reply.eml"):
        message_receive(mailbox=mailbox, raw=corpus(name, ticket_id=filed.ticket.pk))
    message_receive(mailbox=mailbox, raw=corpus("unknown_sender.eml"))
    message_receive(mailbox=mailbox, raw=corpus("forged_token_reply.eml", ticket_id=filed.ticket.pk))
    return filed.ticket.pk


def test_the_ticket_pages_mail_with_its_quoted_text(cast: Cast, mailed_ticket: int, page: Page) -> None:
    log_in(page, cast.it_agent)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(reverse("desk:ticket", args=[mailed_ticket]))
        mail = page.get_by_role("region", name="Email")
        expect(mail).to_contain_text("Download the .eml")
        mail.get_by_text("Show quoted text").first.click()
        expect(mail).to_contain_text("Please try the new password.")
        assert_no_horizontal_scroll(page)
        mail.scroll_into_view_if_needed()
        screenshot(page, "inbound-ticket-mail")


def test_the_held_messages_in_the_admin(cast: Cast, mailed_ticket: int, page: Page) -> None:
    log_in(page, cast.admin)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(reverse("admin:inbound_failedmessage_changelist"))
        expect(page.locator("#result_list")).to_contain_text("Partnership offer")
        screenshot(page, "inbound-held-messages")
