"""Saving and managing the desk's views from its sidebar: one URL and one service each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from tickets.models import Queue
from tickets.selectors import desk_queues
from tickets.views.desk import desk_required

from . import selectors, services
from .filters import FILTER_KEYS


class SaveForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    share = forms.ModelChoiceField(
        queryset=Queue.objects.none(), required=False, to_field_name="slug", empty_label="Only me"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        share = self.fields["share"]
        assert isinstance(share, forms.ModelChoiceField)
        share.queryset = desk_queues(user)
        share.widget.attrs["class"] = "form-select form-select-sm"


def _to_list(query: str = "") -> HttpResponse:
    # Back to the list as it was: the filters are in the address, never in the session.
    return redirect(reverse("desk:list") + (f"?{query}" if query else "?status="))


def _run(request: AuthenticatedHttpRequest, call: Callable[[], str], back: str) -> HttpResponse:
    try:
        done = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _to_list(back)


@desk_required
@require_POST
def view_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SaveForm(request.POST, user=request.user)
    params = {key: request.POST.get(key, "") for key in FILTER_KEYS}
    back = urlencode({key: value for key, value in params.items() if value})
    if not form.is_valid():
        messages.error(request, "Choose one of your queues to share the view with, or “Only me”.")
        return _to_list(back)
    queue = form.cleaned_data["share"]

    def save() -> str:
        view = services.saved_view_create(
            actor=request.user, name=form.cleaned_data["name"], params=params, queue=queue
        )
        return f"Saved “{view}”" + (f", shared with {queue}." if queue else ".")

    return _run(request, save, back)


@desk_required
@require_POST
def view_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = selectors.view_for(request.user, pk)

    def delete() -> str:
        services.saved_view_delete(view=view, actor=request.user)
        return f"Removed the view “{view}”."

    return _run(request, delete, "")


@desk_required
@require_POST
def view_default(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = selectors.view_for(request.user, pk)

    def choose() -> str:
        default = services.queue_default_set(view=view, actor=request.user)
        if default is None:
            return f"{view.queue} no longer opens on a default view."
        return f"{view.queue}'s agents now open the desk on “{view}”."

    return _run(request, choose, view.query_string)
