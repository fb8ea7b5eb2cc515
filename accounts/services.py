from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .audit import auth_event_record
from .models import AuthEvent, Department, User, UserSession
from .roles import ROLE_GROUPS


def role_groups_sync() -> None:
    """Create the role groups and give them exactly their permissions."""
    for name, codenames in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=name)
        permissions: list[Permission] = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    """Give a user a role and the admin access that comes with it."""
    user.role = role
    user.is_staff = role != User.Role.EMPLOYEE
    user.is_superuser = role == User.Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    role_group_names = [name for name, _ in ROLE_GROUPS.values()]
    user.groups.remove(*Group.objects.filter(name__in=role_group_names))
    if role in ROLE_GROUPS:
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role][0])
        user.groups.add(group)
    return user


def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    role: str = User.Role.EMPLOYEE,
    department: Department | None = None,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, department=department
        )
        user_set_role(user=user, role=role)
    return user


def _session_store(session_key: str) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def user_session_track(*, user: User, session_key: str) -> None:
    """Remember a signed-in session so that user_sessions_end can find it."""
    # Sessions past the absolute timeout are dead anyway: forget them as new ones arrive.
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS)
    UserSession.objects.filter(user=user, created_at__lt=too_old).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def user_session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(
    *,
    user: User,
    keep: str | SessionBase | None = None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> int:
    """End every session `user` is signed in with, except `keep` (a session or its key).

    Called when a password or second factor changes and when an account is deactivated.
    Returns how many sessions ended.
    """
    if isinstance(keep, SessionBase):
        keep = keep.session_key
    with transaction.atomic():
        keys = list(
            UserSession.objects.select_for_update()
            .filter(user=user)
            .exclude(session_key=keep or "")
            .values_list("session_key", flat=True)
        )
        ended = 0
        for key in keys:
            store = _session_store(key)
            # A key may be stale: expired, or replaced when its session was cycled.
            if store.exists(key):
                store.delete()
                ended += 1
        UserSession.objects.filter(session_key__in=keys).delete()
        if keep:
            # The kept session may have a new key (a password change cycles it).
            UserSession.objects.update_or_create(session_key=keep, defaults={"user": user})
        if ended:
            auth_event_record(
                kind=AuthEvent.Kind.SESSIONS_ENDED,
                user=user,
                request=request,
                detail=f"{ended} ended" + (f": {reason}" if reason else ""),
            )
    return ended


def user_deactivate(*, user: User, request: HttpRequest | None = None) -> User:
    """Stop someone signing in and end the sessions they have."""
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        user_deactivated(user=user, request=request)
    return user


# Higher apps register what a deactivation sets off (social: offboarding), called with the
# person deactivated and who did it, in the deactivation's transaction.
deactivation_followers: list[Callable[[User, User | None], None]] = []


def user_deactivated(*, user: User, request: HttpRequest | None = None) -> None:
    """What follows a deactivation made elsewhere (the admin's form): audit and sessions."""
    auth_event_record(kind=AuthEvent.Kind.DEACTIVATED, user=user, request=request)
    user_sessions_end(user=user, request=request, reason="account deactivated")
    actor = getattr(request, "user", None) if request is not None else None
    for follower in deactivation_followers:
        follower(user, actor if isinstance(actor, User) else None)


def user_password_changed(*, user: User, request: HttpRequest | None, kind: str) -> None:
    """After a password change or reset: audit it and end the other sessions."""
    keep = None
    if request is not None and getattr(request, "user", None) == user:
        keep = request.session.session_key
    auth_event_record(kind=kind, user=user, request=request)
    user_sessions_end(user=user, keep=keep, request=request, reason="password changed")
