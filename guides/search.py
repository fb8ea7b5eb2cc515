"""Guide search: PostgreSQL full-text search, and a plain substring match on SQLite.

PostgreSQL's parser keeps "Twitter/X", "facebook.com" and "e-mail" as single tokens (a path,
a host, a hyphenated word), so a search for "twitter" or "email" would miss them. Each
guide therefore also stores `search_terms`: the parts of such compound words ("twitter",
"x", "facebook", "com") and, for short compounds, the parts joined ("twitterx", "email").
The whole tokens stay in the English vector, so "twitter/x" still matches as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, Value

from .models import Guide

# How much of a part goes into the vector: PostgreSQL refuses a tsvector over 1 MB. Text beyond
# it is stored and shown, but not found by search.
SEARCH_PART_CHARS = 50_000
SEPARATORS = "/.@-_"
_COMPOUND = re.compile(r"[\w/.@-]*\w[/.@-]+\w[\w/.@-]*")
_SPLIT = re.compile(r"[/.@_-]+")
# Joined, "e-mail" is the "email" people type; a long address joined is noise.
JOIN_MAX_PARTS = 3


def compound_words(text: str) -> list[str]:
    """The parts of each compound word in `text`, and the short ones joined, once each."""
    words: dict[str, None] = {}
    for token in _COMPOUND.findall(text):
        parts = [part for part in _SPLIT.split(token) if part]
        words.update(dict.fromkeys(part.lower() for part in parts))
        if 1 < len(parts) <= JOIN_MAX_PARTS:
            words["".join(parts).lower()] = None
    return list(words)


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


def _joined(word: str) -> str:
    return "".join(part for part in _SPLIT.split(word) if part)


def search_filter(guides: QuerySet[Guide], query: str) -> QuerySet[Guide]:
    """Guides matching `query`, best first on PostgreSQL, by title on SQLite."""
    if connection.vendor == "postgresql":
        # As typed, in English (stemmed, whole tokens), or with compounds joined as search_terms has them.
        joined = " ".join(_joined(word) or word for word in query.split())
        match = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            joined, search_type="websearch", config="simple"
        )
        return (
            guides.filter(search_vector=match)
            .annotate(rank=SearchRank(F("search_vector"), match))
            .order_by("-rank", "title", "id")
        )
    # SQLite: every word, as typed or joined, somewhere in the guide.
    for word in query.split()[:10]:
        condition = Q()
        for variant in dict.fromkeys([word, _joined(word)]):
            if not variant:
                continue
            condition |= (
                Q(title__icontains=variant)
                | Q(summary__icontains=variant)
                | Q(body__icontains=variant)
                | Q(search_terms__icontains=variant)
            )
        guides = guides.filter(condition)
    return guides.order_by("title", "id")
