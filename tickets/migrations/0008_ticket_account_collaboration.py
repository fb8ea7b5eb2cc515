import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from tickets.migrations._operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY can't run inside a transaction.
    atomic = False

    dependencies = [
        ("sla", "0003_office_calendar_in_france"),
        ("social", "0002_company_email_platform"),
        ("tickets", "0007_event_drop_summary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Collaboration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["added_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="ticket",
            name="account",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="social.companyaccount",
                verbose_name="registered account",
                db_index=False,
            ),
        ),
        AddIndexConcurrently(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("account__isnull", False)),
                fields=["account", "-created_at", "-id"],
                name="ticket_by_account",
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="queue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="collaborations", to="tickets.queue"
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="ticket",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="collaborations",
                to="tickets.ticket",
            ),
        ),
        migrations.AddIndex(
            model_name="collaboration",
            index=models.Index(fields=["queue", "ticket"], name="collaboration_by_queue"),
        ),
        migrations.AddConstraint(
            model_name="collaboration",
            constraint=models.UniqueConstraint(
                fields=("ticket", "queue"), name="one_collaboration_per_queue"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("filed", "Filed"),
                    ("routed", "Routed"),
                    ("assigned", "Assigned"),
                    ("transferred", "Transferred"),
                    ("time_logged", "Time logged"),
                    ("status", "Status changed"),
                    ("priority", "Priority changed"),
                    ("replied", "Public reply"),
                    ("noted", "Internal note"),
                    ("sla", "SLA clock"),
                    ("sla_warning", "SLA warning"),
                    ("sla_breach", "SLA breach"),
                    ("collaborating", "Queue joined"),
                    ("checklist_added", "Checklist attached"),
                    ("checklist_ticked", "Checklist item"),
                    ("checklist_waived", "Checklist waived"),
                    ("statement", "Holding statement"),
                ],
                max_length=24,
            ),
        ),
    ]
