from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import User


class Kind(models.TextChoices):
    RECEIVED = "received", "Your request was received"
    NEW_IN_QUEUE = "new_in_queue", "New ticket in your queue"
    ASSIGNED = "assigned", "A ticket was assigned to you"
    REPLY_TO_REQUESTER = "reply_to_requester", "Staff replied to your request"
    REPLY_TO_STAFF = "reply_to_staff", "The requester replied"
    MENTION = "mention", "You were mentioned in an internal note"
    STATUS_CHANGED = "status_changed", "The status of your request changed"
    RESOLVED = "resolved", "Your request was resolved"
    SLA_WARNING = "sla_warning", "A deadline is close"
    SLA_BREACH = "sla_breach", "A deadline was missed"
    SLA_ESCALATION = "sla_escalation", "A missed deadline escalated to managers"
    PASSWORD_RESET = "password_reset", "A link to reset your password"
    APPROVAL_ASKED = "approval_asked", "Someone asks for your approval"
    APPROVAL_DECIDED = "approval_decided", "Your request was approved or rejected"
    APPROVAL_EXPIRED = "approval_expired", "Your request expired undecided"
    ACCESS_ENDING = "access_ending", "Your access to a company account ends soon"
    ACCOUNT_NOTICE = "account_notice", "News about a company account you look after"
    WEBHOOK_DISABLED = "webhook_disabled", "A webhook you own was turned off after failing"
    LOW_RATING = "low_rating", "A requester rated a ticket 1 or 2"
    MERGED = "merged", "Your request was merged into another"
    FOLLOWED = "followed", "News on a ticket you follow"


# What a requester must hear, what managers must see and what someone asked for cannot be turned off.
ESSENTIAL_KINDS = frozenset(
    {
        Kind.RECEIVED,
        Kind.REPLY_TO_REQUESTER,
        Kind.SLA_ESCALATION,
        Kind.PASSWORD_RESET,
        Kind.APPROVAL_ASKED,
        Kind.APPROVAL_DECIDED,
        Kind.APPROVAL_EXPIRED,
        Kind.WEBHOOK_DISABLED,
        Kind.LOW_RATING,
        Kind.MERGED,
    }
)
OPTIONAL_KINDS = [kind for kind in Kind if kind not in ESSENTIAL_KINDS]

# Whom each kind can reach (tickets/notify.py chooses the recipients): everyone hears about their
# own requests and account; desk staff also about the tickets they work, managers also about
# escalations.
REQUESTER_KINDS = frozenset(
    {
        Kind.RECEIVED,
        Kind.REPLY_TO_REQUESTER,
        Kind.STATUS_CHANGED,
        Kind.RESOLVED,
        Kind.MERGED,
        Kind.PASSWORD_RESET,
        # Anyone may own a company account or ask for something that needs a yes.
        Kind.APPROVAL_ASKED,
        Kind.APPROVAL_DECIDED,
        Kind.APPROVAL_EXPIRED,
        Kind.ACCESS_ENDING,
        Kind.ACCOUNT_NOTICE,
    }
)
STAFF_KINDS = REQUESTER_KINDS | {
    Kind.NEW_IN_QUEUE,
    Kind.ASSIGNED,
    Kind.REPLY_TO_STAFF,
    Kind.MENTION,
    Kind.FOLLOWED,
    Kind.SLA_WARNING,
    Kind.SLA_BREACH,
    Kind.WEBHOOK_DISABLED,  # endpoints are owned by desk staff (webhooks/)
}
MANAGER_KINDS = STAFF_KINDS | {Kind.SLA_ESCALATION, Kind.LOW_RATING}


def kinds_reaching(user: User) -> list[Kind]:
    """The kinds of email that can reach this person, in the order of Kind."""
    if user.is_active and user.role == User.Role.MANAGER:
        reach = MANAGER_KINDS
    elif user.is_desk_user:
        reach = STAFF_KINDS
    else:
        reach = REQUESTER_KINDS
    return [kind for kind in Kind if kind in reach]


class Notification(models.Model):
    """One email to one person: written with the change it reports, delivered after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(help_text="The address at the time of the event.")
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    thread = models.CharField(max_length=40, help_text="Every email about one ticket threads together.")
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The re-dispatcher's work list: only undelivered rows are in this index.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_undelivered",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what_happened} to {self.email}"

    @property
    def what_happened(self) -> str:
        """The event, as the outbox lists it: the kind's label speaks to the recipient of most kinds."""
        if self.kind == Kind.STATUS_CHANGED and self.context.get("by_requester"):
            # Staff hear that a requester acted on a ticket they work, not about "your request".
            actor, reference = self.context.get("actor", "The requester"), self.context.get("reference", "")
            status = self.context.get("status", "")
            if status == "Resolved":
                return f"{actor} resolved {reference}"
            if status == "Open":
                return f"{actor} reopened {reference}"
            return f"{actor} set {reference} to {status}"
        return self.get_kind_display()


class OptOut(models.Model):
    """A kind of email someone chose not to receive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} opted out of {self.kind}"
