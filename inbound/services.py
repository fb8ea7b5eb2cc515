"""Mail in: one service takes the raw bytes, from a pipe or from an IMAP poll.

The message is recorded first, in its own transaction, so whatever happens next it is kept;
then it is made into a ticket or a comment in a second transaction that also marks the row,
so a message received twice, or retried after a crash, makes one ticket or one comment.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from notifications.emails import notification_sent_as
from notifications.services import notification_bounce
from tickets.attachments import validate_uploads
from tickets.selectors import can_work_ticket, is_participant, is_requester
from tickets.services import ticket_reply
from tickets.services.common import MESSAGE_MAX_CHARS

from .autoreply import auto_reply_queue
from .filing import Held, person, ticket_from_mail
from .models import InboundMessage, Mailbox
from .parsing import Bounce, Parsed, message_key, parse
from .quoting import reply_text
from .threads import Thread, thread_find

log = logging.getLogger(__name__)

Status = InboundMessage.Status
NO_TEXT = "(The email had no text; see the attachments.)"
# Rows in these states are done: receiving the same message again leaves them as they are.
SETTLED = {Status.TICKET, Status.COMMENT, Status.IGNORED, Status.HELD, Status.LIMITED}
# What an agent may send through again: held back, held, or failed.
RETRYABLE = {Status.HELD, Status.LIMITED, Status.FAILED}


def message_receive(*, mailbox: Mailbox, raw: bytes) -> InboundMessage:
    """Record the message, then make of it what it is; returns its row, whatever became of it."""
    message = _record(mailbox=mailbox, raw=raw)
    if message.status != Status.RECEIVED:
        # Seen before: done, or failed and waiting for someone to retry it from the admin.
        return message
    return _process(message_id=message.pk)


def message_retry(*, message: InboundMessage) -> InboundMessage:
    """Process a failed or held message again, from its raw bytes."""
    return _process(message_id=message.pk, retrying=True)


def _record(*, mailbox: Mailbox, raw: bytes) -> InboundMessage:
    key = message_key(raw)
    try:
        with transaction.atomic():
            message, _ = InboundMessage.objects.get_or_create(
                key=key, defaults={"mailbox": mailbox, "raw": raw}
            )
    except IntegrityError:
        # Two receivers raced on the same message: the other one recorded it.
        message = InboundMessage.objects.get(key=key)
    return message


def _process(*, message_id: int, retrying: bool = False) -> InboundMessage:
    try:
        with transaction.atomic():
            # Locked while it is processed: a second receiver waits, then finds it settled.
            message = InboundMessage.objects.select_for_update().select_related("mailbox").get(pk=message_id)
            if message.status in SETTLED and not (retrying and message.status in RETRYABLE):
                return message
            message.attempts += 1
            try:
                parsed = parse(bytes(message.raw))
            except Exception as error:
                raise ValueError(f"The message could not be parsed: {error}") from error
            message.sender = parsed.sender[:254]
            message.subject = parsed.subject[:255]
            message.text = parsed.body
            message.reason = ""
            _apply(message, parsed, retrying=retrying)
            message.processed_at = timezone.now()
            message.save()
    except Limited as limited:
        return _settle(message_id, Status.LIMITED, str(limited))
    except Held as held:
        return _settle(message_id, Status.HELD, str(held), auto_reply_to=held.auto_reply_to)
    except Exception:
        log.exception("Inbound message %s failed", message_id)
        return _settle(message_id, Status.FAILED, traceback.format_exc(limit=5))
    return message


def _settle(message_id: int, status: str, reason: str, *, auto_reply_to: str = "") -> InboundMessage:
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        try:
            parsed = parse(bytes(message.raw))
            message.sender, message.subject = parsed.sender[:254], parsed.subject[:255]
            message.text = parsed.body
        except Exception:  # the reason already says why it could not be read
            log.debug("Message %s stays unparsed", message_id)
        if auto_reply_to:
            told = auto_reply_queue(message=message, address=auto_reply_to)
            reason += (
                " An auto-reply told them how to file." if told else " They had today's auto-reply already."
            )
        message.attempts += 1
        message.status = status
        message.reason = reason
        message.processed_at = timezone.now()
        message.save()
    return message


class Limited(Held):
    """One sender has sent more than the hour's share: the rest waits for an agent."""


