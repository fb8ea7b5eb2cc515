"""The desk: agents and managers work the queues they belong to."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from .. import hooks, selectors, services
from ..forms import (
    AssignForm,
    BulkForm,
    DeskFilterForm,
    DeskReplyForm,
    PriorityForm,
    StatusForm,
    TimeForm,
    TransferForm,
)
from ..models import Queue, Ticket
from ..paging import paginate
from . import conversation, ticket_people

SORT_ORDERINGS = {
    "-updated": ["-updated_at", "-id"],
    "updated": ["updated_at", "id"],
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "-priority": ["-priority", "-updated_at", "-id"],
    "due": ["sla_due_at", "id"],
}

# Parameters of the list's address that order or page it without narrowing it.
NOT_FILTERS = {"sort", "after", "before"}
AnyResponse = TypeVar("AnyResponse", bound=HttpResponseBase)


def desk_required(view: Callable[..., AnyResponse]) -> Callable[..., AnyResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> AnyResponse:
        if not request.user.is_desk_user:
            raise PermissionDenied("The desk is for support staff.")
        return view(request, *args, **kwargs)

    return wrapper


def _desk_agents(queues: QuerySet[Any]) -> list[User]:
    return list(
        User.objects.filter(queues__in=queues, is_active=True)
        .exclude(role=User.Role.EMPLOYEE)
        .distinct()
        .order_by("full_name")
    )


def _filters(form: DeskFilterForm) -> selectors.DeskFilters:
    # A bad value drops only its own filter (the page says so); the valid ones still apply.
    form.is_valid()
    return desk_filters(form.cleaned_data)


def desk_filters(data: dict[str, Any]) -> selectors.DeskFilters:
    """The filter form's cleaned values as the selectors take them (saved views use it too)."""
    status = data.get("status", DeskFilterForm.STATUS_UNRESOLVED)
    if status == DeskFilterForm.STATUS_UNRESOLVED:
        statuses = [str(status) for status in Ticket.OPEN_STATUSES]
    elif status == DeskFilterForm.STATUS_ANY:
        statuses = []
    else:
        statuses = [status]
    return selectors.DeskFilters(
        queues=[data["queue"]] if data.get("queue") else [],
        statuses=statuses,
        priorities=[data["priority"]] if data.get("priority") else [],
        platforms=[data["platform"].pk] if data.get("platform") else [],
        problem_types=[data["problem"].pk] if data.get("problem") else [],
        assignee=data.get("assignee") or "",
        query=(data.get("q") or "").strip(),
    )


