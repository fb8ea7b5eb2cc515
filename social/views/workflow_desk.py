"""In the desk: approved access waiting to be granted, and offboarding someone who leaves."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from approvals.models import Approval
from tickets.views.desk import desk_required

from .. import access_requests, offboarding
from ..request_forms import OffboardForm, PersonForm
from ..selectors import editable_accounts

GRANTS_LIMIT = 100


def _grants(user: User) -> list[Approval]:
    return list(
        Approval.objects.filter(
            kind=Approval.Kind.ACCESS,
            status=Approval.Status.APPROVED,
            fulfilled_at__isnull=True,
            account__in=editable_accounts(user),
        )
        .select_related("requester", "decided_by", "account__platform", "account__queue", "ticket")
        .order_by("decided_at", "id")[:GRANTS_LIMIT]
    )


@desk_required
def grants_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "social/desk/grants.html", {"grants": _grants(request.user)})


@desk_required
@require_POST
def grant_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(
        Approval.objects.filter(
            kind=Approval.Kind.ACCESS,
            status=Approval.Status.APPROVED,
            account__in=editable_accounts(request.user),
        ),
        pk=pk,
    )
    try:
        access = access_requests.access_request_grant(approval=approval, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Recorded: {access.holder} is {access.role_name} on {access.account.name}."
        )
    return redirect(approval.ticket.get_desk_url() if approval.ticket else "account_work:grants")


def _manager_only(user: User) -> None:
    if not user.sees_every_queue:
        raise Http404("Offboarding is for managers and administrators.")


@desk_required
def offboard_choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    _manager_only(request.user)
    form = PersonForm(request.GET or None)
    if form.is_valid():
        return redirect("account_work:offboard", pk=form.cleaned_data["person"].pk)
    return render(request, "social/desk/offboard_choose.html", {"form": form})


@desk_required
def offboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _manager_only(request.user)
    person = get_object_or_404(User, pk=pk)
    form = OffboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = offboarding.user_offboard_now(
                person=person, actor=request.user, leaving_on=form.cleaned_data["leaving_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{person} is offboarded: {len(plan.tickets)} revoke ticket{'s' if len(plan.tickets) != 1 else ''} opened.",
            )
            return redirect("account_work:offboard", pk=person.pk)
    plan = offboarding.offboarding_plan(person)
    return render(request, "social/desk/offboard.html", {"person": person, "form": form, "rows": plan.rows()})
