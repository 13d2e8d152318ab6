"""Dossier events are append-only in the database too, not only in the code and the admin:
an UPDATE is refused on every database, a DELETE on PostgreSQL (SQLite's test teardown empties
tables with DELETE, PostgreSQL's with TRUNCATE, which row triggers do not see)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER dossier_event_no_update BEFORE UPDATE ON dossiers_dossierevent
       BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS dossier_event_no_update;"]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION dossier_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'dossier events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER dossier_event_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent
       FOR EACH ROW EXECUTE FUNCTION dossier_event_append_only();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS dossier_event_append_only ON dossiers_dossierevent;",
    "DROP FUNCTION IF EXISTS dossier_event_append_only();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_event_action_extend")]
    operations = [migrations.RunPython(forwards, backwards)]
