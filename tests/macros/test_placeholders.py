"""Placeholders are filled by lookup, never evaluated; what can't be filled is refused at save."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from macros.models import Macro
from macros.placeholders import placeholders_check, placeholders_fill

from ..conftest import Cast

VALUES = {"first_name": "Erin", "reference": "SIT-7", "queue": "IT", "agent": "Ian", "guide_link": ""}


def test_known_names_are_filled_with_or_without_spaces() -> None:
    assert (
        placeholders_fill("Hi {{first_name}}, {{ reference }} ({{queue}})", VALUES) == "Hi Erin, SIT-7 (IT)"
    )


def test_a_value_that_looks_like_a_placeholder_is_not_filled_again() -> None:
    assert placeholders_fill("Hi {{first_name}}", {"first_name": "{{agent}}"}) == "Hi {{agent}}"


@pytest.mark.parametrize(
    "text",
    [
        "{{ ticket.requester.password }}",
        "{{first_name|safe}}",
        "{{ settings.SECRET_KEY }}",
        "{{0.__class__}}",
    ],
)
def test_template_expressions_are_refused_by_name(text: str) -> None:
    with pytest.raises(ValidationError, match="Unknown placeholder") as refusal:
        placeholders_check(text, has_guide=False)
    assert (
        "Use only {{first_name}}, {{reference}}, {{queue}}, {{agent}}, {{guide_link}}."
        in refusal.value.messages[0]
    )


@pytest.mark.parametrize("text", ["Hi {{first_name", "Hi first_name}}", "{{ {{first_name}} }}"])
def test_braces_left_open_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="not closed"):
        placeholders_check(text, has_guide=False)


def test_template_tags_are_plain_text() -> None:
    text = "{% load static %}{% debug %} Hi {{first_name}}"
    placeholders_check(text, has_guide=False)
    assert placeholders_fill(text, VALUES) == "{% load static %}{% debug %} Hi Erin"


def test_a_guide_link_needs_a_guide() -> None:
    with pytest.raises(ValidationError, match="choose the macro's guide"):
        placeholders_check("Read {{guide_link}}", has_guide=False)
    placeholders_check("Read {{guide_link}}", has_guide=True)


@pytest.mark.django_db
def test_a_macro_with_an_unknown_placeholder_is_refused_field_by_field(cast: Cast) -> None:
    bad = Macro(name="Typo", queue=cast.it, reply="Hi {{firstname}}", note="See {{link}}")

    with pytest.raises(ValidationError) as refusal:
        bad.full_clean()

    assert set(refusal.value.message_dict) == {"reply", "note"}
    assert "Unknown placeholder {{firstname}}." in refusal.value.message_dict["reply"][0]


@pytest.mark.django_db
def test_a_macro_that_does_nothing_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Write a reply or a note, or choose at least one action"):
        Macro(name="Empty", queue=cast.it).full_clean()


@pytest.mark.django_db
def test_a_macro_is_personal_or_shared_not_both(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="either personal"):
        Macro(name="Both", queue=cast.it, owner=cast.it_agent, reply="Hi").full_clean()
