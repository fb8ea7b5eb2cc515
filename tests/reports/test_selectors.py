"""Every dashboard number, computed on the hand-made story of tests/reports/conftest.py.

The expected values are worked out by hand from the story's table, never copied from output.
Percentiles differ by design between backends: PostgreSQL interpolates (percentile_cont),
SQLite takes the nearest rank; where they differ the test says both.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from reports import selectors
from reports.periods import Period
from reports.selectors import Scope
from tickets import services
from tickets.models import Platform, Ticket

from ..factories import file_ticket
from .conftest import NOW, Story, at, paris, sweep
from .scopes import JUNE, nov, pairs, scope

Status = Ticket.Status


# ---- the story itself ---------------------------------------------------------------------


def test_the_story_is_as_told(story: Story) -> None:
    """Guards every expectation below: the services produced the durations worked out by hand."""
    hours = timedelta(hours=1)
    facts = {
        key: (
            ticket.status,
            Ticket.Priority(ticket.priority).label,
            ticket.first_response_business,
            ticket.resolution_business,
            ticket.reopen_count,
            ticket.first_response_breached_at is not None,
            ticket.resolution_breached_at is not None,
        )
        for key, ticket in story.tickets.items()
    }

    assert facts == {
        "OLD": (Status.OPEN, "High", 1 * hours, None, 0, False, True),
        "PRE": (Status.RESOLVED, "Normal", 1 * hours, 4 * hours, 0, False, False),
        "IT1": (Status.RESOLVED, "Normal", 1 * hours, 18 * hours, 1, False, False),
        "IT4": (Status.RESOLVED, "High", 10 * hours, 19 * hours, 0, True, False),
        "CO1": (Status.RESOLVED, "Normal", 2 * hours, 6 * hours, 0, False, False),
        "IT2": (Status.RESOLVED, "Normal", 2 * hours, 9 * hours, 0, False, False),
        "CO2": (Status.OPEN, "Urgent", 9 * hours, None, 0, True, True),
        "MK1": (Status.RESOLVED, "Low", 8 * hours, 23.5 * hours, 1, False, False),
        "IT3": (Status.OPEN, "Normal", 3 * hours, None, 0, False, False),
        "CO3": (Status.RESOLVED, "Normal", 1 * hours, 8 * hours, 0, False, False),
        "IT5": (Status.RESOLVED, "Urgent", timedelta(minutes=20), 3 * hours, 0, False, False),
        "MK2": (Status.NEW, "Normal", None, None, 0, False, False),
        "LATE": (Status.NEW, "Low", None, None, 0, False, False),
        "MK3": (Status.WAITING_REQUESTER, "Normal", timedelta(minutes=30), None, 0, False, False),
    }
    # Waiting on the requester from Monday noon to Thursday 10:00, the holiday not counted.
    assert story["IT2"].sla_paused == 16 * hours


# ---- volume -------------------------------------------------------------------------------


def test_opened_and_resolved_by_day_counts_every_day_of_the_range_in_paris_time(story: Story) -> None:
    rows = selectors.opened_and_resolved_by_day(scope())

    assert [(row["day"], row["opened"], row["resolved"]) for row in rows] == [
        (nov(2), 1, 1),  # IT1 filed; PRE (filed in October) resolved
        (nov(3), 0, 0),  # IT1 resolved, but reopened and resolved again on the 4th
        (nov(4), 1, 1),
        (nov(5), 1, 0),
        (nov(6), 1, 2),
        (nov(7), 0, 0),
        (nov(8), 0, 0),
        (nov(9), 2, 0),
        (nov(10), 1, 0),
        (nov(11), 1, 0),
        (nov(12), 0, 2),  # Thursday the 12th in UTC: IT5 was filed at 23:30 UTC, 00:30 in Paris
        (nov(13), 1, 2),
        (nov(14), 1, 0),
        (nov(15), 1, 0),  # LATE at 23:30; MK3 at 00:10 on the 16th (23:10 UTC the 15th) is outside
    ]


# ---- backlog -------------------------------------------------------------------------------


def test_backlog_counts_open_tickets_now_by_queue_platform_and_priority(story: Story) -> None:
    backlog = selectors.backlog(scope())

    # Open: OLD, IT3 (IT); MK2, LATE, MK3 (Marketing); CO2 (Communications). Whatever their filing date.
    assert pairs(backlog["queue"]) == [("Marketing", 3), ("IT", 2), ("Communications", 1)]
    assert pairs(backlog["platform"]) == [("Blog", 2), ("Facebook", 2), ("LinkedIn", 1), ("Other", 1)]
    assert pairs(backlog["priority"]) == [("Urgent", 1), ("High", 1), ("Normal", 3), ("Low", 1)]


def test_backlog_age_buckets(story: Story) -> None:
    rows = selectors.backlog_age(scope(), NOW)

    assert pairs(rows) == [
        ("< 1 day", 2),  # LATE (13 h), MK3 (12 h 20)
        ("1–3 days", 1),  # MK2
        ("3–7 days", 1),  # IT3
        ("7–30 days", 1),  # CO2 (7 days 3 h 30)
        ("> 30 days", 1),  # OLD
    ]


def test_backlog_age_puts_a_ticket_exactly_one_day_old_in_the_older_bucket(story: Story) -> None:
    mastodon = Platform.objects.create(name="Mastodon", slug="mastodon")
    with at(paris(2026, 6, 1, 12, 30)):
        file_ticket(story.cast.employee, platform="mastodon")

    rows = selectors.backlog_age(scope(platform=mastodon), paris(2026, 6, 2, 12, 30))

    assert pairs(rows)[:2] == [("< 1 day", 0), ("1–3 days", 1)]


# ---- what people ask about ----------------------------------------------------------------


def test_top_problem_types_and_platforms_of_the_tickets_filed_in_the_range(story: Story) -> None:
    top = selectors.top_problems_and_platforms(scope())

    assert pairs(top["problem_type"]) == [
        ("Login or access", 2),
        ("Metrics or analytics request", 2),
        ("Policy or etiquette question", 2),
        ("Blocked by the company network", 1),
        ("Compromised account", 1),
        ("Content review before posting", 1),
        ("Other", 1),
        ("Publishing problem or broken page", 1),
    ]
    assert pairs(top["platform"]) == [
        ("LinkedIn", 3),
        ("Twitter/X", 3),
        ("Blog", 2),
        ("Facebook", 2),
        ("Other", 1),
    ]


# ---- speed ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "fraction", "expected"),
    [
        ({1: 1, 2: 1, 3: 1, 10: 1}, 0.5, 2.5),
        ({1: 1, 2: 1, 3: 1, 10: 1}, 0.9, 7.9),
        ({5: 1}, 0.9, 5),
        ({1: 3, 4: 1}, 0.5, 1),  # the two middle values are both 1
        ({1: 2, 4: 2}, 0.5, 2.5),
        ({0: 9, 60: 1}, 0.9, 6),
    ],
)
def test_percentiles_from_counts_interpolate_as_percentile_cont(
    counts: dict[int, int], fraction: float, expected: float
) -> None:
    assert selectors.percentile(counts, fraction) == pytest.approx(expected)


def test_response_times_median_and_90th_percentile_in_business_hours(story: Story) -> None:
    rows = {row["queue"]: row for row in selectors.response_times(scope())}

    assert list(rows) == ["Communications", "IT", "Marketing"]
    # IT first responses 1/3, 1, 2, 3, 10; resolutions (resolved in the range, PRE included) 3, 4, 9, 18, 19.
    assert rows["IT"] == {
        "queue": "IT",
        "first_median": pytest.approx(2.0),
        "first_p90": pytest.approx(7.2),
        "first_count": 5,
        "resolution_median": pytest.approx(9.0),
        "resolution_p90": pytest.approx(18.6),
        "resolution_count": 5,
    }
    # Communications first responses 1, 2, 9; resolutions 6, 8 (CO2 is still open).
    assert rows["Communications"] == {
        "queue": "Communications",
        "first_median": pytest.approx(2.0),
        "first_p90": pytest.approx(7.6),
        "first_count": 3,
        "resolution_median": pytest.approx(7.0),
        "resolution_p90": pytest.approx(7.8),
        "resolution_count": 2,
    }
    # One of each: both backends agree. MK1's resolution counts the day it stood resolved.
    assert rows["Marketing"] == {
        "queue": "Marketing",
        "first_median": pytest.approx(8.0),
        "first_p90": pytest.approx(8.0),
        "first_count": 1,
        "resolution_median": pytest.approx(23.5),
        "resolution_p90": pytest.approx(23.5),
        "resolution_count": 1,
    }


def test_response_times_leave_a_queue_out_when_nothing_was_answered_or_resolved(story: Story) -> None:
    rows = selectors.response_times(Scope(period=Period(nov(14), nov(15))))

    assert rows == []  # MK2 and LATE were filed, nobody answered yet


# ---- service levels -------------------------------------------------------------------------

SLA_COUNTS = ["first_met", "first_missed", "resolution_met", "resolution_missed", "breached_open", "at_risk"]


def test_sla_achievement_per_queue(story: Story) -> None:
    rows = selectors.sla_achievement(scope(), NOW)
    totals: dict[str, list[int]] = {}
    for row in rows:
        counts = totals.setdefault(row["queue__name"], [0] * len(SLA_COUNTS))
        for index, name in enumerate(SLA_COUNTS):
            counts[index] += row[name]

    assert [(row["queue__name"], row["priority"]) for row in rows] == sorted(
        ((row["queue__name"], row["priority"]) for row in rows), key=lambda key: (key[0], -key[1])
    )
    assert totals == {
        # CO1 and CO3 met both; CO2 missed both and is still open.
        "Communications": [2, 1, 2, 1, 1, 0],
        # IT4 missed its first response; IT1, IT2, IT5 met both; IT3 answered in time and at risk now.
        "IT": [4, 1, 4, 0, 0, 1],
        # MK1 met both (reopened and resolved again in time); MK2 at risk; LATE on track.
        "Marketing": [1, 0, 1, 0, 0, 1],
    }


def test_sla_achievement_rows_and_rates(story: Story) -> None:
    rows = {
        (row["queue__name"], row["priority_label"]): row for row in selectors.sla_achievement(scope(), NOW)
    }

    def counts(key: tuple[str, str]) -> dict[str, Any]:
        row = rows[key]
        return {name: row[name] for name in [*SLA_COUNTS, "first_rate", "resolution_rate"]}

    assert counts(("IT", "Urgent")) == {
        "first_met": 1,
        "first_missed": 0,
        "resolution_met": 1,
        "resolution_missed": 0,
        "breached_open": 0,
        "at_risk": 0,
        "first_rate": 100.0,
        "resolution_rate": 100.0,
    }
    assert counts(("Marketing", "Low")) == {
        "first_met": 1,
        "first_missed": 0,
        "resolution_met": 1,
        "resolution_missed": 0,
        "breached_open": 0,
        "at_risk": 0,  # LATE: its warning comes at 15:45
        "first_rate": 100.0,
        "resolution_rate": 100.0,
    }
    # MK2: no outcome yet, so no rate; its first-response warning came at 12:00.
    assert counts(("Marketing", "Normal")) == {
        "first_met": 0,
        "first_missed": 0,
        "resolution_met": 0,
        "resolution_missed": 0,
        "breached_open": 0,
        "at_risk": 1,
        "first_rate": None,
        "resolution_rate": None,
    }


def test_sla_achievement_counts_a_miss_under_the_priority_whose_targets_were_missed(story: Story) -> None:
    rows = {
        (row["queue__name"], row["priority_label"]): (row["first_met"], row["first_missed"])
        for row in selectors.sla_achievement(scope(), NOW)
    }

    # IT4 and CO2 were filed Normal and missed Normal's 4-hour first response.
    assert rows[("IT", "Normal")] == (3, 1)
    assert rows[("Communications", "Normal")] == (2, 1)
    assert ("IT", "High") not in rows
    assert ("Communications", "Urgent") not in rows


def test_a_ticket_waiting_on_the_requester_is_not_at_risk(story: Story) -> None:
    cast = story.cast
    with at(paris(2026, 6, 1, 9, 0)):  # a Monday
        ticket = file_ticket(cast.employee, problem="login-access")  # IT, Normal
    with at(paris(2026, 6, 1, 9, 30)):
        services.ticket_claim(ticket=ticket, actor=cast.it_agent)
        services.ticket_reply(
            ticket=ticket, author=cast.it_agent, body="Which page?", status=Status.WAITING_REQUESTER
        )
    # The resolution warning was due on Wednesday 11:15 had the clock kept running.
    (row,) = selectors.sla_achievement(JUNE, paris(2026, 6, 4, 12, 0))

    assert row["at_risk"] == 0


def test_a_late_first_response_counts_as_missed_even_if_no_sweep_ran_in_between(story: Story) -> None:
    with at(paris(2026, 6, 1, 9, 0)):
        ticket = file_ticket(story.cast.employee, problem="login-access")  # first response due 13:00
    with at(paris(2026, 6, 1, 13, 30)):
        services.ticket_reply(ticket=ticket, author=story.cast.it_agent, body="Sorry for the wait.")
    ticket.refresh_from_db()
    assert ticket.first_response_at > ticket.first_response_due_at

    (row,) = selectors.sla_achievement(JUNE, paris(2026, 6, 1, 14, 0))

    assert (row["first_met"], row["first_missed"]) == (0, 1)


def test_a_late_first_response_caught_by_the_sweep_counts_as_missed(story: Story) -> None:
    with at(paris(2026, 6, 1, 9, 0)):
        ticket = file_ticket(story.cast.employee, problem="login-access")
    sweep(paris(2026, 6, 1, 13, 1))
    with at(paris(2026, 6, 1, 13, 30)):
        services.ticket_reply(ticket=ticket, author=story.cast.it_agent, body="Sorry for the wait.")

    (row,) = selectors.sla_achievement(JUNE, paris(2026, 6, 1, 14, 0))

    assert (row["first_met"], row["first_missed"], row["first_rate"]) == (0, 1, 0.0)
    assert row["breached_open"] == 1


# ---- reopen rate and agents -----------------------------------------------------------------


def test_reopen_rate_per_queue(story: Story) -> None:
    rows = selectors.reopen_rate(scope())

    assert [(row["queue__name"], row["resolved"], row["reopened"], row["rate"]) for row in rows] == [
        ("Communications", 2, 0, 0.0),
        ("IT", 4, 1, 25.0),  # IT1 of IT1, IT2, IT4, IT5; PRE was filed before the range
        ("Marketing", 1, 1, 100.0),
    ]


def test_agents_workload_now_and_throughput_in_the_range(story: Story) -> None:
    rows = selectors.agents(scope())

    assert [(row["agent"], row["open"], row["resolved"]) for row in rows] == [
        ("Ian It", 2, 5),  # holds IT3 and OLD; resolved PRE, IT1, IT4, IT2, IT5
        ("Cora Comms", 1, 2),  # holds CO2; CO1 (resolved by its requester) and CO3
        ("Mia Marketing", 1, 1),  # holds MK3; MK1
    ]
