"""Every change to a content review goes through these functions.

Each checks its actor with the tickets' one rule (tickets.services.common.actor_check), works on
the ticket's locked row, and writes the ticket's history through tickets.services.history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from checklists.models import Item
from notifications.models import Kind as Email
from notifications.services import Recipient, notify
from social.models import CompanyAccount
from tickets.attachments import validate_uploads
from tickets.models import Attachment, ProblemType, Ticket
from tickets.services.common import actor_check, locked, message_check
from tickets.services.filing import ticket_file
from tickets.services.history import event_record
from tickets.workflow import check_open

from .events import Action, ContentReviewed
from .limits import draft_check
from .models import ContentReview, Decision, Draft
from .selectors import PUBLISH_MARGIN

PROBLEM_TYPE = "content-review"
ALT_MAX = 300


@dataclass(frozen=True)
class Image:
    file: UploadedFile
    alt: str


def _images_check(images: Sequence[Image]) -> list[str]:
    alts = [" ".join(image.alt.split()) for image in images]
    missing = [image.file.name or "image" for image, alt in zip(images, alts, strict=True) if not alt]
    if missing:
        named = ", ".join(missing)
        raise ValidationError(f"Describe every image for people who can't see it: add alt text for {named}.")
    if any(len(alt) > ALT_MAX for alt in alts):
        raise ValidationError(f"Keep each alt text to {ALT_MAX} characters.")
    validate_uploads([image.file for image in images])
    return alts


def _links(links: str) -> str:
    return "\n".join(line.strip() for line in links.splitlines() if line.strip())


@transaction.atomic
def content_review_file(
    *,
    requester: User,
    account: CompanyAccount,
    text: str,
    publish_at: datetime,
    links: str = "",
    context: str = "",
    images: Sequence[Image] = (),
) -> ContentReview:
    """Ask Communications to review a post before it goes out on a company account."""
    if account.status != CompanyAccount.Status.ACTIVE:
        raise ValidationError({"account": f"{account} is not active: choose an active account."})
    platform = account.platform
    draft_check(text, platform.slug, platform.name)
    message_check(context, what="context")
    now = timezone.now()
    if publish_at <= now + PUBLISH_MARGIN:
        raise ValidationError(
            {
                "publish_at": "Choose a publish time at least an hour from now, so there is time to review the post."
            }
        )
    alts = _images_check(images)
    ticket = ticket_file(
        requester=requester,
        platform=platform,
        problem_type=ProblemType.objects.get(slug=PROBLEM_TYPE),
        subject=f"Review a post for {account.name}",
        description=context.strip() or f"Please review this post for {account.name} before it goes out.",
        account=account,
        files=[image.file for image in images],
        resolve_by=publish_at - PUBLISH_MARGIN,
    )
    review = ContentReview.objects.create(
        ticket=ticket, account=account, publish_at=publish_at, context=context.strip(), created_at=now
    )
    attached = list(Attachment.objects.filter(ticket=ticket).order_by("pk"))
    draft = Draft.objects.create(
        review=review,
        number=1,
        text=text,
        links=_links(links),
        images=[
            {"attachment": attachment.pk, "name": attachment.name, "alt": alt}
            for attachment, alt in zip(attached, alts, strict=False)
        ],
        author=requester,
        created_at=now,
    )
    _record(ticket, requester, "submitted", draft)
    return review


def _record(ticket: Ticket, actor: User | None, action: Action, draft: Draft, comment: str = "") -> None:
    payload = ContentReviewed(action=action, version=draft.number, comment=comment)
    event_record(ticket=ticket, actor=actor, payload=payload)


def _review_locked(review: ContentReview) -> tuple[Ticket, ContentReview]:
    ticket = locked(review.ticket)
    review = ContentReview.objects.select_for_update().select_related("account__platform").get(pk=review.pk)
    return ticket, review


def _still_open(review: ContentReview, ticket: Ticket) -> None:
    check_open(ticket.status, reference=ticket.reference)
    if review.state not in (ContentReview.State.PENDING, ContentReview.State.CHANGES):
        raise ValidationError(f"This post was already {review.get_state_display().lower()}.")


@transaction.atomic
def draft_revise(*, review: ContentReview, actor: User, text: str, links: str = "") -> Draft:
    """The author's next version; the ones before it stay as they were reviewed."""
    ticket, review = _review_locked(review)
    actor_check(actor, ticket, requester=True)
    _still_open(review, ticket)
    platform = review.account.platform
    draft_check(text, platform.slug, platform.name)
    latest = review.drafts.order_by("-number").first()
    assert latest is not None
    links = _links(links)
    if latest.text == text and latest.links == links:
        raise ValidationError(
            {"text": "This is the same as the last version: change the post, then submit it."}
        )
    draft = Draft.objects.create(
        review=review,
        number=latest.number + 1,
        text=text,
        links=links,
        images=latest.images,
        author=actor,
        created_at=timezone.now(),
    )
    review.state = ContentReview.State.PENDING
    review.save(update_fields=["state"])
    _record(ticket, actor, "revised", draft)
    return draft


