"""Desk search finds what people type: the parts of "Twitter/X", "facebook.com", addresses and
handles, "email" for "e-mail", on PostgreSQL's full-text search and on the SQLite fallback alike
(the fallback is exercised here by telling the search it runs there; run the file without
DATABASE_URL to see it on SQLite itself)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from tickets import selectors, services
from tickets.models import Comment, Ticket
from tickets.search_text import SEARCH_PART_CHARS, compound_words, compound_words_sql, query_terms
from tickets.selectors import search_filter
from tickets.services.search import tickets_search_refresh

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import query_count

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's vectors")

SUBJECTS = {
    "x": "Locked out of Twitter/X after a password change",
    "facebook": "Ads manager on facebook.com shows the wrong page",
    "email": "The recovery e-mail for our LinkedIn page is a leaver's",
    "handle": "Someone is impersonating @acme_support",
    "address": "Reset links go to social@acme.com, nobody reads it",
    "hashtag": "Our #LaunchDay posts were flagged as spam",
    "phrase": "Password reset loops on Instagram",
    "apart": "Reset the banner; the password manager is fine",
    "box": "The inbox for the next campaign is full",
}


@pytest.fixture(params=["database", "sqlite fallback"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite fallback":
        monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))
    return request.param


@pytest.fixture
def desk(cast: Cast) -> dict[str, Ticket]:
    return {key: file_ticket(cast.employee, subject=subject) for key, subject in SUBJECTS.items()}


def found(desk: dict[str, Ticket], query: str) -> set[str]:
    pks = set(Ticket.objects.filter(search_filter(query)).values_list("pk", flat=True))
    return {key for key, ticket in desk.items() if ticket.pk in pks}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("twitter", {"x"}),
        ("Twitter/X", {"x"}),
        ("x", {"x"}),
        ("facebook", {"facebook"}),
        ("facebook.com", {"facebook"}),
        ("email", {"email"}),
        ("e-mail", {"email"}),
        ("acme", {"handle", "address"}),
        ("acme_support", {"handle"}),
        ("@acme_support", {"handle"}),
        ("social@acme.com", {"address"}),
        ("#launchday", {"hashtag"}),
        ("launchday", {"hashtag"}),
        ("twitter password", {"x"}),
        ('"password reset"', {"phrase"}),
        ("password reset", {"phrase", "apart"}),
        ("password -instagram", {"x", "apart"}),
        ("facebook or linkedin", {"facebook", "email"}),
        ("tiktok", set()),
    ],
)
def test_a_search_finds_the_words_inside_compound_words(
    desk: dict[str, Ticket], engine: str, query: str, expected: set[str]
) -> None:
    assert found(desk, query) == expected


def test_words_in_a_reply_are_found_by_their_parts(cast: Cast, desk: dict[str, Ticket], engine: str) -> None:
    services.ticket_reply(ticket=desk["box"], author=cast.employee, body="See threads.net/@acme for it")

    assert found(desk, "threads") == {"box"}


def test_nothing_searchable_finds_only_the_reference(desk: dict[str, Ticket], engine: str) -> None:
    assert found(desk, '"" - #') == set()
    assert found(desk, f"SIT-{desk['box'].pk}") == {"box"}


def test_the_query_is_read_as_words_phrases_exclusions_and_alternatives() -> None:
    groups = query_terms('twitter "reset password" -spam x or y')

    assert [[(term.words, term.excluded) for term in group] for group in groups] == [
        [(("twitter",), False)],
        [(("reset", "password"), False)],
        [(("spam",), True)],
        [(("x",), False), (("y",), False)],
    ]


@on_postgresql
def test_the_database_splits_compound_words_as_python_does(db: None) -> None:
    text = "Twitter/X, facebook.com/help and e-mail; a.b.c.d@e.f social@acme.com @acme_support v2.1"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {compound_words_sql('%s')}", [text])
        (in_sql,) = cursor.fetchone()

    assert sorted(set(in_sql.lower().split())) == sorted(compound_words(text))


@on_postgresql
def test_a_vector_past_the_limit_is_capped_and_the_text_kept_whole(cast: Cast) -> None:
    # Distinct compound words of four-byte letters: the most a part can weigh in the vector.
    letters = "𝐚𝐛𝐜𝐝𝐞𝐟𝐠𝐡𝐢𝐣𝐤𝐥𝐦𝐧𝐨𝐩𝐪𝐫𝐬𝐭𝐮𝐯𝐰𝐱𝐲𝐳"

    def heavy(chars: int, first: int) -> str:
        def word(n: int) -> str:
            return "".join(letters[(n // len(letters) ** i) % len(letters)] for i in range(4))

        return " ".join(f"{word(first + n)}/{word(first + n + 1)}" for n in range(0, chars // 5, 2))

    ticket = file_ticket(cast.employee)
    description = heavy(1_200_000, 0) + " needle/tail"
    Ticket.objects.filter(pk=ticket.pk).update(description=description)
    Comment.objects.bulk_create(
        Comment(ticket=ticket, author=cast.employee, body=heavy(20_000, 10_000 * n)) for n in range(60)
    )

    tickets_search_refresh(ticket_ids=[ticket.pk])

    assert Ticket.objects.get(pk=ticket.pk).description == description
    assert Ticket.objects.filter(search_filter(heavy(10, 0).split("/")[0])).exists()
    assert not Ticket.objects.filter(search_filter("needle")).exists()
    assert len(description) > SEARCH_PART_CHARS


@on_postgresql
def test_the_command_refreshes_every_ticket_in_batches(cast: Cast, desk: dict[str, Ticket]) -> None:
    Ticket.objects.update(search_vector=None)

    call_command("search_refresh", batch=4)

    assert not Ticket.objects.filter(search_vector=None).exists()
    assert found(desk, "twitter") == {"x"}


@on_postgresql
def test_the_command_resumes_after_an_id(cast: Cast, desk: dict[str, Ticket]) -> None:
    Ticket.objects.update(search_vector=None)
    middle = sorted(t.pk for t in desk.values())[4]

    call_command("search_refresh", after=middle)

    assert set(Ticket.objects.filter(search_vector=None).values_list("pk", flat=True)) == {
        t.pk for t in desk.values() if t.pk <= middle
    }


def test_a_search_costs_the_desk_list_no_extra_queries(cast: Cast, desk: dict[str, Ticket]) -> None:
    client = client_for(cast.it_agent)

    plain = query_count(client, "/desk/", data={"q": "printer"})

    assert query_count(client, "/desk/", data={"q": "twitter"}) == plain
    assert query_count(client, "/desk/", data={"q": '"password reset" -instagram or @acme'}) == plain
