from __future__ import annotations

from typing import Any

from django import forms

from .models import ESSENTIAL_KINDS, OPTIONAL_KINDS, Kind


class PreferencesForm(forms.Form):
    enabled = forms.MultipleChoiceField(
        label="Email me when",
        choices=[(kind.value, kind.label) for kind in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, muted: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enabled"].initial = [kind.value for kind in OPTIONAL_KINDS if kind not in muted]

    @staticmethod
    def always_sent() -> list[str]:
        return [Kind(kind).label for kind in sorted(ESSENTIAL_KINDS)]
