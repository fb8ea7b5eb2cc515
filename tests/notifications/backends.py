"""Email backends that behave like a troubled SMTP server, or tell in what order things happened."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from notifications.models import Notification


class DisconnectedBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class CrashingBackend(BaseEmailBackend):
    """A backend failing with something that is neither an SMTP error nor an OSError."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise RuntimeError("the provider's client blew up")


class OrderRecordingBackend(BaseEmailBackend):
    """Keeps what happened, in order, and how many rows were marked sent when it hung up."""

    events: list[str] = []

    def open(self) -> bool:
        self.events.append("open")
        return True

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.events.append("send")
        return len(email_messages)

    def close(self) -> None:
        sent = Notification.objects.filter(status=Notification.Status.SENT).count()
        self.events.append(f"close with {sent} sent")
