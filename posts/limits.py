"""How long a post may be on each platform, counted as the author counts it."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# Platform slug -> characters; a platform not named here (the blog) has no limit.
LIMITS = {"twitter-x": 280, "linkedin": 3_000, "facebook": 63_206}


def length(text: str) -> int:
    # Browsers send a line break as two characters; the person counts one.
    return len(text) - text.count("\r\n")


def limit_for(platform_slug: str) -> int | None:
    return LIMITS.get(platform_slug)


def draft_check(text: str, platform_slug: str, platform_name: str) -> None:
    if not text.strip():
        raise ValidationError({"text": "Write the post you want reviewed."})
    limit = limit_for(platform_slug)
    if limit is not None and length(text) > limit:
        over = length(text) - limit
        raise ValidationError(
            {
                "text": f"{platform_name} allows {limit:,} characters; this draft has {length(text):,}. "
                f"Cut {over:,} character{'s' if over != 1 else ''} and submit again."
            }
        )
