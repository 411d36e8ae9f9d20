"""On PostgreSQL the global search finds an inspection case by any part of its number
(``number LIKE '%…%'``) through a trigram index, instead of reading every case."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS inspection_number_trgm ON inspection_inspectioncase "
        "USING gin (number gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS inspection_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("inspection", "0003_extension_decided_on_clocks")]
    operations = [migrations.RunPython(create, drop)]
