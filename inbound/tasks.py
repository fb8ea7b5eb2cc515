from __future__ import annotations

from celery import shared_task

from .autoreply import auto_replies_send_pending
from .imap import mailboxes_poll


@shared_task(name="inbound.imap_poll", time_limit=300, soft_time_limit=280)
def imap_poll() -> int:
    received = mailboxes_poll()
    # Auto-replies whose first sending failed go out with the next tick, piped mail's included.
    auto_replies_send_pending()
    return received
