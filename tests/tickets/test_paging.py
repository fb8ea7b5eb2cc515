"""Keyset pagination: every row once, in order, both ways, whatever the ties and directions."""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts.models import User
from tickets.models import Platform, ProblemType, Queue, Ticket
from tickets.paging import Page, paginate

from ..conftest import Cast

ROWS = 48
BASE = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
ORDERINGS = [
    ["-updated_at", "-id"],
    ["updated_at", "id"],
    ["priority", "-created_at", "id"],
    ["-priority", "updated_at", "-id"],
    ["-priority", "-updated_at", "-id"],
    ["status", "-priority", "created_at", "id"],
    ["sla_due_at", "id"],
    ["-sla_due_at", "id"],
]


@pytest.fixture
def tickets(cast: Cast) -> list[Ticket]:
    """Many rows that share their sort values, so ties are broken by id alone."""
    queue, platform, problem = Queue.objects.first(), Platform.objects.first(), ProblemType.objects.first()
    statuses = [Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.RESOLVED]
    rows = [
        Ticket(
            subject=f"Row {n}",
            description="-",
            requester=cast.employee,
            platform=platform,
            problem_type=problem,
            queue=queue,
            status=statuses[n % 3],
            priority=1 + n % 4,
            created_at=BASE + timedelta(microseconds=n % 3),
            updated_at=BASE - timedelta(seconds=n % 2),
            sla_due_at=[None, BASE, BASE + timedelta(hours=1)][n % 5 % 3],
        )
        for n in range(ROWS)
    ]
    # Shuffle the insertion order so that id order says nothing about the other keys.
    created = Ticket.objects.bulk_create(rows[::2] + rows[1::2])
    assert Ticket.objects.count() == ROWS
    return created


def expected_order(ordering: list[str]) -> list[int]:
    """Sort in Python, with NULL above every value as PostgreSQL does."""
    rows = list(Ticket.objects.all())
    for term in reversed(ordering):
        name = term.lstrip("-")

        def key(row: Ticket, name: str = name) -> tuple[bool, Any]:
            value = getattr(row, name)
            return (value is None, value if value is not None else 0)

        rows.sort(key=key, reverse=term.startswith("-"))
    return [row.pk for row in rows]


def ids(page: Page[Ticket]) -> list[int]:
    return [row.pk for row in page.rows]


def walk_forward(ordering: list[str], per_page: int) -> list[Page[Ticket]]:
    pages = [paginate(Ticket.objects.all(), ordering=ordering, per_page=per_page)]
    while pages[-1].next_cursor:
        assert len(pages) <= ROWS, "paging does not end"
        pages.append(
            paginate(Ticket.objects.all(), ordering=ordering, per_page=per_page, after=pages[-1].next_cursor)
        )
    return pages


def walk_backward(last: Page[Ticket], ordering: list[str], per_page: int) -> list[Page[Ticket]]:
    pages = [last]
    while pages[-1].previous_cursor:
        assert len(pages) <= ROWS, "paging does not end"
        pages.append(
            paginate(
                Ticket.objects.all(), ordering=ordering, per_page=per_page, before=pages[-1].previous_cursor
            )
        )
    return pages[::-1]


@pytest.mark.parametrize("per_page", [5, 8, ROWS, ROWS + 1])
@pytest.mark.parametrize("ordering", ORDERINGS, ids=lambda ordering: ",".join(ordering))
def test_walking_forward_then_back_visits_every_row_once_in_order(
    tickets: list[Ticket], ordering: list[str], per_page: int
) -> None:
    expected = expected_order(ordering)

    forward = walk_forward(ordering, per_page)

    assert [pk for page in forward for pk in ids(page)] == expected
    assert len(forward) == math.ceil(ROWS / per_page)
    assert all(len(page.rows) == per_page for page in forward[:-1])
    assert forward[0].previous_cursor is None
    assert forward[-1].next_cursor is None
    assert all(page.previous_cursor for page in forward[1:])

    backward = walk_backward(forward[-1], ordering, per_page)

    assert [ids(page) for page in backward] == [ids(page) for page in forward]
    assert backward[0].previous_cursor is None
    assert all(page.next_cursor for page in backward[:-1])


def test_a_single_page_has_no_cursors(tickets: list[Ticket]) -> None:
    page = paginate(Ticket.objects.all(), ordering=["-updated_at", "-id"], per_page=ROWS)

    assert len(page.rows) == ROWS
    assert (page.next_cursor, page.previous_cursor, page.has_other_pages) == (None, None, False)


