"""Saved views: the desk list's filters under a name, personal or shared with a queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.http import urlencode

from tickets.models import Queue


class SavedView(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Personal: only this person sees it. Leave empty and choose a queue to share it.",
    )
    queue = models.ForeignKey(
        Queue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Shared: every agent of this queue sees it in the desk's sidebar.",
    )
    # The desk list's parameters (only savedviews.filters.FILTER_KEYS), as its address has them.
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True, queue__isnull=False)
                | Q(owner__isnull=False, queue__isnull=True),
                name="saved_view_personal_or_shared",
                violation_error_message="A view is either personal or shared with a queue, not both.",
            ),
            models.UniqueConstraint(fields=["queue", "name"], name="saved_view_name_per_queue"),
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def query_string(self) -> str:
        return urlencode(sorted(self.filters.items()))


class QueueDefaultView(models.Model):
    """The view a queue's agents open the desk on; a manager chooses it."""

    queue = models.OneToOneField(
        Queue, on_delete=models.CASCADE, related_name="default_view", primary_key=True
    )
    view = models.ForeignKey(SavedView, on_delete=models.CASCADE, related_name="+")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.queue}: {self.view}"
