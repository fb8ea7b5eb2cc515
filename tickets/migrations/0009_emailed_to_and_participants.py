from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_ticket_account_collaboration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="routingrule",
            name="emailed_to",
            field=models.ManyToManyField(
                blank=True,
                help_text="Mail that arrived at one of these queues' mailboxes. Leave empty for every request.",
                related_name="+",
                to="tickets.queue",
                verbose_name="emailed to",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="participants",
            field=models.ManyToManyField(
                blank=True, related_name="tickets_copied", to=settings.AUTH_USER_MODEL, verbose_name="copied people"
            ),
        ),
    ]
