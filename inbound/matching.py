"""Which ticket a reply belongs to: by the Message-IDs the desk sent, or by the reference in the subject.

Notifications about ticket SIT-42 carry `<sit-42@domain>` as their thread's root and
`<kind.pk.sit-42@domain>` as their own Message-ID (notifications/emails.py); a mail client
quotes one of them in In-Reply-To or References.
"""

from __future__ import annotations

import re

from notifications.emails import message_domain
from tickets.models import REFERENCE_PREFIX, Ticket

SUBJECT_REFERENCE = re.compile(rf"\[{re.escape(REFERENCE_PREFIX)}(\d+)\]", re.IGNORECASE)


def _thread_pattern() -> re.Pattern[str]:
    prefix = re.escape(REFERENCE_PREFIX.lower())
    return re.compile(rf"^<(?:[a-z_]+\.\d+\.)?{prefix}(\d+)@{re.escape(message_domain().lower())}>$")


def ticket_for(*, references: list[str], subject: str) -> Ticket | None:
    pattern = _thread_pattern()
    for reference in reversed(references):
        found = pattern.match(reference.lower())
        if found:
            return Ticket.objects.filter(pk=int(found.group(1))).select_related("queue").first()
    found_in_subject = SUBJECT_REFERENCE.search(subject)
    if found_in_subject:
        return Ticket.objects.filter(pk=int(found_in_subject.group(1))).select_related("queue").first()
    return None
