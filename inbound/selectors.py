"""Reads: the mail a ticket came with, for the staff who work it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse

from accounts.models import User
from tickets.models import Ticket
from tickets.selectors import can_work_ticket

from .models import InboundMessage


@dataclass(frozen=True)
class MailRow:
    """One message on the ticket page, its display values computed once."""

    received_at: datetime
    sender: str
    made: str
    download_url: str
    whole_text: str
    was_cut: bool


def ticket_mail(user: User, ticket: Ticket) -> list[MailRow]:
    """The messages that filed the ticket or replied on it, for staff of its queue; [] for anyone else."""
    if not can_work_ticket(user, ticket):
        return []
    messages = (
        InboundMessage.objects.filter(ticket=ticket)
        .defer("raw")
        .select_related("comment")
        .order_by("received_at", "id")
    )
    rows = []
    for message in messages:
        posted = message.comment.body if message.comment else ticket.description
        rows.append(
            MailRow(
                received_at=message.received_at,
                sender=message.sender,
                made="a reply" if message.comment_id else "the request",
                download_url=reverse("inbound:eml", args=[message.pk]),
                whole_text=message.text,
                was_cut=bool(message.text) and message.text.strip() not in posted,
            )
        )
    return rows


def message_for_download(user: User, pk: int) -> InboundMessage:
    """A message kept with a ticket the user works, or 404: outsiders can't tell it exists."""
    message = InboundMessage.objects.select_related("ticket__queue").filter(pk=pk).first()
    if message is None or message.ticket is None or not can_work_ticket(user, message.ticket):
        raise Http404("No such message.")
    return message


def raw_response(message: InboundMessage) -> HttpResponse:
    """Always a download: a browser never renders what a stranger mailed in the desk's origin."""
    response = HttpResponse(bytes(message.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
