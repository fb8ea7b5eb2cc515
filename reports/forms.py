from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from tickets.models import Platform, Queue

from .periods import PRESETS, Period, period_for

MAX_DAYS = 366 * 2


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
        data = super().clean()
        if data.get("range") == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError("Choose both dates for a custom range.")
            if abs((data["end"] - data["start"]).days) > MAX_DAYS:
                raise forms.ValidationError("Choose a range of at most two years.")
        return data

    def period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        period = period_for(data.get("range") or "30d", today, data.get("start"), data.get("end"))
        return (
            period
            if period.last_day - period.first_day <= timedelta(days=MAX_DAYS)
            else period_for("30d", today)
        )
