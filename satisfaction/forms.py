from __future__ import annotations

from django import forms

from .models import SCORES
from .services import COMMENT_MAX_CHARS


class RatingForm(forms.Form):
    # Each score is its own submit button: one press rates, with the comment typed above it.
    score = forms.TypedChoiceField(
        choices=SCORES,
        coerce=int,
        error_messages={
            "required": "Choose a rating from 1 to 5.",
            "invalid_choice": "Choose a rating from 1 to 5.",
        },
    )
    comment = forms.CharField(
        label="Anything to tell us? (optional)",
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the comment to {COMMENT_MAX_CHARS:,} characters."},
    )
