from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User

from .. import notify
from ..attachments import validate_uploads
from ..clock import SLA_FIELDS, clock_refresh, elapsed_business
from ..models import Comment, Event, Ticket
from ..workflow import reopen_deadline
from .common import actor_check, locked, message_check, status_change
from .files import atomic_with_files, attachments_add
from .history import event_record
from .search import ticket_search_refresh

Status = Ticket.Status


def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    internal: bool = False,
    files: Sequence[UploadedFile] = (),
    status: str | None = None,
) -> Comment:
    """Add a public reply or an internal note, moving the status the way people expect.

    The requester's reply brings a waiting or recently resolved ticket back to Open;
    staff's first public reply is the first response, and staff may set a status with it.
    """
    body = body.strip()
    if not body:
        raise ValidationError("Write a message before sending.")
    message_check(body, what="message")
    validate_uploads(files)
    with atomic_with_files() as written:
        ticket = locked(ticket)
        actor_check(author, ticket, staff=True, requester=True)
        by_requester = author.pk == ticket.requester_id
        if by_requester and internal:
            raise ValidationError("Requesters can't add internal notes.")
        if ticket.status == Status.CLOSED:
            raise ValidationError(
                f"{ticket.reference} is closed and takes no more replies. File a new request that refers to it."
            )
        now = timezone.now()
        fields = ["updated_at"]
        ticket.updated_at = now
        previous_status = ticket.status
        if by_requester:
            if ticket.status == Status.RESOLVED:
                deadline = reopen_deadline(ticket)
                if deadline is not None and now > deadline:
                    raise ValidationError(
                        "This request was resolved too long ago to reopen; please file a new request."
                    )
                fields += status_change(ticket, Status.OPEN)
            elif ticket.status == Status.WAITING_REQUESTER:
                fields += status_change(ticket, Status.OPEN)
        else:
            if not internal and ticket.first_response_at is None:
                ticket.first_response_at = now
                ticket.first_response_business = elapsed_business(ticket, now)
                clock_refresh(ticket)
                fields += ["first_response_at", "first_response_business", *SLA_FIELDS]
            if status and status != ticket.status:
                fields += status_change(ticket, status)
            elif ticket.status == Status.NEW and not internal:
                fields += status_change(ticket, Status.OPEN)
        ticket.save(update_fields=list(dict.fromkeys(fields)))

        comment = Comment.objects.create(
            ticket=ticket, author=author, body=body, is_internal=internal, created_at=now
        )
        attachments_add(ticket=ticket, comment=comment, files=files, uploaded_by=author, written=written)
        kind = Event.Kind.NOTED if internal else Event.Kind.REPLIED
        summary = f"{author} added an internal note" if internal else f"{author} replied"
        changes: dict[str, object] = {"comment": comment.pk}
        if ticket.status != previous_status:
            summary += f"; status {Status(previous_status).label} → {ticket.get_status_display()}"
            changes["status"] = [previous_status, ticket.status]
        event_record(ticket=ticket, actor=author, kind=kind, summary=summary, changes=changes)
        ticket_search_refresh(ticket_id=ticket.pk)
        reopened = previous_status == Status.RESOLVED and ticket.status == Status.OPEN
        notify.on_comment(ticket, comment, reopened=reopened)
        if not by_requester and ticket.status == Status.RESOLVED and previous_status != Status.RESOLVED:
            notify.on_status(ticket, author)
    return comment
