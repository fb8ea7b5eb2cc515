"""The search document: refreshed through Django's public cursor, with the models' own names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets import services
from tickets.models import Comment, Ticket
from tickets.services.search import ticket_search_refresh, tickets_search_refresh

from ..conftest import Cast
from ..factories import file_ticket

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches with LIKE")


def vectors(tickets: list[Ticket]) -> list[str]:
    return [str(Ticket.objects.get(pk=t.pk).search_vector) for t in tickets]


def test_many_tickets_are_refreshed_in_one_statement_naming_the_models_tables(cast: Cast) -> None:
    tickets = [file_ticket(cast.employee, subject=f"Broken banner {n}") for n in range(3)]
    services.ticket_reply(ticket=tickets[1], author=cast.it_agent, body="The carousel plugin is outdated")
    expected = vectors(tickets)
    Ticket.objects.update(search_vector=None)

    with CaptureQueriesContext(connection) as queries:
        tickets_search_refresh(ticket_ids=[t.pk for t in tickets])

    assert len(queries) == 1
    sql = queries[0]["sql"]
    quote = connection.ops.quote_name
    assert f"UPDATE {quote(Ticket._meta.db_table)}" in sql and quote(Comment._meta.db_table) in sql
    assert vectors(tickets) == expected
    assert "carousel" in expected[1] and "carousel" not in expected[0]


def test_one_ticket_refresh_leaves_the_others_alone(cast: Cast) -> None:
    first, second = file_ticket(cast.employee), file_ticket(cast.employee)
    Ticket.objects.update(search_vector=None)

    ticket_search_refresh(ticket_id=first.pk)

    assert Ticket.objects.get(pk=first.pk).search_vector
    assert Ticket.objects.get(pk=second.pk).search_vector is None


def test_no_tickets_no_statement(db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        tickets_search_refresh(ticket_ids=[])
    assert len(queries) == 0
