"""The calendar admin: public holidays chosen by country or region, company days added by hand."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sla.models import Calendar, CompanyDay

from ..conftest import Cast, client_for

NOVEMBER_2026 = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def calendar_form(place: str, *company_days: tuple[str, str]) -> dict[str, str]:
    data = {
        "name": "Munich office",
        "time_zone": "Europe/Berlin",
        "place": place,
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-weekday": "0",
        "periods-0-start": "09:00",
        "periods-0-end": "17:00",
        "company_days-TOTAL_FORMS": str(len(company_days)),
        "company_days-INITIAL_FORMS": "0",
    }
    for index, (day, name) in enumerate(company_days):
        data[f"company_days-{index}-date"] = day
        data[f"company_days-{index}-name"] = name
    return data


@pytest.fixture
def admin_client(cast: Cast) -> Client:
    return client_for(cast.admin)


def test_admin_sets_a_region_and_adds_a_company_day(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:sla_calendar_add"), calendar_form("DE-BY", ("2026-12-24", "Christmas Eve closure"))
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    calendar = Calendar.objects.get(name="Munich office")
    assert (calendar.country, calendar.subdivision) == ("DE", "BY")
    assert list(CompanyDay.objects.filter(calendar=calendar).values_list("date", "name")) == [
        (date(2026, 12, 24), "Christmas Eve closure")
    ]
    schedule = calendar.schedule()
    assert date(2026, 12, 24) in schedule.holidays  # the company's day
    assert date(2026, 1, 6) in schedule.holidays  # Epiphany, a Bavarian holiday
    assert date(2026, 7, 14) not in schedule.holidays  # Bastille Day is France's


def test_the_change_page_lists_this_years_public_holidays(admin_client: Client) -> None:
    calendar = Calendar.objects.create(
        name="Munich office", time_zone="Europe/Berlin", country="DE", subdivision="BY"
    )

    with time_machine.travel(NOVEMBER_2026, tick=False):
        page = admin_client.get(reverse("admin:sla_calendar_change", args=[calendar.pk])).content.decode()

    assert '<option value="DE-BY" selected>Germany, Bayern (DE-BY)</option>' in page
    assert "<li>Tue 6 Jan: Epiphany</li>" in page
    assert "<li>Thu 4 Jun: Corpus Christi</li>" in page
    assert "Bastille" not in page


def test_the_calendar_list_says_whose_holidays_each_keeps(admin_client: Client) -> None:
    Calendar.objects.create(name="Munich office", time_zone="Europe/Berlin", country="DE", subdivision="BY")

    page = admin_client.get(reverse("admin:sla_calendar_changelist")).content.decode()

    assert '<td class="field-public_holidays">DE-BY</td>' in page
    assert '<td class="field-public_holidays">FR</td>' in page  # the starting office calendar


def test_a_place_the_package_does_not_know_is_refused(admin_client: Client) -> None:
    response = admin_client.post(reverse("admin:sla_calendar_add"), calendar_form("DE-XX"))

    assert response.status_code == 200
    assert "Select a valid choice. DE-XX is not one of the available choices." in response.content.decode()
    assert not Calendar.objects.filter(name="Munich office").exists()


def test_no_public_holidays_leaves_only_company_days(admin_client: Client) -> None:
    admin_client.post(reverse("admin:sla_calendar_add"), calendar_form(""))

    calendar = Calendar.objects.get(name="Munich office")
    assert (calendar.country, calendar.subdivision) == ("", "")
    assert date(2026, 12, 25) not in calendar.schedule().holidays
