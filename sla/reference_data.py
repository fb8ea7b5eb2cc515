"""Starting calendars and policies; only what is missing is created."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from .models import Calendar, Policy, WorkingPeriod

OFFICE_HOURS = "Office hours (Paris)"
AROUND_THE_CLOCK = "Around the clock"

# name, calendar, first response, resolution (business minutes), raise priority on breach
POLICIES = [
    ("Urgent: around the clock", AROUND_THE_CLOCK, 30, 4 * 60, False),
    ("High", OFFICE_HOURS, 2 * 60, 9 * 60, True),
    ("Normal", OFFICE_HOURS, 4 * 60, 3 * 9 * 60, True),
    ("Low", OFFICE_HOURS, 9 * 60, 5 * 9 * 60, True),
]


@transaction.atomic
def sla_reference_load() -> dict[str, Policy]:
    # France's public holidays come from the holidays package, for every year.
    office, created = Calendar.objects.get_or_create(
        name=OFFICE_HOURS, defaults={"time_zone": "Europe/Paris", "country": "FR"}
    )
    if created:
        for weekday in range(5):
            WorkingPeriod.objects.create(calendar=office, weekday=weekday, start=time(9), end=time(18))
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
