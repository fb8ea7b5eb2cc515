"""Guides beside the tickets: the filing form's suggestions and the portal's guide search.

Registered in bench/measure.py as the cases `guides_suggest` (the htmx request the filing
form sends as the employee types) and `guides_search` (the portal's search). The data set
gets 2,000 published guides the first time (the starter guides, then variations of them
with a number in the title), kept like any other generated rows; their search vectors are
written by one UPDATE that computes what guides.search.search_vector_refresh does.
Targets: suggestions p95 under 40 ms, search p95 under 60 ms, queries constant.
"""

from __future__ import annotations

from typing import Any

GUIDES = 2_000
SUGGEST_FORM_SUBJECT = "our twitter account was hacked"
SEARCH = "/guides/?q=twitter+account+hacked"

# What search_vector_refresh computes, for every guide that has no vector yet.
_VECTORS_SQL = """
UPDATE guides_guide SET about_vector =
    setweight(to_tsvector('english', left(title, 50000)), 'A')
    || setweight(to_tsvector('english', left(summary, 50000)), 'B')
    || setweight(to_tsvector('simple', left(search_terms, 50000)), 'B')
WHERE about_vector IS NULL;
UPDATE guides_guide SET search_vector =
    about_vector || setweight(to_tsvector('english', translate(left(body, 50000), '<>', '  ')), 'C')
WHERE search_vector IS NULL
"""


def guides_ensure(count: int = GUIDES) -> int:
    """At least `count` published guides; returns how many were added."""
    from django.db import transaction
    from django.utils import timezone

    from guides.models import Guide
    from guides.search import search_terms
    from guides.seed import starter_guides, starter_guides_load
    from tickets.models import Platform

    starter_guides_load()
    have = Guide.objects.filter(status=Guide.Status.PUBLISHED).count()
    if have >= count:
        _vectors_fill()
        return 0
    starters = starter_guides()
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    now = timezone.now()
    rows: list[Guide] = []
    chosen: list[list[Platform]] = []
    for number in range(have, count):
        starter = starters[number % len(starters)]
        on = [platforms[slug] for slug in starter.platforms if slug in platforms]
        title = f"{starter.title} ({number})"
        rows.append(
            Guide(
                title=title,
                slug=f"{starter.slug}-bench-{number}",
                summary=starter.summary,
                body=starter.body,
                body_html="<p>Generated for the benchmark.</p>",
                topic=starter.topic,
                audience=starter.audience,
                status=Guide.Status.PUBLISHED,
                search_terms=search_terms(
                    platforms=[platform.name for platform in on],
                    topic_label=Guide.Topic(starter.topic).label,
                    title=title,
                    summary=starter.summary,
                    body=starter.body,
                ),
                created_at=now,
                updated_at=now,
                published_at=now,
            )
        )
        chosen.append(on)
    with transaction.atomic():
        made = Guide.objects.bulk_create(rows, batch_size=500)
        Guide.platforms.through.objects.bulk_create(
            [
                Guide.platforms.through(guide_id=guide.pk, platform_id=platform.pk)
                for guide, on in zip(made, chosen, strict=True)
                for platform in on
            ],
            batch_size=2000,
        )
    _vectors_fill()
    return len(made)


def _vectors_fill() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_VECTORS_SQL)
            cursor.execute("ANALYZE guides_guide")


def guides_cases() -> list[Any]:
    from accounts.models import User
    from bench.generator.people import requester_email
    from bench.measure import Case, client_for, get
    from tickets.models import Platform, ProblemType

    guides_ensure()
    employee = User.objects.get(email=requester_email(2))
    client = client_for(employee)
    form = {
        "platform": Platform.objects.get(slug="twitter-x").pk,
        "problem_type": ProblemType.objects.get(slug="compromised-account").pk,
        "subject": SUGGEST_FORM_SUBJECT,
        "description": "Since this morning it posts adverts we never wrote, and the password no longer works.",
    }

    def suggest() -> int:
        response = client.post("/guides/suggestions/", form)
        # A suggestions request that finds nothing is no measure of finding.
        assert b"/solved/" in response.content, "the suggestions found no guide"
        return int(response.status_code)

    return [
        Case("guides_suggest", suggest, notes=["target p95 < 40 ms"]),
        Case("guides_search", get(client, SEARCH), notes=["target p95 < 60 ms"]),
    ]
