"""The desk's guides: agents list, write, edit and illustrate them, and read their history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.models import Ticket
from tickets.paging import paginate
from tickets.selectors import desk_ticket
from tickets.views.desk import desk_required

from .. import selectors, services
from ..diffs import revision_diff
from ..forms import DeskGuideFilterForm, GuideForm, ImageForm, PreviewForm
from ..markdown import Rendered, markdown_render
from ..models import Guide
from ..permissions import can_edit, can_publish
from ..suggestions import PROBLEM_TOPICS


@desk_required
def guide_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeskGuideFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.DeskGuideFilters(
        topic=data.get("topic") or "",
        status=data.get("status") or "",
        platform=data.get("platform"),
        query=(data.get("q") or "").strip(),
    )
    guides = selectors.desk_guides(filters)
    if filters.query:
        rows, page = list(guides[: selectors.SEARCH_RESULTS]), None
    else:
        page = paginate(
            guides,
            ordering=["title", "id"],
            per_page=settings.DESK_PAGE_SIZE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
        rows = page.rows
    params = request.GET.copy()
    for name in ("after", "before"):
        params.pop(name, None)
    return render(
        request,
        "guides/desk/list.html",
        {
            "form": form,
            "guides": rows,
            "page": page,
            "query": params.urlencode(),
            "filters": filters,
            "today": timezone.localdate(),
        },
    )


def _saved_messages(request: HttpRequest, saved: services.GuideSaved) -> None:
    if not saved.changed:
        messages.info(request, "Nothing had changed, so no new revision was made.")
        return
    state = "published" if saved.guide.is_published else "saved as a draft"
    messages.success(request, f"“{saved.guide}” is {state}.")
    _refusal_messages(request, saved.rendered)


def _refusal_messages(request: HttpRequest, rendered: Rendered) -> None:
    if rendered.refused_links:
        messages.warning(
            request,
            "These links are shown as plain text: a link must start with https://, http:// or mailto:, "
            "or lead to another guide (/guides/…): " + ", ".join(rendered.refused_links),
        )
    if rendered.refused_images:
        messages.warning(
            request,
            "These pictures are left out: a guide shows only pictures uploaded to it: "
            + ", ".join(rendered.refused_images),
        )


def _from_ticket(ticket: Ticket) -> dict[str, object]:
    """A start for a guide that answers what `ticket` asked; the requester's words stay on the ticket."""
    topics = PROBLEM_TOPICS.get(ticket.problem_type.slug, frozenset())
    return {
        "title": ticket.subject,
        "platforms": [ticket.platform],
        "topic": min(topics) if len(topics) == 1 else "",
        "body": "## When this applies\n\n\n## What to do\n\n1. \n",
        "note": f"Started from {ticket.reference}",
    }


@desk_required
def guide_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, object] = {"owner": request.user, "status": Guide.Status.DRAFT}
    ticket_id = request.GET.get("ticket", "")
    if ticket_id.isdigit():
        initial.update(_from_ticket(desk_ticket(request.user, int(ticket_id))))
    form = GuideForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.guide_create(
                actor=request.user, content=form.content(), note=form.cleaned_data["note"]
            )
        except PermissionDenied as refusal:
            form.add_error("status", str(refusal))
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        else:
            _saved_messages(request, saved)
            return redirect(saved.guide.get_desk_url())
    elif form.is_bound:
        status = 400
    return render(request, "guides/desk/edit.html", {"form": form, "guide": None}, status=status)


@desk_required
def guide_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guide = selectors.desk_guide(pk)
    latest = selectors.latest_revision_number(guide)
    form = GuideForm(
        request.POST or None,
        instance=guide,
        initial={"base_revision": latest, "platforms": list(guide.platforms.all())},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.guide_update(
                actor=request.user,
                guide=guide,
                content=form.content(),
                base_revision=form.cleaned_data["base_revision"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as refusal:
            form.add_error("status", str(refusal))
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
            status = 409
        else:
            _saved_messages(request, saved)
            return redirect(saved.guide.get_desk_url())
    elif form.is_bound:
        status = 400
    return render(
        request,
        "guides/desk/edit.html",
        {
            "form": form,
            "guide": guide,
            "latest_revision": latest,
            "may_edit": can_edit(request.user, guide),
            "may_publish": can_publish(request.user, guide.topic),
            "images": list(guide.images.all()),
            "image_form": ImageForm(),
            "feedback": selectors.recent_feedback(guide),
        },
        status=status,
    )


@desk_required
@require_POST
def guide_image_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guide = selectors.desk_guide(pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("image", []):
            messages.error(request, str(error))
        return redirect(f"{guide.get_desk_url()}#pictures")
    try:
        image = services.guide_image_add(actor=request.user, guide=guide, upload=form.cleaned_data["image"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"“{image.name}” is uploaded: paste its line into the text where it belongs."
        )
    return redirect(f"{guide.get_desk_url()}#pictures")


@desk_required
@require_POST
def guide_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The body as the guide's page will show it, with what the rules leave out. Saves nothing."""
    form = PreviewForm(request.POST)
    form.is_valid()
    image_urls: list[str] = []
    guide_id = request.POST.get("guide", "")
    if guide_id.isdigit():
        guide = get_object_or_404(Guide, pk=int(guide_id))
        image_urls = [image.get_absolute_url() for image in guide.images.all()]
    rendered = markdown_render(form.cleaned_data.get("body", ""), image_urls=image_urls)
    return render(request, "guides/desk/_preview.html", {"rendered": rendered})


@desk_required
def guide_revisions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guide = selectors.desk_guide(pk)
    return render(
        request,
        "guides/desk/revisions.html",
        {"guide": guide, "revisions": selectors.guide_revisions(guide)},
    )


@desk_required
def guide_revision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision, previous = selectors.revision_and_previous(pk)
    return render(
        request,
        "guides/desk/revision.html",
        {
            "guide": revision.guide,
            "revision": revision,
            "previous": previous,
            "diff": revision_diff(previous, revision),
        },
    )
