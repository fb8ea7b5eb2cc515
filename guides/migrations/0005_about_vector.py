import django.contrib.postgres.search
from django.db import migrations

# What guides.search.search_vector_refresh writes, for the guides saved before the column.
FILL = """
UPDATE guides_guide SET about_vector =
    setweight(to_tsvector('english', left(title, 50000)), 'A')
    || setweight(to_tsvector('english', left(summary, 50000)), 'B')
    || setweight(to_tsvector('simple', left(search_terms, 50000)), 'B')
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)
        schema_editor.execute("CREATE INDEX IF NOT EXISTS guide_about ON guides_guide USING gin (about_vector)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS guide_about")


class Migration(migrations.Migration):
    dependencies = [("guides", "0004_policy_confirmation")]

    operations = [
        migrations.AddField(
            model_name="guide",
            name="about_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, drop, elidable=False),
    ]
