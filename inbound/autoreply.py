"""The polite answer to someone who may not file here: at most one per address a day.

The row is written with the message's own transaction, under a unique (address, day)
constraint, and sent once it commits; one that could not be sent is tried again by the next
poll. Automatic mail is never answered (parsing.py decides that before anything else).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.emails import header_check, loop_marker

from .models import AutoReply, InboundMessage
from .parsing import MESSAGE_ID

log = logging.getLogger(__name__)


def auto_reply_queue(*, message: InboundMessage, address: str) -> bool:
    """Write today's auto-reply to the address; False when it already had one today."""
    try:
        with transaction.atomic():
            reply = AutoReply.objects.create(address=address, day=timezone.localdate(), message=message)
    except IntegrityError:
        return False
    transaction.on_commit(lambda: auto_reply_send(auto_reply_id=reply.pk))
    return True


def auto_reply_build(reply: AutoReply) -> EmailMessage:
    message = reply.message
    headers = {
        # RFC 3834: an answer by a machine, which other machines must not answer in turn.
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
        "X-Loop": loop_marker(),
        "Precedence": "auto_reply",
    }
    if MESSAGE_ID.fullmatch(message.key):
        headers["In-Reply-To"] = header_check(message.key)
        headers["References"] = header_check(message.key)
    context = {"address": message.mailbox.address, "site_url": settings.SITE_URL}
    return EmailMessage(
        subject="How to ask Social IT Desk for help",
        body=render_to_string("inbound/email/auto_reply.txt", context),
        to=[header_check(reply.address)],
        headers=headers,
    )


def auto_reply_send(*, auto_reply_id: int) -> bool:
    reply = (
        AutoReply.objects.select_related("message__mailbox").filter(pk=auto_reply_id, sent_at=None).first()
    )
    if reply is None:
        return False
    try:
        auto_reply_build(reply).send()
    except Exception as error:  # SMTP away or refusing: the next poll tries again
        log.warning("Auto-reply %s to %s not sent: %s", reply.pk, reply.address, error)
        AutoReply.objects.filter(pk=reply.pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
        return False
    AutoReply.objects.filter(pk=reply.pk).update(sent_at=timezone.now(), last_error="")
    return True


def auto_replies_send_pending() -> int:
    """Today's auto-replies still unsent: a reply a day late would answer a question nobody asks now."""
    pending = AutoReply.objects.filter(sent_at=None, day=timezone.localdate()).values_list("pk", flat=True)[
        :100
    ]
    return sum(auto_reply_send(auto_reply_id=pk) for pk in pending)
