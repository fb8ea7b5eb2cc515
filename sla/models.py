from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .business_time import MINUTES_PER_DAY, Schedule
from .days_off import DaysOff, place_error


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Paris.")


class Calendar(models.Model):
    """When the SLA clock runs: weekly working hours in a time zone, minus the public holidays
    of a country (or one of its regions) and the company's own days off."""

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/Paris", validators=[validate_time_zone])
    always_open = models.BooleanField(
        "24x7", default=False, help_text="The clock never stops: working hours and holidays are ignored."
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="Whose public holidays stop the clock, as a two-letter code such as FR or DE; blank for none.",
    )
    subdivision = models.CharField(
        max_length=20,
        blank=True,
        help_text="A state or region with holidays of its own, such as BY (Bavaria) in DE; blank for the whole country.",
    )

    # Built by schedule(), once per instance.
    _schedule: Schedule | None = None

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        error = place_error(self.country, self.subdivision)
        if error:
            raise ValidationError(error)

    def schedule(self) -> Schedule:
        """The calendar as pure data for the business-time functions.

        Built once per instance, from prefetched rows where there are some: the SLA clock
        asks for it several times while it handles one ticket.
        """
        if self._schedule is None:
            self._schedule = self._schedule_build()
        return self._schedule

    def _schedule_build(self) -> Schedule:
        if self.always_open:
            return Schedule(time_zone=self.time_zone, always=True)
        weekly: dict[int, list[tuple[int, int]]] = {}
        for period in self.periods.all():
            weekly.setdefault(period.weekday, []).append((period.start_minute, period.end_minute))
        company_days = frozenset(day.date for day in self.company_days.all())
        return Schedule(
            time_zone=self.time_zone,
            weekly={day: tuple(periods) for day, periods in weekly.items()},
            holidays=DaysOff(country=self.country, subdivision=self.subdivision, company_days=company_days),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def place(self) -> str:
        """FR, DE-BY, or blank: whose public holidays the calendar keeps."""
        return "-".join(part for part in (self.country, self.subdivision) if part)


class WorkingPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField(help_text="00:00 means midnight at the end of the day.")

    class Meta:
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is not None and self.end is not None and self.start_minute >= self.end_minute:
            raise ValidationError("The period must end after it starts.")

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return MINUTES_PER_DAY if self.end == time(0, 0) else self.end.hour * 60 + self.end.minute


class CompanyDay(models.Model):
    """A day the company does not work beyond the public holidays: a bridge day, a closure."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="company_days")
    date = models.DateField()
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="one_company_day_a_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class Policy(models.Model):
    """Targets in business minutes on a calendar, and what to do when they slip."""

    name = models.CharField(max_length=100, unique=True)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="policies")
    first_response_minutes = models.PositiveIntegerField(
        help_text="Business minutes from filing to the first public reply by staff."
    )
    resolution_minutes = models.PositiveIntegerField(
        help_text="Business minutes from filing to Resolved, not counting time waiting on the requester."
    )
    warning_percent = models.PositiveSmallIntegerField(
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Warn when this share of a target is used.",
    )
    raise_priority_on_breach = models.BooleanField(
        default=True, help_text="Raise the ticket's priority one step when a target is breached."
    )
    # Targets change; a ticket measured against last month's must be explainable.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name
