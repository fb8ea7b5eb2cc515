from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.business_time import Schedule, add_business_time, always_open, business_time_between

PARIS = ZoneInfo("Europe/Paris")


def office(
    start: int = 9, end: int = 18, zone: str = "Europe/Paris", holidays: frozenset[date] = frozenset()
) -> Schedule:
    return Schedule(
        time_zone=zone,
        weekly={day: ((start * 60, end * 60),) for day in range(5)},
        holidays=holidays,
    )


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_friday_evening_hour_is_due_monday_morning() -> None:
    friday = paris(2026, 11, 20, 17, 55)
    assert add_business_time(friday, timedelta(hours=1), office(9, 18)) == paris(2026, 11, 23, 9, 55)


def test_filed_after_closing_starts_counting_at_the_next_opening() -> None:
    friday = paris(2026, 11, 20, 17, 55)
    assert add_business_time(friday, timedelta(hours=1), office(9, 17)) == paris(2026, 11, 23, 10, 0)


def test_holidays_are_skipped() -> None:
    christmas = frozenset({date(2026, 12, 25)})
    thursday = paris(2026, 12, 24, 17, 30)
    assert add_business_time(thursday, timedelta(hours=1), office(holidays=christmas)) == paris(
        2026, 12, 28, 9, 30
    )


def test_overnight_gap_is_not_counted() -> None:
    schedule = office()
    assert business_time_between(
        paris(2026, 11, 24, 17, 0), paris(2026, 11, 25, 10, 0), schedule
    ) == timedelta(hours=2)


def test_target_spanning_many_days() -> None:
    monday = paris(2026, 11, 23, 9, 0)
    # Ten working days of nine hours: two full weeks later.
    assert add_business_time(monday, timedelta(hours=90), office()) == paris(2026, 12, 4, 18, 0)


def test_split_days_and_lunch_breaks() -> None:
    schedule = Schedule(time_zone="Europe/Paris", weekly={0: ((9 * 60, 12 * 60), (13 * 60, 17 * 60))})
    assert add_business_time(paris(2026, 11, 23, 11, 30), timedelta(hours=1), schedule) == paris(
        2026, 11, 23, 13, 30
    )


def test_spring_forward_day_is_an_hour_shorter() -> None:
    # Europe/Paris jumps from 02:00 to 03:00 on 29 March 2026.
    around_the_clock = Schedule(time_zone="Europe/Paris", weekly={day: ((0, 1440),) for day in range(7)})
    day = business_time_between(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0), around_the_clock)
    assert day == timedelta(hours=23)
    assert add_business_time(paris(2026, 3, 29, 1, 30), timedelta(hours=1), around_the_clock) == paris(
        2026, 3, 29, 3, 30
    )


def test_fall_back_day_is_an_hour_longer() -> None:
    # Europe/Paris goes back from 03:00 to 02:00 on 25 October 2026.
    around_the_clock = Schedule(time_zone="Europe/Paris", weekly={day: ((0, 1440),) for day in range(7)})
    day = business_time_between(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0), around_the_clock)
    assert day == timedelta(hours=25)


def test_office_hours_are_local_across_dst() -> None:
    # Opening at 09:00 local is 08:00 UTC in winter and 07:00 UTC in summer.
    schedule = office()
    assert (
        add_business_time(paris(2026, 3, 26, 18, 0), timedelta(minutes=1), schedule).astimezone(UTC).hour == 8
    )
    assert (
        add_business_time(paris(2026, 3, 28, 18, 0), timedelta(minutes=1), schedule).astimezone(UTC).hour == 7
    )


def test_always_open_is_plain_elapsed_time() -> None:
    # Across the night the clocks go back: five real hours, not five wall-clock hours.
    start = paris(2026, 10, 24, 22, 0)
    due = add_business_time(start, timedelta(hours=5), always_open("Europe/Paris"))
    assert due == start.astimezone(UTC) + timedelta(hours=5)
    assert due.astimezone(PARIS).hour == 2


def test_a_schedule_without_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="working hours"):
        Schedule(time_zone="Europe/Paris", weekly={})


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_business_time(datetime(2026, 1, 5, 9), timedelta(hours=1), office())


# ---- properties -----------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=60 * 24 * 10).map(lambda m: timedelta(minutes=m))
zones = st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"])


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    weekly = {}
    for day in range(7):
        if draw(st.booleans()):
            start = draw(st.integers(0, 23 * 60))
            end = draw(st.integers(start + 60, 1440))
            weekly[day] = ((start, end),)
    if not weekly:
        weekly[0] = ((9 * 60, 17 * 60),)
    holidays = draw(st.frozensets(st.dates(date(2025, 1, 1), date(2028, 12, 31)), max_size=20))
    return Schedule(time_zone=draw(zones), weekly=weekly, holidays=holidays)


@settings(max_examples=300, deadline=None)
@given(start=moments, duration=durations, schedule=schedules())
def test_time_between_start_and_due_is_the_target(
    start: datetime, duration: timedelta, schedule: Schedule
) -> None:
    due = add_business_time(start, duration, schedule)
    assert due >= start
    assert business_time_between(start, due, schedule) == duration


@settings(max_examples=200, deadline=None)
@given(start=moments, first=durations, second=durations, schedule=schedules())
def test_adding_in_two_steps_equals_adding_once(
    start: datetime, first: timedelta, second: timedelta, schedule: Schedule
) -> None:
    in_steps = add_business_time(add_business_time(start, first, schedule), second, schedule)
    at_once = add_business_time(start, first + second, schedule)
    if second:
        assert in_steps == at_once
    else:
        assert in_steps <= at_once


@settings(max_examples=200, deadline=None)
@given(start=moments, first=durations, second=durations, schedule=schedules())
def test_longer_targets_are_never_due_earlier(
    start: datetime, first: timedelta, second: timedelta, schedule: Schedule
) -> None:
    shorter, longer = sorted([first, second])
    assert add_business_time(start, shorter, schedule) <= add_business_time(start, longer, schedule)


@settings(max_examples=200, deadline=None)
@given(start=moments, target=durations, used=st.floats(0, 1), pause=durations, schedule=schedules())
def test_pause_and_resume_keeps_the_time_that_was_left(
    start: datetime, target: timedelta, used: float, pause: timedelta, schedule: Schedule
) -> None:
    spent = timedelta(minutes=int(target.total_seconds() // 60 * used))
    paused_at = add_business_time(start, spent, schedule)
    resumed_at = paused_at + pause
    waited = business_time_between(paused_at, resumed_at, schedule)

    due = add_business_time(start, target + waited, schedule)

    assert due >= resumed_at or spent == target
    assert business_time_between(resumed_at, due, schedule) == target - spent
