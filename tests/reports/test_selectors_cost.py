"""The dashboard's cost figures, its filters and its periods, on the story of conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from reports import selectors
from reports.forms import DashboardForm
from reports.periods import Period, period_for
from reports.selectors import Scope
from tickets import services
from tickets.models import Platform

from ..factories import file_ticket
from .conftest import NOW, PARIS, Story, at, paris
from .scopes import JUNE, nov, pairs, scope

# ---- cost -------------------------------------------------------------------------------------


def minutes(lines: list[selectors.CostLine]) -> list[tuple[str, int]]:
    return [(line.name, line.minutes) for line in lines]


def test_time_stays_charged_to_the_queue_that_spent_it_after_a_transfer(story: Story) -> None:
    cast = story.cast
    with at(paris(2026, 6, 1, 10, 0)):
        ticket = file_ticket(cast.employee, problem="login-access")  # IT, at 85 an hour
        services.ticket_log_time(ticket=ticket, agent=cast.it_agent, minutes=30)
        services.ticket_transfer(ticket=ticket, queue=cast.marketing, actor=cast.it_agent)
        services.ticket_log_time(ticket=ticket, agent=cast.marketing_agent, minutes=60)

    cost = selectors.cost(JUNE)

    assert [(line.name, line.minutes, line.cost) for line in cost["queue"]] == [
        ("Marketing", 60, Decimal("70.00")),
        ("IT", 30, Decimal("42.50")),
    ]


def test_time_logged_in_the_range_by_queue_department_and_platform(story: Story) -> None:
    cost = selectors.cost(scope())

    # PRE's 15 minutes were logged on 30 October, outside the range.
    assert minutes(cost["queue"]) == [("IT", 180), ("Communications", 60), ("Marketing", 45)]
    assert minutes(cost["department"]) == [("Sales", 155), ("Finance", 90), ("No department", 40)]
    assert minutes(cost["platform"]) == [("Twitter/X", 130), ("Blog", 90), ("LinkedIn", 65)]
    assert cost["queue"][0].hours == 3.0


def test_cost_in_money_by_queue_department_and_platform(story: Story) -> None:
    cost = selectors.cost(scope())

    def money(lines: list[selectors.CostLine]) -> list[tuple[str, Decimal]]:
        return [(line.name, line.cost.quantize(Decimal("0.01"))) for line in lines]

    # IT 30 + 90 + 60 min at 85; Communications 20 + 40 min at 75; Marketing 45 min at 70.
    assert money(cost["queue"]) == [
        ("IT", Decimal("255.00")),
        ("Communications", Decimal("75.00")),
        ("Marketing", Decimal("52.50")),
    ]
    assert money(cost["department"]) == [
        ("Sales", Decimal("205.00")),
        ("Finance", Decimal("127.50")),
        ("No department", Decimal("50.00")),
    ]
    assert money(cost["platform"]) == [
        ("Twitter/X", Decimal("177.50")),
        ("Blog", Decimal("127.50")),
        ("LinkedIn", Decimal("77.50")),
    ]


def test_cost_keeps_the_rate_of_the_day_the_time_was_logged(story: Story) -> None:
    before = selectors.cost(scope())["queue"]
    story.cast.it.hourly_rate = Decimal("120")
    story.cast.it.save(update_fields=["hourly_rate"])

    assert selectors.cost(scope())["queue"] == before


# ---- filters ---------------------------------------------------------------------------------


def totals(volume: list[dict[str, Any]]) -> tuple[int, int]:
    return sum(row["opened"] for row in volume), sum(row["resolved"] for row in volume)


def test_a_queue_filter_narrows_every_table(story: Story) -> None:
    it = scope(queue=story.cast.it)

    volume = selectors.opened_and_resolved_by_day(it)
    assert [
        (row["day"].day, row["opened"], row["resolved"]) for row in volume if row["opened"] or row["resolved"]
    ] == [
        (2, 1, 1),
        (4, 1, 1),
        (6, 1, 1),
        (10, 1, 0),
        (12, 0, 1),
        (13, 1, 1),
    ]
    backlog = selectors.backlog(it)
    assert pairs(backlog["queue"]) == [("IT", 2)]
    assert pairs(backlog["platform"]) == [("Facebook", 1), ("LinkedIn", 1)]
    assert pairs(backlog["priority"]) == [("Urgent", 0), ("High", 1), ("Normal", 1), ("Low", 0)]
    assert [row["n"] for row in selectors.backlog_age(it, NOW)] == [0, 0, 1, 0, 1]
    assert pairs(selectors.top_problems_and_platforms(it)["problem_type"]) == [
        ("Login or access", 2),
        ("Blocked by the company network", 1),
        ("Compromised account", 1),
        ("Publishing problem or broken page", 1),
    ]
    assert [row["queue"] for row in selectors.response_times(it)] == ["IT"]
    assert {row["queue__name"] for row in selectors.sla_achievement(it, NOW)} == {"IT"}
    assert [(row["queue__name"], row["rate"]) for row in selectors.reopen_rate(it)] == [("IT", 25.0)]
    assert [(row["agent"], row["open"], row["resolved"]) for row in selectors.agents(it)] == [
        ("Ian It", 2, 5)
    ]
    cost = selectors.cost(it)
    assert minutes(cost["queue"]) == [("IT", 180)]
    # Equal cost (127.50, or 127 on SQLite): alphabetical.
    assert minutes(cost["department"]) == [("Finance", 90), ("Sales", 90)]
    assert minutes(cost["platform"]) == [("Blog", 90), ("Twitter/X", 90)]


def test_a_platform_filter_narrows_every_table(story: Story) -> None:
    linkedin = scope(platform=Platform.objects.get(slug="linkedin"))

    assert totals(selectors.opened_and_resolved_by_day(linkedin)) == (3, 3)  # IT4, CO1, MK1
    backlog = selectors.backlog(linkedin)
    assert pairs(backlog["queue"]) == [("IT", 1)]  # OLD
    assert pairs(backlog["priority"]) == [("Urgent", 0), ("High", 1), ("Normal", 0), ("Low", 0)]
    assert pairs(selectors.top_problems_and_platforms(linkedin)["platform"]) == [("LinkedIn", 3)]
    assert [(row["agent"], row["open"], row["resolved"]) for row in selectors.agents(linkedin)] == [
        ("Cora Comms", 0, 1),
        ("Ian It", 1, 1),
        ("Mia Marketing", 0, 1),
    ]
    assert minutes(selectors.cost(linkedin)["queue"]) == [("Marketing", 45), ("Communications", 20)]


def test_queue_and_platform_filters_combine(story: Story) -> None:
    both = scope(queue=story.cast.it, platform=Platform.objects.get(slug="linkedin"))

    assert totals(selectors.opened_and_resolved_by_day(both)) == (1, 1)  # IT4
    assert selectors.cost(both)["queue"] == []


def form_scope(data: dict[str, str]) -> tuple[DashboardForm, Scope]:
    with at(NOW):
        form = DashboardForm(data)
        period = form.period()
    cleaned = form.cleaned_data if form.is_valid() else {}
    return form, Scope(period=period, queue=cleaned.get("queue"), platform=cleaned.get("platform"))


@pytest.mark.parametrize(
    ("data", "first_day", "last_day", "opened", "resolved"),
    [
        # MK3 (00:10 on the 16th) counts from here on; NOW is Monday 16 November.
        ({"range": "7d"}, nov(10), nov(16), 6, 4),
        ({"range": "30d"}, date(2026, 10, 18), nov(16), 13, 8),  # PRE filed 30 October
        ({}, date(2026, 10, 18), nov(16), 13, 8),  # the default is the last 30 days
        ({"range": "90d"}, date(2026, 8, 19), nov(16), 14, 8),  # OLD too
        ({"range": "quarter"}, date(2026, 10, 1), nov(16), 14, 8),
        ({"range": "custom", "start": "2026-11-02", "end": "2026-11-15"}, nov(2), nov(15), 11, 8),
        ({"range": "custom", "start": "2026-11-15", "end": "2026-11-02"}, nov(2), nov(15), 11, 8),
        ({"range": "custom", "start": "2026-11-13", "end": "2026-11-13"}, nov(13), nov(13), 1, 2),
    ],
)
def test_date_range_presets(
    story: Story, data: dict[str, str], first_day: date, last_day: date, opened: int, resolved: int
) -> None:
    form, chosen = form_scope(data)

    assert form.is_valid(), form.errors
    assert (chosen.period.first_day, chosen.period.last_day) == (first_day, last_day)
    assert totals(selectors.opened_and_resolved_by_day(chosen)) == (opened, resolved)


def test_the_form_filters_by_queue_and_platform_slugs(story: Story) -> None:
    form, chosen = form_scope({"range": "custom", "start": "2026-11-02", "end": "2026-11-15", "queue": "it"})

    assert form.is_valid(), form.errors
    assert chosen.queue == story.cast.it
    assert totals(selectors.opened_and_resolved_by_day(chosen)) == (5, 5)
    _, chosen = form_scope({"range": "7d", "platform": "facebook"})
    assert chosen.platform is not None and chosen.platform.slug == "facebook"
    assert totals(selectors.opened_and_resolved_by_day(chosen)) == (2, 0)  # IT3, LATE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"range": "custom"}, "Choose both dates for a custom range."),
        ({"range": "custom", "start": "2026-11-02"}, "Choose both dates for a custom range."),
        ({"range": "custom", "end": "2026-11-02"}, "Choose both dates for a custom range."),
        (
            {"range": "custom", "start": "2024-01-01", "end": "2026-11-16"},
            "Choose a range of at most two years.",
        ),
    ],
)
def test_an_invalid_custom_range_says_why_and_falls_back_to_the_last_30_days(
    db: None, data: dict[str, str], message: str
) -> None:
    form, chosen = form_scope(data)

    assert not form.is_valid()
    assert form.non_field_errors() == [message]
    assert (chosen.period.first_day, chosen.period.last_day) == (date(2026, 10, 18), nov(16))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"range": "5y"}, "range", "Select a valid choice. 5y is not one of the available choices."),
        ({"range": "custom", "start": "yesterday", "end": "2026-11-02"}, "start", "Enter a valid date."),
        (
            {"queue": "nope"},
            "queue",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_filter_values_are_field_errors(db: None, data: dict[str, str], field: str, message: str) -> None:
    form, chosen = form_scope(data)

    assert form.errors[field] == [message]
    assert (chosen.period.first_day, chosen.period.last_day) == (date(2026, 10, 18), nov(16))


def test_a_two_year_custom_range_is_the_longest_allowed(db: None) -> None:
    form, chosen = form_scope({"range": "custom", "start": "2024-11-15", "end": "2026-11-16"})

    assert form.is_valid(), form.errors
    assert chosen.period.first_day == date(2024, 11, 15)
    assert len(chosen.period.days) == 732


# ---- periods ---------------------------------------------------------------------------------

TODAY = nov(16)


@pytest.mark.parametrize(
    ("preset", "today", "first", "last", "expected"),
    [
        ("7d", TODAY, None, None, (nov(10), TODAY)),
        ("30d", TODAY, None, None, (date(2026, 10, 18), TODAY)),
        ("90d", TODAY, None, None, (date(2026, 8, 19), TODAY)),
        ("quarter", TODAY, None, None, (date(2026, 10, 1), TODAY)),
        ("quarter", date(2026, 1, 1), None, None, (date(2026, 1, 1), date(2026, 1, 1))),
        ("quarter", date(2026, 3, 31), None, None, (date(2026, 1, 1), date(2026, 3, 31))),
        ("quarter", date(2026, 4, 1), None, None, (date(2026, 4, 1), date(2026, 4, 1))),
        ("quarter", date(2026, 9, 30), None, None, (date(2026, 7, 1), date(2026, 9, 30))),
        ("quarter", date(2026, 12, 31), None, None, (date(2026, 10, 1), date(2026, 12, 31))),
        ("custom", TODAY, nov(2), nov(15), (nov(2), nov(15))),
        ("custom", TODAY, nov(15), nov(2), (nov(2), nov(15))),
        ("custom", TODAY, nov(2), None, (date(2026, 10, 18), TODAY)),  # incomplete: the default
        ("custom", TODAY, None, None, (date(2026, 10, 18), TODAY)),
        ("anything", TODAY, None, None, (date(2026, 10, 18), TODAY)),
    ],
)
def test_period_for(
    preset: str, today: date, first: date | None, last: date | None, expected: tuple[date, date]
) -> None:
    period = period_for(preset, today, first, last)

    assert (period.first_day, period.last_day) == expected


def test_a_period_runs_from_local_midnight_to_the_midnight_after_its_last_day() -> None:
    # 25 October 2026: Paris goes from summer to winter time.
    period = Period(date(2026, 10, 24), date(2026, 10, 25))

    assert period.start == datetime(2026, 10, 24, tzinfo=PARIS)
    assert period.end == datetime(2026, 10, 26, tzinfo=PARIS)
    assert period.start.utcoffset() == timedelta(hours=2)
    assert period.end.utcoffset() == timedelta(hours=1)
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(hours=49)
    assert period.days == [date(2026, 10, 24), date(2026, 10, 25)]
    assert len(Period(date(2024, 1, 1), date(2024, 12, 31)).days) == 366
