"""sla.business_time's answers, fast enough for a million tickets.

`add_business_time` walks the calendar day by day, which is right for one ticket and
too slow for four deadlines on each of a million. This clock lays the calendar's
working periods out once for the generated years and answers with a binary search,
on whole seconds since the epoch. `check_against_sla` proves on random moments that
it says exactly what sla.business_time says; the generator runs it before it starts.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta

from sla.business_time import Schedule, add_business_time, business_time_between


class BusinessClock:
    def __init__(self, schedule: Schedule, *, first_day: date, last_day: date) -> None:
        self.always = schedule.always
        self.first_day, self.last_day = first_day, last_day
        starts: list[int] = []
        ends: list[int] = []
        zone = schedule.zone
        day = first_day
        while not self.always and day <= last_day:
            if day not in schedule.holidays:
                for begin, end in sorted(schedule.weekly.get(day.weekday(), ())):
                    starts.append(_epoch(day, begin, zone))
                    ends.append(_epoch(day, end, zone))
            day += timedelta(days=1)
        self.starts, self.ends = starts, ends
        # before[i]: working seconds in the periods before period i; done[i]: up to its end.
        self.before: list[int] = []
        self.done: list[int] = []
        total = 0
        for start, end in zip(starts, ends, strict=True):
            self.before.append(total)
            total += end - start
            self.done.append(total)
        self.limit = ends[-1] if ends else 0

    def add(self, start: int, seconds: int) -> int:
        """The moment `seconds` of working time after `start`, as add_business_time says."""
        if self.always or seconds == 0:
            return start + seconds
        index = bisect_right(self.ends, start)
        if index >= len(self.starts):
            raise ValueError("The moment is past the laid-out calendar.")
        target = self.before[index] + max(start - self.starts[index], 0) + seconds
        landing = bisect_left(self.done, target)
        if landing >= len(self.starts):
            raise ValueError("The deadline is past the laid-out calendar.")
        return self.starts[landing] + target - self.before[landing]

    def worked_before(self, moment: int) -> int:
        index = bisect_right(self.ends, moment)
        if index >= len(self.starts):
            return self.done[-1] if self.done else 0
        return self.before[index] + max(moment - self.starts[index], 0)

    def between(self, start: int, end: int) -> int:
        """Working seconds from `start` to `end`, as business_time_between says."""
        if end <= start:
            return 0
        if self.always:
            return end - start
        return self.worked_before(end) - self.worked_before(start)


def _epoch(day: date, minute: int, zone: object) -> int:
    local = datetime.combine(day, time()) + timedelta(minutes=minute)
    return int(local.replace(tzinfo=zone).astimezone(UTC).timestamp())  # type: ignore[arg-type]


def _moment(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def check_against_sla(clock: BusinessClock, schedule: Schedule, *, samples: int = 300, seed: int = 0) -> None:
    """Raise if the fast clock and sla.business_time disagree on any sampled moment."""
    rng = random.Random(seed)
    low = _epoch(clock.first_day, 0, schedule.zone)
    high = _epoch(clock.last_day - timedelta(days=40), 0, schedule.zone)
    for _ in range(samples):
        start = rng.randrange(low, high)
        seconds = rng.choice([0, 60, 1350, 4 * 3600, 9 * 3600, 27 * 3600, 45 * 3600 + 17])
        expected = add_business_time(_moment(start), timedelta(seconds=seconds), schedule)
        if _moment(clock.add(start, seconds)) != expected:
            raise AssertionError(f"business clock disagrees with sla on add({start}, {seconds})")
        end = start + rng.randrange(0, 20 * 86400)
        spent = business_time_between(_moment(start), _moment(end), schedule)
        if timedelta(seconds=clock.between(start, end)) != spent:
            raise AssertionError(f"business clock disagrees with sla on between({start}, {end})")
