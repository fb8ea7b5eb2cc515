from __future__ import annotations

from django import forms

from tickets.services.common import MESSAGE_MAX_CHARS


class TickForm(forms.Form):
    done = forms.BooleanField(required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label="Why it may be resolved anyway",
        max_length=300,
        error_messages={"required": "Say why the ticket may be resolved with these items open."},
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Holding statement",
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the company will post publicly. Someone other than you approves it before it goes out.",
        error_messages={"required": "Write the statement the company will publish."},
    )
