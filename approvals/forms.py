from __future__ import annotations

from django import forms

from .services import REASON_MAX_CHARS


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional when you approve; the reason is required when you reject. The requester reads it.",
    )

    @property
    def approves(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class AbsenceForm(forms.Form):
    until = forms.DateField(
        label="Away until (last day)",
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control", "aria-describedby": "until-help"},
            format="%Y-%m-%d",
        ),
        help_text="Requests asked of you meanwhile go to your stand-in. Leave empty when you are back.",
    )
