"""The code step of signing in, setting up an authenticator app, and each person's two-factor page."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from . import services
from .forms import AppCodeForm, EnrolForm, RecoveryCodeForm, pending_key_sign
from .links import next_url, url_with_next
from .qr import qr_svg
from .selectors import recovery_codes_left, second_factor_required, user_authenticator, user_has_authenticator

WRONG_CODE = (
    "That code didn't work. Type the code your app shows now; if it keeps failing, check your phone's clock."
)
WRONG_RECOVERY_CODE = (
    "That recovery code didn't work. Check it against your saved list; each code works once."
)


def staff_user(request: AuthenticatedHttpRequest) -> User:
    # The second factor protects staff; employees have no screens here.
    if not request.user.is_staff:
        raise Http404
    return request.user


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = staff_user(request)
    after = next_url(request)
    if user.is_verified():
        return redirect(after)
    if not user_has_authenticator(user):
        return redirect(url_with_next("twofactor:enrol", after))
    app_form = AppCodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
    form, field, wrong = (
        (recovery_form, "recovery_code", WRONG_RECOVERY_CODE)
        if recovery_form.is_bound
        else (app_form, "code", WRONG_CODE)
    )
    if form.is_bound and form.is_valid():
        check = services.second_factor_check(user=user, code=form.cleaned_data[field], request=request)
        if check.device is not None:
            services.session_second_factor_passed(request=request, device=check.device)
            if check.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {check.recovery_codes_left} left. If your phone "
                    "is gone, set up the app again and get new codes under Profile → Two-factor sign-in.",
                )
            return redirect(after)
        if check.retry_at is not None:
            seconds = max(1, round((check.retry_at - timezone.now()).total_seconds()))
            wrong = (
                f"Too many wrong codes. Wait {seconds} second{'s' if seconds > 1 else ''}, then try again."
            )
        form.add_error(field, wrong)
    return render(
        request,
        "twofactor/verify.html",
        {"form": app_form, "recovery_form": recovery_form, "next": after},
    )


def enrol_reason(user: User, after: str) -> str:
    if second_factor_required(user):
        role = user.get_role_display().lower()
        return (
            f"As {'an' if role[0] in 'aeiou' else 'a'} {role}, "
            "you confirm each sign-in with a code from an authenticator app on your phone."
        )
    if after.startswith(reverse("admin:index")):
        return "The admin site asks everyone for a code from an authenticator app on their phone."
    return "Once it is on, each sign-in also asks for a code from an authenticator app on your phone."


# The key and the recovery codes must not stay in a browser's or a proxy's cache.
@never_cache
@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = staff_user(request)
    after = next_url(request)
    if user_has_authenticator(user) and not user.is_verified():
        # Replacing the app takes the current one: a password alone must not swap in another.
        return redirect(url_with_next("twofactor:verify", after))
    if request.method == "POST":
        form = EnrolForm(request.POST, user=user)
        key = form.pending_key()
        if key is None:
            messages.error(
                request, "That set-up page was open too long. Scan the new code below and try again."
            )
            return redirect(url_with_next("twofactor:enrol", after))
        if form.is_valid():
            enrolled = services.second_factor_enrol(
                user=user, key=key, code=form.cleaned_data["code"], request=request
            )
            if enrolled is not None:
                _, codes = enrolled
                return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": after})
            form.add_error(
                "code",
                "That code doesn't match this key. Type the code the app shows for Social IT Desk now; "
                "if you scanned an earlier page, scan this one again.",
            )
    else:
        key = random_hex(20)
        form = EnrolForm(user=user, initial={"pending": pending_key_sign(user=user, key=key)})
    setup = TOTPDevice(user=user, key=key)
    typed_key = b32encode(unhexlify(key)).decode()
    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "next": after,
            "reason": enrol_reason(user, after),
            "qr": qr_svg(setup.config_url, label="QR code to scan with your authenticator app"),
            "typed_key": " ".join(typed_key[i : i + 4] for i in range(0, len(typed_key), 4)),
            "replacing": user_has_authenticator(user),
        },
    )


@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "twofactor/manage.html",
        {
            "device": user_authenticator(user),
            "recovery_codes_left": recovery_codes_left(user),
            "required": second_factor_required(user),
        },
    )


@never_cache
@require_POST
@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user_has_authenticator(user):
        return redirect("twofactor:manage")
    codes = services.recovery_codes_renew(user=user, request=request)
    return render(
        request, "twofactor/recovery_codes.html", {"codes": codes, "next": reverse("twofactor:manage")}
    )


@require_POST
@login_required
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not user_has_authenticator(user):
        return redirect("twofactor:manage")
    services.second_factor_remove(user=user, request=request, reason="Turned off by its owner")
    messages.success(request, "Two-factor sign-in is off. Your other sessions have been signed out.")
    return redirect("twofactor:manage")
