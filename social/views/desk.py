"""The registry in the desk: every desk user reads it; the owning queue's staff change it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from accounts.http import AuthenticatedHttpRequest
from tickets.models import Queue
from tickets.paging import paginate
from tickets.selectors import desk_queues, desk_tickets
from tickets.views.desk import desk_required

from .. import selectors, services
from ..forms import AccountForm, ConnectedAppForm, GrantForm, ReasonForm, RegistryFilterForm

T = TypeVar("T")
SORT_ORDERINGS = {"name": ["name", "id"], "review": ["review_due_at", "id"]}
NOT_FILTERS = {"sort", "after", "before"}


def _filters(form: RegistryFilterForm) -> selectors.RegistryFilters:
    # A bad value drops only its own filter; the valid ones still apply.
    form.is_valid()
    data = form.cleaned_data
    return selectors.RegistryFilters(
        platform=data["platform"].pk if data.get("platform") else None,
        queue=data["queue"].pk if data.get("queue") else None,
        owner=data["owner"].pk if data.get("owner") else None,
        status=data.get("status") or "",
        no_second_factor=bool(data.get("no_second_factor")),
        review_overdue=bool(data.get("review_overdue")),
        no_owner=bool(data.get("no_owner")),
        query=(data.get("q") or "").strip(),
    )


@desk_required
def registry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RegistryFilterForm(request.GET, owners=selectors.registry_owners())
    accounts = selectors.registry_search(request.user, _filters(form))
    sort = request.GET.get("sort", "name")
    page = paginate(
        accounts,
        ordering=SORT_ORDERINGS.get(sort, SORT_ORDERINGS["name"]),
        per_page=settings.DESK_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    filters_only = params.copy()
    filters_only.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "sort": sort if sort in SORT_ORDERINGS else "name",
        "query_string": params.urlencode(),
        "filter_query": filters_only.urlencode(),
        "filtered": any(value for name, value in request.GET.items() if name not in NOT_FILTERS),
        "can_register": desk_queues(request.user).exists(),
    }
    template = (
        "social/desk/_results.html"
        if request.htmx and not request.htmx.history_restore_request
        else "social/desk/list.html"
    )
    response = render(request, template, context)
    # One URL, two bodies: caches and the back button must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@desk_required
def account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.desk_account(request.user, pk)
    return render(
        request,
        "social/account.html",
        {
            "view": selectors.account_page(request.user, account),
            "desk": True,
            "tickets": selectors.account_tickets(request.user, account),
        },
    )


def _form_page(request: HttpRequest, form: BaseForm, **context: Any) -> HttpResponse:
    return render(request, "social/form.html", {"form": form, **context})


def _attempt(form: BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service; its refusals become the form's errors, next to the fields they name."""
    try:
        return call()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@desk_required
def account_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    queues = desk_queues(request.user)
    form = AccountForm(request.POST or None, queues=queues, creating=True)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        account = _attempt(
            form,
            lambda: services.account_create(
                actor=request.user,
                platform=fields.pop("platform"),
                name=fields.pop("name"),
                queue=fields.pop("queue"),
                owner=fields.pop("owner"),
                **fields,
            ),
        )
        if account is not None:
            messages.success(request, f"{account.name} is in the registry.")
            return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title="Register an account",
        intro="Say who owns it and how it is recovered. Never write a password here: only where it is kept.",
        submit="Register",
        cancel=reverse("registry:list"),
    )


@desk_required
def account_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.desk_editable_account(request.user, pk)
    form = AccountForm(request.POST or None, instance=account, queues=Queue.objects.all(), creating=False)
    if request.method == "POST" and form.is_valid():
        changes = form.changed_fields()
        if _attempt(
            form,
            lambda: services.account_update(
                account=account, actor=request.user, changes=changes, reason=form.cleaned_data["reason"]
            ),
        ):
            messages.success(request, "Saved." if changes else "Nothing changed.")
            return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title=f"Edit {account.name}",
        account=account,
        submit="Save",
        cancel=account.get_desk_url(),
    )


@desk_required
def access_grant(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.desk_editable_account(request.user, pk)
    form = GrantForm(request.POST or None, tickets=desk_tickets(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.access_grant(
                account=account,
                actor=request.user,
                holder=data["holder"],
                role=data["role"],
                role_label=data["role_label"],
                ticket=data["ticket"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            ),
        ):
            messages.success(request, f"Access recorded for {data['holder']}.")
            return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title=f"Grant access to {account.name}",
        intro="Record access once it is given on the platform itself.",
        account=account,
        submit="Record access",
        cancel=account.get_desk_url(),
    )


@desk_required
def access_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors.desk_current_access(request.user, pk)
    account = access.account
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.access_revoke(
                access=access, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        is not None
    ):
        messages.success(request, f"{access.holder}'s {access.role_name} access is revoked.")
        return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title=f"Revoke {access.holder}'s {access.role_name} access",
        intro=f"Remove it on {account.platform} too. The record stays in {account.name}'s history.",
        account=account,
        submit="Revoke access",
        danger=True,
        cancel=account.get_desk_url(),
    )


@desk_required
def connected_app_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.desk_editable_account(request.user, pk)
    form = ConnectedAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.connected_app_add(
                account=account, actor=request.user, name=data["name"], scope=data["scope"]
            ),
        ):
            messages.success(request, f"{data['name']} is recorded.")
            return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title=f"Record a connected app on {account.name}",
        account=account,
        submit="Record app",
        cancel=account.get_desk_url(),
    )


@desk_required
def connected_app_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    app = selectors.desk_connected_app(request.user, pk)
    account = app.account
    form = ReasonForm(request.POST or None, required=False)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.connected_app_remove(
                app=app, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        is not None
    ):
        messages.success(request, f"{app.name} is marked removed.")
        return redirect(account.get_desk_url())
    return _form_page(
        request,
        form,
        title=f"Remove {app.name} from {account.name}",
        intro=f"Disconnect it on {account.platform} too. The record stays in the history.",
        account=account,
        submit="Mark removed",
        danger=True,
        cancel=account.get_desk_url(),
    )
