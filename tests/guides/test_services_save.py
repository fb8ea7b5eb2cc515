"""Saving guides: who may publish what, the revision kept at every save, and the rendered body."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from guides import services
from guides.diffs import revision_diff
from guides.models import Guide, GuideRevision

from ..conftest import Cast, platform
from .conftest import content, guide_make


def edit(guide: Guide, actor: User, **changes: Any) -> services.GuideSaved:
    fields = {
        "title": guide.title,
        "slug": guide.slug,
        "summary": guide.summary,
        "body": guide.body,
        "topic": guide.topic,
        "audience": guide.audience,
        "status": guide.status,
        "platforms": list(guide.platforms.all()),
        "owner": guide.owner,
        "review_by": guide.review_by,
    }
    fields.update(changes)
    return services.guide_update(actor=actor, guide=guide, content=services.GuideContent(**fields))


def test_a_new_guide_is_rendered_indexed_and_kept_as_revision_one(cast: Cast) -> None:
    saved = services.guide_create(
        actor=cast.it_agent,
        content=content(
            title="Hacked?", body="**Act** now: <script>x</script>", platforms=[platform("twitter-x")]
        ),
        note="First version",
    )

    guide = Guide.objects.get(pk=saved.guide.pk)
    assert guide.body_html == "<p><strong>Act</strong> now: &lt;script&gt;x&lt;/script&gt;</p>\n"
    assert guide.slug == "hacked"
    assert "Twitter/X" in guide.search_terms and "twitterx" in guide.search_terms
    assert guide.published_at is not None
    revision = guide.revisions.get()
    assert (revision.number, revision.editor, revision.note, revision.platforms) == (
        1,
        cast.it_agent,
        "First version",
        "Twitter/X",
    )


def test_every_save_keeps_the_previous_revision_and_the_diff_shows_the_change(cast: Cast) -> None:
    guide = guide_make(cast.it_agent, title="Blog errors", body="Reload the page.\nThen file a request.\n")

    edit(guide, cast.marketing_agent, body="Reload the page once.\nThen file a request.\n")
    edit(Guide.objects.get(pk=guide.pk), cast.it_agent, title="The blog shows an error")

    revisions = list(GuideRevision.objects.filter(guide=guide).order_by("number"))
    assert [(r.number, r.title, r.editor) for r in revisions] == [
        (1, "Blog errors", cast.it_agent),
        (2, "Blog errors", cast.marketing_agent),
        (3, "The blog shows an error", cast.it_agent),
    ]
    assert revisions[0].body == "Reload the page.\nThen file a request.\n"
    body_change = revision_diff(revisions[0], revisions[1])
    assert [line.kind for line in body_change.lines] == ["removed", "added", "same"]
    added = body_change.lines[1]
    assert [(p.kind, p.text) for p in added.pieces if p.kind != "same"] == [("added", " once")]
    title_change = revision_diff(revisions[1], revisions[2])
    assert [(f.label, f.before, f.after) for f in title_change.fields] == [
        ("Title", "Blog errors", "The blog shows an error")
    ]
    assert not title_change.body_changed


def test_saving_without_a_change_makes_no_revision(cast: Cast) -> None:
    guide = guide_make(cast.it_agent)

    saved = edit(guide, cast.it_agent)

    assert not saved.changed
    assert guide.revisions.count() == 1


def test_an_edit_started_from_an_older_revision_is_refused_and_changes_nothing(cast: Cast) -> None:
    guide = guide_make(cast.it_agent, body="First.\n")
    edit(guide, cast.marketing_agent, body="Second.\n")

    with pytest.raises(ValidationError, match="saved this guide while you were editing"):
        services.guide_update(
            actor=cast.it_agent,
            guide=guide,
            base_revision=1,
            content=content(title=guide.title, slug=guide.slug, body="Mine.\n"),
        )

    assert Guide.objects.get(pk=guide.pk).body == "Second.\n"
    assert guide.revisions.count() == 2


def test_a_guide_too_long_is_refused_with_the_numbers(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Keep a guide to 60,000 characters; this one has 60,001"):
        services.guide_create(actor=cast.it_agent, content=content(body="x" * 60_001))


def test_slugs_stay_unique(cast: Cast) -> None:
    first = guide_make(cast.it_agent, title="Blocked sites")
    second = guide_make(cast.it_agent, title="Blocked sites")

    assert (first.slug, second.slug) == ("blocked-sites", "blocked-sites-2")


# ---- who may publish what --------------------------------------------------------------------


@pytest.mark.parametrize("topic", [Guide.Topic.POLICY, Guide.Topic.ETIQUETTE])
def test_an_agent_outside_communications_may_draft_policy_but_not_publish_it(cast: Cast, topic: str) -> None:
    draft = guide_make(cast.it_agent, topic=topic, status=Guide.Status.DRAFT)

    with pytest.raises(PermissionDenied, match="Communications publishes"):
        services.guide_create(actor=cast.it_agent, content=content(topic=topic))
    with pytest.raises(PermissionDenied, match="Communications publishes"):
        edit(draft, cast.it_agent, status=Guide.Status.PUBLISHED)

    assert Guide.objects.get(pk=draft.pk).status == Guide.Status.DRAFT
    assert Guide.objects.filter(topic=topic).count() == 1


@pytest.mark.parametrize("publisher", ["comms_agent", "manager", "admin"])
def test_communications_and_managers_publish_policy(cast: Cast, publisher: str) -> None:
    draft = guide_make(cast.it_agent, topic=Guide.Topic.POLICY, status=Guide.Status.DRAFT)

    edit(draft, getattr(cast, publisher), status=Guide.Status.PUBLISHED)

    assert Guide.objects.get(pk=draft.pk).is_published


def test_a_published_policy_guide_is_changed_only_by_communications(cast: Cast) -> None:
    policy = guide_make(cast.comms_agent, topic=Guide.Topic.POLICY, body="The rule.\n")

    with pytest.raises(PermissionDenied):
        edit(policy, cast.it_agent, body="My rule.\n")
    with pytest.raises(PermissionDenied):
        # Nor unpublished, nor moved to a topic the agent may publish.
        edit(policy, cast.it_agent, status=Guide.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        edit(policy, cast.it_agent, topic=Guide.Topic.HOW_TO)

    assert Guide.objects.get(pk=policy.pk).body == "The rule.\n"
    edit(policy, cast.comms_agent, body="The better rule.\n")
    assert Guide.objects.get(pk=policy.pk).body == "The better rule.\n"


def test_any_agent_publishes_the_other_topics(cast: Cast) -> None:
    guide = guide_make(cast.marketing_agent, topic=Guide.Topic.SUCCESS_TIPS)

    assert guide.is_published


def test_employees_write_no_guides(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.guide_create(actor=cast.employee, content=content(status=Guide.Status.DRAFT))
    assert not Guide.objects.exists()


def test_an_employee_cannot_own_a_guide(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="isn't support staff"):
        services.guide_create(actor=cast.it_agent, content=content(owner=cast.employee))
