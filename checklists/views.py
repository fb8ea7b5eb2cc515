"""The checklist panel's actions on the desk's ticket page: one URL and one service each."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.models import Ticket
from tickets.selectors import desk_ticket
from tickets.views.desk import desk_required

from . import selectors, services
from .forms import StatementForm, TickForm, WaiveForm


def _back(ticket: Ticket) -> HttpResponse:
    return redirect(f"{ticket.get_desk_url()}#checklist")


def _run(
    request: AuthenticatedHttpRequest, ticket: Ticket, form: Form, call: Callable[[], object], success: str
) -> HttpResponse:
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(ticket)
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return _back(ticket)


@desk_required
@require_POST
def item_tick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.desk_item(request.user, pk)
    form = TickForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    return _run(
        request,
        item.checklist.ticket,
        form,
        lambda: services.checklist_tick(item=item, actor=request.user, done=done),
        f"Ticked “{item.text}”." if done else f"“{item.text}” is open again.",
    )


@desk_required
@require_POST
def checklist_waive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.desk_checklist(request.user, pk)
    form = WaiveForm(request.POST)
    return _run(
        request,
        checklist.ticket,
        form,
        lambda: services.checklist_waive(
            checklist=checklist, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        "The ticket may now be resolved with those items open; your reason is in the history.",
    )


@desk_required
@require_POST
def statement_draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = desk_ticket(request.user, pk)
    form = StatementForm(request.POST)
    return _run(
        request,
        ticket,
        form,
        lambda: services.statement_draft(ticket=ticket, actor=request.user, text=form.cleaned_data["text"]),
        "Statement saved. Someone else in Communications or a manager approves it.",
    )


@desk_required
@require_POST
def statement_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = desk_ticket(request.user, pk)
    return _run(
        request,
        ticket,
        Form(request.POST),
        lambda: services.statement_approve(ticket=ticket, actor=request.user),
        "Statement approved: it can be published.",
    )
