"""Guide search finds compound words by their parts, on PostgreSQL's full-text search and on
the SQLite fallback alike (the fallback is exercised here by telling the search it runs there)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection

from guides import search
from guides.models import Guide
from guides.search import compound_words, search_filter

from ..conftest import Cast
from .conftest import guide_make


@pytest.fixture(params=["database", "sqlite fallback"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite fallback":
        monkeypatch.setattr(search, "connection", SimpleNamespace(vendor="sqlite"))
    return request.param


@pytest.fixture
def library(cast: Cast) -> dict[str, Guide]:
    make = guide_make
    return {
        "x": make(
            cast.it_agent, title="Etiquette on Twitter/X", summary="House style.", topic=Guide.Topic.SECURITY
        ),
        "facebook": make(
            cast.it_agent, title="Page recovery", body="Go to facebook.com/hacked and follow it.\n"
        ),
        "email": make(cast.it_agent, title="Recovery address", body="Secure the recovery e-mail first.\n"),
        "linkedin": make(
            cast.it_agent, title="Page admins", platforms=["linkedin"], body="Add a successor.\n"
        ),
        "plain": make(cast.it_agent, title="Blocked sites", body="Ask IT for an exception.\n"),
    }


def found(query: str) -> set[str]:
    return set(search_filter(Guide.objects.all(), query).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("twitter", "Etiquette on Twitter/X"),
        ("Twitter", "Etiquette on Twitter/X"),
        ("twitter/x", "Etiquette on Twitter/X"),
        ("facebook", "Page recovery"),
        ("facebook.com", "Page recovery"),
        ("email", "Recovery address"),
        ("e-mail", "Recovery address"),
        ("mail", "Recovery address"),
        ("linkedin", "Page admins"),  # by its platform alone
        ("exception", "Blocked sites"),
    ],
)
def test_search_finds_compound_words_by_their_parts(
    library: dict[str, Guide], engine: str, query: str, title: str
) -> None:
    assert title in found(query)


def test_a_search_without_a_match_finds_nothing(library: dict[str, Guide], engine: str) -> None:
    assert found("mastodon") == set()


def test_every_word_must_match(library: dict[str, Guide], engine: str) -> None:
    assert found("recovery facebook") == {"Page recovery"}


def test_hostile_queries_are_only_words(library: dict[str, Guide], engine: str) -> None:
    for query in ["'; DROP TABLE guides_guide; --", "a & | ! ( ) :* <->", '"unclosed', "%", "_"]:
        list(search_filter(Guide.objects.all(), query))
    assert Guide.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_a_title_match_ranks_above_a_body_match(cast: Cast) -> None:
    guide_make(cast.it_agent, title="Other things", body="Something about passwords.\n")
    guide_make(cast.it_agent, title="Passwords", body="Use a manager.\n")

    assert list(search_filter(Guide.objects.all(), "password").values_list("title", flat=True)) == [
        "Passwords",
        "Other things",
    ]


def test_compound_words_are_split_and_short_ones_joined() -> None:
    assert compound_words("Twitter/X, facebook.com and e-mail; a.b.c.d@e.f") == [
        "twitter",
        "x",
        "twitterx",
        "facebook",
        "com",
        "facebookcom",
        "e",
        "mail",
        "email",
        "a",
        "b",
        "c",
        "d",
        "f",
    ]


def test_what_goes_into_the_vector_is_capped_but_the_text_is_stored_whole(cast: Cast) -> None:
    tail = " needle-word"
    body = "word " * (search.SEARCH_PART_CHARS // 5) + tail
    guide = guide_make(cast.it_agent, body=body)

    assert Guide.objects.get(pk=guide.pk).body == body
    assert "needle" not in guide.search_terms
    if connection.vendor == "postgresql":
        assert not found("needle")
