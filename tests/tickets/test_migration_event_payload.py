"""Migration 0006 turns the events written before payloads into their kind's payload.

Each old row is given as the services wrote it (a summary and `changes` of its own shape);
the converted payload must load as its kind's class and read back as the same sentence.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tickets.events import KINDS

migration = importlib.import_module("tickets.migrations.0006_event_payload")

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ADA, BOB = 7, 8
LOOK = migration.Lookups(
    users={ADA: "Ada Agent", BOB: "Bob Builder"},
    queues={"IT": 1, "Marketing": 2, "Communications": 3},
    rules={"Log-in problems go to IT": 11},
    policies={"IT normal": 21},
    comment=lambda ticket, actor, at: 99 if (ticket, actor, at) == (5, ADA, AT) else None,
)


def converted(kind: str, summary: str, changes: dict[str, Any] | None = None, actor: int | None = ADA) -> Any:
    payload = migration.convert(
        kind=kind, summary=summary, changes=changes or {}, ticket=5, actor=actor, at=AT, look=LOOK, zone=PARIS
    )
    return KINDS.load(kind, payload)


class _Named:
    """An actor as the sentence needs one: an id and a name."""

    def __init__(self, pk: int) -> None:
        self.pk = pk

    def __str__(self) -> str:
        return LOOK.users[self.pk]


# (kind, old summary, old changes, actor id): each as the services wrote it before payloads.
ROWS = [
    ("filed", "Ada Agent filed the request", {}, ADA),
    (
        "routed",
        "Routed to IT as Normal by rule “Log-in problems go to IT”",
        {"rule": "Log-in problems go to IT", "rule_id": 11, "queue": "IT", "priority": "Normal"},
        None,
    ),
    (
        "routed",
        "No routing rule matched: sent to Communications (fallback) as Normal",
        {"rule": None, "rule_id": None, "queue": "Communications", "priority": "Normal"},
        None,
    ),
    ("assigned", "Assigned to Bob Builder in turn", {"assignee": [None, BOB]}, None),
    ("assigned", "Assigned to Bob Builder by routing", {"assignee": [None, BOB]}, None),
    (
        "assigned",
        "Ada Agent assigned the ticket to Bob Builder; status New → Open",
        {"assignee": [None, BOB], "status": ["new", "open"]},
        ADA,
    ),
    ("assigned", "Ada Agent took the ticket", {"assignee": [BOB, ADA]}, ADA),
    ("assigned", "Ada Agent unassigned Bob Builder", {"assignee": [BOB, None]}, ADA),
    ("transferred", "Ada Agent moved the ticket from IT to Marketing", {"queue": ["IT", "Marketing"]}, ADA),
    (
        "transferred",
        "Ada Agent moved the ticket from IT to Marketing and unassigned Bob Builder, who doesn't work "
        "Marketing: about the brand: and tone",
        {"queue": ["IT", "Marketing"], "assignee": [BOB, None]},
        ADA,
    ),
    ("time_logged", "Ada Agent logged 15 min: reset the password", {"minutes": 15}, ADA),
    ("time_logged", "Ada Agent logged 5 min", {"minutes": 5}, ADA),
    ("status", "Ada Agent changed the status from Open to Resolved", {"status": ["open", "resolved"]}, ADA),
    ("status", "Ada Agent marked the request resolved", {"status": ["open", "resolved"]}, ADA),
    (
        "status",
        "Ada Agent reopened the request: it broke again",
        {"status": ["resolved", "open"], "reopened": True},
        ADA,
    ),
    (
        "status",
        "Closed automatically 7 days after it was resolved",
        {"status": ["resolved", "closed"]},
        None,
    ),
    ("priority", "Ada Agent changed the priority from Normal to High", {"priority": [2, 3]}, ADA),
    (
        "priority",
        "Priority raised from High to Urgent: the first response is overdue",
        {"priority": [3, 4]},
        None,
    ),
    ("replied", "Ada Agent replied", {"comment": 41}, ADA),
    (
        "replied",
        "Ada Agent replied; status Waiting on requester → Open",
        {"comment": 41, "status": ["waiting_requester", "open"]},
        ADA,
    ),
    ("noted", "Ada Agent added an internal note", {"comment": 42}, ADA),
    ("sla", "No SLA policy applies any more", {}, ADA),
]


@pytest.mark.parametrize(("kind", "summary", "changes", "actor"), ROWS)
def test_an_old_event_reads_as_it_did(
    kind: str, summary: str, changes: dict[str, Any], actor: int | None
) -> None:
    payload = converted(kind, summary, changes, actor)

    assert payload.sentence(_Named(actor) if actor else None) == summary


def test_names_become_ids_and_ids_get_names() -> None:
    moved = converted(
        "transferred",
        "Ada Agent moved the ticket from IT to Brand",
        {"queue": ["IT", "Brand"], "assignee": [BOB, None]},
    )
    assert (moved.before.id, moved.after.id, moved.after.label) == (1, None, "Brand")  # Brand is gone
    assert (moved.unassigned.id, moved.unassigned.label) == (BOB, "Bob Builder")
    routed = converted(
        "routed",
        "Routed to IT as Normal by rule “Log-in problems go to IT”",
        {"rule": "Log-in problems go to IT", "queue": "IT", "priority": "Normal"},
    )
    assert (routed.rule.id, routed.queue.id, routed.priority.id) == (11, 1, 2)


def test_demo_rows_without_changes_are_read_from_their_summary() -> None:
    routed = converted("routed", "Routed to Marketing as Low (fallback)", {}, None)
    assert (routed.queue.id, routed.priority.id, routed.rule) == (2, 1, None)
    replied = converted("replied", "Ada Agent replied", {}, ADA)
    assert replied.comment_id == 99  # found by ticket, author and moment
    resolved = converted("status", "Ada Agent changed the status to Resolved", {}, ADA)
    assert (resolved.before.id, resolved.after.id) == ("open", "resolved")


def test_moments_written_in_local_time_are_read_back_in_utc() -> None:
    sla = converted(
        "sla",
        "SLA “IT normal”: first response due Fri 27 Nov, 14:00, resolution due Tue 1 Dec, 09:00",
    )
    assert sla.policy.id == 21
    assert sla.first_response_due_at == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert sla.resolution_due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    recomputed = converted(
        "sla",
        "SLA targets recomputed under “Gone”: first response due Mon 4 Jan, 10:00, resolution due Mon 4 Jan, 12:00",
    )
    assert recomputed.recomputed and recomputed.policy.id is None
    assert recomputed.first_response_due_at == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # the year after


def test_deadline_events_keep_their_utc_moment() -> None:
    breach = converted(
        "sla_breach",
        "SLA breached: the resolution was due Fri 27 Nov, 10:00",
        {"target": "resolution", "due_at": "2026-11-27T09:00:00+00:00"},
        None,
    )
    assert (breach.target, breach.due_at) == ("resolution", datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
