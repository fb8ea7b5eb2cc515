"""A calendar's schedule: working hours, its country's public holidays, its company days, built once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla.business_time import add_business_time, business_time_between
from sla.models import Calendar, CompanyDay, WorkingPeriod

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
BERLIN = ZoneInfo("Europe/Berlin")


def office(name: str, *, zone: str, country: str, subdivision: str = "") -> Calendar:
    calendar = Calendar.objects.create(name=name, time_zone=zone, country=country, subdivision=subdivision)
    for weekday in range(5):
        WorkingPeriod.objects.create(calendar=calendar, weekday=weekday, start=time(9), end=time(18))
    return calendar


def an_hour_after(calendar: Calendar, moment: datetime) -> datetime:
    return add_business_time(moment, timedelta(hours=1), Calendar.objects.get(pk=calendar.pk).schedule())


def test_a_french_calendar_stops_on_bastille_day() -> None:
    paris = office("Paris", zone="Europe/Paris", country="FR")
    monday_evening = datetime(2026, 7, 13, 17, 30, tzinfo=PARIS)

    assert an_hour_after(paris, monday_evening) == datetime(2026, 7, 15, 9, 30, tzinfo=PARIS)


def test_a_french_calendar_knows_the_holidays_of_years_nobody_typed_in() -> None:
    paris = office("Paris", zone="Europe/Paris", country="FR")
    # 14 July 2031 is a Monday; Friday evening's hour is due on Tuesday morning.
    friday_evening = datetime(2031, 7, 11, 17, 30, tzinfo=PARIS)

    assert an_hour_after(paris, friday_evening) == datetime(2031, 7, 15, 9, 30, tzinfo=PARIS)


def test_a_bavarian_calendar_stops_on_its_own_holidays_and_not_on_frances() -> None:
    munich = office("Munich", zone="Europe/Berlin", country="DE", subdivision="BY")
    berlin = office("Berlin", zone="Europe/Berlin", country="DE", subdivision="BE")

    # Epiphany (Tuesday 6 January 2026) and Corpus Christi (Thursday 4 June) are Bavarian holidays.
    assert an_hour_after(munich, datetime(2026, 1, 5, 17, 30, tzinfo=BERLIN)) == datetime(
        2026, 1, 7, 9, 30, tzinfo=BERLIN
    )
    assert an_hour_after(munich, datetime(2026, 6, 3, 17, 30, tzinfo=BERLIN)) == datetime(
        2026, 6, 5, 9, 30, tzinfo=BERLIN
    )
    # Berlin works on Corpus Christi, and Bavaria on Bastille Day.
    assert an_hour_after(berlin, datetime(2026, 6, 3, 17, 30, tzinfo=BERLIN)) == datetime(
        2026, 6, 4, 9, 30, tzinfo=BERLIN
    )
    assert an_hour_after(munich, datetime(2026, 7, 13, 17, 30, tzinfo=BERLIN)) == datetime(
        2026, 7, 14, 9, 30, tzinfo=BERLIN
    )


def test_company_days_stop_the_clock_beside_the_public_holidays() -> None:
    paris = office("Paris", zone="Europe/Paris", country="FR")
    CompanyDay.objects.create(calendar=paris, date=date(2026, 12, 24), name="Christmas Eve closure")
    wednesday_evening = datetime(2026, 12, 23, 17, 30, tzinfo=PARIS)

    # Thursday 24 is the company's, Friday 25 is Christmas, then the weekend.
    assert an_hour_after(paris, wednesday_evening) == datetime(2026, 12, 28, 9, 30, tzinfo=PARIS)
    schedule = Calendar.objects.get(pk=paris.pk).schedule()
    week = business_time_between(
        datetime(2026, 12, 21, 0, 0, tzinfo=PARIS), datetime(2026, 12, 28, 0, 0, tzinfo=PARIS), schedule
    )
    assert week == timedelta(hours=3 * 9)


def test_a_calendar_without_a_country_keeps_only_its_company_days() -> None:
    plain = office("Anywhere", zone="Europe/Paris", country="")

    assert an_hour_after(plain, datetime(2026, 7, 13, 17, 30, tzinfo=PARIS)) == datetime(
        2026, 7, 14, 9, 30, tzinfo=PARIS
    )


def test_the_schedule_is_built_once_per_calendar() -> None:
    paris = office("Paris", zone="Europe/Paris", country="FR")
    calendar = Calendar.objects.get(pk=paris.pk)

    with CaptureQueriesContext(connection) as first:
        schedule = calendar.schedule()
    with CaptureQueriesContext(connection) as again:
        assert calendar.schedule() is schedule

    assert len(first) == 2  # the working periods and the company days
    assert len(again) == 0


def test_a_prefetched_calendar_builds_its_schedule_without_a_query() -> None:
    office("Paris", zone="Europe/Paris", country="FR")
    calendar = Calendar.objects.prefetch_related("periods", "company_days").get(name="Paris")

    with CaptureQueriesContext(connection) as queries:
        calendar.schedule()

    assert len(queries) == 0


@pytest.mark.parametrize(
    ("country", "subdivision", "message"),
    [
        ("ZZ", "", "“ZZ” is not a country code the desk knows holidays for, such as FR or DE."),
        ("DE", "XX", "“XX” is not a subdivision of Germany; choose one of BB, BE, BW, BY,"),
        ("", "BY", "Choose a country for the subdivision, or leave both blank."),
    ],
)
def test_an_unknown_place_is_refused_with_what_to_choose(
    country: str, subdivision: str, message: str
) -> None:
    calendar = Calendar(name="Somewhere", time_zone="Europe/Paris", country=country, subdivision=subdivision)

    with pytest.raises(ValidationError) as error:
        calendar.full_clean()

    assert message in " ".join(error.value.messages)
