"""Guide search: PostgreSQL full-text search, and word matching on SQLite, as tickets search.

Compound words ("Twitter/X", "facebook.com", "e-mail") are found by their parts the way
tickets.search_text explains. A guide stores those parts as `search_terms`, with its
platforms and topic, so that the SQLite fallback and the suggestions read them too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, Value

from tickets.search_text import SEARCH_PART_CHARS, compound_words, search_condition, search_query

from .models import Guide


def search_terms(*, platforms: Iterable[str], topic_label: str, title: str, summary: str, body: str) -> str:
    """What a guide is found by besides its own words (see the module's docstring)."""
    names = list(platforms)
    text = " ".join([title, summary, *names, body[:SEARCH_PART_CHARS]])
    return " ".join([*names, topic_label, *compound_words(text)])


def _words(value: str, weight: str, config: str = "english") -> SearchVector:
    # Angle brackets become spaces: the parser would drop "<https://...>" as markup.
    text = value[:SEARCH_PART_CHARS].translate(str.maketrans("<>", "  "))
    return SearchVector(Value(text), config=config, weight=weight)


def search_vector_refresh(guide: Guide) -> None:
    """Store the guide's vector: title weighs most, then summary and terms, then the body."""
    if connection.vendor != "postgresql":
        return
    about = (
        _words(guide.title, "A")
        + _words(guide.summary, "B")
        + _words(guide.search_terms, "B", config="simple")
    )
    Guide.objects.filter(pk=guide.pk).update(
        search_vector=about + _words(guide.body, "C"), about_vector=about
    )


def search_filter(guides: QuerySet[Guide], query: str) -> QuerySet[Guide]:
    """Guides matching `query`, best first on PostgreSQL, by title on SQLite."""
    if connection.vendor == "postgresql":
        match = search_query(query)
        if match is None:
            return guides.none()
        return (
            guides.filter(search_vector=match)
            .annotate(rank=SearchRank(F("search_vector"), match))
            .order_by("-rank", "title", "id")
        )
    condition = search_condition(query, _guide_text_matches)
    return guides.filter(condition).order_by("title", "id") if condition is not None else guides.none()


def _guide_text_matches(pattern: str) -> Q:
    return (
        Q(title__iregex=pattern)
        | Q(summary__iregex=pattern)
        | Q(body__iregex=pattern)
        | Q(search_terms__iregex=pattern)
    )
