"""The checklists a desk starts with; `manage.py seed` loads them and leaves edited ones alone.

The hacked-account response follows the published recovery guidance: the Social Media
Cyber-Vandalism Toolkit (GSA, digital.gov) and the platforms' own pages for compromised
accounts. The order matters: whoever reads the recovery mailbox can take the account back,
so it is secured before the password is reset.
"""

from __future__ import annotations

from django.db import transaction

from tickets.models import Platform, ProblemType

from .models import ChecklistTemplate, Needs, TemplateItem, TemplateLink

HACKED = "Hacked account response"
HACKED_PROBLEM = "compromised-account"
HACKED_DESCRIPTION = (
    "Work down the list in order: the first five secure the account, the rest clean up and tell "
    "people. Note what you find (times, case numbers) in internal notes as you go."
)

# text, how, required, waits for, secures the account
HACKED_ITEMS: list[tuple[str, str, bool, str, bool]] = [
    (
        "Secure the recovery email first",
        "Change the password of the mailbox the platform sends recovery mail to and turn on its "
        "second factor: whoever reads that mailbox can take the account back.",
        True,
        Needs.NOTHING,
        True,
    ),
    (
        "Reset the account's password",
        "A long password never used before, kept only where the registry says the credentials live.",
        True,
        Needs.NOTHING,
        True,
    ),
    (
        "Sign out all sessions",
        "In the platform's security settings, end every active session and remove unknown devices.",
        True,
        Needs.NOTHING,
        True,
    ),
    (
        "Revoke connected apps",
        "Compare the platform's list of connected apps with the registry's; revoke every one you don't "
        "recognise, and update the password in the trusted ones that use it.",
        True,
        Needs.NOTHING,
        True,
    ),
    (
        "Check the recovery email, phone and second factor",
        "Each must be the company's and held by whom the registry names; set a second factor if there is "
        "none, preferably an authenticator app or a security key.",
        True,
        Needs.NOTHING,
        True,
    ),
    (
        "Pause scheduled posts",
        "In the scheduling tool and on the platform, so nothing goes out before the account is clean.",
        True,
        Needs.NOTHING,
        False,
    ),
    (
        "Review recent posts and messages; archive, then remove what the intruder posted",
        "Capture each post or message with its time and link for the record before deleting it.",
        True,
        Needs.NOTHING,
        False,
    ),
    (
        "Report the compromise to the platform",
        "Use the platform's own page for hacked accounts (linked above) and note the case number.",
        True,
        Needs.NOTHING,
        False,
    ),
    (
        "Publish the holding statement",
        "Once approved: post it from the account (or the company's other channels if it is still out of "
        "reach) so followers know what happened and what to ignore.",
        True,
        Needs.APPROVED_STATEMENT,
        False,
    ),
    (
        "Re-verify everyone with access",
        "Go through the account's access with its owner; revoke what is no longer needed and make sure "
        "each person still there has a second factor.",
        True,
        Needs.NOTHING,
        False,
    ),
    (
        "Write the after-action note",
        "How the intruder got in, how long each step took and what changes now, as an internal note.",
        True,
        Needs.NOTHING,
        False,
    ),
]

# label, address, platform slug or "" for every platform
HACKED_LINKS: list[tuple[str, str, str]] = [
    (
        "Social Media Cyber-Vandalism Toolkit (GSA)",
        "https://digital.gov/resources/prepare-recovery-respond-social-media-cyber-vandalism-toolkit/",
        "",
    ),
    (
        "X: help with a compromised account",
        "https://help.x.com/en/safety-and-security/x-account-compromised",
        "twitter-x",
    ),
    ("Meta: recover a hacked Facebook account or Page", "https://www.facebook.com/hacked", "facebook"),
    ("LinkedIn: compromised accounts", "https://www.linkedin.com/help/linkedin/answer/a1340402", "linkedin"),
]


@transaction.atomic
def checklists_load() -> None:
    """Create the hacked-account checklist if it is missing; an existing one is left as edited."""
    template, created = ChecklistTemplate.objects.get_or_create(
        name=HACKED, defaults={"description": HACKED_DESCRIPTION}
    )
    if not created:
        return
    template.problem_types.set(ProblemType.objects.filter(slug=HACKED_PROBLEM))
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            position=position * 10,
            text=text,
            help_text=how,
            required=required,
            needs=needs,
            secures=secures,
        )
        for position, (text, how, required, needs, secures) in enumerate(HACKED_ITEMS, start=1)
    )
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    TemplateLink.objects.bulk_create(
        TemplateLink(template=template, position=position, label=label, url=url, platform=platforms.get(slug))
        for position, (label, url, slug) in enumerate(HACKED_LINKS, start=1)
        if not slug or slug in platforms
    )
