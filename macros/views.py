"""The macro picker on the desk's ticket page: search, preview (GET), then apply (POST)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from tickets.models import Ticket
from tickets.selectors import desk_ticket, desk_tickets
from tickets.views.desk import desk_required

from . import selectors, services


class ApplyForm(forms.Form):
    reply = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12}), strip=True)


def _back(ticket: Ticket) -> HttpResponse:
    return redirect(ticket.get_desk_url())


@desk_required
@require_GET
def picker(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = desk_ticket(request.user, pk)
    query = request.GET.get("q", "")[:100]
    context = {
        "ticket": ticket,
        "macros": selectors.macro_search(request.user, ticket, query),
        "query": query,
    }
    return render(request, "macros/_results.html", context)


@desk_required
@require_GET
def preview(request: AuthenticatedHttpRequest, pk: int, macro_pk: int) -> HttpResponse:
    ticket = desk_ticket(request.user, pk)
    macro = selectors.macro_for(request.user, ticket, macro_pk)
    result = selectors.macro_result(macro, ticket, request.user)
    context = {
        "ticket": ticket,
        "macro": macro,
        "result": result,
        "form": ApplyForm(initial={"reply": result.reply}, auto_id="macro-%s"),
    }
    template = "macros/_preview.html" if request.htmx else "macros/preview.html"
    return render(request, template, context)


@desk_required
@require_POST
def apply(request: AuthenticatedHttpRequest, pk: int, macro_pk: int) -> HttpResponse:
    ticket = desk_ticket(request.user, pk)
    macro = selectors.macro_for(request.user, ticket, macro_pk)
    form = ApplyForm(request.POST)
    form.is_valid()
    reply = form.cleaned_data.get("reply", "") if macro.reply else None
    try:
        services.macro_apply(macro=macro, ticket=ticket, actor=request.user, reply=reply)
    except ValidationError as error:
        messages.error(request, f"The macro “{macro}” was not applied: " + " ".join(error.messages))
        return _back(ticket)
    messages.success(request, f"Applied “{macro}”.")
    if not desk_tickets(request.user).filter(pk=ticket.pk).exists():
        # The macro moved it out of the agent's queues.
        return redirect("desk:list")
    return _back(ticket)
