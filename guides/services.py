"""Writes: saving guides with their revisions, pictures, feedback and views.

Every function checks its actor with guides/permissions.py, the rules the views use too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from tickets.models import Platform, ProblemType

from .images import image_check
from .markdown import Rendered, markdown_render
from .models import Deflection, Guide, GuideFeedback, GuideImage, GuideRevision, GuideView
from .permissions import can_edit, can_publish, can_read, can_write_guides, publish_refusal
from .search import search_terms, search_vector_refresh

# About twenty pages: a guide longer than that wants splitting.
BODY_MAX_CHARS = 60_000
COMMENT_MAX_CHARS = 2_000
# A reader who reloads or comes back within this time has read the guide once.
VIEW_REPEAT_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class GuideContent:
    """What an author sets on a guide; everything else follows from it."""

    title: str
    summary: str
    body: str
    topic: str
    audience: str
    status: str
    platforms: Sequence[Platform]
    owner: User | None
    review_by: date | None
    slug: str = ""


@dataclass(frozen=True)
class GuideSaved:
    guide: Guide
    changed: bool
    rendered: Rendered


# Addresses under /guides/ that are pages of their own, not guides.
RESERVED_SLUGS = frozenset({"images", "suggestions"})


def _unique_slug(title: str, *, exclude: int | None) -> str:
    base = slugify(title)[:100] or "guide"
    others = Guide.objects.filter(slug__startswith=base)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = RESERVED_SLUGS | set(others.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _image_urls(guide: Guide) -> list[str]:
    if guide.pk is None:
        return []
    return [image.get_absolute_url() for image in guide.images.all()]


def _render(guide: Guide, platforms: Sequence[Platform]) -> Rendered:
    """Set what follows from the content: the HTML and what search finds it by."""
    rendered = markdown_render(guide.body, image_urls=_image_urls(guide))
    guide.body_html = rendered.html
    guide.search_terms = search_terms(
        platforms=[platform.name for platform in platforms],
        topic_label=Guide.Topic(guide.topic).label,
        title=guide.title,
        summary=guide.summary,
        body=guide.body,
    )
    return rendered


def _snapshot(guide: Guide, platforms: Sequence[Platform]) -> dict[str, object]:
    return {
        "title": guide.title,
        "summary": guide.summary,
        "body": guide.body,
        "topic": guide.topic,
        "audience": guide.audience,
        "status": guide.status,
        "platforms": ", ".join(platform.name for platform in sorted(platforms, key=lambda p: p.position)),
        "owner_name": str(guide.owner) if guide.owner else "",
        "review_by": guide.review_by,
    }


def _content_check(content: GuideContent) -> None:
    length = len(content.body) - content.body.count("\r\n")
    if length > BODY_MAX_CHARS:
        raise ValidationError(
            f"Keep a guide to {BODY_MAX_CHARS:,} characters; this one has {length:,}. Split it into two guides."
        )
    if content.topic not in Guide.Topic.values:
        raise ValidationError("Choose one of the topics.")
    if content.owner is not None and not content.owner.is_desk_user:
        raise ValidationError(f"{content.owner} isn't support staff, so can't own a guide.")


def _write(guide: Guide, content: GuideContent, *, editor: User | None, note: str, new: bool) -> GuideSaved:
    """Apply `content`, render it, and keep the result as the next revision if anything changed."""
    platforms = list(content.platforms)
    before = None if new else (guide.slug, _snapshot(guide, list(guide.platforms.all())))
    for name in ("title", "summary", "body", "topic", "audience", "status", "owner", "review_by"):
        setattr(guide, name, getattr(content, name))
    guide.slug = content.slug or guide.slug or _unique_slug(content.title, exclude=guide.pk)
    after = _snapshot(guide, platforms)
    rendered = _render(guide, platforms)
    if before == (guide.slug, after):
        return GuideSaved(guide=guide, changed=False, rendered=rendered)
    now = timezone.now()
    guide.updated_at = now
    if guide.is_published and guide.published_at is None:
        guide.published_at = now
    guide.save()
    guide.platforms.set(platforms)
    search_vector_refresh(guide)
    GuideRevision.objects.create(
        guide=guide, number=_latest_revision(guide) + 1, editor=editor, note=note, created_at=now, **after
    )
    return GuideSaved(guide=guide, changed=True, rendered=rendered)


def _latest_revision(guide: Guide) -> int:
    return guide.revisions.order_by("-number").values_list("number", flat=True).first() or 0


@transaction.atomic
def guide_create(*, actor: User, content: GuideContent, note: str = "") -> GuideSaved:
    if not can_write_guides(actor):
        raise PermissionDenied("Only support staff write guides.")
    if content.status == Guide.Status.PUBLISHED and not can_publish(actor, content.topic):
        raise PermissionDenied(publish_refusal(content.topic))
    _content_check(content)
    return _write(Guide(), content, editor=actor, note=note, new=True)


@transaction.atomic
def guide_update(
    *, actor: User, guide: Guide, content: GuideContent, base_revision: int | None = None, note: str = ""
) -> GuideSaved:
    """Save an edit. `base_revision` is the revision the author started from: if someone saved
    another since, the edit is refused rather than silently undoing theirs."""
    guide = Guide.objects.select_for_update(of=("self",)).select_related("owner").get(pk=guide.pk)
    if not can_edit(actor, guide):
        raise PermissionDenied(publish_refusal(guide.topic))
    if content.status == Guide.Status.PUBLISHED and not can_publish(actor, content.topic):
        raise PermissionDenied(publish_refusal(content.topic))
    _content_check(content)
    latest = _latest_revision(guide)
    if base_revision is not None and base_revision != latest:
        editor = guide.revisions.get(number=latest).editor
        raise ValidationError(
            f"{editor or 'Someone'} saved this guide while you were editing it. Your text is still "
            "in the form: compare it with the latest revision, then save again."
        )
    return _write(guide, content, editor=actor, note=note, new=False)


def guide_system_create(*, content: GuideContent) -> Guide:
    """A guide the desk itself provides (the starter set): no author, revision 1 by nobody."""
    with transaction.atomic():
        _content_check(content)
        return _write(Guide(), content, editor=None, note="Starter guide", new=True).guide


def guide_render(*, guide: Guide) -> bool:
    """Render a guide again under the current rules (guides_render); True if its HTML changed."""
    with transaction.atomic():
        guide = Guide.objects.select_for_update().get(pk=guide.pk)
        previous = (guide.body_html, guide.search_terms)
        _render(guide, list(guide.platforms.all()))
        guide.save(update_fields=["body_html", "search_terms"])
        search_vector_refresh(guide)
        return (guide.body_html, guide.search_terms) != previous


@transaction.atomic
def guide_image_add(*, actor: User, guide: Guide, upload: UploadedFile) -> GuideImage:
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    if not can_edit(actor, guide):
        raise PermissionDenied(publish_refusal(guide.topic))
    content_type = image_check(upload)
    image = GuideImage.objects.create(
        guide=guide,
        file=upload,
        name=(upload.name or "picture")[:200],
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=actor,
    )
    # The body may already name the new picture: show it now rather than at the next save.
    rendered = markdown_render(guide.body, image_urls=_image_urls(guide))
    Guide.objects.filter(pk=guide.pk).update(body_html=rendered.html)
    return image


@transaction.atomic
def guide_feedback_give(*, guide: Guide, person: User, helpful: bool, comment: str = "") -> GuideFeedback:
    """Record or change a reader's answer to "Did this answer your question?"."""
    if not can_read(person, guide):
        raise PermissionDenied("That guide isn't one you can read.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            f"Keep the comment to {COMMENT_MAX_CHARS:,} characters; it has {len(comment):,}."
        )
    now = timezone.now()
    feedback, _ = GuideFeedback.objects.update_or_create(
        guide=guide,
        person=person,
        defaults={"helpful": helpful, "comment": comment, "updated_at": now},
        create_defaults={"helpful": helpful, "comment": comment, "created_at": now, "updated_at": now},
    )
    return feedback


def guide_view_record(*, guide: Guide, person: User) -> bool:
    """Count a reading of the guide, once per person in VIEW_REPEAT_WINDOW; True if counted."""
    if not can_read(person, guide):
        raise PermissionDenied("That guide isn't one you can read.")
    now = timezone.now()
    recent = GuideView.objects.filter(guide=guide, person=person, viewed_at__gt=now - VIEW_REPEAT_WINDOW)
    if recent.exists():
        return False
    GuideView.objects.create(guide=guide, person=person, viewed_at=now)
    return True


def deflection_record(
    *,
    guide: Guide,
    person: User,
    platform: Platform | None = None,
    problem_type: ProblemType | None = None,
    subject: str = "",
) -> Deflection:
    """A suggested guide answered what `person` was about to file: count it, file nothing."""
    if not can_read(person, guide):
        raise PermissionDenied("That guide isn't one you can read.")
    return Deflection.objects.create(
        guide=guide,
        person=person,
        platform=platform,
        problem_type=problem_type,
        subject=" ".join(subject.split())[:200],
        created_at=timezone.now(),
    )
