"""On PostgreSQL the guidance search (LIKE '%token%') uses a trigram index."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS arbitration_search_trgm ON disputes_arbitrationcase "
        "USING gin (search_text gin_trgm_ops) WHERE closed_on IS NOT NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS arbitration_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("disputes", "0003_search_text")]
    operations = [migrations.RunPython(create, drop)]
