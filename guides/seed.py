"""The starter guides: guides/starter/*.md, loaded by `manage.py seed`.

Each file opens with front matter between two "---" lines, one `key: value` a line:
title, summary, topic, platforms (platform slugs, comma-separated; empty for all) and
audience. A guide whose address already exists is left as the desk has shaped it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tickets.models import Platform

from .models import Guide
from .services import GuideContent, guide_system_create

STARTER_DIR = Path(__file__).resolve().parent / "starter"
FRONT_MATTER_KEYS = {"title", "summary", "topic", "platforms", "audience"}
# Platforms change their menus and rules: someone should read the starter set twice a year.
STARTER_REVIEW_AFTER = timedelta(days=182)
# The starter guide that becomes the social media policy when no guide is it yet.
POLICY_SLUG = "social-media-policy"


@dataclass(frozen=True)
class StarterGuide:
    slug: str
    title: str
    summary: str
    topic: str
    platforms: list[str]
    audience: str
    body: str


def starter_parse(path: Path) -> StarterGuide:
    text = path.read_text(encoding="utf-8")
    opening, front, body = text.split("---\n", 2)
    if opening.strip():
        raise ValueError(f"{path.name}: front matter must open the file")
    fields: dict[str, str] = {}
    for line in front.strip().splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    if set(fields) != FRONT_MATTER_KEYS:
        raise ValueError(f"{path.name}: front matter needs exactly {sorted(FRONT_MATTER_KEYS)}")
    if fields["topic"] not in Guide.Topic.values or fields["audience"] not in Guide.Audience.values:
        raise ValueError(f"{path.name}: unknown topic or audience")
    return StarterGuide(
        slug=path.stem,
        title=fields["title"],
        summary=fields["summary"],
        topic=fields["topic"],
        platforms=[slug.strip() for slug in fields["platforms"].split(",") if slug.strip()],
        audience=fields["audience"],
        body=body.strip() + "\n",
    )


def starter_guides() -> list[StarterGuide]:
    return [starter_parse(path) for path in sorted(STARTER_DIR.glob("*.md"))]


@transaction.atomic
def starter_guides_load() -> int:
    """Publish the starter guides that are missing; returns how many were added."""
    existing = set(Guide.objects.values_list("slug", flat=True))
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    added = 0
    for starter in starter_guides():
        if starter.slug in existing:
            continue
        guide_system_create(
            content=GuideContent(
                title=starter.title,
                slug=starter.slug,
                summary=starter.summary,
                body=starter.body,
                topic=starter.topic,
                audience=starter.audience,
                status=Guide.Status.PUBLISHED,
                # A platform an administrator removed is skipped, not recreated.
                platforms=[platforms[slug] for slug in starter.platforms if slug in platforms],
                owner=None,
                review_by=timezone.localdate() + STARTER_REVIEW_AFTER,
            )
        )
        added += 1
    if not Guide.objects.filter(is_policy=True).exists():
        Guide.objects.filter(slug=POLICY_SLUG, status=Guide.Status.PUBLISHED).update(
            is_policy=True, policy_version=1
        )
    return added
