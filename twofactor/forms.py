from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core import signing

from accounts.models import User

from .services import code_normalise

# The key being set up travels with the form, signed, so that showing the page stores nothing.
PENDING_KEY_SALT = "twofactor.enrol"
PENDING_KEY_MAX_AGE = 30 * 60
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def app_code_field() -> forms.CharField:
    return forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": "Type the 6-digit code your authenticator app shows."},
    )


def clean_app_code(value: str) -> str:
    code = code_normalise(value)
    if not (code.isdigit() and len(code) == 6):
        raise forms.ValidationError("The code is 6 digits, as your authenticator app shows it.")
    return code


class AppCodeForm(forms.Form):
    code = app_code_field()

    def clean_code(self) -> str:
        return clean_app_code(self.cleaned_data["code"])


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Recovery code",
        max_length=20,
        help_text="One of the ten codes you saved when you set up two-factor sign-in. Each works once.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
        error_messages={"required": "Type one of your recovery codes."},
    )

    def clean_recovery_code(self) -> str:
        code = code_normalise(self.cleaned_data["recovery_code"])
        if not RECOVERY_CODE.fullmatch(code):
            raise forms.ValidationError("A recovery code is 8 letters and digits, such as abcd 2345.")
        return code


def pending_key_sign(*, user: User, key: str) -> str:
    return signing.dumps({"user": user.pk, "key": key}, salt=PENDING_KEY_SALT)


class EnrolForm(forms.Form):
    code = app_code_field()
    pending = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def pending_key(self) -> str | None:
        """The key this page showed, if it was shown to this person in the last half hour."""
        try:
            pending = signing.loads(
                self.data.get("pending", ""), salt=PENDING_KEY_SALT, max_age=PENDING_KEY_MAX_AGE
            )
        except signing.BadSignature:
            return None
        if not isinstance(pending, dict) or pending.get("user") != self.user.pk:
            return None
        return str(pending.get("key", "")) or None

    def clean_code(self) -> str:
        return clean_app_code(self.cleaned_data["code"])
