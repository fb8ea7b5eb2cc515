"""The portal: employees file requests and follow their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ReplyForm, TicketForm
from ..models import Ticket
from ..paging import paginate
from ..workflow import reopen_deadline

RECENT_CLOSED = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
def ticket_list(request: HttpRequest) -> HttpResponse:
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
def ticket_new(request: HttpRequest) -> HttpResponse:
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


def _ticket_page(request: HttpRequest, ticket: Ticket, reply_form: ReplyForm) -> HttpResponse:
    deadline = reopen_deadline(ticket)
    return render(
        request,
        "tickets/portal/detail.html",
        {
            "ticket": ticket,
            "comments": selectors.conversation(ticket, include_internal=False),
            "filed_attachments": selectors.ticket_attachments(ticket),
            "reply_form": reply_form,
            "can_reopen": ticket.status == Ticket.Status.RESOLVED
            and deadline is not None
            and timezone.now() <= deadline,
            "reopen_until": deadline,
        },
    )


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    return _ticket_page(request, ticket, ReplyForm())


@login_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_reply(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your reply was sent.")
            return redirect(ticket)
    return _ticket_page(request, ticket, form)


@login_required
@require_POST
def ticket_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    try:
        services.ticket_resolve(ticket=ticket, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{ticket.reference} is marked resolved. Thanks for letting us know.")
    return redirect(ticket)


@login_required
@require_POST
def ticket_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    try:
        services.ticket_reopen(ticket=ticket, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{ticket.reference} is open again; the team has been told.")
    return redirect(ticket)
