"""My accounts: what an employee owns, deputises or can reach, in the portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthenticatedHttpRequest
from tickets.paging import paginate

from .. import selectors

PAGE_SIZE = 25


@login_required
def my_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = paginate(
        selectors.portal_accounts(request.user).select_related("platform", "owner", "deputy"),
        ordering=["name", "id"],
        per_page=PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    rows = selectors.my_account_rows(request.user, page.rows)
    return render(request, "social/portal/list.html", {"page": page, "rows": rows})


@login_required
def my_account(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.portal_account(request.user, pk)
    view = selectors.account_page(request.user, account, with_history=False)
    tickets = selectors.account_tickets(request.user, account)
    return render(request, "social/account.html", {"view": view, "desk": False, "tickets": tickets})
