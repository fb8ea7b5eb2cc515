"""The registry of company accounts: who owns each one, who can reach it, and everything that changed.

Nothing here is ever deleted. Access ends by being revoked, a connected app by being removed,
an account by being retired; the account events keep the story. Accounts, access rows and
events are protected from deletion at the database too (PROTECT), and the services are the only
writers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from tickets.models import REFERENCE_PREFIX

from .validators import no_secret

DEFAULT_REVIEW_DAYS = 90


class CompanyAccount(models.Model):
    """One of the company's accounts on a platform: a page, a handle, a blog, a mailbox."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPROMISED = "compromised", "Compromised"
        SUSPENDED = "suspended", "Suspended"
        RETIRED = "retired", "Retired"

    class SecondFactor(models.TextChoices):
        NONE = "none", "None"
        SMS = "sms", "SMS"
        APP = "app", "Authenticator app"
        KEY = "key", "Security key"

    platform = models.ForeignKey(
        "tickets.Platform", on_delete=models.PROTECT, related_name="company_accounts"
    )
    name = models.CharField(max_length=150, help_text="What people call it, such as “Acme careers page”.")
    handle = models.CharField(
        max_length=150, blank=True, help_text="The handle or page name on the platform, such as @acme."
    )
    url = models.URLField("address", max_length=300, blank=True)
    purpose = models.TextField(blank=True, help_text="What the account is for and who it speaks to.")
    queue = models.ForeignKey(
        "tickets.Queue",
        verbose_name="owning queue",
        on_delete=models.PROTECT,
        related_name="company_accounts",
        help_text="The team that looks after the account: its agents change the registry entry.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="business owner",
        on_delete=models.PROTECT,
        related_name="accounts_owned",
        help_text="Approves access and posts, and reviews who has access.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts_deputised",
        help_text="Stands in for the owner when they are away or leave.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)

    # Recovery details: shown only to those selectors.can_see_recovery lets through.
    second_factor = models.CharField(max_length=8, choices=SecondFactor.choices, default=SecondFactor.NONE)
    second_factor_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who has the phone, app or key that receives the second factor.",
    )
    recovery_email = models.CharField(
        "recovery email",
        max_length=254,
        blank=True,
        validators=[no_secret],
        help_text="The address or mailbox the platform sends recovery mail to.",
    )
    recovery_email_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who reads that mailbox.",
    )
    recovery_phone = models.CharField(
        "recovery phone",
        max_length=100,
        blank=True,
        validators=[no_secret],
        help_text="The number or device recovery codes go to, such as “IT on-call phone”.",
    )
    recovery_phone_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who has that phone.",
    )
    credentials_location = models.CharField(
        "where the credentials are kept",
        max_length=200,
        blank=True,
        validators=[no_secret],
        help_text="Only where they are, such as “vault: Social/LinkedIn”. Never the password itself.",
    )

    review_interval_days = models.PositiveSmallIntegerField(
        "review every (days)",
        default=DEFAULT_REVIEW_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="How often the owner checks who has access.",
    )
    last_reviewed_at = models.DateTimeField("last access review", null=True, blank=True)
    # The review sweep reads only this column: empty for retired accounts, which need no review.
    review_due_at = models.DateTimeField("next review due", null=True, blank=True)
    # The review sweep's next notice: the owner's reminder at review_due_at, then the managers'
    # escalation ACCESS_REVIEW_ESCALATE_DAYS later; empty once both are sent.
    review_notice_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Someone who could see the credentials left: they must be changed on the platform.
    credentials_rotation_since = models.DateTimeField(
        "credentials to rotate since", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "platform",
                Lower("name"),
                name="account_name_unique_per_platform",
                violation_error_message="The registry already has an account of that name on this platform.",
            ),
            models.UniqueConstraint(
                "platform",
                Lower("handle"),
                condition=~Q(handle=""),
                name="account_handle_unique_per_platform",
                violation_error_message="The registry already has an account with that handle on this platform.",
            ),
            models.CheckConstraint(
                condition=~Q(deputy=models.F("owner")),
                name="account_deputy_not_owner",
                violation_error_message="The deputy must be someone other than the owner.",
            ),
            models.CheckConstraint(
                condition=~Q(second_factor="none") | Q(second_factor_holder__isnull=True),
                name="account_no_holder_without_second_factor",
                violation_error_message="Name who holds the second factor only when there is one.",
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="account_by_name"),
            models.Index(
                fields=["review_due_at"], name="account_review_due", condition=Q(review_due_at__isnull=False)
            ),
            models.Index(
                fields=["review_notice_at"],
                name="account_review_notice_due",
                condition=Q(review_notice_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})" if self.platform_id else self.name

    def get_desk_url(self) -> str:
        return reverse("registry:account", args=[self.pk])

    def get_portal_url(self) -> str:
        return reverse("my_accounts:account", args=[self.pk])

    def review_due_from(self, start: datetime) -> datetime | None:
        """When the next review falls, counted from `start`; retired accounts need none."""
        if self.status == self.Status.RETIRED:
            return None
        return start + timedelta(days=self.review_interval_days)


