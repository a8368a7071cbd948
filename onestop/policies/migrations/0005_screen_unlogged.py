"""The screening table is derived data, rebuilt by every matching run: on PostgreSQL it is
UNLOGGED (no write-ahead log; emptied after a server crash, refilled by the next run)."""

from django.db import migrations


def unlogged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE policies_enterprisescreen SET UNLOGGED")


def logged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE policies_enterprisescreen SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("policies", "0004_derived_matches")]

    operations = [migrations.RunPython(unlogged, logged)]
