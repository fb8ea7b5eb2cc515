"""How links between tickets read from either end, and what one ticket's page shows of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q

from accounts.models import User

from .models import Ticket, TicketLink
from .payloads import Ref

Kind = TicketLink.Kind
# What an agent picks on a ticket's page: the stored kinds, and "parent of" (the other's child).
Relation = Literal["related", "duplicate", "caused_by", "child", "parent"]
RELATION_CHOICES: list[tuple[str, str]] = [
    (Kind.RELATED, "Related to"),
    (Kind.DUPLICATE, "Duplicate of"),
    (Kind.CAUSED_BY, "Caused by"),
    (Kind.CHILD, "Child of"),
    ("parent", "Parent of"),
]
# A link read from its target.
REVERSE_LABELS: dict[str, str] = {
    Kind.RELATED: "Related to",
    Kind.DUPLICATE: "Duplicated by",
    Kind.CAUSED_BY: "Caused",
    Kind.CHILD: "Parent of",
}


def relation_ref(kind: str, *, reverse: bool = False) -> Ref:
    label = REVERSE_LABELS[kind] if reverse else Kind(kind).label
    return Ref(f"{kind}:reverse" if reverse else kind, label)


@dataclass(frozen=True)
class LinkLine:
    """One link as a ticket's page shows it, written once per link."""

    pk: int
    relation: str
    reference: str
    # Subject, status and address only for a ticket the reader may open; otherwise its number.
    subject: str
    status: str
    url: str
    # The other end is a child of this ticket and still open: resolving this one offers it.
    open_child: bool


def ticket_links(
    ticket: Ticket, visible_among: Callable[[list[int]], set[int]], *, desk: bool
) -> list[LinkLine]:
    """The ticket's links, both directions; `visible_among` picks the other ends the reader
    may open (desk_tickets or portal_visible), so the page costs two queries however many."""
    links = list(
        TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket)).select_related("source", "target")
    )
    others = [link.target if link.source_id == ticket.pk else link.source for link in links]
    visible = visible_among([other.pk for other in others]) if links else set()
    lines = []
    for link, other in zip(links, others, strict=True):
        outgoing = link.source_id == ticket.pk
        shown = other.pk in visible
        lines.append(
            LinkLine(
                pk=link.pk,
                relation=link.get_kind_display() if outgoing else REVERSE_LABELS[link.kind],
                reference=other.reference,
                subject=other.subject if shown else "",
                status=other.get_status_display() if shown else "",
                url=(other.get_desk_url() if desk else other.get_absolute_url()) if shown else "",
                open_child=not outgoing and link.kind == Kind.CHILD and other.is_open,
            )
        )
    return lines


def portal_visible(user: User, ids: list[int]) -> set[int]:
    """Of these tickets, the ones the person filed or was added to: one query."""
    mine = Ticket.objects.filter(Q(requester=user) | Q(participants=user), pk__in=ids)
    return set(mine.values_list("pk", flat=True))
