"""Date ranges for the dashboards, in the desk's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

PRESETS = [
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("quarter", "This quarter"),
    ("custom", "Custom dates"),
]


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time()))

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time()))

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]


def period_for(preset: str, today: date, first: date | None = None, last: date | None = None) -> Period:
    if preset == "custom" and first and last:
        return Period(min(first, last), max(first, last))
    if preset == "quarter":
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(quarter_start, today)
    days = {"7d": 7, "30d": 30, "90d": 90}.get(preset, 30)
    return Period(today - timedelta(days=days - 1), today)
