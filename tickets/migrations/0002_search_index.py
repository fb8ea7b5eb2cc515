from django.db import migrations

# CONCURRENTLY, so building the index doesn't lock tickets_ticket against writes.
CREATE = "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_search ON tickets_ticket USING gin (search_vector)"
DROP = "DROP INDEX CONCURRENTLY IF EXISTS ticket_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """Full-text search index; SQLite has no tsvector and searches with LIKE."""

    # PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction.
    atomic = False

    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
