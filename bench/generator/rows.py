"""The generated rows as PostgreSQL's COPY text format wants them, and the columns they fill."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from io import StringIO

from tickets.events import KINDS, Payload

NULL = "\\N"

TICKET_COLUMNS = [
    "id", "subject", "description", "requester_id", "platform_id", "problem_type_id", "company_account",
    "queue_id", "assignee_id", "status", "priority", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "sla_policy_id", "sla_paused_at", "sla_paused", "first_response_due_at",
    "first_response_warn_at", "resolution_due_at", "resolution_warn_at", "first_response_warned_at",
    "first_response_breached_at", "resolution_warned_at", "resolution_breached_at", "sla_due_at",
    "next_sla_at", "first_response_business", "resolution_business", "reopen_count",
]  # fmt: skip
COMMENT_COLUMNS = ["id", "ticket_id", "author_id", "body", "is_internal", "created_at"]
EVENT_COLUMNS = ["ticket_id", "actor_id", "kind", "payload", "created_at"]
ATTACHMENT_COLUMNS = [
    "ticket_id", "comment_id", "file", "name", "size", "content_type", "uploaded_by_id", "created_at",
]  # fmt: skip
TIME_ENTRY_COLUMNS = [
    "ticket_id", "agent_id", "minutes", "note", "hourly_rate", "logged_at", "queue_id", "platform_id", "department_id",
]  # fmt: skip


def copy_text(value: str) -> str:
    """Escape for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@lru_cache(maxsize=8192)
def payload_text(payload: Payload) -> str:
    """The payload as the services store it (checked against its kind), as COPY text.

    Payloads are frozen, so equal ones (a status change, an agent taking a ticket) are
    written once and reused.
    """
    return copy_text(json.dumps(KINDS.dump(payload), ensure_ascii=False))


def interval(seconds: int | None) -> str:
    return NULL if seconds is None else f"{seconds} seconds"


@dataclass
class ChunkRows:
    tickets: StringIO = field(default_factory=StringIO)
    comments: StringIO = field(default_factory=StringIO)
    events: StringIO = field(default_factory=StringIO)
    attachments: StringIO = field(default_factory=StringIO)
    time_entries: StringIO = field(default_factory=StringIO)
    ticket_count: int = 0
    comment_count: int = 0
    event_count: int = 0


class Clockface:
    """Epoch seconds to the text PostgreSQL and the history payloads want, fast."""

    def __init__(self, first_day: date, days: int) -> None:
        self.base = int(datetime.combine(first_day, datetime.min.time(), tzinfo=UTC).timestamp())
        self.day_text = [(first_day + timedelta(days=i)).isoformat() for i in range(days)]
        self.time_text = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    def sql(self, moment: int) -> str:
        days, seconds = divmod(moment - self.base, 86400)
        return f"{self.day_text[days]} {self.time_text[seconds]}+00"

    def sql_or_null(self, moment: int | None) -> str:
        return NULL if moment is None else self.sql(moment)

    def iso(self, moment: int) -> str:
        days, seconds = divmod(moment - self.base, 86400)
        return f"{self.day_text[days]}T{self.time_text[seconds]}+00:00"

    def moment(self, moment: int) -> datetime:
        return datetime.fromtimestamp(moment, UTC)
