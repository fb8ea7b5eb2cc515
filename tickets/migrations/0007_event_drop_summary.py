from django.db import migrations


class Migration(migrations.Migration):
    """After 0006 moved what they said into payloads: the sentence is written when shown."""

    dependencies = [("tickets", "0006_event_payload")]

    operations = [
        migrations.RemoveField(model_name="event", name="changes"),
        migrations.RemoveField(model_name="event", name="summary"),
    ]
