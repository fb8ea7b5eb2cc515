"""Mail in: one service takes the raw bytes, from a pipe or from an IMAP poll.

The message is recorded first, in its own transaction, so whatever happens next it is kept;
then it is made into a ticket or a comment in a second transaction that also marks the row,
so a message received twice, or retried after a crash, makes one ticket or one comment.
"""

from __future__ import annotations

import logging
import traceback

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from tickets.attachments import validate_uploads
from tickets.models import Platform, ProblemType, Ticket
from tickets.selectors import can_work_ticket, is_requester
from tickets.services import ticket_file, ticket_reply
from tickets.services.common import MESSAGE_MAX_CHARS

from .matching import ticket_for
from .models import InboundMessage, Mailbox
from .parsing import Parsed, message_key, parse

log = logging.getLogger(__name__)

Status = InboundMessage.Status
NO_TEXT = "(The email had no text; see the attachments.)"
# Rows in these states are done: receiving the same message again leaves them as they are.
SETTLED = {Status.TICKET, Status.COMMENT, Status.IGNORED, Status.HELD}


class Held(Exception):
    """The message is fine but may not be posted: an agent decides."""


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
            if message.status in SETTLED and not (retrying and message.status == Status.HELD):
                return message
            message.attempts += 1
            try:
                parsed = parse(bytes(message.raw))
            except Exception as error:
                raise ValueError(f"The message could not be parsed: {error}") from error
            message.sender = parsed.sender[:254]
            message.subject = parsed.subject[:255]
            _apply(message, parsed)
            message.processed_at = timezone.now()
            message.save()
    except Held as held:
        return _settle(message_id, Status.HELD, str(held))
    except Exception:
        log.exception("Inbound message %s failed", message_id)
        return _settle(message_id, Status.FAILED, traceback.format_exc(limit=5))
    return message


def _settle(message_id: int, status: str, reason: str) -> InboundMessage:
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        try:
            parsed = parse(bytes(message.raw))
            message.sender, message.subject = parsed.sender[:254], parsed.subject[:255]
        except Exception:  # the reason already says why it could not be read
            log.debug("Message %s stays unparsed", message_id)
        message.attempts += 1
        message.status = status
        message.reason = reason
        message.processed_at = timezone.now()
        message.save()
    return message


def _apply(message: InboundMessage, parsed: Parsed) -> None:
    """Decide what the message is and make it; raises Held when an agent must look."""
    if parsed.automatic:
        message.status, message.reason = Status.IGNORED, f"Automatic or bulk mail: {parsed.automatic}."
        return
    ticket = ticket_for(references=parsed.references, subject=parsed.subject)
    sender = User.objects.filter(email__iexact=parsed.sender, is_active=True).first()
    files, refused = _files(parsed)
    body = _body(parsed.body, refused)
    if ticket is not None:
        if sender is None or not (is_requester(sender, ticket) or can_work_ticket(sender, ticket)):
            raise Held(
                f"A reply to {ticket.reference} from {parsed.sender or 'no address'}, who is neither its "
                "requester nor on its queue's team: nothing was posted."
            )
        try:
            comment = ticket_reply(ticket=ticket, author=sender, body=body, files=files)
        except (ValidationError, PermissionDenied) as refusal:
            raise Held(f"The reply to {ticket.reference} was refused: {_refusal(refusal)}") from refusal
        message.status, message.ticket, message.comment = Status.COMMENT, ticket, comment
        message.reason = "; ".join(refused)
        return
    if sender is None:
        raise Held(
            f"A new message from {parsed.sender}, who has no active account: no ticket was filed. "
            "Filing requests for people without an account is not available yet."
        )
    try:
        ticket = ticket_file(
            requester=sender,
            platform=Platform.objects.get(slug="other"),
            problem_type=ProblemType.objects.get(slug="other"),
            subject=(parsed.subject or "(no subject)")[: Ticket._meta.get_field("subject").max_length],
            description=body,
            files=files,
        )
    except (ValidationError, PermissionDenied) as refusal:
        raise Held(f"The request was refused: {_refusal(refusal)}") from refusal
    message.status, message.ticket = Status.TICKET, ticket
    message.reason = "; ".join(refused)


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
