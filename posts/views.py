"""The content review's screens: the portal's form, the author's revision, the reviewer's decision."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from tickets.models import Ticket
from tickets.selectors import desk_ticket, portal_ticket
from tickets.views.desk import desk_required

from .forms import ContentReviewForm, DecisionForm, ReviseForm
from .models import ContentReview
from .services import Image, content_review_file, draft_revise, review_decide


@login_required
def review_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ContentReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = content_review_file(
                requester=request.user,
                account=data["account"],
                text=data["text"],
                links=data["links"],
                publish_at=data["publish_at"],
                context=data["context"],
                images=[Image(file=file, alt=alt) for file, alt in form.images()],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Thanks — Communications reviews {review.ticket.reference} before it is due to go out.",
            )
            return redirect(review.ticket)
    return render(request, "posts/portal/new.html", {"form": form})


def _review(
    ticket_pk: int, fetch: Callable[[User, int], Ticket], request: AuthenticatedHttpRequest
) -> ContentReview:
    """The ticket through the page's own fetch helper (404 for outsiders), then its post."""
    ticket = fetch(request.user, ticket_pk)
    review = ContentReview.objects.filter(ticket=ticket).select_related("ticket", "account__platform").first()
    if review is None:
        raise Http404("This ticket has no post to review.")
    return review


@login_required
@require_POST
def draft_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _review(pk, portal_ticket, request)
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            draft = draft_revise(
                review=review,
                actor=request.user,
                text=form.cleaned_data["text"],
                links=form.cleaned_data["links"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {draft.number} is with the reviewers.")
            return redirect(review.ticket)
    return _refused(request, review, form, "revise")


@desk_required
@require_POST
def review_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _review(pk, desk_ticket, request)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = review_decide(
                review=review,
                actor=request.user,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{decision.get_verdict_display()}: {review.ticket.requester} is told.")
            return redirect(review.ticket.get_desk_url())
    return _refused(request, review, form, "decide")


def _refused(
    request: AuthenticatedHttpRequest, review: ContentReview, form: Form, action: str
) -> HttpResponse:
    """The form back on a page of its own, with what was typed and why it was refused."""
    side = "desk" if action == "decide" else "portal"
    context = {"review": review, "form": form, "action": action, "side": side}
    return render(request, "posts/refused.html", context)
