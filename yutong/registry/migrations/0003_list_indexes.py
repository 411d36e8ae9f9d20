"""Indexes for the enterprise list at city scale (1.2 million rows); see docs/performance.md.

- (name, id) and (unit, name, id) now carry the list's filter columns (INCLUDE, PostgreSQL
  only; plain indexes on SQLite), so the page's ids are read from the index alone, however
  deep the page.
- (industry, employee_count) and (union_established, status) answer the city-wide counts.
- Duplicates go: the township index (the foreign key has one), the second USCC prefix index
  of 0002 (Django's unique field already has ``…_uscc_…_like``), and the ``_like`` twin
  of the phone hash index (hashes are only ever matched exactly).
"""

from django.db import migrations, models

import yutong.registry.models

FILTER_COLUMNS = (
    "township",
    "industry",
    "ownership",
    "employee_count",
    "status",
    "union_established",
)


def drop_duplicate_uscc_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enterprise_uscc_prefix")


def restore_duplicate_uscc_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS enterprise_uscc_prefix ON registry_enterprise "
            "(uscc varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_postgres_search_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="enterprise", name="enterprise_name"),
        migrations.RemoveIndex(model_name="enterprise", name="enterprise_unit_name"),
        migrations.RemoveIndex(model_name="enterprise", name="enterprise_township"),
        migrations.AlterField(
            model_name="enterprise",
            name="contact_phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=yutong.registry.models.CoveringIndex(
                fields=["name", "id"],
                covering=(*FILTER_COLUMNS, "unit"),
                name="enterprise_name_cover",
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=yutong.registry.models.CoveringIndex(
                fields=["unit", "name", "id"],
                covering=FILTER_COLUMNS,
                name="enterprise_unit_name_cover",
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["industry", "employee_count"], name="enterprise_industry_size"
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["union_established", "status"], name="enterprise_union_status"
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["contact_phone_hash"], name="enterprise_phone_hash"),
        ),
        migrations.RunPython(drop_duplicate_uscc_index, restore_duplicate_uscc_index),
    ]
