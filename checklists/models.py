"""Checklists: what must be done on a ticket, from templates the administrators keep.

A template names the problem types it comes with; when a ticket of one is filed, its items
are copied onto the ticket, so a later edit of the template changes no checklist already in
use. Items can be required (the ticket can't be resolved while one is open), can wait for an
approved holding statement, and can mark the moment the account counts as secured.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Needs(models.TextChoices):
    NOTHING = "", "Nothing"
    APPROVED_STATEMENT = "approved_statement", "An approved holding statement"


class ChecklistTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Shown above the items on the ticket.")
    problem_types = models.ManyToManyField(
        "tickets.ProblemType",
        blank=True,
        related_name="+",
        help_text="Tickets filed with one of these problem types get this checklist.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    help_text = models.TextField("how", blank=True, help_text="How to do it, in a sentence or two.")
    required = models.BooleanField(default=True, help_text="The ticket can't be resolved while it is open.")
    needs = models.CharField(
        "waits for", max_length=24, choices=Needs.choices, blank=True, default=Needs.NOTHING
    )
    secures = models.BooleanField(
        "account secured when done",
        default=False,
        help_text="When every item marked so is done, the account counts as secured: the ticket shows how long it took.",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class TemplateLink(models.Model):
    """Published guidance shown with the checklist: for every platform, or for one."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="links")
    platform = models.ForeignKey(
        "tickets.Platform",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leave empty to show it for every platform.",
    )
    label = models.CharField(max_length=120)
    url = models.URLField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Checklist(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="checklists")
    template = models.ForeignKey(
        ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # The template's links for the ticket's platform, as they were when it was attached.
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the last item that secures the account was done; empty while one is open.
    secured_at = models.DateTimeField(null=True, blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waive_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="checklist_by_ticket")]
        constraints = [
            models.CheckConstraint(
                condition=Q(waived_at__isnull=True, waived_by__isnull=True, waive_reason="")
                | (Q(waived_at__isnull=False, waived_by__isnull=False) & ~Q(waive_reason="")),
                name="checklist_waived_with_who_and_why",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    needs = models.CharField(max_length=24, choices=Needs.choices, blank=True, default=Needs.NOTHING)
    secures = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="checklist_item_done_with_who",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Statement(models.Model):
    """The public holding statement for an incident: drafted, then approved by someone else."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="statement")
    text = models.TextField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=models.F("drafted_by")),
                name="statement_approved_by_another",
                violation_error_message="Someone other than the author approves the statement.",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="statement_approved_with_who",
            ),
        ]

    def __str__(self) -> str:
        return f"Holding statement for ticket {self.ticket_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
