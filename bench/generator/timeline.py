"""When the generated tickets were filed: two years of working weeks in Paris.

Ticket n (counting from 0) is the n-th filed, so ids grow with created_at as on a real
desk. Each day's count is fixed up front from the weights; each day's moments come from
a generator seeded by the day, so a chunk can be made again on its own, identically.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import vocabulary

DAYS = 730
# Volume grows over the two years; August and the last days of December are quiet.
GROWTH = 0.45


def day_weight(day: date, index: int, holidays: frozenset[date]) -> float:
    weight = vocabulary.WEEKDAY_VOLUME[day.weekday()] * (1 + GROWTH * index / DAYS)
    if day in holidays:
        weight *= 0.15
    if day.month == 8:
        weight *= 0.6
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        weight *= 0.45
    return weight


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Timeline:
    def __init__(
        self, *, total: int, seed: int, until: date, zone: ZoneInfo, holidays: Iterable[date]
    ) -> None:
        self.seed = seed
        self.zone = zone
        self.days = [until - timedelta(days=DAYS - offset) for offset in range(DAYS)]
        known = frozenset(holidays)
        self.counts = apportion(total, [day_weight(day, i, known) for i, day in enumerate(self.days)])
        self.first_of_day: list[int] = []
        running = 0
        for count in self.counts:
            self.first_of_day.append(running)
            running += count
        self.now = self.midnight(until)

    def midnight(self, day: date) -> int:
        return int(datetime.combine(day, time(), tzinfo=self.zone).astimezone(UTC).timestamp())

    def _day_moments(self, index: int) -> list[int]:
        day = self.days[index]
        rng = random.Random(f"{self.seed}:day:{day.isoformat()}")
        hours = vocabulary.WEEKDAY_HOURS if day.weekday() < 5 else vocabulary.WEEKEND_HOURS
        start = self.midnight(day)
        length = self.midnight(day + timedelta(days=1)) - start  # 23 or 25 hours on DST days
        scale = length / 86400
        picked = rng.choices(range(24), weights=hours, k=self.counts[index])
        return sorted(start + int((hour * 3600 + rng.randrange(3600)) * scale) for hour in picked)

    def created(self, first: int, last: int) -> list[int]:
        """Filing moments (epoch seconds) of tickets first..last-1, in order."""
        moments: list[int] = []
        index = bisect_right(self.first_of_day, first) - 1
        while len(moments) < last - first:
            while self.counts[index] == 0:
                index += 1
            day_moments = self._day_moments(index)
            offset = self.first_of_day[index]
            moments.extend(day_moments[max(first - offset, 0) : last - offset])
            index += 1
        return moments
