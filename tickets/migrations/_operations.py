"""Migration operations shared by this app's migrations (the leading underscore keeps the
migration loader from reading this module as a migration)."""

from django.contrib.postgres import operations as postgres
from django.db import migrations


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    """Build the index without blocking writes on PostgreSQL; a plain AddIndex elsewhere.

    The big tables take writes all day, and CREATE INDEX locks them out until it ends.
    PostgreSQL's own operation passes `concurrently` to a schema editor that SQLite's lacks,
    so on SQLite (the embedded default) this falls back to an ordinary index. A migration
    using it sets `atomic = False`: PostgreSQL refuses CONCURRENTLY inside a transaction.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
