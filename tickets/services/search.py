from __future__ import annotations

from django.db import connection

# Subject weighs most, then the description, then the conversation.
_REFRESH_SQL = """
UPDATE tickets_ticket SET search_vector =
    setweight(to_tsvector('english', subject), 'A')
    || setweight(to_tsvector('english', description), 'B')
    || setweight(to_tsvector('english', coalesce(
        (SELECT string_agg(body, ' ') FROM tickets_comment WHERE ticket_id = %s), '')), 'C')
WHERE id = %s
"""


def ticket_search_refresh(*, ticket_id: int) -> None:
    """Keep the full-text document in step; SQLite searches with LIKE instead."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, [ticket_id, ticket_id])
