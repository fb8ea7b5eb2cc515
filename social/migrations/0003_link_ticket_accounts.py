"""Tickets filed before the registry name their account in free text: link those that match.

A ticket's text matches an account of the ticket's own platform when, ignoring case, an "@"
in front, the scheme, "www." and a trailing slash, it equals the account's handle, name or
address. Text that matches no account, or more than one, stays as it is, unlinked; the text
itself is never changed.
"""

import re

from django.db import migrations
from django.db.models.functions import Lower, Trim


def key(text):
    text = text.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text).rstrip("/")
    return text.lstrip("@").strip()


def link(apps, schema_editor):
    CompanyAccount = apps.get_model("social", "CompanyAccount")
    Ticket = apps.get_model("tickets", "Ticket")
    accounts_by_key = {}
    for account in CompanyAccount.objects.all():
        for value in {account.name, account.handle, account.url}:
            if value and key(value):
                accounts_by_key.setdefault((account.platform_id, key(value)), set()).add(account.pk)
    if not accounts_by_key:
        return
    unlinked = Ticket.objects.filter(account__isnull=True).exclude(company_account="")
    texts = (
        unlinked.annotate(text=Lower(Trim("company_account")))
        .values_list("platform_id", "text")
        .order_by()
        .distinct()
    )
    matches = {}
    for platform_id, text in texts.iterator():
        found = accounts_by_key.get((platform_id, key(text)), set())
        if len(found) == 1:
            matches.setdefault((platform_id, found.pop()), []).append(text)
    for (platform_id, account_id), written in matches.items():
        unlinked.annotate(text=Lower(Trim("company_account"))).filter(
            platform_id=platform_id, text__in=written
        ).update(account_id=account_id)


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0002_company_email_platform"),
        ("tickets", "0008_ticket_account_collaboration"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
