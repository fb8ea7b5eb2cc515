"""message_receive: recorded first, made into one ticket or one comment however often it comes."""

from __future__ import annotations

import pytest

from inbound import filing
from inbound.models import InboundMessage, Mailbox
from inbound.services import message_receive, message_retry
from tests.conftest import Cast
from tests.factories import file_ticket
from tickets.models import Comment, Ticket
from tickets.services import ticket_resolve, ticket_set_status

from .conftest import corpus

Status = InboundMessage.Status


def test_the_same_message_twice_makes_one_ticket(it_mailbox: Mailbox) -> None:
    raw = corpus("plain_new.eml")

    first = message_receive(mailbox=it_mailbox, raw=raw)
    second = message_receive(mailbox=it_mailbox, raw=raw)

    assert first.pk == second.pk
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.get().ticket == Ticket.objects.get()


def test_a_message_without_message_id_twice_makes_one_ticket(it_mailbox: Mailbox) -> None:
    raw = corpus("no_message_id.eml")

    message_receive(mailbox=it_mailbox, raw=raw)
    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.key.startswith("sha256:")
    assert Ticket.objects.count() == 1


def test_the_same_reply_twice_makes_one_comment(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    raw = corpus("gmail_reply.eml", ticket_id=ticket.pk)

    message_receive(mailbox=it_mailbox, raw=raw)
    message_receive(mailbox=it_mailbox, raw=raw)

    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_the_raw_message_is_kept_byte_for_byte(it_mailbox: Mailbox) -> None:
    raw = corpus("iso_2022_jp.eml")

    message = message_receive(mailbox=it_mailbox, raw=raw)

    message.refresh_from_db()
    assert bytes(message.raw) == raw


def test_a_message_that_fails_is_kept_and_files_its_ticket_when_retried(
    it_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_ticket_file = filing.ticket_file

    def broken(**kwargs: object) -> Ticket:
        raise RuntimeError("search index unavailable")

    monkeypatch.setattr(filing, "ticket_file", broken)
    raw = corpus("plain_new.eml")

    failed = message_receive(mailbox=it_mailbox, raw=raw)

    assert failed.status == Status.FAILED
    assert "search index unavailable" in failed.reason
    assert failed.subject == "The blog shows a PHP error"
    assert bytes(InboundMessage.objects.get().raw) == raw
    assert not Ticket.objects.exists()
    # Received again, it stays failed for someone to look at: no surprise ticket.
    assert message_receive(mailbox=it_mailbox, raw=raw).status == Status.FAILED

    monkeypatch.setattr(filing, "ticket_file", real_ticket_file)
    retried = message_retry(message=failed)

    assert retried.status == Status.TICKET
    assert retried.ticket == Ticket.objects.get()
    assert retried.attempts == 2


def test_bytes_that_are_no_email_are_kept_and_file_nothing(it_mailbox: Mailbox) -> None:
    message = message_receive(mailbox=it_mailbox, raw=b"\xff\xfe\x00 not an email at all")

    assert message.status == Status.IGNORED
    assert message.reason
    assert bytes(InboundMessage.objects.get().raw).startswith(b"\xff\xfe")
    assert not Ticket.objects.exists()


def test_a_reply_to_a_closed_ticket_is_held_with_the_reason(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    ticket_resolve(ticket=ticket, actor=cast.employee)
    ticket_set_status(ticket=ticket, actor=cast.it_agent, status=Ticket.Status.CLOSED)

    message = message_receive(mailbox=it_mailbox, raw=corpus("gmail_reply.eml", ticket_id=ticket.pk))

    assert message.status == Status.HELD
    assert "closed" in message.reason
    assert not Comment.objects.exists()


def test_a_reply_from_someone_not_on_the_ticket_files_their_own_request(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)

    message = message_receive(mailbox=it_mailbox, raw=corpus("forged_reply.eml", ticket_id=ticket.pk))

    assert message.status == Status.TICKET
    assert message.ticket is not None and message.ticket != ticket
    assert message.ticket.requester == cast.other_employee
    assert f"answers {ticket.reference}" in message.reason
    assert not Comment.objects.exists()


def test_a_reply_from_an_agent_of_another_queue_posts_nothing_on_the_ticket(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    raw = corpus("apple_mail_staff_reply.eml", ticket_id=ticket.pk).replace(
        b"From: Ian It <ian.it@example.com>", b"From: Mia <mia.marketing@example.com>"
    )

    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.status == Status.TICKET
    assert message.ticket is not None and message.ticket.requester == cast.marketing_agent
    assert not Comment.objects.exists()


def test_someone_copied_who_sends_with_another_persons_notification_is_held(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    ticket.participants.add(cast.other_employee)

    message = message_receive(mailbox=it_mailbox, raw=corpus("forged_reply.eml", ticket_id=ticket.pk))

    assert message.status == Status.HELD
    assert "erin.employee@example.com" in message.reason and "may be forged" in message.reason
    assert not Comment.objects.exists()
    assert Ticket.objects.count() == 1


def test_a_deactivated_employee_files_nothing(cast: Cast, it_mailbox: Mailbox) -> None:
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])

    message = message_receive(mailbox=it_mailbox, raw=corpus("plain_new.eml"))

    assert message.status == Status.HELD
    assert not Ticket.objects.exists()


def test_a_new_message_is_filed_as_other_and_routed(cast: Cast, it_mailbox: Mailbox) -> None:
    message = message_receive(mailbox=it_mailbox, raw=corpus("plain_new.eml"))

    ticket = message.ticket
    assert ticket is not None
    assert ticket.platform.slug == "other"
    assert ticket.problem_type.slug == "other"
    assert ticket.subject == "The blog shows a PHP error"
    assert ticket.events.filter(kind="routed").exists()


def test_routing_keywords_in_the_mail_decide_the_queue(cast: Cast, it_mailbox: Mailbox) -> None:
    raw = corpus("plain_new.eml").replace(
        b"The blog shows a PHP error on", b"Our page was hacked, an error on"
    )

    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.ticket is not None
    assert message.ticket.queue == cast.it
    assert message.ticket.priority == Ticket.Priority.URGENT
