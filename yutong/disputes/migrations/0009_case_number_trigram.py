"""On PostgreSQL the global search finds an arbitration case by any part of its number
(``number LIKE '%…%'``) through a trigram index, instead of reading every case."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS arbitration_number_trgm ON disputes_arbitrationcase "
        "USING gin (number gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS arbitration_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("disputes", "0008_wage_parameters_calc")]
    operations = [migrations.RunPython(create, drop)]
