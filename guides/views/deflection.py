"""Guides offered beside the filing form, and "This solved it", which files nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest

from .. import selectors, services
from ..forms import FilingDraftForm
from ..suggestions import guide_suggestions


@login_required
@require_POST
def suggestions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The suggestions fragment for what the form holds; POST because a description can be long.
    It records nothing."""
    draft = FilingDraftForm(request.POST).draft()
    return render(
        request,
        "guides/portal/_suggestions.html",
        {"suggestions": guide_suggestions(request.user, draft), "draft": draft},
    )


@login_required
@require_POST
def solved(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    guide = selectors.portal_guide(request.user, slug)
    draft = FilingDraftForm(request.POST).draft()
    services.deflection_record(
        guide=guide,
        person=request.user,
        platform=draft.platform,
        problem_type=draft.problem_type,
        subject=draft.subject,
    )
    messages.success(request, "Glad it's solved. Nothing was filed; if it comes back, file a request.")
    return redirect(guide)
