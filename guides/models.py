from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Guide(models.Model):
    """An article employees read before they need a ticket, written in Markdown by the desk."""

    class Topic(models.TextChoices):
        ETIQUETTE = "etiquette", "Etiquette"
        PROTOCOL = "protocol", "Protocol"
        POLICY = "policy", "Policy"
        HOW_TO = "how-to", "How-to"
        SUCCESS_TIPS = "success-tips", "Success tips"
        SECURITY = "security", "Security"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        STAFF = "staff", "Support staff only"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, help_text="The guide's address: /guides/<slug>/.")
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists and search.")
    body = models.TextField(help_text="Markdown.")
    # The body as HTML, rendered and sanitised when the guide is saved (guides/markdown.py);
    # pages show it as it is. `manage.py guides_render` renders every guide again.
    body_html = models.TextField(editable=False, default="")
    platforms = models.ManyToManyField("tickets.Platform", blank=True, related_name="guides")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides_owned",
        help_text="Who keeps the guide correct; empty for the starter guides until someone takes them.",
    )
    review_by = models.DateField("review by", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it was first published.")
    # One guide is the social media policy that every employee confirms, version by version.
    is_policy = models.BooleanField("the social media policy", default=False, editable=False)
    policy_version = models.PositiveIntegerField(default=0, editable=False)

    # Words search finds besides the text: platform names, the topic, and compound words
    # ("Twitter/X", "facebook.com", "e-mail") split and joined. Kept by the services.
    search_terms = models.TextField(editable=False, default="")
    # PostgreSQL only: its GIN index is made by a migration that SQLite skips.
    search_vector = SearchVectorField(null=True, editable=False)
    # Title, summary and search terms alone: what suggestions weigh first, small enough to read
    # for every guide. PostgreSQL only, kept with search_vector.
    about_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(
                fields=["title", "id"], name="guide_published_title", condition=Q(status="published")
            ),
            models.Index(fields=["topic", "status"], name="guide_topic_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_policy"], condition=Q(is_policy=True), name="one_policy_guide"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:guide", args=[self.slug])

    def get_desk_url(self) -> str:
        return reverse("desk_guides:edit", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def for_staff_only(self) -> bool:
        return self.audience == self.Audience.STAFF


class GuideRevision(models.Model):
    """The guide as one save left it. Rows are never changed: the history of every edit."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    topic = models.CharField(max_length=20, choices=Guide.Topic.choices)
    audience = models.CharField(max_length=10, choices=Guide.Audience.choices)
    status = models.CharField(max_length=10, choices=Guide.Status.choices)
    platforms = models.CharField(max_length=300, blank=True, help_text="Platform names, as they were.")
    owner_name = models.CharField(max_length=150, blank=True)
    review_by = models.DateField(null=True, blank=True)
    note = models.CharField("change note", max_length=200, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["guide", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="guide_revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title}, revision {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("desk_guides:revision", args=[self.pk])


def guide_image_path(instance: GuideImage, filename: str) -> str:
    # A random name: what people call their files never reaches the file system.
    return timezone.now().strftime(f"guides/%Y/%m/{uuid.uuid4().hex}")


class GuideImage(models.Model):
    """A picture uploaded to one guide; its body may show only its own images."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=guide_image_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=50, help_text="From the file's first bytes, not its name.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("guides:image", args=[self.pk])


class GuideFeedback(models.Model):
    """One reader's answer to "Did this answer your question?"; they may change it."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [models.UniqueConstraint(fields=["guide", "person"], name="guide_feedback_once")]
        indexes = [models.Index(fields=["guide", "helpful"], name="guide_feedback_helpful")]

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.guide_id}"


class GuideView(models.Model):
    """Someone read a guide: what self-service measures count (views not followed by a ticket)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="views")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["guide", "viewed_at"], name="guide_view_by_guide"),
            models.Index(fields=["person", "viewed_at"], name="guide_view_by_person"),
        ]

    def __str__(self) -> str:
        return f"View of {self.guide_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class Deflection(models.Model):
    """An employee about to file a request said a suggested guide solved it: nothing was filed."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="deflections")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the filing form said when the guide answered: the dashboard counts by these.
    platform = models.ForeignKey(
        "tickets.Platform", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem_type = models.ForeignKey(
        "tickets.ProblemType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200, blank=True, help_text="The subject typed so far.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="deflection_created")]

    def __str__(self) -> str:
        return f"Solved by {self.guide_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PolicyConfirmation(models.Model):
    """An employee confirmed they read one version of the social media policy."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="confirmations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "version", "person"], name="policy_confirmed_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} confirmed version {self.version}"
