"""What the ticket page shows of a content review, computed once for the template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accounts.models import User
from guides.diffs import Line, body_diff
from tickets.models import Ticket
from tickets.selectors import can_work_ticket, is_requester

from .limits import length, limit_for
from .models import ContentReview, Decision, Draft

# The review is due this long before the post goes out, so there is time to publish it.
PUBLISH_MARGIN = timedelta(hours=1)


@dataclass
class Version:
    draft: Draft
    characters: int
    links: list[str]
    decisions: list[Decision] = field(default_factory=list)
    # The words changed since the version before; empty for the first.
    changes: list[Line] = field(default_factory=list)


@dataclass
class Panel:
    review: ContentReview
    versions: list[Version]  # newest first
    limit: int | None
    can_decide: bool
    can_revise: bool
    why_not_decide: str

    @property
    def latest(self) -> Version:
        return self.versions[0]


def review_panel(user: User, ticket: Ticket) -> Panel | None:
    review = (
        ContentReview.objects.filter(ticket=ticket)
        .select_related("account__platform", "account__owner")
        .prefetch_related("drafts__author", "decisions__reviewer")
        .first()
    )
    if review is None:
        return None
    decided: dict[int, list[Decision]] = {}
    for decision in review.decisions.all():
        decided.setdefault(decision.draft_id, []).append(decision)
    drafts = list(review.drafts.all())
    versions = []
    for previous, draft in zip([None, *drafts], drafts, strict=False):
        versions.append(
            Version(
                draft=draft,
                characters=length(draft.text),
                links=draft.links.splitlines(),
                decisions=decided.get(draft.pk, []),
                changes=body_diff(previous.text, draft.text) if previous is not None else [],
            )
        )
    waiting = review.state in (ContentReview.State.PENDING, ContentReview.State.CHANGES) and ticket.is_open
    own = user.pk in (ticket.requester_id, drafts[-1].author_id)
    staff = can_work_ticket(user, ticket)
    return Panel(
        review=review,
        versions=versions[::-1],
        limit=limit_for(review.account.platform.slug),
        can_decide=waiting and staff and not own,
        can_revise=waiting and is_requester(user, ticket),
        why_not_decide="You wrote this post: another reviewer decides." if waiting and staff and own else "",
    )


def resolve_by(ticket: Ticket) -> datetime | None:
    """A post's review is due before its publish time, whatever the queue's policy (tickets.hooks.on_resolve_by)."""
    publish_at = (
        ContentReview.objects.filter(ticket_id=ticket.pk).values_list("publish_at", flat=True).first()
    )
    return publish_at - PUBLISH_MARGIN if publish_at is not None else None