VERDICT_STATE = {
    Decision.Verdict.APPROVE: ContentReview.State.APPROVED,
    Decision.Verdict.CHANGES: ContentReview.State.CHANGES,
    Decision.Verdict.REJECT: ContentReview.State.REJECTED,
}
VERDICT_ACTION: dict[str, Action] = {
    Decision.Verdict.APPROVE: "approved",
    Decision.Verdict.CHANGES: "changes requested",
    Decision.Verdict.REJECT: "rejected",
}


@transaction.atomic
def review_decide(*, review: ContentReview, actor: User, verdict: str, comment: str = "") -> Decision:
    """A reviewer of the ticket's queue decides on the latest version."""
    ticket, review = _review_locked(review)
    actor_check(actor, ticket, staff=True)
    _still_open(review, ticket)
    if verdict not in VERDICT_STATE:
        raise ValidationError({"verdict": "Choose approve, request changes or reject."})
    draft = review.drafts.order_by("-number").first()
    assert draft is not None
    if actor.pk in (draft.author_id, ticket.requester_id):
        raise PermissionDenied("You wrote this post: someone else reviews it.")
    comment = comment.strip()
    if verdict != Decision.Verdict.APPROVE and not comment:
        raise ValidationError(
            {"comment": "Say what must change, or why the post can't go out: the author reads it."}
        )
    message_check(comment, what="comment")
    if verdict == Decision.Verdict.APPROVE:
        _checklist_done(ticket)
    decision = Decision.objects.create(
        review=review,
        draft=draft,
        verdict=verdict,
        comment=comment,
        reviewer=actor,
        decided_at=timezone.now(),
    )
    review.state = VERDICT_STATE[Decision.Verdict(verdict)]
    review.save(update_fields=["state"])
    _record(ticket, actor, VERDICT_ACTION[verdict], draft, comment)
    _tell(review, ticket, decision, actor)
    return decision


def _checklist_done(ticket: Ticket) -> None:
    """Approval comes after the review checklist; a refusal can come at any point."""
    left = list(
        Item.objects.filter(checklist__ticket=ticket, done_at__isnull=True).values_list("text", flat=True)[:3]
    )
    if left:
        raise ValidationError(
            {
                "verdict": "Work through the review checklist before approving: "
                + ", ".join(f"“{t}”" for t in left)
                + " still open."
            }
        )


def _tell(review: ContentReview, ticket: Ticket, decision: Decision, actor: User) -> None:
    account = review.account
    portal = f"{settings.SITE_URL}{ticket.get_absolute_url()}"
    verdict = decision.get_verdict_display().lower()
    lines = [f"Version {decision.draft.number}, by {actor}."]
    if decision.comment:
        lines.append(decision.comment)
    notify(
        kind=Email.ACCOUNT_NOTICE,
        recipients=[Recipient(user=ticket.requester, url=portal)],
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={
            "title": f"Your post for {account.name}: {verdict} ({ticket.reference})",
            "headline": f"{actor} {verdict} your post for {account.name}.",
            "lines": lines,
        },
        actor=actor,
    )
    if decision.verdict != Decision.Verdict.APPROVE:
        return
    owners = [person for person in (account.owner, account.deputy) if person is not None]
    notify(
        kind=Email.ACCOUNT_NOTICE,
        recipients=[
            Recipient(user=person, url=f"{settings.SITE_URL}{account.get_portal_url()}") for person in owners
        ],
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={
            "title": f"A post for {account.name} was approved ({ticket.reference})",
            "headline": f"{actor} approved {ticket.requester}'s post for {account.name}.",
            "lines": [
                f"Version {decision.draft.number}, approved {timezone.localtime(decision.decided_at):%Y-%m-%d %H:%M}.",
                f"To go out {timezone.localtime(review.publish_at):%Y-%m-%d %H:%M}.",
            ],
        },
        actor=actor,
    )
