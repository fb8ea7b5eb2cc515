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
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
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
}


def reset_context(notification: Notification) -> Context:
    now = timezone.now()
    valid_for = timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)
    return {"reset_url": password_reset_link(user=notification.recipient), "valid_for": valid_for}


# What some emails carry is made when they are written, never stored in the row: a reset
# link is a credential, and made at delivery it is also valid from when it can be read.
DELIVERY_CONTEXT: dict[str, Callable[[Notification], Context]] = {
    Kind.PASSWORD_RESET: reset_context,
}


def one_line(text: str) -> str:
    """Header values are single lines: no CR/LF ever reaches a header from user text."""
    return re.sub(r"\s+", " ", text).strip()


def message_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "socialit.invalid"


def thread_id(thread: str) -> str:
    return f"<{re.sub(r'[^A-Za-z0-9.-]', '', thread).lower()}@{message_domain()}>"


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
            "Message-ID": f"<{notification.kind}.{notification.pk}.{root[1:]}",
            "In-Reply-To": root,
            "References": root,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
