"""The request form's live parts: the account choices that follow the chosen platform."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from ..forms import TicketForm


@login_required
@require_GET
def account_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account block for the platform in the query, keeping what was chosen or typed."""
    initial = {name: request.GET.get(name, "") for name in ("platform", "account", "company_account")}
    form = TicketForm(initial=initial)
    return render(request, "tickets/_account_block.html", {"form": form})
