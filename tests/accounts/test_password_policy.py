"""The password policy (OWASP ASVS level 2): length over composition, no common passwords, no expiry."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..conftest import PASSWORD, Cast, client_for

CHANGE = reverse("accounts:password_change")


def change(client: Client, new: str) -> str:
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    if response.status_code == 302:
        return "changed"
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    "password",
    [
        "twelve chars",  # 12: the minimum
        "lowercase letters only here",  # no rule on character kinds
        "839201746352",  # digits only, but not a common run
        "ça va très bien, merci",  # any character, spaces included
        "x" * 63 + "y",
        "long passphrase " * 8,  # 128: the maximum
    ],
)
def test_a_long_enough_password_of_any_composition_is_accepted(cast: Cast, password: str) -> None:
    client = client_for(cast.employee)

    assert change(client, password) == "changed"
    cast.employee.refresh_from_db()
    assert cast.employee.check_password(password)


def test_eleven_characters_are_refused_with_the_minimum_named(cast: Cast) -> None:
    page = change(client_for(cast.employee), "eleven char")

    assert "This password is too short. It must contain at least 12 characters." in page


def test_more_than_128_characters_are_refused_with_the_maximum_named(cast: Cast) -> None:
    page = change(client_for(cast.employee), "long passphrase " * 8 + "!")

    assert "This password is too long. It must contain at most 128 characters." in page


@pytest.mark.parametrize("common", ["qwerty123456", "1q2w3e4r5t6y", "123456654321"])
def test_a_common_password_is_refused(cast: Cast, common: str) -> None:
    assert "This password is too common." in change(client_for(cast.employee), common)


def test_a_password_like_the_email_is_refused(cast: Cast) -> None:
    page = change(client_for(cast.employee), "erin.employee@example")

    assert "The password is too similar to the" in page


def test_the_form_explains_the_policy_before_anyone_types(cast: Cast) -> None:
    page = html.unescape(client_for(cast.employee).get(CHANGE).content.decode())

    assert "Your password must contain at least 12 characters." in page
    assert "Your password can be up to 128 characters long: a passphrase is welcome." in page
    assert "can’t be entirely numeric" not in page
    assert "Your password can’t be a commonly used password." in page


def test_the_help_has_no_composition_rule() -> None:
    assert not any("numeric" in text or "digit" in text for text in password_validators_help_texts())


def test_the_reset_form_applies_the_same_policy(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("short one", cast.employee)

    assert refused.value.messages == ["This password is too short. It must contain at least 12 characters."]


def test_a_password_never_expires(cast: Cast) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=800)):
        response = Client().post(
            reverse("accounts:login"), {"username": cast.employee.email, "password": PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == "/"
