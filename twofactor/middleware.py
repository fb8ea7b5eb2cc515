from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware

from .links import url_with_next
from .selectors import second_factor_required, user_has_authenticator


class SecondFactorMiddleware:
    """django-otp's OTPMiddleware (request.user.is_verified()), then the rule on top of it.

    A staff member whose password is right but who has not given a second factor yet reaches
    only the code step, enrolment and log-out when one is due: always for managers and
    administrators, for agents when OTP_REQUIRED_FOR_AGENTS is on or once they have set up an
    app, and for everyone on the admin site.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.verify = OTPMiddleware(self.second_factor_enforce)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.verify(request)

    @cached_property
    def open_paths(self) -> frozenset[str]:
        return frozenset(reverse(name) for name in ("twofactor:verify", "twofactor:enrol", "accounts:logout"))

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("admin:index")

    def second_factor_enforce(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_staff or request.path_info in self.open_paths:
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        required = second_factor_required(user) or request.path_info.startswith(self.admin_prefix)
        has_app = user_has_authenticator(user)
        if not (required or has_app):
            return self.get_response(request)
        asked = request.get_full_path() if request.method in ("GET", "HEAD") else None
        return redirect(url_with_next("twofactor:verify" if has_app else "twofactor:enrol", asked))
