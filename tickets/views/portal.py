"""The portal: employees file requests and follow their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest

from .. import selectors, services
from ..forms import ReplyForm, TicketForm
from ..models import Ticket
from ..paging import paginate
from ..workflow import reopen_deadline
from . import conversation, ticket_people

RECENT_CLOSED = 5


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.is_desk_user:
        # Staff open the site to work their queues; their own requests stay under "My requests".
        return redirect("desk:list")
    mine = selectors.requester_tickets(request.user)
    return render(
        request,
        "tickets/portal/home.html",
        {
            "open_tickets": list(
                mine.filter(status__in=Ticket.OPEN_STATUSES).order_by("-updated_at", "-id")[:50]
            ),
            "recent_tickets": list(
                mine.exclude(status__in=Ticket.OPEN_STATUSES).order_by("-updated_at", "-id")[:RECENT_CLOSED]
            ),
        },
    )


@login_required
def ticket_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state", "all")
    if state not in ("all", "open", "closed"):
        state = "all"
    page = paginate(
        selectors.requester_tickets(request.user, state=state),
        ordering=["-updated_at", "-id"],
        per_page=25,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    return render(request, "tickets/portal/list.html", {"page": page, "state": state})


@login_required
def ticket_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_file(
                requester=request.user,
                files=form.cleaned_data["attachments"],
                **{k: v for k, v in form.cleaned_data.items() if k != "attachments"},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Thanks — we have your request {ticket.reference}. We'll email you as it moves."
            )
            return redirect(ticket)
    return render(request, "tickets/portal/new.html", {"form": form})


def _page_context(request: AuthenticatedHttpRequest, ticket: Ticket) -> dict[str, Any]:
    deadline = reopen_deadline(ticket)
    return {
        "can_reopen": ticket.status == Ticket.Status.RESOLVED
        and deadline is not None
        and timezone.now() <= deadline,
        "reopen_until": deadline,
        **ticket_people.portal_context(request.user, ticket),
    }


PORTAL = conversation.Side(
    namespace="tickets",
    page="detail",
    template="tickets/portal/detail.html",
    fetch=selectors.portal_ticket,
    staff=False,
    reply_form=lambda ticket, data, files: ReplyForm(data, files),
    context=_page_context,
)


@login_required
def ticket_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    if ticket.merged_into_id is not None:
        target = Ticket.objects.filter(pk=ticket.merged_into_id).first()
        if target is not None and selectors.portal_may_see(request.user, target):
            messages.info(
                request, f"{ticket.reference} was merged into {target.reference}; it continues here."
            )
            return redirect(target)
    return conversation.ticket_page(request, PORTAL, ticket)


@login_required
@require_POST
def ticket_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return conversation.ticket_reply(request, PORTAL, pk)


@login_required
@require_POST
def ticket_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_resolve(ticket=ticket, actor=request.user)
        return f"{ticket.reference} is marked resolved. Thanks for letting us know."

    return conversation.ticket_action(request, PORTAL, ticket, act)


@login_required
@require_POST
def ticket_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_reopen(ticket=ticket, actor=request.user)
        return f"{ticket.reference} is open again; the team has been told."

    return conversation.ticket_action(request, PORTAL, ticket, act)
