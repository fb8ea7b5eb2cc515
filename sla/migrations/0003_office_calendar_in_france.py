"""The starting office calendar keeps France's holidays: it gets the country FR, and its
typed-in days that are French public holidays go, since the holidays package now provides them.

Apart from the schema change before it, so that PostgreSQL has no pending trigger events
when a rollback alters the table.
"""

import holidays
from django.db import migrations

OFFICE_HOURS = "Office hours (Paris)"


def public_holidays(country, subdivision, years):
    return holidays.country_holidays(country, subdiv=subdivision or None, years=years, language="en_US")


def office_calendar_to_france(apps, schema_editor):
    Calendar = apps.get_model("sla", "Calendar")
    CompanyDay = apps.get_model("sla", "CompanyDay")
    office = Calendar.objects.filter(name=OFFICE_HOURS, country="").first()
    if office is None:
        return
    office.country = "FR"
    office.save(update_fields=["country"])
    days = CompanyDay.objects.filter(calendar=office)
    france = public_holidays("FR", "", sorted({day.date.year for day in days}))
    CompanyDay.objects.filter(pk__in=[day.pk for day in days if day.date in france]).delete()


def public_holidays_to_rows(apps, schema_editor):
    """Going back: each calendar's public holidays of this year and the next become typed-in days."""
    from django.utils import timezone

    Calendar = apps.get_model("sla", "Calendar")
    CompanyDay = apps.get_model("sla", "CompanyDay")
    year = timezone.localdate().year
    for calendar in Calendar.objects.exclude(country=""):
        for day, name in public_holidays(calendar.country, calendar.subdivision, [year, year + 1]).items():
            CompanyDay.objects.get_or_create(calendar=calendar, date=day, defaults={"name": name[:100]})


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0002_public_holidays_and_company_days"),
    ]

    operations = [
        migrations.RunPython(office_calendar_to_france, public_holidays_to_rows),
    ]
