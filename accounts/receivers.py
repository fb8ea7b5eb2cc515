"""Sign-in signals, from Django and from the lock-out, written to the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .audit import auth_event_record
from .lockout import LockoutHandler
from .models import AuthEvent, User
from .services import user_session_forget, user_session_track
from .session_timeouts import session_clock_start


@receiver(user_logged_in, dispatch_uid="accounts.audit.logged_in")
def logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    auth_event_record(kind=AuthEvent.Kind.LOGIN, user=user, request=request)
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        session_clock_start(session)
        user_session_track(user=user, session_key=session.session_key)


@receiver(user_logged_out, dispatch_uid="accounts.audit.logged_out")
def logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, "logout_reason", "")
    auth_event_record(kind=AuthEvent.Kind.LOGOUT, user=user, request=request, detail=reason)
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        user_session_forget(session_key=session.session_key)


def _refused_while_locked(request: HttpRequest | None) -> bool:
    # Axes marks a refused request locked without counting it; a counted failure has a count.
    return bool(
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email__iexact=typed).first() if typed else None
    if _refused_while_locked(request):
        detail = "Refused: locked out"
    elif user is None:
        detail = "Unknown account"
    elif not user.is_active:
        detail = "Account deactivated"
    else:
        detail = "Wrong password"
    auth_event_record(
        kind=AuthEvent.Kind.LOGIN_FAILED, user=user, request=request, detail=detail, email=typed
    )


@receiver(user_locked_out, dispatch_uid="accounts.audit.locked_out")
def locked_out(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    if _refused_while_locked(request):
        return  # already locked: the failed sign-in row says it was refused
    user = User.objects.filter(email__iexact=username).first() if username else None
    by_account, by_address = LockoutHandler().failure_counts(request, None)
    auth_event_record(
        kind=AuthEvent.Kind.LOCKED_OUT,
        user=user,
        request=request,
        detail=f"{by_account} recent failures for the account, {by_address} from the address",
        email=username or "",
    )
