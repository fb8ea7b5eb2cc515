"""What one ticket's page shows of its links, followers and colleagues, desk and portal."""

from __future__ import annotations

from typing import Any

from accounts.models import User

from .. import selectors
from ..link_forms import ColleagueForm, FamilyResolveForm, LinkForm, MergeForm
from ..linking import portal_visible, ticket_links
from ..models import Ticket


def desk_context(user: User, ticket: Ticket) -> dict[str, Any]:
    """What the desk's page shows of links and people; a fixed number of queries."""
    links = ticket_links(
        ticket,
        lambda ids: set(selectors.desk_tickets(user).filter(pk__in=ids).values_list("pk", flat=True)),
        desk=True,
    )
    followers = list(ticket.followers.all())
    return {
        "links": links,
        "open_children": sum(1 for link in links if link.open_child),
        "followers": followers,
        "following": any(person.pk == user.pk for person in followers),
        "colleagues": list(ticket.participants.all()),
        "link_form": LinkForm(),
        "merge_form": MergeForm(),
        "family_form": FamilyResolveForm(),
    }


def portal_context(user: User, ticket: Ticket) -> dict[str, Any]:
    return {
        "links": ticket_links(ticket, lambda ids: portal_visible(user, ids), desk=False),
        "colleagues": list(ticket.participants.all()),
        "is_requester": ticket.requester_id == user.pk,
        "colleague_form": ColleagueForm(),
    }
