from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User

from .models import ESSENTIAL_KINDS, Kind, kinds_reaching

# One kind reaches staff in two ways: about their own request, and when a requester resolves or
# reopens a ticket they work. Requesters only ever get the first.
STAFF_LABELS = {
    Kind.STATUS_CHANGED: "The status of your request changed, or a requester resolved or reopened a ticket you work",
}


class PreferencesForm(forms.Form):
    """The emails a person may turn off: only those that can reach them."""

    enabled = forms.MultipleChoiceField(
        label="Email me when", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, user: User, muted: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reaching = kinds_reaching(user)
        labels = STAFF_LABELS if user.is_desk_user else {}
        self.offered = [kind for kind in reaching if kind not in ESSENTIAL_KINDS]
        self.always = [kind for kind in reaching if kind in ESSENTIAL_KINDS]
        field = self.fields["enabled"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind.value, labels.get(kind, kind.label)) for kind in self.offered]
        field.initial = [kind.value for kind in self.offered if kind not in muted]

    def always_sent(self) -> list[str]:
        return [kind.label for kind in self.always]
