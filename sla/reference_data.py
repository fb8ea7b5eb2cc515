"""Starting calendars and policies; only what is missing is created."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction

from .models import Calendar, Holiday, Policy, WorkingPeriod

OFFICE_HOURS = "Office hours (Paris)"
AROUND_THE_CLOCK = "Around the clock"

FRENCH_HOLIDAYS = [
    (date(2026, 1, 1), "New Year's Day"),
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 5, 1), "Labour Day"),
    (date(2026, 5, 8), "Victory in Europe Day"),
    (date(2026, 5, 14), "Ascension Day"),
    (date(2026, 5, 25), "Whit Monday"),
    (date(2026, 7, 14), "Bastille Day"),
    (date(2026, 8, 15), "Assumption Day"),
    (date(2026, 11, 1), "All Saints' Day"),
    (date(2026, 11, 11), "Armistice Day"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 5, 1), "Labour Day"),
    (date(2027, 5, 6), "Ascension Day"),
    (date(2027, 5, 8), "Victory in Europe Day"),
    (date(2027, 5, 17), "Whit Monday"),
    (date(2027, 7, 14), "Bastille Day"),
    (date(2027, 8, 15), "Assumption Day"),
    (date(2027, 11, 1), "All Saints' Day"),
    (date(2027, 11, 11), "Armistice Day"),
    (date(2027, 12, 25), "Christmas Day"),
]

# name, calendar, first response, resolution (business minutes), raise priority on breach
POLICIES = [
    ("Urgent: around the clock", AROUND_THE_CLOCK, 30, 4 * 60, False),
    ("High", OFFICE_HOURS, 2 * 60, 9 * 60, True),
    ("Normal", OFFICE_HOURS, 4 * 60, 3 * 9 * 60, True),
    ("Low", OFFICE_HOURS, 9 * 60, 5 * 9 * 60, True),
]


@transaction.atomic
def sla_reference_load() -> dict[str, Policy]:
    office, created = Calendar.objects.get_or_create(
        name=OFFICE_HOURS, defaults={"time_zone": "Europe/Paris"}
    )
    if created:
        for weekday in range(5):
            WorkingPeriod.objects.create(calendar=office, weekday=weekday, start=time(9), end=time(18))
        for day, name in FRENCH_HOLIDAYS:
            Holiday.objects.create(calendar=office, date=day, name=name)
    Calendar.objects.get_or_create(
        name=AROUND_THE_CLOCK, defaults={"time_zone": "Europe/Paris", "always_open": True}
    )
    policies = {}
    for name, calendar, first_response, resolution, raise_priority in POLICIES:
        policies[name], _ = Policy.objects.get_or_create(
            name=name,
            defaults={
                "calendar": Calendar.objects.get(name=calendar),
                "first_response_minutes": first_response,
                "resolution_minutes": resolution,
                "raise_priority_on_breach": raise_priority,
            },
        )
    return policies
