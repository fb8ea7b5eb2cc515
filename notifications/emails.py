"""Every email the desk sends: a subject function per kind, and text and HTML templates.

Emails of one ticket share a thread: each has its own Message-ID and points at the
ticket's root id in In-Reply-To and References, so mail clients file them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.timesince import timeuntil

from accounts.passwords import password_reset_link

from .models import Kind, Notification

Context = dict[str, Any]


def received(c: Context) -> str:
    return f"We have your request: {c['subject']}"


def new_in_queue(c: Context) -> str:
    return f"New in {c['queue']}: {c['subject']}"


def assigned(c: Context) -> str:
    return f"Assigned to you: {c['subject']}"


def reply_to_requester(c: Context) -> str:
    return f"{c['actor']} replied: {c['subject']}"


def reply_to_staff(c: Context) -> str:
    return f"{c['actor']} replied: {c['subject']}"


def mention(c: Context) -> str:
    return f"{c['actor']} mentioned you: {c['subject']}"


def status_changed(c: Context) -> str:
    return f"Now {c['status'].lower()}: {c['subject']}"


def resolved(c: Context) -> str:
    return f"Resolved: {c['subject']}"


def sla_warning(c: Context) -> str:
    return f"{c['target'].capitalize()} due {c['due_at']}: {c['subject']}"


def sla_breach(c: Context) -> str:
    return f"{c['target'].capitalize()} overdue: {c['subject']}"


def sla_escalation(c: Context) -> str:
    return f"Escalated, {c['target']} overdue in {c['queue']}: {c['subject']}"


def password_reset(c: Context) -> str:
    return "Reset your Social IT Desk password"


def approval_asked(c: Context) -> str:
    return f"Your approval, please: {c['subject']}"


def approval_decided(c: Context) -> str:
    return f"{c['outcome'].capitalize()}: {c['subject']}"


def approval_expired(c: Context) -> str:
    return f"Expired undecided: {c['subject']}"


def access_ending(c: Context) -> str:
    return f"Your access to {c['account']} ends on {c['ends_on']}"


def account_notice(c: Context) -> str:
    return str(c["title"])


def webhook_disabled(c: Context) -> str:
    return f"Webhook turned off: {c.get('endpoint', 'an endpoint you own')}"


def merged(c: Context) -> str:
    return f"{c['reference']} continues as {c['target']}: {c['subject']}"


def followed(c: Context) -> str:
    return f"{c['actor']} on {c['reference']}: {c['subject']}"


def low_rating(c: Context) -> str:
    return f"Rated {c.get('score', 'poorly')} of 5: {c['subject']}"


SUBJECTS: dict[str, Callable[[Context], str]] = {
    Kind.RECEIVED: received,
    Kind.NEW_IN_QUEUE: new_in_queue,
    Kind.ASSIGNED: assigned,
    Kind.REPLY_TO_REQUESTER: reply_to_requester,
    Kind.REPLY_TO_STAFF: reply_to_staff,
    Kind.MENTION: mention,
    Kind.STATUS_CHANGED: status_changed,
    Kind.RESOLVED: resolved,
    Kind.SLA_WARNING: sla_warning,
    Kind.SLA_BREACH: sla_breach,
    Kind.SLA_ESCALATION: sla_escalation,
    Kind.PASSWORD_RESET: password_reset,
    Kind.APPROVAL_ASKED: approval_asked,
    Kind.APPROVAL_DECIDED: approval_decided,
    Kind.APPROVAL_EXPIRED: approval_expired,
    Kind.ACCESS_ENDING: access_ending,
    Kind.ACCOUNT_NOTICE: account_notice,
    Kind.WEBHOOK_DISABLED: webhook_disabled,
    Kind.LOW_RATING: low_rating,
    Kind.MERGED: merged,
    Kind.FOLLOWED: followed,
}


def reset_context(notification: Notification) -> Context:
    now = timezone.now()
    valid_for = timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)
    return {"reset_url": password_reset_link(user=notification.recipient), "valid_for": valid_for}


# What some emails carry is made when they are written, never stored in the row: a reset
# link is a credential, and made at delivery it is also valid from when it can be read.
# Higher apps add theirs at start-up (approvals: the decide link).
DELIVERY_CONTEXT: dict[str, Callable[[Notification], Context]] = {
    Kind.PASSWORD_RESET: reset_context,
}


def delivery_context_register(kind: str, builder: Callable[[Notification], Context]) -> None:
    """A higher app adds what its links need to one kind of email (the rating link, for one)."""
    DELIVERY_CONTEXT[kind] = builder


def one_line(text: str) -> str:
    """Header values are single lines: no CR/LF ever reaches a header from user text."""
    return re.sub(r"\s+", " ", text).strip()


def message_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "socialit.invalid"


def thread_id(thread: str) -> str:
    return f"<{re.sub(r'[^A-Za-z0-9.-]', '', thread).lower()}@{message_domain()}>"


def header_check(value: str) -> str:
    """A value copied into a header of ours from mail or people: a line break in it is refused."""
    if "\r" in value or "\n" in value:
        raise BadHeaderError(f"A line break in a header value is refused: {value[:80]!r}")
    return value


def loop_marker() -> str:
    """Our X-Loop value (RFC 3834): mail that carries it came from us and is never answered."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower() or f"desk@{message_domain()}"


def message_id(notification: Notification) -> str:
    """Its own Message-ID: a keyed part makes it unguessable, so a reply that quotes it saw the email."""
    key = salted_hmac("notifications.message-id", str(notification.pk)).hexdigest()[:12]
    return f"<{notification.kind}.{notification.pk}.{key}.{thread_id(notification.thread)[1:]}"


MESSAGE_ID_PK = re.compile(r"^<[a-z_]+\.(\d{1,18})\.[0-9a-f]{12}\.")


def notification_sent_as(reference: str) -> Notification | None:
    """The notification that went out with this Message-ID, or None: ours only, never a lookalike."""
    found = MESSAGE_ID_PK.match(reference.lower())
    if found is None:
        return None
    notification = Notification.objects.filter(pk=int(found.group(1))).select_related("recipient").first()
    if notification is None or not constant_time_compare(message_id(notification).lower(), reference.lower()):
        return None
    return notification


# The address replies go to, from the app that receives mail (inbound names it when it loads):
# a lower app that must not import the higher one is handed a function instead.
ReplyAddress = Callable[[Notification], str | None]
_reply_address: list[ReplyAddress] = []


def reply_address_provide(provider: ReplyAddress) -> None:
    _reply_address[:] = [provider]


def build(notification: Notification) -> EmailMultiAlternatives:
    context = {**notification.context, "kind": notification.kind}
    if notification.kind in DELIVERY_CONTEXT:
        context.update(DELIVERY_CONTEXT[notification.kind](notification))
    subject = SUBJECTS[notification.kind](context)
    if notification.ticket_id is not None:
        subject = f"[{notification.thread}] {subject}"
    subject = one_line(subject)[:250]
    template = f"notifications/email/{notification.kind}"
    root = thread_id(notification.thread)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[formataddr((one_line(notification.recipient.full_name), notification.email))],
        headers={
            "Message-ID": message_id(notification),
            "In-Reply-To": root,
            "References": root,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Loop": loop_marker(),
        },
    )
    reply_to = _reply_address[0](notification) if _reply_address and notification.ticket_id else None
    if reply_to:
        message.reply_to = [header_check(reply_to)]
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
