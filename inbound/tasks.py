from __future__ import annotations

from celery import shared_task

from .imap import mailboxes_poll


@shared_task(name="inbound.imap_poll", time_limit=300, soft_time_limit=280)
def imap_poll() -> int:
    return mailboxes_poll()
