from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection, models

from ..models import Comment, Ticket
from ..search_text import SEARCH_PART_CHARS, compound_words_sql


def _column(model: type[models.Model], name: str, table: str = "") -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, f"{model.__name__}.{name} is not a column"
    quoted = connection.ops.quote_name(field.column)
    return f"{table}.{quoted}" if table else quoted


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def search_document_sql(comments: str) -> str:
    """The search vector of a ticket row, given SQL for the text of its conversation.

    Subject weighs most, then the description, then the conversation, each cut to
    SEARCH_PART_CHARS: its English words, and the parts of its compound words unstemmed
    (tickets.search_text). Angle brackets become spaces first: PostgreSQL's parser would
    otherwise drop "<title>" as markup. Even at four bytes a character and every word a
    compound, the three parts stay under PostgreSQL's 1 MB tsvector limit together, however
    long the conversation grows. The row's own columns are named unqualified, so the SQL also
    reads a staging table with the same columns (bench/generator/loading.py).
    """

    def words(column: str, weight: str) -> str:
        text = f"left({column}, {SEARCH_PART_CHARS})"
        english = f"to_tsvector('english', translate({text}, '<>', '  '))"
        simple = f"to_tsvector('simple', {compound_words_sql(text)})"
        return f"setweight({english} || {simple}, '{weight}')"

    conversation = "coalesce(" + comments + ", '')"
    return (
        f"{words(_column(Ticket, 'subject'), 'A')}"
        f" || {words(_column(Ticket, 'description'), 'B')}"
        f" || {words(conversation, 'C')}"
    )


@cache
def _refresh_sql() -> str:
    """Built from the models' table and column names only; the ticket ids are a parameter."""
    tickets, comments = _table(Ticket), _table(Comment)
    ticket_id = _column(Ticket, "id", tickets)
    body, comment_id = _column(Comment, "body", "c"), _column(Comment, "id", "c")
    conversation = (
        f"(SELECT string_agg({body}, ' ' ORDER BY {comment_id})"  # noqa: S608 (names from the models)
        f" FROM {comments} AS c WHERE {_column(Comment, 'ticket', 'c')} = {ticket_id})"
    )
    return (
        f"UPDATE {tickets} SET {_column(Ticket, 'search_vector')} = "  # noqa: S608 (names from the models)
        f"{search_document_sql(conversation)} WHERE {ticket_id} = ANY(%s)"
    )


def tickets_search_refresh(*, ticket_ids: Sequence[int]) -> None:
    """Keep the full-text documents in step, in one statement; SQLite searches with LIKE instead."""
    if connection.vendor != "postgresql" or not ticket_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_refresh_sql(), [list(ticket_ids)])


def ticket_search_refresh(*, ticket_id: int) -> None:
    tickets_search_refresh(ticket_ids=[ticket_id])
