"""The social media policy: employees confirm it; Communications versions it; managers see who has."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.views.desk import desk_required

from .. import policy, selectors
from ..models import Guide

UNCONFIRMED_SHOWN = 200


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    guide = selectors.portal_guide(request.user, slug)
    version = request.POST.get("version", "")
    try:
        policy.policy_confirm(
            person=request.user, guide=guide, version=int(version) if version.isdigit() else -1
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Thanks: you confirmed version {version} of the social media policy.")
    return redirect(guide)


@desk_required
@require_POST
def designate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guide = get_object_or_404(Guide, pk=pk)
    try:
        guide = policy.policy_designate(actor=request.user, guide=guide)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"“{guide}” is now the social media policy, version {guide.policy_version}."
        )
    return redirect(guide.get_desk_url())


@desk_required
@require_POST
def new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guide = get_object_or_404(Guide, pk=pk)
    try:
        guide = policy.policy_version_new(actor=request.user, guide=guide)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {guide.policy_version} is out: everyone is asked to confirm it.")
    return redirect(guide.get_desk_url())


def _policy_for_managers(request: AuthenticatedHttpRequest) -> Guide:
    if not request.user.sees_every_queue:
        raise PermissionDenied("Managers see who has confirmed the policy.")
    guide = policy.policy_guide()
    if guide is None:
        raise Http404("No guide is the social media policy yet.")
    return guide


@desk_required
def confirmations(request: AuthenticatedHttpRequest) -> HttpResponse:
    guide = _policy_for_managers(request)
    unconfirmed = list(policy.confirmation_people(guide, unconfirmed_only=True))
    return render(
        request,
        "guides/desk/policy_confirmations.html",
        {
            "guide": guide,
            "departments": policy.confirmation_by_department(guide),
            "unconfirmed": unconfirmed[:UNCONFIRMED_SHOWN],
            "unconfirmed_count": len(unconfirmed),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(guide: Guide) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(["Name", "Email", "Department", f"Confirmed version {guide.policy_version}"])
    for person in policy.confirmation_people(guide):
        confirmed = (
            timezone.localtime(person.confirmed_at).strftime("%Y-%m-%d %H:%M") if person.confirmed_at else ""
        )
        # A name a spreadsheet would run as a formula is kept as text.
        cells = [person.name, person.email, person.department, confirmed]
        yield writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in cells])


@login_required
def confirmations_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    guide = _policy_for_managers(request)
    response = StreamingHttpResponse(_csv(guide), content_type="text/csv; charset=utf-8")
    filename = f"socialit-policy-v{guide.policy_version}-confirmations-{timezone.localdate()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
