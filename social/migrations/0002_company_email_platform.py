"""Company email (hosted mail such as Yahoo Small Business mail) joins the platforms, routed to IT.

On a desk already seeded only: a new database gets both from `manage.py seed`
(tickets/reference_data.py), which this leaves alone. What an administrator already shaped is
kept: an existing platform or rule of that name is not touched.
"""

from django.db import migrations

SLUG = "company-email"
RULE = "Company email goes to IT"
URGENT = 4


def add_company_email(apps, schema_editor):
    Platform = apps.get_model("tickets", "Platform")
    Queue = apps.get_model("tickets", "Queue")
    RoutingRule = apps.get_model("tickets", "RoutingRule")
    if not Platform.objects.exists():
        return
    other = Platform.objects.filter(slug="other").first()
    # Ties sort by name: at Other's position, Company email comes just before it.
    position = other.position if other else Platform.objects.count()
    platform, _ = Platform.objects.get_or_create(slug=SLUG, defaults={"name": "Company email", "position": position})
    it = Queue.objects.filter(slug="it").first()
    if it is None or not RoutingRule.objects.exists() or RoutingRule.objects.filter(name=RULE).exists():
        return
    # After the urgent rules (a hacked mailbox stays urgent), before every other.
    first_other = RoutingRule.objects.exclude(priority=URGENT).order_by("position").first()
    rule = RoutingRule.objects.create(
        name=RULE, position=max(first_other.position - 1, 0) if first_other else 0, queue=it, priority=2
    )
    rule.platforms.add(platform)


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0001_registry"),
        ("tickets", "0005_dashboard_covering_indexes"),
    ]

    operations = [migrations.RunPython(add_company_email, migrations.RunPython.noop)]
