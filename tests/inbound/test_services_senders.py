"""Who may write: routing by the mailbox's queue, unknown senders, copied people, auto-replies, limits."""

from __future__ import annotations

import pytest
from django.core import mail
from pytest_django.fixtures import Settings

from accounts.models import User
from inbound.models import AutoReply, Contact, InboundMessage, Mailbox
from inbound.services import message_receive, message_retry
from inbound.tokens import reply_address
from notifications.models import Kind, Notification
from tests.conftest import Cast
from tests.factories import file_ticket
from tickets.events import event_sentence
from tickets.models import Comment, ProblemType, RoutingRule, Ticket
from tickets.services import ticket_reply

from .conftest import corpus, notice

Status = InboundMessage.Status


@pytest.fixture
def marketing_mailbox(cast: Cast) -> Mailbox:
    return Mailbox.objects.create(
        address="marketing@socialit.example",
        slug="marketing",
        queue=cast.marketing,
        delivery=Mailbox.Delivery.PIPE,
    )


def test_mail_no_rule_matches_goes_to_the_mailboxs_queue(cast: Cast, marketing_mailbox: Mailbox) -> None:
    message = message_receive(mailbox=marketing_mailbox, raw=corpus("plain_new.eml"))

    ticket = message.ticket
    assert ticket is not None
    assert ticket.queue == cast.marketing
    routed = ticket.events.get(kind="routed")
    assert "the queue it was emailed to" in event_sentence(routed)


def test_a_rule_on_the_mailbox_queue_routes_its_mail_and_is_recorded(
    cast: Cast, marketing_mailbox: Mailbox
) -> None:
    rule = RoutingRule.objects.create(name="Marketing mail goes to Communications", queue=cast.communications)
    rule.emailed_to.set([cast.marketing])

    message = message_receive(mailbox=marketing_mailbox, raw=corpus("plain_new.eml"))

    assert message.ticket is not None
    assert message.ticket.queue == cast.communications
    assert "Marketing mail goes to Communications" in event_sentence(message.ticket.events.get(kind="routed"))


def test_a_rule_on_the_mailbox_queue_leaves_browser_requests_alone(cast: Cast) -> None:
    rule = RoutingRule.objects.create(name="Marketing mail", queue=cast.communications, position=0)
    rule.emailed_to.set([cast.marketing])

    ticket = file_ticket(cast.employee)

    assert ticket.queue != cast.communications


