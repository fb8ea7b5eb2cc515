"""Mailboxes the desk reads, and every message that came in through them.

A message is recorded before anything is made of it, so nothing is lost: its raw bytes stay
with the row whatever happens next, and the row says what became of it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Mailbox(models.Model):
    class Delivery(models.TextChoices):
        IMAP = "imap", "Polled over IMAP"
        PIPE = "pipe", "Piped by the mail server (manage.py receive_email)"

    class Senders(models.TextChoices):
        EMPLOYEES = "employees", "Employees with an account"
        ANYONE = "anyone", "Anyone"

    class Security(models.TextChoices):
        TLS = "tls", "TLS from the start (port 993)"
        STARTTLS = "starttls", "STARTTLS (port 143)"
        NONE = "none", "None (only on a trusted network)"

    address = models.EmailField(unique=True, help_text="The address people write to, such as it@example.com.")
    slug = models.SlugField(
        unique=True, help_text="Names the mailbox in `manage.py receive_email --mailbox`."
    )
    queue = models.ForeignKey(
        "tickets.Queue",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text="Where its new requests belong.",
    )
    delivery = models.CharField("how mail arrives", max_length=8, choices=Delivery.choices)
    senders = models.CharField(
        "who may write", max_length=12, choices=Senders.choices, default=Senders.EMPLOYEES
    )
    is_active = models.BooleanField(default=True, help_text="An inactive mailbox is not polled.")
    imap_host = models.CharField("IMAP host", max_length=255, blank=True)
    imap_port = models.PositiveIntegerField("IMAP port", default=993)
    imap_security = models.CharField(
        "IMAP connection security", max_length=8, choices=Security.choices, default=Security.TLS
    )
    imap_user = models.CharField("IMAP user", max_length=255, blank=True)
    imap_folder = models.CharField("IMAP folder", max_length=255, default="INBOX")
    # The password itself never reaches the database, its backups or the admin's pages.
    imap_password_env = models.CharField(
        "environment variable holding the IMAP password",
        max_length=100,
        blank=True,
        help_text="The NAME of a variable set for the worker, such as DESK_IMAP_PASSWORD_IT; never the password.",
    )

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.address


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not yet processed"
        TICKET = "ticket", "Filed as a ticket"
        COMMENT = "comment", "Added to a ticket"
        IGNORED = "ignored", "Ignored (automatic or list mail)"
        HELD = "held", "Held for an agent"
        LIMITED = "limited", "Held back: too many from this sender"
        FAILED = "failed", "Failed"

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    # The Message-ID, or a digest of the bytes when there is none: one row per message, however
    # often a mail server pipes it or a poll fetches it.
    key = models.CharField(max_length=255, unique=True)
    raw = models.BinaryField()
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True, help_text="Why it was held, ignored or failed.")
    # The whole text as it came, quoted history and signature included; the comment has the cut text.
    text = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "tickets.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_by_status"),
            # The per-sender limit counts a sender's recent messages; the ticket page lists its mail.
            models.Index(fields=["sender", "received_at"], name="inbound_by_sender"),
            models.Index(fields=["ticket", "received_at"], name="inbound_by_ticket"),
        ]

    def __str__(self) -> str:
        return self.subject or self.key


class Contact(models.Model):
    """Someone outside the company who wrote to a mailbox that takes anyone's mail.

    They are a person the desk can file for and write to, never one who signs in: their
    account has no usable password, and no mailbox for employees takes them as an employee.
    """

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="mail_contact")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="contacts")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.user)


class AutoReply(models.Model):
    """The one answer a day an unknown sender gets, telling them how to file; sent after commit."""

    address = models.EmailField()
    day = models.DateField()
    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "auto-replies"
        constraints = [models.UniqueConstraint(fields=["address", "day"], name="one_auto_reply_a_day")]
        indexes = [models.Index(fields=["day"], name="auto_reply_unsent", condition=models.Q(sent_at=None))]

    def __str__(self) -> str:
        return f"Auto-reply to {self.address} on {self.day}"


class FailedMessage(InboundMessage):
    """The messages that need someone: failed to process, or held for an agent."""

    class Meta:
        proxy = True
        verbose_name = "failed or held message"
