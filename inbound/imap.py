"""Polling an IMAP mailbox: fetch what is unseen, receive each, flag it seen once it is kept.

A message is flagged \\Seen only after message_receive has committed its row, so a crash or a
lost connection in between leaves it unseen: the next poll fetches it again and the recorded
row makes it a no-op. An unreachable server is logged, and the next tick tries again.
"""

from __future__ import annotations

import imaplib
import logging
import os
import ssl

from .models import Mailbox
from .services import message_receive

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30


def imap_connect(mailbox: Mailbox) -> imaplib.IMAP4:
    password = os.environ.get(mailbox.imap_password_env, "") if mailbox.imap_password_env else ""
    if not password:
        raise imaplib.IMAP4.error(
            f"The environment variable {mailbox.imap_password_env or '(none named)'} holds no password."
        )
    security = Mailbox.Security
    if mailbox.imap_security == security.TLS:
        context = ssl.create_default_context()
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.imap_host, mailbox.imap_port, ssl_context=context, timeout=TIMEOUT_SECONDS
        )
    else:
        client = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
        if mailbox.imap_security == security.STARTTLS:
            client.starttls(ssl.create_default_context())
    client.login(mailbox.imap_user, password)
    return client


def mailbox_poll(*, mailbox: Mailbox) -> int:
    """Receive the folder's unseen messages; returns how many were received, 0 when the server is away."""
    try:
        client = imap_connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as error:
        log.warning("IMAP mailbox %s is unreachable: %s", mailbox, error)
        return 0
    received = 0
    try:
        status, _ = client.select(_quoted(mailbox.imap_folder))
        if status != "OK":
            log.warning("IMAP mailbox %s has no folder %s", mailbox, mailbox.imap_folder)
            return 0
        status, data = client.uid("SEARCH", "UNSEEN")
        for uid in data[0].decode().split() if status == "OK" and data and data[0] else []:
            received += message_take(client, mailbox, uid)
    except (OSError, imaplib.IMAP4.error) as error:
        log.warning("IMAP mailbox %s broke off after %s messages: %s", mailbox, received, error)
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            log.debug("IMAP logout from %s failed", mailbox)
    return received


def message_take(client: imaplib.IMAP4, mailbox: Mailbox, uid: str) -> int:
    """Fetch one message, receive it, then flag it seen; 1 when it was received."""
    raw = _fetch(client, uid)
    if raw is None:
        return 0
    message_receive(mailbox=mailbox, raw=raw)
    # Only now, with the row committed, may the server forget that it is new.
    client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return 1


def _fetch(client: imaplib.IMAP4, uid: str) -> bytes | None:
    # BODY.PEEK leaves \Seen alone; the flag is set by hand after the commit.
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailboxes_poll() -> int:
    return sum(
        mailbox_poll(mailbox=mailbox)
        for mailbox in Mailbox.objects.filter(is_active=True, delivery=Mailbox.Delivery.IMAP)
    )