def test_problem_type_comes_from_the_keywords_of_a_rule_that_names_one(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    rule = RoutingRule.objects.create(
        name="Proxy words", keywords="proxy, firewall", queue=cast.it, position=0
    )
    rule.problem_types.set([ProblemType.objects.get(slug="network-block")])

    message = message_receive(mailbox=it_mailbox, raw=corpus("gmail_signature_new.eml"))

    assert message.ticket is not None
    assert message.ticket.problem_type.slug == "network-block"
    assert message.ticket.platform.slug == "other"


def test_people_copied_on_a_new_request_become_its_participants(cast: Cast, it_mailbox: Mailbox) -> None:
    message = message_receive(mailbox=it_mailbox, raw=corpus("gmail_signature_new.eml"))

    ticket = message.ticket
    assert ticket is not None
    # Oscar has an account; the outside address copied does not, and is not made one.
    assert list(ticket.participants.all()) == [cast.other_employee]
    assert not User.objects.filter(email="someone@elsewhere.example").exists()


def test_staff_replies_reach_the_people_copied_with_a_reply_address(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = message_receive(mailbox=it_mailbox, raw=corpus("gmail_signature_new.eml")).ticket
    assert ticket is not None

    ticket_reply(ticket=ticket, author=cast.it_agent, body="Unblocked for Finance.")

    told = Notification.objects.filter(kind=Kind.REPLY_TO_REQUESTER, ticket=ticket)
    assert {row.email for row in told} == {cast.employee.email, cast.other_employee.email}


def test_a_reply_all_from_someone_copied_lands_on_the_ticket(cast: Cast, it_mailbox: Mailbox) -> None:
    original = message_receive(mailbox=it_mailbox, raw=corpus("gmail_signature_new.eml"))
    reply_all = (
        b"From: Oscar Other <oscar.other@example.com>\n"
        b"To: Erin Employee <erin.employee@example.com>, it@socialit.example\n"
        b"Subject: Re: Proxy blocks the LinkedIn page for Finance\n"
        b"Message-ID: <oscar-reply-all.1@mail.example.com>\n"
        b"In-Reply-To: <CAgmail-cc.50@mail.gmail.com>\n"
        b"References: <CAgmail-cc.50@mail.gmail.com>\n"
        b"Content-Type: text/plain; charset=utf-8\n\nSame for me since nine.\n"
    )

    message = message_receive(mailbox=it_mailbox, raw=reply_all)

    assert message.status == Status.COMMENT
    assert message.ticket == original.ticket
    assert message.comment is not None and message.comment.author == cast.other_employee
    assert Ticket.objects.count() == 1


def test_an_unknown_sender_gets_one_polite_auto_reply_a_day(
    cast: Cast, it_mailbox: Mailbox, django_capture_on_commit_callbacks: object
) -> None:
    raw = corpus("unknown_sender.eml")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = message_receive(mailbox=it_mailbox, raw=raw)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = message_receive(
            mailbox=it_mailbox, raw=raw.replace(b"Message-ID: <", b"Message-ID: <again.")
        )

    assert (first.status, second.status) == (Status.HELD, Status.HELD)
    assert "An auto-reply told them how to file." in first.reason
    assert "had today's auto-reply already" in second.reason
    assert AutoReply.objects.count() == 1
    assert len(mail.outbox) == 1
    answer = mail.outbox[0]
    assert answer.to == ["someone@elsewhere.example"]
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert answer.extra_headers["X-Loop"] == "desk@socialit.example"
    assert answer.extra_headers["In-Reply-To"] == first.key
    assert "portal" in answer.body and "it@socialit.example" in answer.body
    assert not Ticket.objects.exists()


def test_automatic_mail_from_an_unknown_sender_gets_no_auto_reply(
    it_mailbox: Mailbox, django_capture_on_commit_callbacks: object
) -> None:
    raw = corpus("auto_reply.eml").replace(b"erin.employee@example.com", b"someone@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.status == Status.IGNORED
    assert not AutoReply.objects.exists()
    assert mail.outbox == []


def test_a_mailbox_for_anyone_files_an_unknown_senders_request_as_a_contact(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    it_mailbox.senders = Mailbox.Senders.ANYONE
    it_mailbox.save(update_fields=["senders"])

    message = message_receive(mailbox=it_mailbox, raw=corpus("unknown_sender.eml"))

    assert message.status == Status.TICKET, message.reason
    assert message.ticket is not None
    requester = message.ticket.requester
    assert requester.email == "someone@elsewhere.example"
    assert not requester.has_usable_password()
    assert requester.role == User.Role.EMPLOYEE and not requester.is_staff
    assert Contact.objects.get(user=requester).mailbox == it_mailbox
    # Their next message is theirs too, and no second person is made.
    again = message_receive(
        mailbox=it_mailbox, raw=corpus("unknown_sender.eml").replace(b"Message-ID: <", b"Message-ID: <2.")
    )
    assert again.ticket is not None and again.ticket.requester == requester


def test_a_contact_writing_to_an_employees_mailbox_is_not_taken_for_an_employee(
    cast: Cast, it_mailbox: Mailbox, marketing_mailbox: Mailbox
) -> None:
    marketing_mailbox.senders = Mailbox.Senders.ANYONE
    marketing_mailbox.save(update_fields=["senders"])
    message_receive(mailbox=marketing_mailbox, raw=corpus("unknown_sender.eml"))

    message = message_receive(
        mailbox=it_mailbox, raw=corpus("unknown_sender.eml").replace(b"Message-ID: <", b"Message-ID: <it.")
    )

    assert message.status == Status.HELD
    assert Ticket.objects.count() == 1


def test_a_mail_storm_is_held_back_and_listed_then_retried(
    cast: Cast, it_mailbox: Mailbox, settings: Settings
) -> None:
    settings.INBOUND_SENDER_LIMIT_PER_HOUR = 2
    raw = corpus("plain_new.eml")
    results = [
        message_receive(mailbox=it_mailbox, raw=raw.replace(b"Message-ID: <", b"Message-ID: <%d." % n))
        for n in range(4)
    ]

    assert [m.status for m in results] == [Status.TICKET, Status.TICKET, Status.LIMITED, Status.LIMITED]
    assert "Held back" in results[2].reason
    assert Ticket.objects.count() == 2
    retried = message_retry(message=results[2])
    assert retried.status == Status.TICKET
    assert Ticket.objects.count() == 3


def test_a_bounce_marks_the_notification_it_answers_failed_and_files_nothing(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    raw = corpus("notification_bounce.eml", ticket_id=ticket.pk)
    bounced = Notification.objects.get(
        ticket=ticket, status=Notification.Status.SENT, message_id__contains="."
    )

    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.status == Status.IGNORED
    assert f"notification #{bounced.pk}" in message.reason
    bounced.refresh_from_db()
    assert bounced.status == Notification.Status.FAILED
    assert "5.2.2" in bounced.last_error and "Mailbox full" in bounced.last_error
    assert Ticket.objects.count() == 1
    assert not Comment.objects.exists()


def test_a_bounce_about_mail_we_never_sent_changes_nothing(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    notice(ticket, cast.employee)
    raw = corpus("notification_bounce.eml").replace(
        b"<notice-to-erin@socialit.example>", b"<other@x.example>"
    )

    message = message_receive(mailbox=it_mailbox, raw=raw)

    assert message.status == Status.IGNORED
    assert "did not send" in message.reason
    assert not Notification.objects.filter(status=Notification.Status.FAILED).exists()


def test_a_reply_address_past_its_days_is_held(cast: Cast, it_mailbox: Mailbox, settings: Settings) -> None:
    ticket = file_ticket(cast.employee)
    settings.INBOUND_REPLY_ADDRESS_DAYS = -1

    message = message_receive(mailbox=it_mailbox, raw=corpus("token_reply.eml", ticket_id=ticket.pk))

    assert message.status == Status.HELD
    assert "expired" in message.reason
    assert not Comment.objects.exists()


def test_the_cut_quote_is_kept_whole_with_the_message(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)

    message = message_receive(mailbox=it_mailbox, raw=corpus("apple_mail_reply.eml", ticket_id=ticket.pk))

    assert message.comment is not None
    assert "Please try the new password" not in message.comment.body
    assert "Please try the new password" in message.text
    assert "quoted history" in message.reason


def test_a_contact_replies_on_their_ticket_whatever_the_mailbox_takes_now(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    it_mailbox.senders = Mailbox.Senders.ANYONE
    it_mailbox.save(update_fields=["senders"])
    ticket = message_receive(mailbox=it_mailbox, raw=corpus("unknown_sender.eml")).ticket
    assert ticket is not None
    it_mailbox.senders = Mailbox.Senders.EMPLOYEES
    it_mailbox.save(update_fields=["senders"])
    address = reply_address(
        mailbox_address=it_mailbox.address, ticket_id=ticket.pk, person_id=ticket.requester_id
    )
    reply = (
        f"From: someone@elsewhere.example\nTo: {address}\nSubject: Re: offer\n"
        "Message-ID: <contact-reply.1@elsewhere.example>\nContent-Type: text/plain\n\nThe details, as asked.\n"
    ).encode()

    message = message_receive(mailbox=it_mailbox, raw=reply)

    assert message.status == Status.COMMENT, message.reason
    assert message.comment is not None and message.comment.author == ticket.requester