class ConnectedApp(models.Model):
    """A third-party app the account lets in: a scheduler, an analytics tool, a plug-in."""

    account = models.ForeignKey(CompanyAccount, on_delete=models.PROTECT, related_name="connected_apps")
    name = models.CharField(max_length=120)
    scope = models.CharField(max_length=300, blank=True, help_text="What it may do, such as “publish posts”.")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="connected_app_removed_with_who",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Access(models.Model):
    """Someone holding a role on an account. Current while not revoked; kept for ever after."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        EDITOR = "editor", "Editor"
        MODERATOR = "moderator", "Moderator"
        ANALYST = "analyst", "Analyst"
        OTHER = "other", "Other"

    account = models.ForeignKey(CompanyAccount, on_delete=models.PROTECT, related_name="accesses")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_accesses"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    role_label = models.CharField(
        "role name",
        max_length=60,
        blank=True,
        help_text="The platform's own name for the role, when it is none of the usual ones.",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_through = models.ForeignKey(
        "tickets.Ticket",
        verbose_name="ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The request that asked for this access.",
    )
    ends_at = models.DateTimeField("ends", null=True, blank=True)
    # The revoke ticket opened for this access (offboarding, an end date, a review); pending
    # until the access is revoked.
    revocation_ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField("why revoked", max_length=300, blank=True)
    # The end sweep's next step for access with an end date: the holder's reminder (before
    # ends_at), then the revoke ticket (at ends_at); empty once the ticket is open.
    end_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "access"
        ordering = ["granted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoke_reason="")
                | (Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revoke_reason="")),
                name="access_revoked_with_who_and_why",
            ),
            models.CheckConstraint(
                condition=Q(role="other", role_label__gt="") | (~Q(role="other") & Q(role_label="")),
                name="access_role_label_only_for_other",
            ),
            # One current row per person and role: current access is a query on this index.
            models.UniqueConstraint(
                fields=["account", "holder", "role", "role_label"],
                condition=Q(revoked_at__isnull=True),
                name="access_current_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["holder"], condition=Q(revoked_at__isnull=True), name="access_current_by_holder"
            ),
            models.Index(
                fields=["ends_at"],
                condition=Q(revoked_at__isnull=True, ends_at__isnull=False),
                name="access_current_ends",
            ),
            models.Index(
                fields=["end_due_at"],
                condition=Q(revoked_at__isnull=True, end_due_at__isnull=False),
                name="access_end_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder}, {self.role_name}"

    @property
    def role_name(self) -> str:
        return self.role_label if self.role == self.Role.OTHER else self.get_role_display()

    @property
    def ticket_reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.granted_through_id}" if self.granted_through_id else ""

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None

    @property
    def revocation_pending(self) -> bool:
        return self.revoked_at is None and self.revocation_ticket_id is not None


class AccountEvent(models.Model):
    """Append-only history of an account: who changed what, when and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Registered"
        UPDATED = "updated", "Details changed"
        ACCESS_GRANTED = "access_granted", "Access granted"
        ACCESS_REVOKED = "access_revoked", "Access revoked"
        APP_ADDED = "app_added", "Connected app added"
        APP_REMOVED = "app_removed", "Connected app removed"
        REVOCATION_REQUESTED = "revocation_requested", "Revocation requested"
        OWNER_LEFT = "owner_left", "Owner or deputy left"
        ROTATION_FLAGGED = "rotation_flagged", "Credentials to rotate"
        REVIEWED = "reviewed", "Access reviewed"
        COMPROMISED = "compromised", "Reported hacked"
        RESTORED = "restored", "Secured, active again"

    account = models.ForeignKey(CompanyAccount, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the desk itself acted (timers, offboarding).",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    # One shape for every kind (social/history.py): what the event is about and each field's
    # before and after, as ids plus labels.
    changes = models.JSONField(default=dict, blank=True)
    reason = models.CharField("why", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["account", "created_at", "id"], name="account_event_by_account")]

    def __str__(self) -> str:
        return self.summary
