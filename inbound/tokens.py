"""Reply addresses: each ticket's notifications ask for replies at a signed plus-address.

`it+sit-1042.7.kx3f.<signature>@example.com` names the ticket (SIT-1042), the person the email
went to (7, base 36), the day it was issued (days since 1970, base 36) and an HMAC of the three
under the project's secret with a purpose salt. Lower-case hex, because some mail servers
lower-case the local part; 64 bits of it, because the local part must stay under 64 characters.
A valid address proves the reply answers that ticket's email to that person, nothing more: the
sender must still be that person, and may still post there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

from notifications.models import Notification
from tickets.models import REFERENCE_PREFIX

from .models import Mailbox

SALT = "inbound.reply-address"
EPOCH = date(1970, 1, 1)
TOKEN = re.compile(
    rf"^[^+@\s]+\+{re.escape(REFERENCE_PREFIX.lower())}(\d{{1,12}})\.([0-9a-z]{{1,13}})\.([0-9a-z]{{1,6}})"
    r"\.([0-9a-f]{16})@",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: int
    person_id: int
    issued_on: date
    problem: str  # why it may not be trusted, or "" when its signature holds and it has not expired


def _signature(ticket_id: int, person_id: int, day: int) -> str:
    return salted_hmac(SALT, f"{ticket_id}.{person_id}.{day}").hexdigest()[:16]


def reply_address(*, mailbox_address: str, ticket_id: int, person_id: int, on: date | None = None) -> str:
    day = ((on or timezone.localdate()) - EPOCH).days
    local, _, domain = mailbox_address.partition("@")
    token = f"{REFERENCE_PREFIX.lower()}{ticket_id}.{int_to_base36(person_id)}.{int_to_base36(day)}"
    return f"{local}+{token}.{_signature(ticket_id, person_id, day)}@{domain}"


def token_read(addresses: list[str]) -> ReplyToken | None:
    """The first reply address among the recipients, checked; None when the mail names none."""
    for address in addresses:
        found = TOKEN.match(address.strip())
        if found is None:
            continue
        ticket_id, person, day_text, signature = found.groups()
        person_id, day = base36_to_int(person.lower()), base36_to_int(day_text.lower())
        issued_on = EPOCH + timedelta(days=day)
        problem = ""
        if not constant_time_compare(signature.lower(), _signature(int(ticket_id), person_id, day)):
            problem = f"its reply address {address} carries a signature the desk never issued"
        elif timezone.localdate() - issued_on > timedelta(days=settings.INBOUND_REPLY_ADDRESS_DAYS):
            problem = (
                f"its reply address was issued on {issued_on:%-d %B %Y} and expired after "
                f"{settings.INBOUND_REPLY_ADDRESS_DAYS} days"
            )
        return ReplyToken(ticket_id=int(ticket_id), person_id=person_id, issued_on=issued_on, problem=problem)
    return None


def notification_reply_address(notification: Notification) -> str | None:
    """Where replies to a ticket's email go: its queue's mailbox, signed for the ticket and the person."""
    mailbox = (
        Mailbox.objects.filter(queue__tickets=notification.ticket_id, is_active=True)
        .order_by("address")
        .values_list("address", flat=True)
        .first()
    )
    if mailbox is None:
        return None
    return reply_address(
        mailbox_address=mailbox,
        ticket_id=int(notification.ticket_id or 0),
        person_id=notification.recipient_id,
    )