def test_an_empty_list_is_one_empty_page(db: None) -> None:
    page = paginate(Ticket.objects.all(), ordering=["-updated_at", "-id"], per_page=10)

    assert (page.rows, page.next_cursor, page.previous_cursor) == ([], None, None)


def test_paging_respects_the_filter(tickets: list[Ticket]) -> None:
    high = Ticket.objects.filter(priority__gte=Ticket.Priority.HIGH)
    ordering = ["-priority", "-updated_at", "-id"]

    first = paginate(high, ordering=ordering, per_page=10)
    second = paginate(high, ordering=ordering, per_page=10, after=first.next_cursor or "")
    third = paginate(high, ordering=ordering, per_page=10, after=second.next_cursor or "")

    seen = ids(first) + ids(second) + ids(third)
    assert seen == [pk for pk in expected_order(ordering) if pk in set(high.values_list("pk", flat=True))]
    assert third.next_cursor is None


def test_a_row_changed_between_pages_is_not_shown_twice(tickets: list[Ticket]) -> None:
    ordering = ["-updated_at", "-id"]
    first = paginate(Ticket.objects.all(), ordering=ordering, per_page=10)
    # Someone updates a row already shown: it jumps to the top, behind the reader's cursor.
    Ticket.objects.filter(pk=first.rows[3].pk).update(updated_at=BASE + timedelta(days=1))

    second = paginate(Ticket.objects.all(), ordering=ordering, per_page=10, after=first.next_cursor or "")

    assert not set(ids(first)) & set(ids(second))


def cursor_of(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


GARBAGE = {
    "not base64": "%%%not-a-cursor%%%",
    "base64 of nonsense": base64.urlsafe_b64encode(b"\xff\xfe garbage").decode(),
    "not a list": cursor_of({"updated_at": "2026-01-01T00:00:00+00:00"}),
    "wrong length": cursor_of(["2026-01-01T00:00:00+00:00"]),
    "not a date": cursor_of(["yesterday", 3]),
    "not an id": cursor_of(["2026-01-01T00:00:00+00:00", "three"]),
    "list inside": cursor_of([["2026"], {"id": 3}]),
    "null where there is never null": cursor_of([None, None]),
}


@pytest.mark.parametrize("cursor", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_garbage_after_cursor_starts_from_the_first_page(tickets: list[Ticket], cursor: str) -> None:
    ordering = ["-updated_at", "-id"]
    first = paginate(Ticket.objects.all(), ordering=ordering, per_page=10)

    page = paginate(Ticket.objects.all(), ordering=ordering, per_page=10, after=cursor)

    assert ids(page) == ids(first) == expected_order(ordering)[:10]
    assert page.previous_cursor is None
    assert page.next_cursor == first.next_cursor


@pytest.mark.parametrize("cursor", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_garbage_before_cursor_starts_from_the_first_page(tickets: list[Ticket], cursor: str) -> None:
    ordering = ["-updated_at", "-id"]

    page = paginate(Ticket.objects.all(), ordering=ordering, per_page=10, before=cursor)

    assert ids(page) == expected_order(ordering)[:10]
    assert page.previous_cursor is None


def test_a_null_cursor_for_a_column_that_cannot_be_null_starts_from_the_first_page(
    tickets: list[Ticket],
) -> None:
    ordering = ["updated_at", "id"]

    page = paginate(Ticket.objects.all(), ordering=ordering, per_page=10, after=cursor_of([None, None]))

    assert ids(page) == expected_order(ordering)[:10]


def test_the_cursor_survives_microseconds(cast: Cast) -> None:
    user: User = cast.employee
    queue, platform, problem = Queue.objects.first(), Platform.objects.first(), ProblemType.objects.first()
    moments = [BASE + timedelta(microseconds=n) for n in (1, 2, 3)]
    Ticket.objects.bulk_create(
        Ticket(
            subject="x",
            description="x",
            requester=user,
            platform=platform,
            problem_type=problem,
            queue=queue,
            created_at=moment,
            updated_at=moment,
        )
        for moment in moments
    )

    seen = [ids(page) for page in walk_forward(["updated_at", "id"], 1)]

    assert [Ticket.objects.get(pk=pk).updated_at for (pk,) in seen] == moments
