"""Sign-in throttling on top of django-axes: an account locks after a few failures, an address after more.

Axes counts failed sign-ins in the database (AccessAttempt rows, one per account, address and
browser) and refuses sign-ins while a count is over its limit. It compares one number with one
limit; the handler here reports an address's failures only once they pass the address's own,
higher limit, so that one person mistyping never locks out an office behind one address, while
guessing across many accounts from one address still stops.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format

from .audit import auth_event_record
from .models import AuthEvent, User


def username_normalized(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account tried, as it is stored: `Erin@X` and ` erin@x ` count as one account."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    return typed.strip().lower() if isinstance(typed, str) else None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with separate limits for an account and for an address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = self.failure_counts(request, credentials)
        if by_address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.SIGNIN_ACCOUNT_FAILURE_LIMIT)
        return by_account

    def failure_counts(self, request: HttpRequest, credentials: dict[str, Any] | None) -> tuple[int, int]:
        account, address = self.recent_attempts(request, credentials)
        return (
            account.aggregate(total=Sum("failures_since_start"))["total"] or 0,
            address.aggregate(total=Sum("failures_since_start"))["total"] or 0,
        )

    def recent_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None
    ) -> tuple[QuerySet[AccessAttempt], QuerySet[AccessAttempt]]:
        cool_off = get_cool_off(request)
        recent = AccessAttempt.objects.all()
        if cool_off is not None:  # without one, a failure counts for ever
            recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
        username = get_client_username(request, credentials)
        account = recent.filter(username=username) if username else recent.none()
        return account, recent.filter(ip_address=get_client_ip_address(request))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # A success clears the account's count only: one good password must not clear an
        # address that has been guessing at other accounts.
        username = get_client_username(request, credentials)
        return self.reset_attempts(username=username) if username else 0


def lockout_state(
    request: HttpRequest, credentials: dict[str, Any] | None = None
) -> tuple[datetime | None, bool]:
    """When sign-in opens again (the newest counted failure ages out), and whether the address is locked."""
    handler = LockoutHandler()
    account, address = handler.recent_attempts(request, credentials)
    by_account, by_address = handler.failure_counts(request, credentials)
    address_locked = by_address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    locking = [address] if address_locked else []
    if by_account >= settings.SIGNIN_ACCOUNT_FAILURE_LIMIT:
        locking.append(account)
    lasts = [last for query in locking if (last := query.aggregate(last=Max("attempt_time"))["last"])]
    ends_at = max(lasts) + get_cool_off(request) if lasts else None
    return ends_at, address_locked


def lockout_message(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    ends_at, address_locked = lockout_state(request, credentials)
    when = "later"
    if ends_at:
        minutes = max(1, math.ceil((ends_at - timezone.now()).total_seconds() / 60))
        clock = date_format(timezone.localtime(ends_at), "H:i")
        when = f"in {minutes} minute{pluralize(minutes)} (after {clock})"
    if address_locked:
        return (
            f"Sign-in from your network is paused after too many failed attempts. Try again {when}, "
            "or ask an administrator to unlock it."
        )
    return (
        f"Sign-in to this account is paused after too many failed attempts. Try again {when}. "
        "To sign in sooner, reset your password by email, or ask an administrator to unlock the account."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The sign-in page again, with the lock-out message in place of "wrong password"."""
    message = lockout_message(request, credentials)
    if isinstance(original_response, TemplateResponse) and original_response.context_data:
        form = original_response.context_data.get("form")
        if isinstance(form, Form):
            # The form said "wrong email or password": say why instead, without a hint
            # whether the password typed was right.
            form.errors.pop("__all__", None)
            form.add_error(None, message)
        original_response.context_data["lockout_message"] = message
        original_response.content = original_response.rendered_content
        original_response.status_code = 429
        return original_response
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-ins while an account or address is locked out; the next backend checks passwords."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Without a request (the shell, a management command) there is no client to throttle.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_clear(*, username: str) -> int:
    """Unlock an account by forgetting its failed sign-ins: a password reset proves the owner."""
    return AxesProxyHandler.reset_attempts(username=username.strip().lower())


def lockout_attempts_clear(*, attempts: QuerySet[AccessAttempt], request: HttpRequest) -> int:
    """An administrator unlocks: the failed sign-ins are forgotten, the trail says who did it."""
    with transaction.atomic():
        cleared = sorted(set(attempts.values_list("username", "ip_address")), key=str)
        attempts.delete()
        for username, ip_address in cleared:
            auth_event_record(
                kind=AuthEvent.Kind.UNLOCKED,
                user=User.objects.filter(email__iexact=username).first() if username else None,
                request=request,
                email=username or "",
                detail=f"Failed sign-ins from {ip_address} forgotten by {getattr(request.user, 'email', '')}",
            )
    return len(cleared)
