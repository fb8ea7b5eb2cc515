"""Rating a resolved request: from the email's signed link, or from the request's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.selectors import portal_ticket

from .. import selectors, services
from ..forms import RatingForm
from ..links import LinkExpired, rating_link_read


def _link_problem(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    return render(
        request, "satisfaction/link_problem.html", {"heading": heading, "text": text}, status=status
    )


@require_http_methods(["GET", "POST"])
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page the email's link opens: GET shows the buttons and records nothing; they POST."""
    try:
        link = rating_link_read(token)
    except LinkExpired:
        return _link_problem(
            request,
            "This rating link has expired",
            "Rating links work for 14 days. You can still rate the request from its page while it is resolved.",
            410,
        )
    except signing.BadSignature:
        return _link_problem(
            request,
            "This link doesn't work",
            "Use the link from the email exactly as it came, or rate the request from its page.",
            404,
        )
    ticket = selectors.linked_ticket(link)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rating_give(
                    actor=ticket.requester,
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 409
            else:
                return redirect(request.path + "?thanks=1")
        else:
            status = 400
    rating = selectors.rating_of(ticket)
    return render(
        request,
        "satisfaction/rate.html",
        {
            "ticket": ticket,
            "rating": rating,
            "form": form,
            "refusal": services.rating_refusal(ticket),
            "thanks": request.GET.get("thanks") == "1" and rating is not None,
            "action": request.path,
        },
        status=status,
    )


@login_required
@require_POST
def rate_in_portal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = portal_ticket(request.user, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_give(
                actor=request.user,
                ticket=ticket,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Thanks for rating it. You can change your rating until the request closes."
            )
    else:
        messages.error(
            request, " ".join(str(message) for errors in form.errors.values() for message in errors)
        )
    return redirect(f"{ticket.get_absolute_url()}#rating")
