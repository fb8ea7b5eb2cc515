"""The starter guides: loaded by `manage.py seed`, real length, every link and rule respected."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from guides.markdown import markdown_render
from guides.models import Guide
from guides.seed import StarterGuide, starter_guides, starter_guides_load

from ..conftest import Cast

REQUIRED = [
    "posting-about-work-on-your-own-accounts",
    "who-may-speak-for-the-company",
    "disclosing-that-you-work-here",
    "before-replying-to-a-complaint-on-the-company-page",
    "when-a-post-goes-wrong",
    "the-first-fifteen-minutes-after-an-account-is-hacked",
    "handing-over-a-linkedin-page-admin",
    "why-a-social-site-is-blocked-at-work",
    "the-blog-shows-an-error-or-a-broken-page",
    "image-and-music-rights",
    "measuring-whether-a-post-worked",
    "etiquette-for-the-company-x-account",
]


def words(markdown: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’/.-]*", markdown))


def test_the_starter_set_has_every_required_guide() -> None:
    assert set(REQUIRED) <= {starter.slug for starter in starter_guides()}


@pytest.mark.parametrize("starter", starter_guides(), ids=lambda starter: starter.slug)
def test_each_starter_guide_is_a_real_guide(starter: StarterGuide) -> None:
    assert 250 <= words(starter.body) <= 600, f"{starter.slug}: {words(starter.body)} words"
    assert 20 <= len(starter.summary) <= 300 and len(starter.title) <= 200
    rendered = markdown_render(starter.body)
    assert rendered.refused_links == [] and rendered.refused_images == []
    assert "<h2>" in rendered.html


def test_links_between_starter_guides_lead_to_starter_guides() -> None:
    slugs = {starter.slug for starter in starter_guides()}
    for starter in starter_guides():
        for target in re.findall(r"\]\(/guides/([^/)]+)/\)", starter.body):
            assert target in slugs, f"{starter.slug} links to a missing guide: {target}"


def test_the_hacked_account_guide_follows_the_published_recovery_order() -> None:
    body = next(
        s.body for s in starter_guides() if s.slug == "the-first-fifteen-minutes-after-an-account-is-hacked"
    )
    steps = [
        "Secure the recovery e-mail first",
        "Reset the account's password",
        "Sign out every other session",
        "Revoke connected apps",
        "Check two-step verification",
        "Pause scheduled posts",
        "Report it to the platform",
        "Tell Communications",
        "File an Urgent ticket",
    ]
    positions = [body.index(step) for step in steps]
    assert positions == sorted(positions)


def test_seed_loads_the_starter_guides_once_and_keeps_the_desks_edits(reference: None) -> None:
    call_command("seed", stdout=StringIO())
    guide = Guide.objects.get(slug="when-a-post-goes-wrong")
    Guide.objects.filter(pk=guide.pk).update(title="Our own title")

    call_command("seed", stdout=StringIO())

    assert Guide.objects.count() == len(starter_guides()) >= 12
    assert Guide.objects.get(pk=guide.pk).title == "Our own title"
    assert set(Guide.objects.values_list("status", flat=True)) == {"published"}
    assert guide.revisions.get().editor is None
    assert guide.review_by is not None


def test_starter_guides_carry_their_platforms(cast: Cast) -> None:
    starter_guides_load()

    linkedin = Guide.objects.get(slug="handing-over-a-linkedin-page-admin")
    assert [p.slug for p in linkedin.platforms.all()] == ["linkedin"]
    assert "Twitter/X" in Guide.objects.get(slug="etiquette-for-the-company-x-account").title


def test_guides_render_renders_every_guide_again(cast: Cast) -> None:
    starter_guides_load()
    Guide.objects.update(body_html="stale", search_terms="")
    out = StringIO()

    call_command("guides_render", stdout=out)

    assert not Guide.objects.filter(body_html="stale").exists()
    assert not Guide.objects.filter(search_terms="").exists()
    assert f"Rendered {Guide.objects.count()} guides; {Guide.objects.count()} changed." in out.getvalue()
