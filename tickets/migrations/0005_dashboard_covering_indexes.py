from django.db import migrations, models

from tickets.migrations._operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY can't run inside a transaction.
    atomic = False

    dependencies = [("tickets", "0004_resolved_index")]

    operations = [
        AddIndexConcurrently(
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
    ]