@desk_required
def ticket_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not request.GET and not request.htmx and (start := hooks.desk_start(user)):
        return redirect(f"{reverse('desk:list')}?{start}")
    queues = selectors.desk_queues(user)
    agents = _desk_agents(queues)
    form = DeskFilterForm(request.GET, queues=queues, agents=agents, user=user)
    tickets = selectors.desk_search(user, _filters(form))
    if "queue" in form.errors:
        # A queue the agent doesn't work shows what they may see of it: nothing.
        tickets = tickets.none()
    sort = form.cleaned_data.get("sort")
    page = paginate(
        tickets,
        ordering=SORT_ORDERINGS.get(sort or "-updated", SORT_ORDERINGS["-updated"]),
        per_page=settings.DESK_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    # A word common in the history matches more tickets the older the desk gets, and counting
    # them costs more than the page: a search lists its matches and pages on, uncounted.
    total, more = (None, False) if form.cleaned_data.get("q") else selectors.capped_count(tickets)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "bulk_form": BulkForm(
            tickets=tickets, agents=User.objects.filter(pk__in=[a.pk for a in agents]), queues=queues
        ),
        "query_string": _without_cursor(request),
        # An agent of one queue needs no Queue column: the heading names it, the room goes to subjects.
        "several_queues": user.sees_every_queue or queues.count() > 1,
        # The filter form sends its empty fields too: only a chosen value narrows the list.
        "filtered": any(value for name, value in request.GET.items() if name not in NOT_FILTERS),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "tickets/desk/_results.html", context)
        # One URL, two bodies: caches and the back button must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response
    queue_list = list(queues)
    context["heading"] = _list_heading(user, queue_list)
    counts = selectors.open_counts(user, queue_list)
    context["queue_counts"] = [(queue, counts.get(queue.pk, {})) for queue in queue_list]
    context["open_statuses"] = [Ticket.Status(s) for s in Ticket.OPEN_STATUSES]
    response = render(request, "tickets/desk/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_heading(user: User, queues: list[Queue]) -> str:
    """What the desk opens on: an agent of one queue sees that queue named."""
    if user.sees_every_queue:
        return "All queues"
    if len(queues) == 1:
        return f"{queues[0]} queue"
    return "My queues"


def _without_cursor(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    return params.urlencode()


@desk_required
@require_POST
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    queues = selectors.desk_queues(user)
    form = BulkForm(
        request.POST,
        tickets=selectors.desk_tickets(user),
        agents=User.objects.filter(pk__in=[a.pk for a in _desk_agents(queues)]),
        queues=Queue.objects.all(),
    )
    back = reverse("desk:list") + ("?" + request.POST["back"] if request.POST.get("back") else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    data = form.cleaned_data
    done, failed = 0, []
    for ticket in data["tickets"]:
        try:
            _bulk_apply(ticket, data, user)
            done += 1
        except ValidationError as error:
            failed.append(f"{ticket.reference}: {' '.join(error.messages)}")
        except PermissionDenied as refusal:
            # The form offers only the user's tickets; the rights may still change meanwhile.
            failed.append(f"{ticket.reference}: {refusal}")
    if done:
        messages.success(request, f"Updated {done} ticket{'s' if done != 1 else ''}.")
    for message in failed:
        messages.warning(request, message)
    return redirect(back)


def _bulk_apply(ticket: Ticket, data: dict[str, Any], user: User) -> None:
    action = data["action"]
    if action == "claim":
        services.ticket_claim(ticket=ticket, actor=user)
    elif action == "assign":
        services.ticket_assign(ticket=ticket, assignee=data["assignee"], actor=user)
    elif action == "status":
        services.ticket_set_status(ticket=ticket, status=data["status"], actor=user)
    elif action == "priority":
        services.ticket_set_priority(ticket=ticket, priority=data["priority"], actor=user)
    elif action == "transfer":
        services.ticket_transfer(ticket=ticket, queue=data["queue"], actor=user)


def _page_context(request: AuthenticatedHttpRequest, ticket: Ticket) -> dict[str, Any]:
    agents = selectors.queue_agents(ticket.queue)
    return {
        "history": selectors.ticket_history(ticket),
        "assign_form": AssignForm(agents=agents, initial={"assignee": ticket.assignee_id}),
        "transfer_form": TransferForm(initial={"queue": ticket.queue_id}),
        "status_form": StatusForm(ticket=ticket) if ticket.status != Ticket.Status.CLOSED else None,
        "priority_form": PriorityForm(initial={"priority": ticket.priority}),
        "time_form": TimeForm(),
        "time_logged": selectors.time_logged(ticket),
        **ticket_people.desk_context(request.user, ticket),
    }


DESK = conversation.Side(
    namespace="desk",
    page="ticket",
    template="tickets/desk/ticket.html",
    fetch=selectors.desk_ticket,
    staff=True,
    reply_form=lambda ticket, data, files: DeskReplyForm(data, files, ticket=ticket),
    context=_page_context,
)


@desk_required
def ticket_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        ticket = selectors.desk_ticket(request.user, pk)
    except Http404:
        return _moved_away(request, pk)
    if ticket.merged_into_id is not None:
        messages.info(
            request, f"{ticket.reference} was merged into SIT-{ticket.merged_into_id}; it continues here."
        )
        return redirect("desk:ticket", ticket.merged_into_id)
    return conversation.ticket_page(request, DESK, ticket)


def _moved_away(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A ticket moved out of the agent's queues: its queue, for those who had a part in it."""
    ticket = selectors.desk_ticket_whereabouts(request.user, pk)
    if ticket is None:
        raise Http404("No ticket in your queues has this number.")
    if ticket.requester_id == request.user.pk:
        # Their own request, in a queue they don't work: the portal shows it to them.
        return redirect(ticket)
    return render(request, "tickets/desk/moved.html", {"ticket": ticket}, status=404)


@desk_required
@require_POST
def ticket_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return conversation.ticket_reply(request, DESK, pk)


@desk_required
@require_POST
def ticket_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_claim(ticket=ticket, actor=request.user)
        return "It's yours."

    return conversation.ticket_action(request, DESK, ticket, act)


@desk_required
@require_POST
def ticket_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        assignee = data["assignee"]
        services.ticket_assign(ticket=ticket, assignee=assignee, actor=request.user)
        return f"Assigned to {assignee}." if assignee else "Unassigned."

    form = AssignForm(request.POST, agents=selectors.queue_agents(ticket.queue))
    return conversation.ticket_action(request, DESK, ticket, act, form=form)


@desk_required
@require_POST
def ticket_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_transfer(ticket=ticket, queue=data["queue"], actor=request.user, note=data["note"])
        return f"Moved to {data['queue']}."

    response = conversation.ticket_action(request, DESK, ticket, act, form=TransferForm(request.POST))
    if not selectors.desk_tickets(request.user).filter(pk=ticket.pk).exists():
        # Moved out of the agent's reach: back to the list rather than to a 404.
        return redirect("desk:list")
    return response


@desk_required
@require_POST
def ticket_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_set_status(ticket=ticket, status=data["status"], actor=request.user)
        return f"Status set to {Ticket.Status(data['status']).label}."

    form = StatusForm(request.POST, ticket=ticket)
    return conversation.ticket_action(request, DESK, ticket, act, form=form)


@desk_required
@require_POST
def ticket_priority(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_set_priority(ticket=ticket, priority=data["priority"], actor=request.user)
        return f"Priority set to {Ticket.Priority(data['priority']).label}."

    return conversation.ticket_action(request, DESK, ticket, act, form=PriorityForm(request.POST))


@desk_required
@require_POST
def ticket_log_time(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.desk_ticket(request.user, pk)

    def act(data: dict[str, Any]) -> str:
        services.ticket_log_time(
            ticket=ticket, agent=request.user, minutes=data["minutes"], note=data["note"]
        )
        return f"Logged {data['minutes']} min."

    return conversation.ticket_action(request, DESK, ticket, act, form=TimeForm(request.POST))
