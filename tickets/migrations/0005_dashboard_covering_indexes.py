import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

OPEN = models.Q(("status__in", ["new", "open", "waiting_requester", "waiting_third_party"]))


def charge_past_entries(apps, schema_editor):
    """Time logged so far is charged to where its ticket is now: the best we know."""
    TimeEntry = apps.get_model("tickets", "TimeEntry")
    Ticket = apps.get_model("tickets", "Ticket")
    ticket = Ticket.objects.filter(pk=OuterRef("ticket_id"))
    TimeEntry.objects.update(
        queue_id=Subquery(ticket.values("queue_id")),
        platform_id=Subquery(ticket.values("platform_id")),
        department_id=Subquery(ticket.values("requester__department_id")),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0004_resolved_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="timeentry",
            name="queue",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tickets.queue"
            ),
        ),
        migrations.AddField(
            model_name="timeentry",
            name="platform",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tickets.platform"
            ),
        ),
        migrations.AddField(
            model_name="timeentry",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.department",
            ),
        ),
        migrations.RunPython(charge_past_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="timeentry",
            name="queue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tickets.queue"
            ),
        ),
        migrations.AlterField(
            model_name="timeentry",
            name="platform",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tickets.platform"
            ),
        ),
        migrations.RemoveIndex(model_name="ticket", name="ticket_open_by_queue"),
        migrations.RemoveIndex(model_name="ticket", name="ticket_resolved"),
        migrations.RemoveIndex(model_name="timeentry", name="time_entry_logged"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=OPEN,
                fields=["queue", "status"],
                include=["platform", "priority", "created_at", "assignee"],
                name="ticket_open_by_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", False)),
                fields=["resolved_at"],
                include=["queue", "platform", "assignee", "resolution_business"],
                name="ticket_resolved",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["created_at"],
                include=[
                    "queue",
                    "platform",
                    "problem_type",
                    "status",
                    "priority",
                    "reopen_count",
                    "sla_policy",
                    "sla_paused_at",
                    "first_response_business",
                    "first_response_at",
                    "first_response_warn_at",
                    "first_response_due_at",
                    "first_response_breached_at",
                    "resolved_at",
                    "resolution_warn_at",
                    "resolution_due_at",
                    "resolution_breached_at",
                ],
                name="ticket_report_created",
            ),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                fields=["logged_at"],
                include=["queue", "platform", "department", "minutes", "hourly_rate"],
                name="time_entry_logged",
            ),
        ),
    ]
