"""The admin lists guides, their revisions, feedback and pictures, and changes none of them."""

from __future__ import annotations

from django.urls import reverse

from guides.models import Guide, GuideFeedback

from ..conftest import Cast, client_for
from ..tickets.pages import shown
from .conftest import guide_make


def test_the_administrator_lists_and_reads_guides_and_their_records(cast: Cast) -> None:
    guide = guide_make(cast.it_agent, title="Blocked sites")
    GuideFeedback.objects.create(guide=guide, person=cast.employee, helpful=False, comment="Too short")
    admin = client_for(cast.admin)
    revision = guide.revisions.get()

    pages = [
        reverse("admin:guides_guide_changelist"),
        reverse("admin:guides_guide_change", args=[guide.pk]),
        reverse("admin:guides_guiderevision_changelist"),
        reverse("admin:guides_guiderevision_change", args=[revision.pk]),
        reverse("admin:guides_guidefeedback_changelist"),
        reverse("admin:guides_guideimage_changelist"),
    ]
    for url in pages:
        assert admin.get(url).status_code == 200, url
    assert "Edit this guide in the desk" in shown(admin.get(pages[1]))
    assert "Too short" in shown(admin.get(pages[4]))


def test_the_admin_adds_and_changes_no_guide(cast: Cast) -> None:
    guide = guide_make(cast.it_agent, title="Blocked sites")
    admin = client_for(cast.admin)

    assert admin.get(reverse("admin:guides_guide_add")).status_code == 403
    admin.post(reverse("admin:guides_guide_change", args=[guide.pk]), {"title": "Changed"})

    assert Guide.objects.get(pk=guide.pk).title == "Blocked sites"
    assert (
        admin.get(reverse("admin:guides_guiderevision_delete", args=[guide.revisions.get().pk])).status_code
        == 403
    )