def _apply(message: InboundMessage, parsed: Parsed, *, retrying: bool) -> None:
    """Decide what the message is and make it; raises Held when an agent must look."""
    if parsed.bounce is not None:
        message.status, message.reason = Status.IGNORED, _bounced(parsed.bounce)
        return
    if parsed.automatic:
        message.status, message.reason = Status.IGNORED, f"Automatic or bulk mail: {parsed.automatic}."
        return
    if not retrying:
        _limit_check(parsed.sender)
    files, refused = _files(parsed)
    sender = person(parsed.sender)
    thread = thread_find(parsed)
    if thread is None:
        ticket_from_mail(
            message=message, parsed=parsed, sender=sender, body=_body(parsed.body, refused), files=files
        )
    else:
        _answer(message, parsed, thread, sender, files, refused)
    if refused:
        message.reason = "; ".join(filter(None, [message.reason, *refused]))


def _answer(
    message: InboundMessage,
    parsed: Parsed,
    thread: Thread,
    sender: User | None,
    files: list[SimpleUploadedFile],
    refused: list[str],
) -> None:
    """A reply: posted as its sender when they may, filed anew when they are a stranger to the ticket."""
    ticket = thread.ticket
    if thread.problem:
        raise Held(f"A reply to {ticket.reference} was not posted: {thread.problem}.")
    on_ticket = sender is not None and (
        is_requester(sender, ticket) or is_participant(sender, ticket) or can_work_ticket(sender, ticket)
    )
    if thread.person is not None and (sender is None or thread.person.pk != sender.pk) and on_ticket:
        raise Held(
            f"A reply to {ticket.reference} came through {thread.how}, which was sent to "
            f"{thread.person.email}, but its From says {parsed.sender}: it may be forged, so nothing "
            "was posted as anyone."
        )
    if not on_ticket:
        why = (
            f"It answers {ticket.reference} through {thread.how}, but {parsed.sender or 'its sender'} "
            f"is neither its requester, nor copied on it, nor on its team: "
        )
        ticket_from_mail(
            message=message,
            parsed=parsed,
            sender=sender,
            body=_body(parsed.body, refused),
            files=files,
            why=why,
        )
        return
    assert sender is not None
    text, cut = reply_text(parsed.body)
    try:
        # Staff replying by email answer the requester: a public reply, as their email says.
        comment = ticket_reply(ticket=ticket, author=sender, body=_body(text, refused), files=files)
    except (ValidationError, PermissionDenied) as refusal:
        raise Held(f"The reply to {ticket.reference} was refused: {_refusal(refusal)}") from refusal
    message.status, message.ticket, message.comment = Status.COMMENT, ticket, comment
    if cut:
        message.reason = "The quoted history and signature were cut; the whole text is kept with the message."


def _bounced(bounce: Bounce) -> str:
    for reference in bounce.message_ids:
        notification = notification_sent_as(reference)
        if notification is not None:
            notification_bounce(notification=notification, reason=bounce.reason)
            return f"Delivery failure for notification #{notification.pk} to {notification.email}: {bounce.reason}."
    return f"A delivery failure about mail the desk did not send: {bounce.reason}."


def _limit_check(address: str) -> None:
    limit = settings.INBOUND_SENDER_LIMIT_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    made = InboundMessage.objects.filter(
        sender=address, received_at__gte=since, status__in=[Status.TICKET, Status.COMMENT]
    )[:limit].count()
    if made >= limit:
        raise Limited(
            f"Held back: {address} already sent {limit} messages that became tickets or replies in the last "
            "hour. Retry it from here if it is genuine."
        )


def _files(parsed: Parsed) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments that pass the upload rules, and a line for each one that does not."""
    kept: list[SimpleUploadedFile] = []
    refused: list[str] = []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(attachment.name, attachment.content, attachment.content_type)
        if len(kept) >= settings.ATTACHMENT_MAX_COUNT:
            refused.append(f"“{attachment.name}” was not kept: at most {settings.ATTACHMENT_MAX_COUNT} files")
            continue
        try:
            validate_uploads([upload])
        except ValidationError as error:
            refused.append(" ".join(error.messages))
            continue
        kept.append(upload)
    return kept, refused


def _body(text: str, refused: list[str]) -> str:
    text = text or NO_TEXT
    notes = "\n".join(f"[{line}]" for line in refused)
    room = MESSAGE_MAX_CHARS - len(notes) - 200
    if len(text) > room:
        text = text[:room].rstrip() + "\n\n[The email was longer; the whole message is kept with it.]"
    return f"{text}\n\n{notes}" if notes else text


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
