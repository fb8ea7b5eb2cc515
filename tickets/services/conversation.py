from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User

from .. import events, notify
from ..attachments import validate_uploads
from ..clock import SLA_FIELDS, clock_refresh, elapsed_business
from ..models import Comment, Ticket
from ..workflow import check_reply, is_first_response, status_after_reply
from .common import actor_check, locked, message_check, status_change, touch
from .files import atomic_with_files, attachments_add
from .history import event_record
from .search import ticket_search_refresh
from .watching import followers_add_mentioned

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
    """Add a public reply or an internal note, moving the status as workflow.status_after_reply says."""
    body = body.strip()
    if not body:
        raise ValidationError("Write a message before sending.")
    message_check(body, what="message")
    validate_uploads(files)
    with atomic_with_files() as written:
        ticket = locked(ticket)
        actor_check(author, ticket, staff=True, requester=True, participant=True)
        # People copied on the request speak on the requester's side.
        by_requester = author.pk == ticket.requester_id or not author.is_desk_user
        check_reply(ticket.status, reference=ticket.reference, by_requester=by_requester, internal=internal)
        now = timezone.now()
        fields: list[str] = []
        previous_status = ticket.status
        target = status_after_reply(
            ticket.status,
            by_requester=by_requester,
            internal=internal,
            resolved_at=ticket.resolved_at,
            now=now,
            requested=status,
        )
        if is_first_response(
            by_requester=by_requester, internal=internal, first_response_at=ticket.first_response_at
        ):
            ticket.first_response_at = now
            ticket.first_response_business = elapsed_business(ticket, now)
            clock_refresh(ticket)
            fields += ["first_response_at", "first_response_business", *SLA_FIELDS]
        if target is not None:
            fields += status_change(ticket, target)
        touch(ticket, *fields, now=now)

        comment = Comment.objects.create(
            ticket=ticket, author=author, body=body, is_internal=internal, created_at=now
        )
        attachments_add(ticket=ticket, comment=comment, files=files, uploaded_by=author, written=written)
        said = events.Noted if internal else events.Replied
        moved = events.StatusMove.between(previous_status, ticket.status)
        event_record(ticket=ticket, actor=author, payload=said(comment_id=comment.pk, status=moved))
        ticket_search_refresh(ticket_id=ticket.pk)
        if internal:
            followers_add_mentioned(
                ticket=ticket, actor=author, mentioned=notify.mentioned_staff(body, ticket)
            )
        reopened = previous_status == Status.RESOLVED and ticket.status == Status.OPEN
        notify.on_comment(ticket, comment, reopened=reopened)
        if not by_requester and ticket.status == Status.RESOLVED and previous_status != Status.RESOLVED:
            notify.on_status(ticket, author)
    return comment
