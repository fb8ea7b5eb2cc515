"""An email backend that behaves like an SMTP server that hung up: for the retry paths."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class DisconnectedBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class CrashingBackend(BaseEmailBackend):
    """A backend failing with something that is neither an SMTP error nor an OSError."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise RuntimeError("the provider's client blew up")
