"""Approvals in the portal: what waits for me, what I asked, one approval, and email links.

An email link opens the same page as the portal does; only a POST by the signed-in approver
decides, so a mail scanner following the link decides nothing.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from .. import selectors, services
from ..forms import AbsenceForm, DecisionForm
from ..links import LinkRefused, link_read
from ..models import Absence, Approval, ApprovalEvent

LIST_LIMIT = 50


@login_required
def approval_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    absence = Absence.objects.filter(user=request.user).first()
    form = AbsenceForm(request.POST or None, initial={"until": absence.until if absence else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_set(user=request.user, until=form.cleaned_data["until"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            away = form.cleaned_data["until"] is not None
            messages.success(
                request,
                "Saved: requests go to your stand-in while you are away."
                if away
                else "Saved: requests come to you again.",
            )
            return redirect("approvals:list")
    context = {
        "waiting": list(selectors.waiting_for(request.user)[:LIST_LIMIT]),
        "asked": list(selectors.asked_by(request.user)[:LIST_LIMIT]),
        "absence_form": form,
    }
    return render(request, "approvals/list.html", context)


def _page(
    request: AuthenticatedHttpRequest,
    approval: Approval,
    form: DecisionForm,
    *,
    action: str,
    status: int = 200,
) -> HttpResponse:
    events = list(ApprovalEvent.objects.filter(approval=approval).select_related("actor"))
    context = {
        "approval": approval,
        "facts": approval.details.get("facts", []),
        "events": events,
        "form": form,
        "can_decide": selectors.can_decide(request.user, approval),
        "action": action,
    }
    return render(request, "approvals/detail.html", context, status=status)


def _decide(request: AuthenticatedHttpRequest, approval: Approval, form: DecisionForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.approval_decide(
            approval=approval, actor=request.user, approve=form.approves, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    verb = "approved" if form.approves else "rejected"
    messages.success(request, f"You {verb} “{approval.subject}”. {approval.requester} is told.")
    return True


@login_required
def approval_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    approval = selectors.approval_for(request.user, pk)
    return _page(request, approval, DecisionForm(), action=request.path + "decide/")


@login_required
@require_POST
def approval_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    approval = selectors.approval_for(request.user, pk)
    if not selectors.can_decide(request.user, approval):
        return _refused(request, "Nothing was decided", _why_not(request, approval), status=403)
    form = DecisionForm(request.POST)
    if _decide(request, approval, form):
        return redirect(approval.get_absolute_url())
    return _page(request, approval, form, action=request.path, status=400)


def _refused(request: AuthenticatedHttpRequest, title: str, message: str, *, status: int) -> HttpResponse:
    return render(request, "approvals/refused.html", {"title": title, "message": message}, status=status)


def _why_not(request: AuthenticatedHttpRequest, approval: Approval) -> str:
    if not approval.is_pending:
        by = f" by {approval.decided_by}" if approval.decided_by else ""
        return (
            f"“{approval.subject}” was already {approval.get_status_display().lower()}{by}. Nothing changed."
        )
    if approval.requester_id == request.user.pk:
        return "You asked for this yourself, so someone else decides it."
    who = approval.approver or "the managers"
    return f"“{approval.subject}” waits for {who}, not for you. Nothing was decided."


def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page an approval email links to: GET shows it, POST by the approver decides.

    Not login_required's redirect alone: the refusals below must name who is signed in.
    """
    if not isinstance(request.user, User):
        return redirect_to_login(request.get_full_path())
    return _link(cast(AuthenticatedHttpRequest, request), token)


def _link(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    try:
        claim = link_read(token)
    except LinkRefused as refusal:
        return _refused(request, refusal.title, refusal.message, status=400)
    approval = (
        Approval.objects.select_related(*selectors.APPROVAL_RELATED).filter(pk=claim.approval_id).first()
    )
    if approval is None:
        return _refused(request, "This link is not valid", "The request it names does not exist.", status=404)
    if claim.approver_id != request.user.pk:
        return _refused(
            request,
            "This link is for someone else",
            f"It was sent to another person; you are signed in as {request.user}. Nothing was decided.",
            status=403,
        )
    if not approval.is_pending:
        return _refused(request, "This link was already used", _why_not(request, approval), status=410)
    if claim.version != approval.link_version or not selectors.can_decide(request.user, approval):
        return _refused(
            request,
            "This link no longer decides",
            f"“{approval.subject}” has passed to someone else since the email was sent. Nothing was decided.",
            status=410,
        )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _decide(request, approval, form):
            return redirect(approval.get_absolute_url())
        return _page(request, approval, form, action=request.path, status=400)
    return _page(request, approval, form, action=request.path)
