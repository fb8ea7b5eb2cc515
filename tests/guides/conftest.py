"""Guides made the way the desk makes them, and a throw-away media root for their pictures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from accounts.models import User
from guides import services
from guides.models import Guide, GuideFeedback, GuideImage, GuideRevision, GuideView
from tickets.models import Platform

BODY = (
    "## What to do\n\n"
    "Follow these steps in order, and file a request if you are stuck.\n\n"
    "- Check the address.\n- Take a screenshot.\n"
)
_counter = 0


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def content(**overrides: Any) -> services.GuideContent:
    global _counter
    _counter += 1
    fields: dict[str, Any] = {
        "title": f"Guide number {_counter}",
        "summary": "What to do when something goes wrong.",
        "body": BODY,
        "topic": Guide.Topic.HOW_TO,
        "audience": Guide.Audience.EVERYONE,
        "status": Guide.Status.PUBLISHED,
        "platforms": [],
        "owner": None,
        "review_by": None,
    }
    fields.update(overrides)
    return services.GuideContent(**fields)


def guide_make(author: User, *, platforms: Sequence[str] = (), **overrides: Any) -> Guide:
    chosen = list(Platform.objects.filter(slug__in=platforms)) if platforms else []
    return services.guide_create(actor=author, content=content(platforms=chosen, **overrides)).guide


def form_data(guide: Guide | None = None, **overrides: Any) -> dict[str, Any]:
    """What the desk's editor posts for `guide` (or a new one), with `overrides` typed in."""
    data: dict[str, Any] = {
        "title": guide.title if guide else "Reporting a fake company account",
        "slug": guide.slug if guide else "",
        "summary": guide.summary if guide else "How to get an impostor account taken down.",
        "topic": guide.topic if guide else Guide.Topic.HOW_TO,
        "audience": guide.audience if guide else Guide.Audience.EVERYONE,
        "platforms": [p.pk for p in guide.platforms.all()] if guide else [],
        "body": guide.body if guide else BODY,
        "owner": guide.owner_id or "" if guide else "",
        "review_by": guide.review_by.isoformat() if guide and guide.review_by else "",
        "status": guide.status if guide else Guide.Status.DRAFT,
        "note": "",
    }
    if guide is not None:
        data["base_revision"] = guide.revisions.order_by("-number").values_list("number", flat=True).first()
    data.update(overrides)
    return data


def guides_state() -> tuple[object, ...]:
    """Everything a guides request could have changed, to prove that one changed nothing."""
    return (
        list(
            Guide.objects.order_by("pk").values_list(
                "pk", "title", "body", "body_html", "status", "updated_at"
            )
        ),
        list(GuideRevision.objects.order_by("pk").values_list("pk", "number")),
        list(GuideFeedback.objects.order_by("pk").values_list("pk", "helpful", "comment")),
        GuideView.objects.count(),
        GuideImage.objects.count(),
    )
