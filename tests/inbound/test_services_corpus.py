"""Every message of the corpus, with what it must become: sender, ticket or comment, text, files."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from inbound.models import InboundMessage, Mailbox
from inbound.services import NO_TEXT, message_receive
from tests.conftest import Cast
from tests.factories import file_ticket
from tickets.models import Comment, Ticket

from .conftest import CORPUS, corpus

Status = InboundMessage.Status


@dataclass(frozen=True)
class Expected:
    status: str
    sender: str
    text: str = ""
    files: tuple[str, ...] = ()
    absent: str = ""
    subject: str = ""


ERIN = "erin.employee@example.com"
OSCAR = "oscar.other@example.com"
IAN = "ian.it@example.com"
TABLE = {
    "plain_new.eml": Expected(Status.TICKET, ERIN, "PHP error on every page"),
    "gmail_reply.eml": Expected(
        Status.COMMENT, ERIN, "It still fails after clearing the cache.", absent="We have your request"
    ),
    "gmail_forward.eml": Expected(Status.TICKET, ERIN, "We noticed a sign-in from a new device in Lagos."),
    "gmail_signature_new.eml": Expected(Status.TICKET, ERIN, "The office proxy blocks linkedin.com"),
    "outlook_reply.eml": Expected(
        Status.COMMENT, ERIN, "Thanks – that’s fixed it.", absent="Sent: 01 December"
    ),
    "outlook_forward.eml": Expected(Status.TICKET, ERIN, "Please add us as page admins"),
    "outlook_html_reply.eml": Expected(
        Status.COMMENT, IAN, "I have unlocked the account", absent="Erin filed a request"
    ),
    "outlook_out_of_office.eml": Expected(Status.IGNORED, ERIN),
    "apple_mail_staff_reply.eml": Expected(Status.COMMENT, IAN, "restarted the blog's PHP"),
    "apple_mail_reply.eml": Expected(
        Status.COMMENT, ERIN, "Yes, the new password works", absent="Please try the new password"
    ),
    "apple_mail_forward.eml": Expected(Status.TICKET, ERIN, "Your Page was restricted"),
    "token_reply.eml": Expected(
        Status.COMMENT, ERIN, "the error shows at step two", absent="Sales, Example Ltd"
    ),
    "cc_participant_reply.eml": Expected(Status.COMMENT, OSCAR, "I approve the change"),
    # Never threaded by the subject alone: a new request.
    "subject_reference_reply.eml": Expected(Status.TICKET, ERIN, "Only the subject tells"),
    "html_only.eml": Expected(
        Status.TICKET, ERIN, "The Facebook page shows a warning & a red banner.", absent="alert"
    ),
    "html_script_attachment.eml": Expected(
        Status.TICKET, ERIN, "The blog page has this in it.", files=("page.html",), absent="alert"
    ),
    "alternative_prefers_plain.eml": Expected(Status.TICKET, ERIN, "Plain version", absent="HTML version"),
    "iso_2022_jp.eml": Expected(Status.TICKET, ERIN, "会社のブログが朝から表示されません。"),
    "windows_1252.eml": Expected(Status.TICKET, ERIN, "Who pays the 500 € for the “LinkedIn” campaign?"),
    "rfc2047_subject.eml": Expected(
        Status.TICKET, ERIN, "Bitte prüfen Sie die Beiträge.", subject="Prüfung der Beiträge – LinkedIn"
    ),
    "broken_charset.eml": Expected(Status.TICKET, ERIN, "Café login fails, naïve question."),
    "mislabeled_ascii.eml": Expected(Status.TICKET, ERIN, "Zoë can't post on Twitter/X."),
    "base64_encoded_name.eml": Expected(
        Status.TICKET, ERIN, "The report is attached.", files=("Fehlerübersicht.pdf",)
    ),
    "rfc2231_name.eml": Expected(Status.TICKET, ERIN, "my CV is broken", files=("Résumé page.pdf",)),
    "winmail_dat.eml": Expected(Status.TICKET, ERIN, "rich-text attachment", files=("winmail.dat",)),
    "empty_body_attachment.eml": Expected(Status.TICKET, ERIN, NO_TEXT, files=("screenshot.png",)),
    "attached_eml.eml": Expected(
        Status.TICKET, ERIN, "The original is attached.", files=("New login to your account.eml",)
    ),
    "inline_image.eml": Expected(
        Status.TICKET, ERIN, "The banner looks like this:", files=("attachment-1.png",)
    ),
    "executable_attachment.eml": Expected(Status.TICKET, ERIN, "“tool.exe” can't be attached"),
    "long_line.eml": Expected(Status.TICKET, ERIN, "error error error"),
    "no_message_id.eml": Expected(Status.TICKET, ERIN, "Some old scanners"),
    "auto_submitted_no.eml": Expected(Status.TICKET, ERIN, "a person wrote this"),
    "auto_reply.eml": Expected(Status.IGNORED, ERIN),
    "out_of_office_bulk.eml": Expected(Status.IGNORED, ERIN),
    "mailing_list.eml": Expected(Status.IGNORED, ERIN),
    "precedence_list.eml": Expected(Status.IGNORED, ERIN),
    "x_loop_ours.eml": Expected(Status.IGNORED, ERIN),
    "bounce.eml": Expected(Status.IGNORED, "mailer-daemon@mail.example.com"),
    "notification_bounce.eml": Expected(Status.IGNORED, "mailer-daemon@mx.example.com"),
    # Oscar, copied on the ticket, answers Erin's notification: it may be forged, nothing is posted.
    "forged_reply.eml": Expected(Status.HELD, OSCAR),
    "forged_token_reply.eml": Expected(Status.HELD, ERIN),
    "tampered_token.eml": Expected(Status.HELD, ERIN),
    "unknown_sender.eml": Expected(Status.HELD, "someone@elsewhere.example"),
}


def test_every_message_of_the_corpus_has_its_expected_result() -> None:
    names = {path.name for path in CORPUS.glob("*.eml")}
    assert names == set(TABLE)
    assert len(names) >= 40


@pytest.mark.parametrize("name", sorted(TABLE))
def test_corpus_message(name: str, cast: Cast, it_mailbox: Mailbox) -> None:
    expected = TABLE[name]
    cast.it.members.add(cast.it_agent)
    existing = file_ticket(cast.employee)
    existing.participants.add(cast.other_employee)
    assert existing.queue == cast.it
    comments_before = Comment.objects.count()

    message = message_receive(mailbox=it_mailbox, raw=corpus(name, ticket_id=existing.pk))

    assert message.status == expected.status, message.reason
    assert message.sender == expected.sender
    new_tickets = Ticket.objects.exclude(pk=existing.pk)
    if expected.status == Status.TICKET:
        ticket = new_tickets.get()
        assert message.ticket == ticket
        assert ticket.requester == cast.employee
        assert expected.text in ticket.description
        assert expected.absent == "" or expected.absent not in ticket.description
        assert expected.subject == "" or ticket.subject == expected.subject
        assert sorted(ticket.attachments.values_list("name", flat=True)) == sorted(expected.files)
    elif expected.status == Status.COMMENT:
        comment = Comment.objects.get(ticket=existing)
        assert message.comment == comment
        assert message.ticket == existing
        assert comment.author.email == expected.sender
        assert not comment.is_internal
        assert expected.text in comment.body
        assert expected.absent == "" or expected.absent not in comment.body
        assert expected.absent == "" or expected.absent in message.text
        assert not new_tickets.exists()
    else:
        assert not new_tickets.exists()
        assert Comment.objects.count() == comments_before
        assert message.reason
