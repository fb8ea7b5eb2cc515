"""Report a hacked account, from the portal's home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest

from ..forms import ReportHackedForm
from ..incidents import account_report_hacked


@login_required
def report_hacked(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A link from an account's page names the account; the form starts with it chosen.
    initial = {name: request.GET.get(name, "") for name in ("platform", "account")}
    form = ReportHackedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = account_report_hacked(
                reporter=request.user,
                platform=data["platform"],
                account=data["account"],
                account_text=data["company_account"],
                signs=data["signs"],
                details=data["details"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Thanks — {ticket.reference} is with IT as urgent. Don't post from the account until IT says so.",
            )
            return redirect(ticket)
    return render(request, "social/portal/report_hacked.html", {"form": form})
