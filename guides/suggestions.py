"""Guides suggested while an employee types a request: at most three, and only good matches.

A guide matches well when it shares at least MIN_WORDS of the request's words and one of
them is in its title, summary or platforms (what the guide is about, not a word its body
happens to use). The chosen platform counts as one more shared word; a topic that fits the
problem type counts as one more shared word that the guide is about. On PostgreSQL the words are the request's English lexemes, compared
with each guide's search vector; on SQLite, the words themselves, found in the guide's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    Field,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from accounts.models import User
from tickets.models import Platform, ProblemType

from .models import Guide
from .search import compound_words
from .selectors import readable_guides

SUGGESTIONS = 3
MIN_WORDS = 2
# What is read of the request: the subject and the start of the description say what it is.
TEXT_CHARS = 2_000
MAX_WORDS = 24

# The topics that answer each kind of problem.
PROBLEM_TOPICS: dict[str, frozenset[str]] = {
    "compromised-account": frozenset({Guide.Topic.SECURITY}),
    "login-access": frozenset({Guide.Topic.SECURITY, Guide.Topic.HOW_TO}),
    "publishing-problem": frozenset({Guide.Topic.HOW_TO}),
    "network-block": frozenset({Guide.Topic.HOW_TO, Guide.Topic.POLICY}),
    "policy-etiquette": frozenset({Guide.Topic.POLICY, Guide.Topic.ETIQUETTE, Guide.Topic.PROTOCOL}),
    "content-review": frozenset({Guide.Topic.POLICY, Guide.Topic.ETIQUETTE}),
    "metrics-request": frozenset({Guide.Topic.SUCCESS_TIPS}),
    "new-account": frozenset({Guide.Topic.PROTOCOL, Guide.Topic.POLICY}),
}

# The SQLite fallback has no English dictionary: these words say nothing about a request.
_STOP_TEXT = """
the and for our was are has have had not but you your with this that from what when who how can
could would should will ours its it's into out about after before there their them they been being
does did doing just any all some very also than then too please help hello
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"\w{3,}")

# Per guide: how many of the request's lexemes a vector holds. One array parameter, so the
# SQL is the same for every request; {column} is one of the guide's two vectors.
_SHARED_SQL = 'SELECT count(*) FROM unnest(%s::text[]) AS word WHERE "guides_guide"."{column}" @@ quote_literal(word)::tsquery'
_ANY_QUERY = (
    "array_to_string(ARRAY(SELECT quote_literal(word) FROM unnest(%s::text[]) AS word), ' | ')::tsquery"
)
# Any of the lexemes: the GIN index finds these rows.
_ANY_SQL = '"guides_guide"."{column}" @@ ' + _ANY_QUERY
# Between guides that share as many words, the one where they weigh more (title, repeats) first.
_RANK_SQL = 'ts_rank("guides_guide"."{column}", ' + _ANY_QUERY + ")"
# Guides whose whole text is counted, out of those the short vectors rank first.
CANDIDATES = 12
# What the platform and the topic add to a short vector's rank (ts_rank is about 0.1 a word).
TIP = 0.1


@dataclass(frozen=True)
class Request:
    """What the filing form holds so far."""

    platform: Platform | None
    problem_type: ProblemType | None
    subject: str
    description: str

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.description}"[:TEXT_CHARS]


