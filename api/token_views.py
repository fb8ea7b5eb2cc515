"""The profile's API token screens: create (the token is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest

from .forms import TokenForm
from .models import ApiToken
from .tokens import api_token_create, api_token_revoke, user_api_tokens


def _second_factor_passed(request: HttpRequest) -> bool:
    # Set by django-otp's middleware (twofactor.middleware) on every signed-in request.
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@never_cache
@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(
                user=request.user, second_factor_passed=_second_factor_passed(request), **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, str(error) if isinstance(error, PermissionDenied) else error)
        else:
            # Rendered, not redirected: the plain token lives only in this one response.
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "issued": issued, "tokens": user_api_tokens(request.user), "now": timezone.now()},
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"The token “{token.name}” is revoked; it no longer opens the API.")
    return redirect("api_tokens:list")
