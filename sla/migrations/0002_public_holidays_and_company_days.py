"""Public holidays come from the holidays package for a calendar's country and subdivision;
the days typed in by hand become company days.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="holiday", name="one_holiday_a_day"),
        migrations.RenameModel(old_name="Holiday", new_name="CompanyDay"),
        migrations.AlterField(
            model_name="companyday",
            name="calendar",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="company_days", to="sla.calendar"
            ),
        ),
        migrations.AddConstraint(
            model_name="companyday",
            constraint=models.UniqueConstraint(fields=("calendar", "date"), name="one_company_day_a_day"),
        ),
        migrations.AddField(
            model_name="calendar",
            name="country",
            field=models.CharField(
                blank=True,
                help_text="Whose public holidays stop the clock, as a two-letter code such as FR or DE; blank for none.",
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="calendar",
            name="subdivision",
            field=models.CharField(
                blank=True,
                help_text="A state or region with holidays of its own, such as BY (Bavaria) in DE; blank for the whole country.",
                max_length=20,
            ),
        ),
    ]
