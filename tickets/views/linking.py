"""Links, merges, followers and colleagues on one ticket's page (desk and portal)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from .. import selectors
from ..link_forms import ColleagueForm, FamilyResolveForm, LinkForm, MergeForm
from ..models import Ticket, TicketLink
from ..services import linking, watching
from . import conversation
from .desk import DESK, desk_required
from .portal import PORTAL


def _other(user: User, number: int) -> Ticket:
    """Another ticket the agent works, by its number; the same answer whether it is missing or not theirs."""
    other = selectors.desk_tickets(user).filter(pk=number).first()
    if other is None:
        raise ValidationError(f"No ticket SIT-{number} in your queues; check the reference.")
    return other


@desk_required
@require_POST
def ticket_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        other = _other(request.user, data["other"])
        linking.ticket_link(ticket=ticket, other=other, relation=data["relation"], actor=request.user)
        return f"Linked to {other.reference}."

    return conversation.ticket_action(request, DESK, ticket, act, form=LinkForm(request.POST))


@desk_required
@require_POST
def ticket_unlink(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)
    link = get_object_or_404(
        TicketLink.objects.select_related("source", "target").filter(Q(source=ticket) | Q(target=ticket)),
        pk=link_pk,
    )

    def act(data: dict[str, Any]) -> str:
        linking.ticket_unlink(link=link, ticket=ticket, actor=request.user)
        return "Link removed."

    return conversation.ticket_action(request, DESK, ticket, act)


@desk_required
@require_POST
def ticket_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            target = linking.ticket_merge(
                source=ticket, target=_other(request.user, form.cleaned_data["target"]), actor=request.user
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request, f"{ticket.reference} is merged into {target.reference}; its requesters are told."
            )
            return redirect(DESK.url(target))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(DESK.url(ticket))


@desk_required
@require_POST
def ticket_resolve_family(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        done = linking.ticket_resolve_family(
            ticket=ticket, actor=request.user, body=data["body"], children=data["children"]
        )
        said = f"Resolved {', '.join(resolved.reference for resolved in done.resolved)}."
        if done.skipped:
            messages.warning(request, "Left as they were: " + "; ".join(done.skipped) + ".")
        return said

    return conversation.ticket_action(request, DESK, ticket, act, form=FamilyResolveForm(request.POST))


@desk_required
@require_POST
def ticket_follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        if request.POST.get("follow") == "off":
            watching.ticket_unfollow(ticket=ticket, actor=request.user)
            return f"You no longer follow {ticket.reference}."
        watching.ticket_follow(ticket=ticket, actor=request.user)
        return f"You follow {ticket.reference}: its replies, notes and changes reach you by email."

    return conversation.ticket_action(request, DESK, ticket, act)


@login_required
@require_POST
def colleague_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    if ticket.requester_id != request.user.pk:
        raise Http404("No such ticket.")

    def act(data: dict[str, Any]) -> str:
        colleague = data["email"]
        watching.ticket_add_colleague(ticket=ticket, actor=request.user, colleague=colleague)
        return f"{colleague} is on {ticket.reference} now: they see it, can reply and get its emails."

    return conversation.ticket_action(request, PORTAL, ticket, act, form=ColleagueForm(request.POST))


@login_required
@require_POST
def colleague_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    ticket = selectors.portal_ticket(request.user, pk)
    colleague = get_object_or_404(ticket.participants.all(), pk=user_pk)
    if request.user.pk not in (ticket.requester_id, colleague.pk):
        raise Http404("No such colleague.")

    def act(data: dict[str, Any]) -> str:
        watching.ticket_remove_colleague(ticket=ticket, actor=request.user, colleague=colleague)
        return f"{colleague} is off {ticket.reference}."

    response = conversation.ticket_action(request, PORTAL, ticket, act)
    if colleague.pk == request.user.pk:
        return redirect("tickets:list")
    return response
