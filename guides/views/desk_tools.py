"""Guides at work on a ticket: a picker that puts a guide's link into a reply."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tickets.views.desk import desk_required

from .. import selectors
from ..forms import PickerForm

PICKER_RESULTS = 8


@desk_required
def guide_picker(request: HttpRequest) -> HttpResponse:
    """Published guides matching the words typed, each with the Markdown link to insert."""
    form = PickerForm(request.GET)
    form.is_valid()
    query = (form.cleaned_data.get("q") or "").strip()
    guides = (
        list(selectors.portal_guides(request.user, selectors.GuideFilters(query=query))[:PICKER_RESULTS])
        if query
        else []
    )
    return render(
        request,
        "guides/desk/_picker_results.html",
        {
            "query": query,
            "choices": [
                (guide, f"[{guide.title}]({settings.SITE_URL}{guide.get_absolute_url()})") for guide in guides
            ],
        },
    )
