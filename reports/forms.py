from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from tickets.models import Platform, Queue

from .periods import PRESETS, Period, period_for

MAX_DAYS = 366 * 2
# A custom range lies between these: there is no data outside them, and far dates (year 9999)
# would break the day arithmetic.
FIRST_DAY = date(2000, 1, 1)
DAYS_AHEAD = 365
DATE_FIELDS = ("start", "end")


def latest_day(today: date) -> date:
    return today + timedelta(days=DAYS_AHEAD)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


class DashboardForm(forms.Form):
    """The dashboard's filters: every state is a URL a manager can bookmark or share."""

    range = forms.ChoiceField(choices=PRESETS, required=False, initial="30d")
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.all(), required=False, to_field_name="slug", empty_label="All queues"
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.all(), required=False, to_field_name="slug", empty_label="All platforms"
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The page shows the form's own errors above the filters: a date it can't read is
        # said there too, by the label the manager sees.
        unreadable = [f"“{self.fields[name].label}”" for name in DATE_FIELDS if name in self.errors]
        if unreadable:
            both = len(unreadable) > 1
            raise forms.ValidationError(
                f"{' and '.join(unreadable)} must be {'dates' if both else 'a date'} such as 2026-11-02; "
                f"choose {'them' if both else 'it'} in the calendar."
            )
        if data.get("range") == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError("Choose both dates for a custom range.")
            latest = latest_day(timezone.localdate())
            if not all(FIRST_DAY <= data[name] <= latest for name in DATE_FIELDS):
                raise forms.ValidationError(f"Choose dates between {_day(FIRST_DAY)} and {_day(latest)}.")
            if abs((data["end"] - data["start"]).days) > MAX_DAYS:
                raise forms.ValidationError("Choose a range of at most two years.")
        return data

    def problems(self) -> list[str]:
        """Every reason the filters were refused, in words, for answers that have no form to show."""
        problems = [str(error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name in self.fields and name not in DATE_FIELDS:  # the dates are restated above
                problems += [f"{self.fields[name].label or name.title()}: {error}" for error in errors]
        return problems

    def period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        period = period_for(data.get("range") or "30d", today, data.get("start"), data.get("end"))
        return (
            period
            if period.last_day - period.first_day <= timedelta(days=MAX_DAYS)
            else period_for("30d", today)
        )
