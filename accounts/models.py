from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Department(models.Model):
    """Where a requester works: routing rules and cost reports group by it."""

    name = models.CharField(max_length=100, unique=True)
    head = models.ForeignKey(
        "User",
        verbose_name="department head",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_headed",
        help_text="Approves the department's exceptions (a blocked site, software); a manager when empty.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        EMPLOYEE = "employee", "Employee"
        AGENT = "agent", "Agent"
        MANAGER = "manager", "Manager"
        ADMIN = "admin", "Administrator"

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin site access",
        default=False,
        help_text="Set from the role: agents, managers and administrators may sign in to the admin.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    # Set on the request's user by django-otp's middleware (twofactor.middleware), not stored.
    is_verified: Callable[[], bool]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_desk_user(self) -> bool:
        """Agents, managers and administrators work tickets in the desk."""
        return self.is_active and self.role != self.Role.EMPLOYEE

    @property
    def sees_every_queue(self) -> bool:
        return self.is_active and self.role in (self.Role.MANAGER, self.Role.ADMIN)


class AuthEvent(models.Model):
    """One sign-in or account-security event, kept for admins to review."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        LOGOUT = "logout", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
        PASSWORD_RESET_THROTTLED = "password_reset_throttled", "Password reset refused: too many"
        PASSWORD_RESET_DONE = "password_reset_done", "Password reset completed"
        OTP_ENROLLED = "otp_enrolled", "Second factor enrolled"
        OTP_REMOVED = "otp_removed", "Second factor removed"
        OTP_FAILED = "otp_failed", "Second factor failed"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        DEACTIVATED = "deactivated", "Account deactivated"
        SESSIONS_ENDED = "sessions_ended", "Sessions ended"
        UNLOCKED = "unlocked", "Unlocked by an administrator"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Kept when the account is deleted: the trail outlives the person.
    user = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="auth_events"
    )
    email = models.CharField(
        max_length=254, blank=True, help_text="The address used, even for an unknown account."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "sign-in event"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"], name="auth_event_user_at"),
            # The password-reset limit counts recent requests per account and per address.
            models.Index(fields=["kind", "email", "at"], name="auth_event_kind_email_at"),
            models.Index(fields=["kind", "ip_address", "at"], name="auth_event_kind_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.email or '-'}"


class UserSession(models.Model):
    """A session someone signed in with, so that all of a person's sessions can be ended at once."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Session of {self.user}"
