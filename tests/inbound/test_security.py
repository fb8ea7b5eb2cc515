"""What mail must never do: run script in the desk, post as someone else, or write our headers."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.urls import reverse

from inbound.models import AutoReply, InboundMessage, Mailbox
from inbound.services import message_receive
from notifications.emails import build, header_check
from notifications.models import Notification
from tests.conftest import Cast, client_for
from tests.factories import file_ticket
from tickets.models import Comment, Ticket

from .conftest import corpus

Status = InboundMessage.Status


def test_an_html_body_with_script_is_never_rendered_on_the_ticket_page(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    message = message_receive(mailbox=it_mailbox, raw=corpus("html_script_attachment.eml"))
    assert message.ticket is not None

    page = client_for(cast.it_agent).get(reverse("desk:ticket", args=[message.ticket.pk])).content.decode()

    assert "The blog page has this in it." in page
    assert "document.cookie" not in page
    assert "alert(" not in page
    assert "onerror" not in page and "onload" not in page


def test_an_html_attachment_with_script_is_only_ever_downloaded(cast: Cast, it_mailbox: Mailbox) -> None:
    message = message_receive(mailbox=it_mailbox, raw=corpus("html_script_attachment.eml"))
    assert message.ticket is not None
    attachment = message.ticket.attachments.get()

    response = client_for(cast.it_agent).get(
        reverse("tickets:attachment", args=[attachment.pk]) + "?inline=1"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_forged_from_with_a_real_reply_address_posts_nothing_as_the_victim(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    # Oscar is copied on Erin's ticket, so his reply address is real; he writes as Erin with it.
    ticket = file_ticket(cast.employee)
    ticket.participants.add(cast.other_employee)

    message = message_receive(mailbox=it_mailbox, raw=corpus("forged_token_reply.eml", ticket_id=ticket.pk))

    assert message.status == Status.HELD
    assert "oscar.other@example.com" in message.reason and "may be forged" in message.reason
    assert not Comment.objects.exists()
    assert list(Ticket.objects.all()) == [ticket]


def test_a_made_up_reply_address_posts_nothing(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)

    message = message_receive(mailbox=it_mailbox, raw=corpus("tampered_token.eml", ticket_id=ticket.pk))

    assert message.status == Status.HELD
    assert "never issued" in message.reason
    assert not Comment.objects.exists()


def test_a_guessed_notification_message_id_threads_nothing(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    sent = Notification.objects.filter(ticket=ticket).first()
    assert sent is not None
    guessed = f"<received.{sent.pk}.000000000000.sit-{ticket.pk}@socialit.example>".encode()
    raw = corpus("gmail_reply.eml").replace(b"<notice-to-erin@socialit.example>", guessed)

    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.status == Status.TICKET
    assert not Comment.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("value", ["Hello\r\nBcc: all@example.com", "a@example.com\nX-Evil: 1", "x\ry"])
def test_a_line_break_in_a_copied_header_value_is_refused(value: str) -> None:
    with pytest.raises(BadHeaderError):
        header_check(value)


def test_a_sender_with_line_breaks_in_the_header_gets_no_injected_header(
    it_mailbox: Mailbox, django_capture_on_commit_callbacks: object
) -> None:
    raw = (
        b"From: =?utf-8?q?Eve=0D=0ABcc=3A_all=40example=2Ecom?= <eve@elsewhere.example>\n"
        b"To: it@socialit.example\n"
        b"Subject: =?utf-8?q?Hi=0D=0ABcc=3A_all=40example=2Ecom?=\n"
        b"Message-ID: <crlf.1@elsewhere.example>\n"
        b"Content-Type: text/plain\n\nHello.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message_receive(mailbox=it_mailbox, raw=raw)

    assert AutoReply.objects.get().address == "eve@elsewhere.example"
    (answer,) = mail.outbox
    sent = answer.message().as_string()
    assert "Bcc" not in sent and "all@example.com" not in sent
    assert answer.to == ["eve@elsewhere.example"]


def test_a_notifications_reply_address_with_a_line_break_is_refused(
    cast: Cast, it_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notifications import emails

    ticket = file_ticket(cast.employee)
    notification = Notification.objects.filter(ticket=ticket).first()
    assert notification is not None
    monkeypatch.setattr(emails, "_reply_address", [lambda row: "it@socialit.example\r\nBcc: x@example.com"])

    with pytest.raises(BadHeaderError):
        build(notification)
