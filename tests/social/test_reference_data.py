"""Company email joins the platforms, routed to IT: on a new desk by the seed, on a seeded one by a migration."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from tickets.models import Platform, RoutingRule, Ticket

from ..conftest import Cast
from ..factories import file_ticket

migration = import_module("social.migrations.0002_company_email_platform")


def test_company_email_problems_go_to_it(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, platform="company-email", problem="policy-etiquette")

    assert ticket.queue == cast.it


def test_a_hacked_company_mailbox_stays_urgent(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, platform="company-email", problem="compromised-account")

    assert (ticket.queue, ticket.priority) == (cast.it, Ticket.Priority.URGENT)


def test_the_migration_adds_the_platform_and_rule_to_a_seeded_desk(cast: Cast) -> None:
    RoutingRule.objects.filter(name=migration.RULE).delete()
    Platform.objects.filter(slug=migration.SLUG).delete()

    migration.add_company_email(apps, None)

    platform = Platform.objects.get(slug=migration.SLUG)
    assert list(Platform.objects.values_list("slug", flat=True))[-2:] == ["company-email", "other"]
    rule = RoutingRule.objects.get(name=migration.RULE)
    assert list(rule.platforms.all()) == [platform]
    urgent = RoutingRule.objects.filter(priority=Ticket.Priority.URGENT)
    assert all(r.position < rule.position for r in urgent)
    assert file_ticket(cast.employee, platform="company-email", problem="other").queue == cast.it


def test_the_migration_leaves_what_exists_alone(cast: Cast) -> None:
    Platform.objects.filter(slug=migration.SLUG).update(name="Mail", position=1)
    rules = RoutingRule.objects.count()

    migration.add_company_email(apps, None)

    assert Platform.objects.get(slug=migration.SLUG).name == "Mail"
    assert RoutingRule.objects.count() == rules
