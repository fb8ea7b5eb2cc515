"""Signed-in sessions end after a while without activity and, whatever the activity, after a day's work."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.timesince import timeuntil

SIGNED_IN_AT = "accounts_signed_in_at"
SEEN_AT = "accounts_seen_at"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


def session_clock_start(session: SessionBase) -> None:
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def session_expiry_reason(session: SessionBase, now: float) -> str:
    """Why this signed-in session is over ("idle timeout", "absolute timeout"), or "" while it runs."""
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        return ""
    if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return "absolute timeout"
    if now - seen_at > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return "idle timeout"
    return ""


def _duration(seconds: int) -> str:
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=seconds), now)


EXPIRED_MESSAGES: dict[str, Callable[[], str]] = {
    "idle timeout": lambda: (
        f"You were signed out after {_duration(settings.SESSION_IDLE_TIMEOUT_SECONDS)} without activity. "
        "Sign in again to go on."
    ),
    "absolute timeout": lambda: (
        f"You were signed out: a sign-in lasts {_duration(settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS)} "
        "at most. Sign in again to go on."
    ),
}


class SessionTimeoutMiddleware:
    """Signs out a session idle too long or signed in too long ago; the next page asks for a sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated:
            now = time.time()
            reason = session_expiry_reason(session, now)
            if reason:
                request.logout_reason = reason  # type: ignore[attr-defined]
                logout(request)
                messages.info(request, EXPIRED_MESSAGES[reason]())
            elif SIGNED_IN_AT not in session:
                # Signed in before timeouts existed: the clock starts now.
                session_clock_start(session)
            elif now - session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = int(now)
        return self.get_response(request)
