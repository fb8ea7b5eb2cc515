"""Which ticket a reply belongs to, and whom the email it answers was for.

By the signed reply address first (tokens.py), then by In-Reply-To and References against the
Message-IDs of the notifications we sent (unguessable, notifications/emails.py) and of the
messages that filed tickets (a reply-all from someone copied). Never by the subject: anyone can
write "[SIT-42]" in a subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from notifications.emails import notification_sent_as
from tickets.models import Ticket

from .models import InboundMessage
from .parsing import Parsed
from .tokens import token_read


@dataclass(frozen=True)
class Thread:
    ticket: Ticket
    # Whom the reply address or the answered notification was for; None for a reply to the
    # message that filed the ticket, which everyone copied on it received.
    person: User | None
    how: str
    problem: str = ""


def _ticket(pk: int | None) -> Ticket | None:
    return Ticket.objects.filter(pk=pk).select_related("queue", "requester").first() if pk else None


def thread_find(parsed: Parsed) -> Thread | None:
    token = token_read(parsed.recipients)
    if token is not None:
        ticket = _ticket(token.ticket_id)
        if ticket is not None:
            person = User.objects.filter(pk=token.person_id).first()
            return Thread(ticket=ticket, person=person, how="its reply address", problem=token.problem)
    for reference in reversed(parsed.references):
        notification = notification_sent_as(reference)
        ticket = _ticket(notification.ticket_id) if notification else None
        if notification is not None and ticket is not None:
            return Thread(ticket=ticket, person=notification.recipient, how="the notification it answers")
    original = (
        InboundMessage.objects.filter(key__in=parsed.references[:50], ticket__isnull=False)
        .exclude(key=parsed.message_id)
        .order_by("-received_at")
        .values_list("ticket_id", flat=True)
        .first()
    )
    ticket = _ticket(original)
    if ticket is not None:
        return Thread(ticket=ticket, person=None, how="the message it answers")
    return None
