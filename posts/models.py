"""A post drafted for a company account, reviewed on its ticket before it goes out."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ContentReview(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        CHANGES = "changes", "Changes requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="content_review")
    account = models.ForeignKey("social.CompanyAccount", on_delete=models.PROTECT, related_name="+")
    publish_at = models.DateTimeField(help_text="When the author wants the post to go out.")
    context = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The expiry sweep reads only drafts still waiting.
            models.Index(
                fields=["publish_at"],
                name="posts_review_waiting_idx",
                condition=models.Q(state__in=["pending", "changes"]),
            )
        ]

    def __str__(self) -> str:
        return f"Post for {self.account}"


class Draft(models.Model):
    """One version of the post; versions are never edited, a revision adds the next one."""

    review = models.ForeignKey(ContentReview, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField()
    text = models.TextField()
    links = models.TextField(blank=True, help_text="One address a line.")
    # [{"attachment": id, "name": file name, "alt": alt text}], in the order attached.
    images = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="posts_draft_number_unique")]

    def __str__(self) -> str:
        return f"Version {self.number}"


class Decision(models.Model):
    class Verdict(models.TextChoices):
        APPROVE = "approve", "Approved"
        CHANGES = "changes", "Changes requested"
        REJECT = "reject", "Rejected"

    review = models.ForeignKey(ContentReview, on_delete=models.CASCADE, related_name="decisions")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict="approve") | ~models.Q(comment=""),
                name="posts_decision_comment_unless_approved",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.reviewer}"
