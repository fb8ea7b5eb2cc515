"""Each ticket's notifications carry a signed reply address, and a reply to it lands on the ticket."""

from __future__ import annotations

from datetime import date

from inbound.models import InboundMessage, Mailbox
from inbound.services import message_receive
from inbound.tokens import reply_address, token_read
from notifications.emails import build, loop_marker
from notifications.models import Kind, Notification
from tests.conftest import Cast
from tests.factories import file_ticket

Status = InboundMessage.Status


def test_a_ticket_notification_asks_for_replies_at_its_queues_signed_address(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    receipt = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)

    email = build(receipt)

    (address,) = email.reply_to
    assert address.startswith(f"it+sit-{ticket.pk}.") and address.endswith("@socialit.example")
    assert len(address.partition("@")[0]) <= 64
    token = token_read([address])
    assert token is not None
    assert (token.ticket_id, token.person_id, token.problem) == (ticket.pk, cast.employee.pk, "")
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert email.extra_headers["X-Loop"] == loop_marker()


def test_a_queue_without_a_mailbox_sends_no_reply_address(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)

    email = build(Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED))

    assert email.reply_to == []


def test_a_reply_to_a_built_notification_lands_on_its_ticket(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    email = build(Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED))
    reply = (
        f"From: Erin Employee <erin.employee@example.com>\n"
        f"To: {email.reply_to[0]}\n"
        f"Subject: Re: {email.subject}\n"
        f"Message-ID: <round-trip.1@mail.example.com>\n"
        f"Content-Type: text/plain; charset=utf-8\n\nIt works again, thank you.\n"
    ).encode()

    message = message_receive(mailbox=it_mailbox, raw=reply)

    assert message.status == Status.COMMENT
    assert message.ticket == ticket
    assert message.comment is not None and message.comment.author == cast.employee


def test_an_address_signed_for_one_ticket_does_not_open_another(cast: Cast) -> None:
    address = reply_address(mailbox_address="it@x.example", ticket_id=41, person_id=7, on=date(2026, 12, 1))

    forged = address.replace("+sit-41.", "+sit-42.")

    token = token_read([forged])
    assert token is not None and token.problem
    assert token_read(["it@x.example", "someone+tag@x.example"]) is None
