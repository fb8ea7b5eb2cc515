"""Approvals: someone asks, a chain of people may say yes or no, and what was decided stays.

One mechanism for every ask that needs a yes first (access to a company account, an exception
to the network or software rules, and later content and statements). The approval names what
is asked; whoever asks it says who decides and what happens once decided (approvals/kinds.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Approval(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", "Access to a company account"
        NETWORK = "network", "Site blocked by the company network"
        SOFTWARE = "software", "Software I need"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired undecided"

    class Stage(models.TextChoices):
        FIRST = "first", "First approver"
        STAND_IN = "stand_in", "Stand-in"
        MANAGERS = "managers", "Managers"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("what is asked", max_length=200)
    reason = models.TextField("why")
    # What the asker's kind needs to act once approved (an account's role, a site), as ids and
    # labels: {"facts": [{"label": ..., "value": ...}], ...} (approvals/kinds.py).
    details = models.JSONField(default=dict, blank=True)
    ends_at = models.DateTimeField("until", null=True, blank=True)
    account = models.ForeignKey(
        "social.CompanyAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )

    # The chain: the first approver, a stand-in when they are away or gone, then the managers.
    # Empty: nobody in particular (a department without a head), so the managers decide.
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.FIRST)
    # Who is asked now; empty once it passed to the managers, any of whom may decide.
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    calendar = models.ForeignKey(
        "sla.Calendar", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    escalate_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # The sweep reads only this column: the sooner of the escalation and the expiry while pending.
    next_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Changes whenever the approval passes to someone else: links sent before stop working.
    link_version = models.PositiveSmallIntegerField(default=1)
    # Approved access waits for the owning queue to grant it; set when it is.
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    # An approved exception with an end: when its holder is reminded, then when it is ended.
    end_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="approval_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(comment=""),
                name="approval_rejected_with_reason",
                violation_error_message="Say why the request is rejected.",
            ),
        ]
        indexes = [
            models.Index(fields=["next_due_at"], name="approval_due", condition=Q(next_due_at__isnull=False)),
            models.Index(
                fields=["end_due_at"], name="approval_end_due", condition=Q(end_due_at__isnull=False)
            ),
            models.Index(
                fields=["approver", "created_at"],
                name="approval_waiting_by_approver",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["requester", "-created_at"], name="approval_by_requester"),
            models.Index(fields=["kind", "status", "created_at"], name="approval_by_kind_status"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def status_class(self) -> str:
        """The badge's colours for the status."""
        return STATUS_CLASSES[self.status]


STATUS_CLASSES: dict[str, str] = {
    Approval.Status.PENDING: "text-bg-warning",
    Approval.Status.APPROVED: "text-bg-success",
    Approval.Status.REJECTED: "text-bg-danger",
    Approval.Status.EXPIRED: "text-bg-secondary",
}


class ApprovalEvent(models.Model):
    """Append-only history of one approval: asked, passed on, decided, expired."""

    class Kind(models.TextChoices):
        ASKED = "asked", "Asked"
        PASSED = "passed", "Passed on"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["approval", "created_at"], name="approval_event_by_approval")]

    def __str__(self) -> str:
        return self.summary


class Absence(models.Model):
    """Someone away until a day: their approvals go to their stand-in meanwhile."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absence")
    until = models.DateField(help_text="The last day away.")

    def __str__(self) -> str:
        return f"{self.user} away until {self.until:%d %b %Y}"

    @property
    def is_current(self) -> bool:
        return self.until >= timezone.localdate()
