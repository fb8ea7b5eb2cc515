"""Macros: a reply with placeholders and the changes that go with it, applied in one step."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models import Queue, Ticket

from .placeholders import placeholders_check, placeholders_help

# A macro sets what an agent sets by hand; New and Closed are the desk's own to give.
SETTABLE_STATUSES = [
    (status.value, status.label)
    for status in Ticket.Status
    if status not in (Ticket.Status.NEW, Ticket.Status.CLOSED)
]


class Macro(models.Model):
    class Assign(models.TextChoices):
        KEEP = "", "Leave as it is"
        ME = "me", "The agent who applies it"
        NOBODY = "nobody", "Nobody (unassign)"

    name = models.CharField(max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        help_text="Personal: only this agent sees it. Leave empty and choose a queue to share it.",
    )
    queue = models.ForeignKey(
        Queue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        help_text="Shared: every agent of this queue sees it on the queue's tickets.",
    )
    reply = models.TextField(blank=True, help_text="The public reply. " + placeholders_help())
    note = models.TextField(blank=True, help_text="An internal note added with it; same placeholders.")
    guide = models.ForeignKey(
        "guides.Guide",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The guide {{guide_link}} points to.",
    )
    set_status = models.CharField(max_length=24, choices=SETTABLE_STATUSES, blank=True)
    set_priority = models.PositiveSmallIntegerField(choices=Ticket.Priority.choices, null=True, blank=True)
    move_to = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="move to queue"
    )
    assign = models.CharField(max_length=8, choices=Assign.choices, blank=True)
    checklist = models.ForeignKey(
        "checklists.ChecklistTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Attached unless the ticket has it already.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True, queue__isnull=False)
                | Q(owner__isnull=False, queue__isnull=True),
                name="macro_personal_or_shared",
                violation_error_message="A macro is either personal (an owner) or shared with a queue, not both.",
            ),
            models.UniqueConstraint(fields=["queue", "name"], name="macro_name_per_queue"),
            models.UniqueConstraint(fields=["owner", "name"], name="macro_name_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "is_active", "name"], name="macro_by_owner")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for field in ("reply", "note"):
            try:
                placeholders_check(getattr(self, field), has_guide=self.guide_id is not None)
            except ValidationError as error:
                errors[field] = [error]
        if not (self.reply.strip() or self.note.strip() or self.has_actions):
            errors.setdefault("reply", []).append(
                ValidationError("Write a reply or a note, or choose at least one action.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_actions(self) -> bool:
        return bool(
            self.set_status or self.set_priority or self.move_to_id or self.assign or self.checklist_id
        )

    @property
    def scope(self) -> str:
        return f"Shared with {self.queue}" if self.queue_id else "Personal"