def _lexemes(text: str) -> list[str]:
    """The request's English lexemes, compound words' parts included (see search.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector('english', %s))",
            [f"{text} {' '.join(compound_words(text))}"],
        )
        (lexemes,) = cursor.fetchone()
    return [word for word in lexemes if len(word) > 1][:MAX_WORDS]


def _plain_words(text: str) -> list[str]:
    words = dict.fromkeys(word.lower() for word in _WORD.findall(f"{text} {' '.join(compound_words(text))}"))
    return [word for word in words if word not in _STOP_WORDS][:MAX_WORDS]


def _on_platform(request: Request) -> Case | Value:
    if request.platform is None:
        return Value(0)
    listed = Exists(Guide.platforms.through.objects.filter(guide=OuterRef("pk"), platform=request.platform))
    return Case(When(listed, then=Value(1)), default=Value(0), output_field=IntegerField())


def _topics(request: Request) -> frozenset[str]:
    if request.problem_type is None:
        return frozenset()
    return PROBLEM_TOPICS.get(request.problem_type.slug, frozenset())


def _fits_problem(request: Request) -> Case | Value:
    topics = _topics(request)
    if not topics:
        return Value(0)
    return Case(When(topic__in=sorted(topics), then=Value(1)), default=Value(0), output_field=IntegerField())


def _raw(template: str, column: str, lexemes: list[str], field: Field[Any, Any]) -> RawSQL:
    # The SQL is fixed text naming one of two columns; only the lexemes are parameters.
    return RawSQL(template.format(column=column), (lexemes,), output_field=field)  # noqa: S611


def _scored_postgresql(guides: QuerySet[Guide], request: Request) -> QuerySet[Guide] | None:
    """Two steps, so that a body's long vector is read for a few guides only: the guides whose
    title, summary or platforms share a word (or whose topic fits, with a word anywhere) ranked
    by those, then the best CANDIDATES counted over their whole text."""
    lexemes = _lexemes(request.text)
    if not lexemes:
        return None
    any_about = _raw(_ANY_SQL, "about_vector", lexemes, BooleanField())
    candidates = guides.filter(about_vector__isnull=False)
    topics = _topics(request)
    if topics:
        any_word = _raw(_ANY_SQL, "search_vector", lexemes, BooleanField())
        candidates = candidates.filter(Q(any_about) | (Q(topic__in=sorted(topics)) & Q(any_word)))
    else:
        candidates = candidates.filter(any_about)
    # Ranked on the short vector alone; the chosen platform and a fitting topic tip the balance.
    chosen = list(
        candidates.annotate(first_rank=_raw(_RANK_SQL, "about_vector", lexemes, FloatField()))
        .annotate(cheap=F("first_rank") + (_on_platform(request) + _fits_problem(request)) * Value(TIP))
        .order_by(F("cheap").desc(), "id")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    return guides.filter(pk__in=chosen).annotate(
        shared=_raw(_SHARED_SQL, "search_vector", lexemes, IntegerField()),
        shared_about=_raw(_SHARED_SQL, "about_vector", lexemes, IntegerField()),
        rank=_raw(_RANK_SQL, "search_vector", lexemes, FloatField()),
    )


def _scored_sqlite(guides: QuerySet[Guide], request: Request) -> QuerySet[Guide] | None:
    words = _plain_words(request.text)
    if not words:
        return None
    shared: Expression = Value(0)
    shared_about: Expression = Value(0)
    for word in words:
        about = Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_terms__icontains=word)
        shared = shared + Case(
            When(about | Q(body__icontains=word), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        shared_about = shared_about + Case(
            When(about, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return guides.annotate(shared=shared, shared_about=shared_about, rank=Value(0.0))


def guide_suggestions(user: User | AnonymousUser, request: Request) -> list[Guide]:
    """The best few guides for what `user` is typing; none when nothing matches well."""
    guides = readable_guides(user).only("title", "slug", "summary", "topic")
    if connection.vendor == "postgresql":
        scored = _scored_postgresql(guides, request)
    else:
        scored = _scored_sqlite(guides, request)
    if scored is None:
        return []
    return list(
        scored.annotate(on_platform=_on_platform(request), fits=_fits_problem(request))
        .annotate(
            total=F("shared") + F("on_platform") + F("fits"),
            about=F("shared_about") + F("fits"),
        )
        .filter(about__gte=1, total__gte=MIN_WORDS)
        .order_by((F("total") + F("about")).desc(), F("rank").desc(), "title", "id")[:SUGGESTIONS]
    )
