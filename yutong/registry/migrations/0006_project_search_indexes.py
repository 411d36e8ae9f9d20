"""On PostgreSQL, project name search (LIKE '%…%') needs a trigram index, as for enterprises."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS project_name_trgm ON registry_constructionproject "
        "USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS project_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_construction_projects")]
    operations = [migrations.RunPython(create, drop)]
