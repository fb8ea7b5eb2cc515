"""In the portal: asking for access or an exception, and the owner's access review."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest

from .. import access_requests, reviews
from ..models import CompanyAccount
from ..request_forms import AccessRequestForm, ExceptionForm, ReviewForm

T = TypeVar("T")


def _attempt(form: Form, call: Callable[[], T]) -> T | None:
    try:
        return call()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def access_request_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    accounts = (
        CompanyAccount.objects.exclude(status=CompanyAccount.Status.RETIRED)
        .select_related("platform")
        .order_by("platform__position", "name", "id")
    )
    initial = {"account": request.GET.get("account")} if request.GET.get("account", "").isdigit() else {}
    form = AccessRequestForm(request.POST or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approval = _attempt(
            form,
            lambda: access_requests.access_request_open(
                requester=request.user,
                account=data["account"],
                role=data["role"],
                role_label=data["role_label"],
                reason=data["reason"],
                ends_at=data["until"],
            ),
        )
        if approval is not None:
            who = approval.approver or "the managers"
            messages.success(request, f"Asked: {who} decides, and you hear by email.")
            return redirect(approval.get_absolute_url())
    return render(
        request,
        "social/portal/ask.html",
        {
            "form": form,
            "title": "Request access to a company account",
            "intro": "The account's owner decides. Once approved, the team that looks after it gives you the access.",
            "submit": "Ask the owner",
        },
    )


@login_required
def exception_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approval = _attempt(
            form,
            lambda: access_requests.exception_request_open(
                requester=request.user,
                kind=data["kind"],
                what=data["what"],
                reason=data["reason"],
                platform=data["platform"],
                ends_at=data["until"],
            ),
        )
        if approval is not None:
            who = approval.approver or "a manager"
            messages.success(request, f"Asked: {who} decides, then IT sets it up. You hear by email.")
            return redirect(approval.get_absolute_url())
    head = request.user.department.head if request.user.department else None
    return render(
        request,
        "social/portal/ask.html",
        {
            "form": form,
            "title": "Ask for an exception",
            "intro": (
                f"A site the company network blocks, or software you need for your work. "
                f"{head or 'A manager'} approves it first, then it reaches IT."
            ),
            "submit": "Ask for approval",
        },
    )


@login_required
def access_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = reviews.reviewable_account(request.user, pk)
    page = reviews.review_page(account)
    form = ReviewForm(request.POST or None, accesses=page.accesses)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: reviews.access_review_complete(
                account=account, actor=request.user, revoke=form.revoked_ids(), note=form.cleaned_data["note"]
            ),
        )
        if done is not None:
            revoked = len(form.revoked_ids())
            tail = f"; a ticket asks {account.queue} to remove {revoked}" if revoked else ""
            messages.success(request, f"Review of {account.name} recorded{tail}.")
            return redirect(account.get_desk_url() if request.user.is_desk_user else account.get_portal_url())
    rows = [(access, form.choice(access)) for access in page.accesses]
    return render(
        request, "social/review.html", {"page": page, "form": form, "rows": rows, "account": account}
    )
