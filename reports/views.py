from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.http import AuthenticatedHttpRequest
from guides.dashboard import Range, policy_summary, self_service
from satisfaction.dashboard import csat
from social.dashboard import accounts_section

from . import selectors
from .forms import DashboardForm
from .selectors import Scope
from .tables import TABLES


class _Echo:
    """A file-like object whose write hands the line back, for csv.writer over a stream."""

    def write(self, value: str) -> str:
        return value


def _scope(form: DashboardForm) -> Scope:
    form.is_valid()
    # The fields that are valid still count when another is not (a half-chosen custom range).
    data = getattr(form, "cleaned_data", {})
    return Scope(period=form.period(), queue=data.get("queue"), platform=data.get("platform"))


def _tickets_url(scope: Scope, **filters: str | int) -> str:
    """The admin's list of the tickets a dashboard figure counts: same range, queue and platform."""
    params: dict[str, str | int] = {
        "created_at__gte": scope.period.start.isoformat(),
        "created_at__lt": scope.period.end.isoformat(),
    }
    if scope.queue:
        params["queue__id__exact"] = scope.queue.pk
    if scope.platform:
        params["platform__id__exact"] = scope.platform.pk
    params.update(filters)
    return f"{reverse('admin:tickets_ticket_changelist')}?{urlencode(params)}"


def _export_query(request: HttpRequest, form: DashboardForm, scope: Scope) -> str:
    """The filters of the page's CSV links: those asked for, or, when they were refused, those shown."""
    if not form.is_bound or form.is_valid():
        return request.GET.urlencode()
    params = {
        "range": "custom",
        "start": scope.period.first_day.isoformat(),
        "end": scope.period.last_day.isoformat(),
    }
    if scope.queue:
        params["queue"] = scope.queue.slug
    if scope.platform:
        params["platform"] = scope.platform.slug
    return urlencode(params)


def sla_standing(rate: float | None) -> str:
    """How a share of SLA targets met compares with the desk's aim: "met", "close" or "missed"."""
    if rate is None:
        return ""
    # As the page shows it: 89.96 reads "90.0%", and a rate that reads as the target meets it.
    rate = round(rate, 1)
    target = settings.REPORTS_SLA_TARGET_PERCENT
    if rate >= target:
        return "met"
    return "close" if rate >= target - settings.REPORTS_SLA_CLOSE_POINTS else "missed"


def _check(request: AuthenticatedHttpRequest) -> None:
    if not request.user.sees_every_queue:
        raise PermissionDenied("The dashboards are for managers.")


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    form = DashboardForm(request.GET or None)
    scope = _scope(form)
    now = timezone.now()
    with selectors.reporting():
        volume = selectors.opened_and_resolved_by_day(scope)
        backlog = selectors.backlog(scope)
        sla = selectors.sla_achievement(scope, now)
        cost = selectors.cost(scope)
        tables = {
            "age": selectors.backlog_age(scope, now),
            "speed": selectors.response_times(scope),
            "reopen": selectors.reopen_rate(scope),
            "top": selectors.top_problems_and_platforms(scope),
            "agents": selectors.agents(scope),
        }
    for row in sla:
        row_filters = {"queue__id__exact": row["queue_id"], "sla_policy__id__exact": row["sla_policy_id"]}
        row["breached_url"] = _tickets_url(scope, sla="breached", **row_filters)
        row["at_risk_url"] = _tickets_url(scope, sla="at-risk", **row_filters)
        row["first_standing"] = sla_standing(row["first_rate"])
        row["resolution_standing"] = sla_standing(row["resolution_rate"])
    met = sum(row["first_met"] + row["resolution_met"] for row in sla)
    missed = sum(row["first_missed"] + row["resolution_missed"] for row in sla)
    sla_rate = 100 * met / (met + missed) if met + missed else None
    context = {
        **admin.site.each_context(request),
        "title": "Social media support at a glance",
        "form": form,
        "scope": scope,
        "query": _export_query(request, form, scope),
        "volume": volume,
        "volume_totals": {
            "opened": sum(row["opened"] for row in volume),
            "resolved": sum(row["resolved"] for row in volume),
        },
        "chart": {
            "labels": [selectors.days_label(row["day"]) for row in volume],
            "opened": [row["opened"] for row in volume],
            "resolved": [row["resolved"] for row in volume],
        },
        "figures": {
            "backlog": sum(row["n"] for row in backlog["queue"]),
            "sla_rate": sla_rate,
            "sla_standing": sla_standing(sla_rate),
            "breached_open": sum(row["breached_open"] for row in sla),
            "breached_url": _tickets_url(scope, sla="breached", sla_policy__isnull="False"),
            "cost": sum(line.cost for line in cost["queue"]),
        },
        "backlog": backlog,
        "sla": sla,
        **tables,
        "cost_tables": [
            ("cost-queue", "By queue", "Queue", cost["queue"]),
            ("cost-department", "By requester department", "Department", cost["department"]),
            ("cost-platform", "By platform", "Platform", cost["platform"]),
        ],
        "accounts": accounts_section(
            user=request.user,
            start=scope.period.start,
            end=scope.period.end,
            queue=scope.queue,
            platform=scope.platform,
        ),
        "currency": settings.COST_CURRENCY,
        "self_service": self_service(
            Range(scope.period.start, scope.period.end, scope.platform.pk if scope.platform else None)
        ),
        "policy": policy_summary(),
        "csat": csat(
            start=scope.period.start,
            end=scope.period.end,
            queue_id=scope.queue.pk if scope.queue else None,
            platform_id=scope.platform.pk if scope.platform else None,
        ),
        "sla_target": settings.REPORTS_SLA_TARGET_PERCENT,
        "sla_close": settings.REPORTS_SLA_TARGET_PERCENT - settings.REPORTS_SLA_CLOSE_POINTS,
    }
    return TemplateResponse(request, "admin/reports/dashboard.html", context)


def export(request: AuthenticatedHttpRequest, table: str) -> HttpResponse | StreamingHttpResponse:
    """One dashboard table as CSV, with the same filters; streamed, so any size fits in memory."""
    _check(request)
    if table not in TABLES:
        raise Http404("No such table.")
    form = DashboardForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Refused before the first byte: a stream can't turn into an error once it has begun,
        # and a file of other dates than those asked for would mislead.
        return HttpResponseBadRequest(
            "No CSV was made: " + " ".join(form.problems()) + "\n", content_type="text/plain; charset=utf-8"
        )
    scope = _scope(form)
    spec = TABLES[table]
    filename = f"socialit-{table}-{scope.period.first_day}-{scope.period.last_day}.csv"
    response = StreamingHttpResponse(
        _csv_lines(spec.headers, spec.rows(scope, timezone.now())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs read UTF-8 with this mark
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


def _safe(value: Any) -> Any:
    """No cell a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
