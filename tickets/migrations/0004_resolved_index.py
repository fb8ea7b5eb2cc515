from django.conf import settings
from django.db import migrations, models

from tickets.migrations._operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY can't run inside a transaction.
    atomic = False

    dependencies = [
        ('sla', '0001_initial'),
        ('tickets', '0003_dashboards_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='ticket',
            index=models.Index(
                condition=models.Q(('resolved_at__isnull', False)),
                fields=['resolved_at'],
                include=['queue', 'platform', 'assignee', 'resolution_business'],
                name='ticket_resolved',
            ),
        ),
    ]
