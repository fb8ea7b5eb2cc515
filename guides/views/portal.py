"""The portal's guides: browse, search, read, and say whether a guide answered the question."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.models import Platform
from tickets.paging import paginate

from .. import selectors, services
from ..forms import BrowseForm, FeedbackForm
from ..models import Guide
from ..permissions import can_write_guides
from ..policy import policy_pending_for

PAGE_SIZE = 24


@login_required
def guide_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    # A filter that isn't understood (a platform since retired) is dropped, not an error page.
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.GuideFilters(
        platform=data.get("platform"), topic=data.get("topic") or "", query=(data.get("q") or "").strip()
    )
    guides = selectors.portal_guides(request.user, filters)
    if filters.query:
        rows, page = list(guides), None
    else:
        page = paginate(
            guides,
            ordering=["title", "id"],
            per_page=PAGE_SIZE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
        rows = page.rows
    platform_slug = filters.platform.slug if filters.platform else ""
    return render(
        request,
        "guides/portal/list.html",
        {
            "filters": filters,
            "guides": rows,
            "page": page,
            "query": _query(request, {}),
            "heading": _heading(filters, found=bool(rows)),
            "platform_links": [
                Choice(label, _query(request, {"platform": slug}), slug == platform_slug)
                for slug, label in [
                    ("", "All platforms"),
                    *Platform.objects.filter(is_active=True).values_list("slug", "name"),
                ]
            ],
            "topic_links": [
                Choice(label, _query(request, {"topic": value}), value == filters.topic)
                for value, label in [("", "All topics"), *Guide.Topic.choices]
            ],
            "can_write": can_write_guides(request.user),
        },
    )


def _heading(filters: selectors.GuideFilters, *, found: bool) -> str:
    if filters.query:
        return f"Best matches for “{filters.query}”" if found else "No matches"
    heading = "Guides" if filters.platform or filters.topic else "All guides"
    if filters.platform:
        heading += f" for {filters.platform}"
    if filters.topic:
        heading += f" on {Guide.Topic(filters.topic).label.lower()}"
    return heading


@dataclass(frozen=True)
class Choice:
    label: str
    query: str
    active: bool


def _query(request: HttpRequest, changes: dict[str, str]) -> str:
    """The list's query string with `changes` applied, back on the first page."""
    params = request.GET.copy()
    for name in ("after", "before"):
        params.pop(name, None)
    for name, value in changes.items():
        if value:
            params[name] = value
        else:
            params.pop(name, None)
    return params.urlencode()


def _guide_page(
    request: AuthenticatedHttpRequest, guide: Guide, form: FeedbackForm | None = None
) -> HttpResponse:
    feedback = selectors.feedback_of(request.user, guide)
    if form is None:
        initial = (
            {"helpful": "yes" if feedback.helpful else "no", "comment": feedback.comment} if feedback else {}
        )
        form = FeedbackForm(initial=initial)
    return render(
        request,
        "guides/portal/guide.html",
        {
            "guide": guide,
            "related": selectors.related_guides(request.user, guide),
            "feedback": feedback,
            "form": form,
            "can_write": can_write_guides(request.user),
            "policy_pending": policy_pending_for(request.user) if guide.is_policy else None,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def guide_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # Reading changes nothing: the page's script reports the view (guide_viewed) by POST.
    return _guide_page(request, selectors.portal_guide(request.user, slug))


@login_required
@require_POST
def guide_feedback(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    guide = selectors.portal_guide(request.user, slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.guide_feedback_give(
                guide=guide,
                person=request.user,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment", error)
        else:
            messages.success(
                request,
                "Thanks: glad it helped."
                if form.cleaned_data["helpful"]
                else "Thanks for telling us; we'll improve it. If you still need help, file a request.",
            )
            return redirect(f"{guide.get_absolute_url()}#feedback")
    return _guide_page(request, guide, form)


@login_required
@require_POST
def guide_viewed(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    guide = selectors.portal_guide(request.user, slug)
    services.guide_view_record(guide=guide, person=request.user)
    return HttpResponse(status=204)


@login_required
def guide_image(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    image = selectors.image_for(request.user, pk)
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
