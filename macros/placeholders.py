"""Placeholders in a macro's text, filled by plain substitution.

A macro's text is never rendered as a template: `{{ name }}` is looked up in a fixed table and
replaced by the value as text, so whatever an author writes, nothing in it is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

# name: what it becomes
PLACEHOLDERS: dict[str, str] = {
    "first_name": "the requester's first name",
    "reference": "the ticket's reference, such as SIT-1042",
    "queue": "the ticket's queue",
    "agent": "the name of the agent who applies the macro",
    "guide_link": "a link to the macro's guide",
}


def placeholders_help() -> str:
    return "Placeholders: " + ", ".join(
        f"{{{{{name}}}}} ({meaning})" for name, meaning in PLACEHOLDERS.items()
    )


def placeholders_check(text: str, *, has_guide: bool) -> None:
    """Refuse names the desk cannot fill, and braces left open, saying which."""
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        names = ", ".join(f"{{{{{name}}}}}" for name in unknown)
        known = ", ".join(f"{{{{{name}}}}}" for name in PLACEHOLDERS)
        raise ValidationError(f"Unknown placeholder {names}. Use only {known}.")
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise ValidationError(
            "A placeholder is not closed: write it as {{first_name}}, with two braces each side."
        )
    if not has_guide and "guide_link" in PLACEHOLDER.findall(text):
        raise ValidationError(
            "{{guide_link}} needs a guide: choose the macro's guide, or remove the placeholder."
        )


def placeholders_fill(text: str, values: Mapping[str, str]) -> str:
    # Checked at save; a name unknown here still comes out as written rather than failing the reply.
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
