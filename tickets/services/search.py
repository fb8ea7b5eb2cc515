from __future__ import annotations

from django.db import connection

# How much of each part is indexed. PostgreSQL refuses a tsvector whose words add up to
# 1 MB; a description and a conversation cut to this size stay well under it together, even
# at four bytes a character, however long the conversation grows (the subject is short).
# A part's text beyond it is not found by search.
SEARCH_PART_CHARS = 50_000


def search_document_sql(comments: str) -> str:
    """The search vector of a ticket row, given SQL for the text of its conversation.

    Subject weighs most, then the description, then the conversation, each cut to
    SEARCH_PART_CHARS. Angle brackets become spaces first: PostgreSQL's parser would
    otherwise drop "<title>" as markup.
    """

    def words(column: str) -> str:
        return f"to_tsvector('english', translate(left({column}, {SEARCH_PART_CHARS}), '<>', '  '))"

    conversation = "coalesce(" + comments + ", '')"
    return (
        f"setweight({words('subject')}, 'A')"
        f" || setweight({words('description')}, 'B')"
        f" || setweight({words(conversation)}, 'C')"
    )


# Built from constants only; the ticket id is a query parameter.
_REFRESH_SQL = (
    "UPDATE tickets_ticket SET search_vector = "  # noqa: S608
    + search_document_sql(
        "(SELECT string_agg(body, ' ' ORDER BY id) FROM tickets_comment WHERE ticket_id = %s)"
    )
    + " WHERE id = %s"
)


def ticket_search_refresh(*, ticket_id: int) -> None:
    """Keep the full-text document in step; SQLite searches with LIKE instead."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, [ticket_id, ticket_id])
