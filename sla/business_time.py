"""Business-time arithmetic: pure functions over a weekly schedule, a time zone and holidays.

Working time is counted in real elapsed time: a working day that crosses a daylight-saving
change is an hour shorter or longer, exactly as the clock on the wall says.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# A schedule with no working time at all would search forever.
MAX_DAYS = 366 * 10


@dataclass(frozen=True)
class Schedule:
    """When the clock runs.

    `weekly` maps a weekday (Monday is 0) to working periods as minutes from local
    midnight, end excluded, 1440 meaning midnight at the end of the day. `holidays` holds
    the local dates without working time: a set, or sla.days_off.DaysOff, which has a
    country's public holidays for any year as well as the company's own days.
    """

    time_zone: str
    weekly: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    holidays: Container[date] = frozenset()
    always: bool = False

    def __post_init__(self) -> None:
        if not self.always and not any(self.weekly.get(day) for day in range(7)):
            raise ValueError("A schedule needs working hours on at least one weekday.")
        for periods in self.weekly.values():
            for start, end in periods:
                if not 0 <= start < end <= MINUTES_PER_DAY:
                    raise ValueError(f"Working period {start}-{end} is not within one day.")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def always_open(time_zone: str = "UTC") -> Schedule:
    return Schedule(time_zone=time_zone, always=True)


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time()) + timedelta(minutes=minute)
    return local.replace(tzinfo=zone).astimezone(UTC)


def _periods_from(start: datetime, schedule: Schedule) -> Iterator[tuple[datetime, datetime]]:
    """Working periods in UTC, in order, from the local day that contains `start`."""
    zone = schedule.zone
    day = start.astimezone(zone).date()
    for _ in range(MAX_DAYS):
        if day not in schedule.holidays:
            for begin, end in sorted(schedule.weekly.get(day.weekday(), ())):
                period_start, period_end = _instant(day, begin, zone), _instant(day, end, zone)
                if period_end > start:
                    yield max(period_start, start), period_end
        day += timedelta(days=1)
    raise ValueError("No working time found within ten years: check the calendar's holidays.")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Business time needs time-zone-aware datetimes.")
    return moment.astimezone(UTC)


def add_business_time(start: datetime, duration: timedelta, schedule: Schedule) -> datetime:
    """The moment when `duration` of working time has passed since `start`."""
    start = _utc(start)
    if duration < timedelta(0):
        raise ValueError("Business time only runs forward.")
    if schedule.always or duration == timedelta(0):
        return start + duration
    left = duration
    for period_start, period_end in _periods_from(start, schedule):
        available = period_end - period_start
        if left <= available:
            return period_start + left
        left -= available
    raise AssertionError("unreachable")  # pragma: no cover


def business_time_between(start: datetime, end: datetime, schedule: Schedule) -> timedelta:
    """Working time from `start` to `end`; zero when `end` is not after `start`."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        return timedelta(0)
    if schedule.always:
        return end - start
    total = timedelta(0)
    for period_start, period_end in _periods_from(start, schedule):
        if period_start >= end:
            break
        total += min(period_end, end) - period_start
    return total
