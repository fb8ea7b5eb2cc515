"""The review checklist a content review starts with; `manage.py seed` loads it, edits stay."""

from __future__ import annotations

from django.db import transaction

from checklists.models import ChecklistTemplate, TemplateItem
from tickets.models import ProblemType

from .services import PROBLEM_TYPE

NAME = "Content review"
DESCRIPTION = "Read the latest version against each point before you decide. Admins edit this list."

# text, how
ITEMS: list[tuple[str, str]] = [
    ("Brand voice", "Sounds like the company: the tone guide's words, no jargon, no sarcasm."),
    ("Facts", "Figures, names, dates and claims are right and can be sourced."),
    ("No confidential information", "Nothing unannounced, internal, about customers or about colleagues."),
    (
        "Legal and disclosure",
        "Sponsorships and partnerships disclosed; rights to images and music; no promises.",
    ),
    ("Accessibility", "Every image has alt text; hashtags in CamelCase; no meaning carried by emoji alone."),
    (
        "Links work",
        "Each link opens the page meant, over https, with tracking parameters if the team uses them.",
    ),
    ("Right account", "The account fits the audience and the post; the publish time suits it."),
]


@transaction.atomic
def review_checklist_load() -> None:
    """Create the review checklist if it is missing; an existing one is left as edited."""
    template, created = ChecklistTemplate.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION}
    )
    if not created:
        return
    template.problem_types.set(ProblemType.objects.filter(slug=PROBLEM_TYPE))
    TemplateItem.objects.bulk_create(
        TemplateItem(template=template, position=position * 10, text=text, help_text=how, required=False)
        for position, (text, how) in enumerate(ITEMS, start=1)
    )
