"""The database side of the generator: bookkeeping, COPY, and the indexes around a bulk load.

A large load goes fastest into tables without secondary indexes, foreign keys or
autovacuum: they are taken off first (their definitions saved in generator_state, so
that a crashed run puts them back), and rebuilt in bulk at the end, two at a time.
Table names come from the models; generator_state and generator_chunk are the
generator's own.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from typing import Any

from django.db import connection, connections, transaction
from django.db.backends.utils import CursorWrapper

from accounts.models import User
from tickets.models import Attachment, Comment, Event, Ticket, TimeEntry
from tickets.services.search import search_document_sql

from .rows import (
    ATTACHMENT_COLUMNS,
    COMMENT_COLUMNS,
    EVENT_COLUMNS,
    TICKET_COLUMNS,
    TIME_ENTRY_COLUMNS,
    ChunkRows,
)

TICKETS = Ticket._meta.db_table
COMMENTS = Comment._meta.db_table
BIG_TABLES = [TICKETS, COMMENTS, Event._meta.db_table, Attachment._meta.db_table, TimeEntry._meta.db_table]
ANALYZED_TABLES = [*BIG_TABLES, User._meta.db_table]
STAGE = "generator_ticket_stage"
# The document tickets/services/search.py builds, from the comment bodies joined by a space
# (the staging row carries them, so no comment is read back).
SEARCH_VECTOR = search_document_sql("comment_text")


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def bookkeeping_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS generator_state (key text PRIMARY KEY, value jsonb NOT NULL)"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS generator_chunk (chunk integer PRIMARY KEY, tickets integer NOT NULL,"
            " comments integer NOT NULL, events integer NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
        )


def state_read() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, value FROM generator_state")
        return {
            key: json.loads(value) if isinstance(value, str) else value for key, value in cursor.fetchall()
        }


def state_write(**values: Any) -> None:
    with connection.cursor() as cursor:
        for key, value in values.items():
            cursor.execute(
                "INSERT INTO generator_state (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )


def chunks_done() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT chunk FROM generator_chunk")
        return {row[0] for row in cursor.fetchall()}


def next_comment_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {quoted(COMMENTS)}")
        return int(cursor.fetchone()[0])


# ---- taking the load's brakes off and putting them back ------------------------


def schema_relax() -> None:
    """Save, then drop, the secondary indexes and foreign keys of the big tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary
              AND t.relnamespace = 'public'::regnamespace
            """,
            [BIG_TABLES],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
            """,
            [BIG_TABLES],
        )
        constraints = cursor.fetchall()
    saved = state_read()
    state_write(
        indexes=saved.get("indexes", []) + [[name, ddl] for name, ddl in indexes],
        constraints=saved.get("constraints", []) + [list(row) for row in constraints],
        relaxed=True,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quoted(table)} DROP CONSTRAINT IF EXISTS {quoted(name)}")
        for name, _ddl in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {quoted(name)}")
        for table in BIG_TABLES:
            cursor.execute(f"ALTER TABLE {quoted(table)} SET (autovacuum_enabled = false)")


def schema_restore(report: Callable[[str], None]) -> None:
    """Build every saved index and foreign key that is missing, two at a time, biggest first."""

    def run(job: tuple[int, str, str]) -> None:
        _weight, label, sql = job
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute("SET max_parallel_maintenance_workers = 0")
                cursor.execute(sql)
            report(f"  built {label}")
        finally:
            connections["default"].close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(run, job) for job in _restore_jobs(state_read())]:
            future.result()
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ALTER TABLE {quoted(table)} RESET (autovacuum_enabled)")
    state_write(relaxed=False)


def _restore_jobs(saved: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(weight, label, DDL) of each saved index and foreign key that is missing, heaviest first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'i'")
        existing_indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f'")
        existing_constraints = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)", [BIG_TABLES]
        )
        sizes = dict(cursor.fetchall())
    jobs: list[tuple[int, str, str]] = []
    for name, ddl in saved.get("indexes", []):
        if name not in existing_indexes:
            table = ddl.split(" ON ", 1)[1].split()[0].split(".")[-1].strip('"')
            # The full-text index is the slowest of all: start it first.
            weight = sizes.get(table, 0) * (4 if "gin" in ddl.lower() else 1)
            jobs.append((weight, f"index {name}", ddl))
    for table, name, definition in saved.get("constraints", []):
        if name not in existing_constraints:
            ddl = f"ALTER TABLE {quoted(table)} ADD CONSTRAINT {quoted(name)} {definition}"
            jobs.append((sizes.get(table, 0), f"foreign key {name}", ddl))
    return sorted(jobs, reverse=True)


