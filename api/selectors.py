"""The API's reads: the screens' selectors, with the list's filters and orderings allowlisted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.http.request import QueryDict
from rest_framework.exceptions import ValidationError

from accounts.models import User
from tickets import selectors
from tickets.models import Attachment, Comment, Ticket

# Key -> the pager's ordering, each ending in the unique id. Nothing else reaches order_by().
ORDERINGS: dict[str, list[str]] = {
    "-updated": ["-updated_at", "-id"],
    "updated": ["updated_at", "id"],
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "-priority": ["-priority", "-updated_at", "-id"],
    "due": ["sla_due_at", "id"],
}
DEFAULT_ORDERING = "-updated"
FILTERS = ("status", "priority", "queue", "platform", "problem_type", "assignee", "q")
PAGING = ("ordering", "after", "before", "page_size")
UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Visible:
    ticket: Ticket
    staff: bool  # works the ticket's queue: sees internal notes, may change it


def ticket_for(user: User, pk: int) -> Visible:
    """The ticket as the desk or the portal would show it to this user, or 404."""
    if user.is_desk_user:
        try:
            return Visible(selectors.desk_ticket(user, pk), staff=True)
        except Http404:
            pass
    return Visible(selectors.portal_ticket(user, pk), staff=False)


def ticket_comments(visible: Visible) -> list[Comment]:
    return selectors.conversation(visible.ticket, include_internal=visible.staff)


def ticket_files(visible: Visible) -> list[Attachment]:
    """The files filed with the request: the requester's own, so everyone who sees the ticket sees them."""
    return selectors.ticket_attachments(visible.ticket)


def check_params(params: QueryDict, filters: tuple[str, ...]) -> None:
    """Refuse every query parameter that is neither one of the list's filters nor paging."""
    if unknown := sorted(set(params) - {*filters, *PAGING}):
        raise ValidationError({name: ["This filter is not offered."] for name in unknown})


def ids_param(params: QueryDict, name: str) -> list[int]:
    values = params.getlist(name)
    if not all(value.isdigit() for value in values):
        raise ValidationError({name: ["Give ids as whole numbers."]})
    return [int(value) for value in values]


def _statuses(params: QueryDict) -> list[str]:
    values = params.getlist("status")
    allowed = {*Ticket.Status.values, UNRESOLVED}
    if unknown := [value for value in values if value not in allowed]:
        raise ValidationError(
            {"status": [f"Unknown status {', '.join(unknown)}; use one of {', '.join(sorted(allowed))}."]}
        )
    statuses = [value for value in values if value != UNRESOLVED]
    return [*statuses, *Ticket.OPEN_STATUSES] if UNRESOLVED in values else statuses


def ordering_key(params: QueryDict) -> list[str]:
    key = params.get("ordering", DEFAULT_ORDERING)
    if key not in ORDERINGS:
        raise ValidationError({"ordering": [f"Order by one of {', '.join(ORDERINGS)}."]})
    return ORDERINGS[key]


def api_tickets(user: User, params: QueryDict) -> QuerySet[Ticket]:
    """Staff: their queues, as the desk lists them. Everyone else: their own requests, as the portal."""
    check_params(params, FILTERS)
    priorities = ids_param(params, "priority")
    if bad := [p for p in priorities if p not in Ticket.Priority.values]:
        raise ValidationError({"priority": [f"Unknown priority {bad[0]}; use 1 (low) to 4 (urgent)."]})
    assignee = params.get("assignee", "")
    if assignee not in ("", "me", "none") and not assignee.isdigit():
        raise ValidationError({"assignee": ["Give “me”, “none” or a person's id."]})
    filters = selectors.DeskFilters(
        queues=[],
        statuses=_statuses(params),
        priorities=priorities,
        platforms=ids_param(params, "platform"),
        problem_types=ids_param(params, "problem_type"),
        assignee=assignee,
        query=params.get("q", "").strip()[:200],
    )
    queue_ids = ids_param(params, "queue")
    if user.is_desk_user:
        queues = list(selectors.desk_queues(user).filter(pk__in=queue_ids)) if queue_ids else []
        if len(queues) != len(set(queue_ids)):
            raise ValidationError({"queue": ["You don't work that queue."]})
        filters = selectors.DeskFilters(**{**filters.__dict__, "queues": queues})
        return selectors.desk_search(user, filters)
    tickets = selectors.requester_tickets(user).select_related(*selectors.LIST_RELATED)
    if queue_ids:
        tickets = tickets.filter(queue__in=queue_ids)
    return selectors.tickets_filtered(tickets, filters, user)
