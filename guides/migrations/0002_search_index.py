from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS guide_search ON guides_guide USING gin (search_vector)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS guide_search")


class Migration(migrations.Migration):
    """Full-text search index; SQLite has no tsvector and searches with LIKE."""

    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
