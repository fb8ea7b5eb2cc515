"""Reads: which guides a person may see, and the lists the screens show."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from tickets.models import Platform

from .models import Guide, GuideFeedback, GuideImage, GuideRevision, GuideView
from .permissions import can_read, can_write_guides
from .search import search_filter

SEARCH_RESULTS = 50
RELATED_GUIDES = 4


def readable_guides(user: User | AnonymousUser) -> QuerySet[Guide]:
    """The published guides `user` may read: the same rule as permissions.can_read, for a list."""
    if not user.is_authenticated or not user.is_active:
        return Guide.objects.none()
    guides = Guide.objects.filter(status=Guide.Status.PUBLISHED)
    if not user.is_desk_user:
        guides = guides.filter(audience=Guide.Audience.EVERYONE)
    return guides


def _with_platforms(guides: QuerySet[Guide]) -> QuerySet[Guide]:
    return guides.prefetch_related(Prefetch("platforms", queryset=Platform.objects.order_by("position")))


@dataclass(frozen=True)
class GuideFilters:
    platform: Platform | None = None
    topic: str = ""
    query: str = ""


def portal_guides(user: User | AnonymousUser, filters: GuideFilters) -> QuerySet[Guide]:
    """Browse or search: by title, or best match first when searching (at most SEARCH_RESULTS)."""
    guides = readable_guides(user)
    if filters.platform is not None:
        guides = guides.filter(platforms=filters.platform)
    if filters.topic:
        guides = guides.filter(topic=filters.topic)
    if filters.query:
        guides = search_filter(guides, filters.query)[:SEARCH_RESULTS]
    return _with_platforms(guides.defer("body", "body_html", "search_terms", "search_vector"))


def portal_guide(user: User | AnonymousUser, slug: str) -> Guide:
    """A guide `user` may read, or 404: drafts and staff-only guides don't exist for outsiders."""
    guide = get_object_or_404(_with_platforms(Guide.objects.select_related("owner")), slug=slug)
    if not can_read(user, guide):
        raise Http404("No such guide.")
    return guide


def related_guides(user: User, guide: Guide) -> list[Guide]:
    """Guides on the same topic or a shared platform, those with both first."""
    platform_ids = [platform.pk for platform in guide.platforms.all()]
    same = Q(topic=guide.topic) | Q(platforms__in=platform_ids)
    return list(
        readable_guides(user)
        .filter(same)
        .exclude(pk=guide.pk)
        .annotate(
            closeness=Case(
                When(topic=guide.topic, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            + Count("platforms", filter=Q(platforms__in=platform_ids), distinct=True)
        )
        .order_by("-closeness", "title", "id")
        .only("title", "slug", "summary", "topic")[:RELATED_GUIDES]
    )


def feedback_of(user: User, guide: Guide) -> GuideFeedback | None:
    return GuideFeedback.objects.filter(guide=guide, person=user).first()


def image_for(user: User | AnonymousUser, pk: int) -> GuideImage:
    """A picture of a guide the user may read (staff: of any guide, drafts included), or 404."""
    image = get_object_or_404(GuideImage.objects.select_related("guide"), pk=pk)
    if not (can_write_guides(user) or can_read(user, image.guide)):
        raise Http404("No such picture.")
    return image


# ---- the desk ----------------------------------------------------------------------------------


def _count(model: type[GuideView] | type[GuideFeedback], **conditions: object) -> Coalesce:
    rows = (
        model.objects.filter(guide=OuterRef("pk"), **conditions)
        .order_by()
        .values("guide")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class DeskGuideFilters:
    topic: str = ""
    status: str = ""
    platform: Platform | None = None
    query: str = ""


def desk_guides(filters: DeskGuideFilters) -> QuerySet[Guide]:
    """Every guide, drafts and staff-only included, with its readers' counts."""
    guides = Guide.objects.all()
    if filters.topic:
        guides = guides.filter(topic=filters.topic)
    if filters.status:
        guides = guides.filter(status=filters.status)
    if filters.platform is not None:
        guides = guides.filter(platforms=filters.platform)
    if filters.query:
        guides = search_filter(guides, filters.query)
    return (
        _with_platforms(guides.select_related("owner"))
        .defer("body", "body_html", "search_terms", "search_vector")
        .annotate(
            view_count=_count(GuideView),
            helpful_count=_count(GuideFeedback, helpful=True),
            unhelpful_count=_count(GuideFeedback, helpful=False),
        )
    )


def desk_guide(pk: int) -> Guide:
    return get_object_or_404(_with_platforms(Guide.objects.select_related("owner")), pk=pk)


def guide_revisions(guide: Guide) -> list[GuideRevision]:
    return list(guide.revisions.select_related("editor").defer("body").order_by("-number"))


def latest_revision_number(guide: Guide) -> int:
    return guide.revisions.order_by("-number").values_list("number", flat=True).first() or 0


def revision_and_previous(pk: int) -> tuple[GuideRevision, GuideRevision | None]:
    revision = get_object_or_404(GuideRevision.objects.select_related("guide", "editor"), pk=pk)
    previous = (
        GuideRevision.objects.filter(guide=revision.guide_id, number__lt=revision.number)
        .order_by("-number")
        .first()
    )
    return revision, previous


def recent_feedback(guide: Guide, limit: int = 20) -> list[GuideFeedback]:
    return list(guide.feedback.select_related("person").order_by("-updated_at", "-id")[:limit])