def sequences_catch_up() -> None:
    """Ids of tickets and comments were chosen by the generator: move their sequences past them."""
    with connection.cursor() as cursor:
        for table in (TICKETS, COMMENTS):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(max(id), 1), max(id) IS NOT NULL)"
                f" FROM {quoted(table)}",
                [table],
            )


def vacuum_analyze(tables: Iterable[str], *, in_transaction: bool) -> None:
    """Statistics for the planner, and (outside a transaction) the visibility map for index-only scans."""
    statement = "ANALYZE" if in_transaction else "VACUUM (ANALYZE)"
    tables = list(tables)

    def run(table: str) -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(f"{statement} {quoted(table)}")
        finally:
            connections["default"].close()

    if in_transaction:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{statement} {quoted(table)}")
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(run, table) for table in tables]:
            future.result()


# ---- writing one chunk ---------------------------------------------------------


def copy_in(cursor: CursorWrapper, table: str, columns: list[str], data: StringIO) -> None:
    """COPY rows in text format, through Django's cursor, with psycopg 2 or 3."""
    statement = f"COPY {quoted(table)} ({', '.join(columns)}) FROM STDIN"
    data.seek(0)
    if hasattr(cursor, "copy_expert"):  # psycopg 2
        cursor.copy_expert(statement, data)
        return
    with cursor.copy(statement) as copy:  # psycopg 3
        copy.write(data.getvalue())


def chunk_write(chunk: int, rows: ChunkRows) -> None:
    """One chunk in one transaction: it is all there or not at all, so a re-run can resume."""
    columns = ", ".join(TICKET_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Only the models' and this module's own table and column names are spliced into the SQL here.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ON COMMIT DELETE ROWS AS"
            f" SELECT {columns}, ''::text AS comment_text FROM {quoted(TICKETS)} WITH NO DATA"
        )
        copy_in(cursor, STAGE, [*TICKET_COLUMNS, "comment_text"], rows.tickets)
        cursor.execute(
            f"INSERT INTO {quoted(TICKETS)} ({columns}, search_vector)"
            f" SELECT {columns}, {SEARCH_VECTOR} FROM {STAGE}"
        )
        copy_in(cursor, COMMENTS, COMMENT_COLUMNS, rows.comments)
        copy_in(cursor, Attachment._meta.db_table, ATTACHMENT_COLUMNS, rows.attachments)
        copy_in(cursor, Event._meta.db_table, EVENT_COLUMNS, rows.events)
        copy_in(cursor, TimeEntry._meta.db_table, TIME_ENTRY_COLUMNS, rows.time_entries)
        cursor.execute(f"TRUNCATE {STAGE}")
        cursor.execute(
            "INSERT INTO generator_chunk (chunk, tickets, comments, events) VALUES (%s, %s, %s, %s)",
            [chunk, rows.ticket_count, rows.comment_count, rows.event_count],
        )


class Writer:
    """Loads chunks on its own connection while the caller makes the next one: PostgreSQL's
    parsing, indexing and text search run on one core while Python writes rows on the other."""

    def __init__(self, on_written: Callable[[int, ChunkRows], None]) -> None:
        self.on_written = on_written
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def submit(self, chunk: int, rows: ChunkRows) -> None:
        # At most one chunk in flight besides the one being made: memory stays flat.
        if self._thread is not None:
            self._thread.join()
        if self.error is not None:
            raise self.error
        self._thread = threading.Thread(target=self._write, args=(chunk, rows), daemon=True)
        self._thread.start()

    def _write(self, chunk: int, rows: ChunkRows) -> None:
        try:
            chunk_write(chunk, rows)
            self.on_written(chunk, rows)
        except BaseException as error:  # handed to the caller on its next submit or finish
            self.error = error
        finally:
            connections["default"].close()

    def finish(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self.error is not None:
            raise self.error
