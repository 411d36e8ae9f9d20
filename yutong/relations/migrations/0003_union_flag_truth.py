"""One truth for "已建工会": the registry's flag becomes a copy of the union records.

Before, the enterprise form and the import set the flag by hand while the union services set it
too, so the two disagreed. From here on only the union services write it; this migration makes
every existing flag agree with the records (an enterprise has a union in being, not dissolved).
"""

from django.db import migrations


def align_flags(apps, schema_editor):
    Enterprise = apps.get_model("registry", "Enterprise")
    Union = apps.get_model("relations", "Union")
    active = Union.objects.filter(dissolved_on__isnull=True).values("enterprise_id")
    Enterprise.objects.filter(union_established=True).exclude(pk__in=active).update(
        union_established=False
    )
    Enterprise.objects.filter(union_established=False, pk__in=active).update(union_established=True)


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0002_parameters"),
        ("registry", "0007_enterprise_history"),
    ]

    operations = [migrations.RunPython(align_flags, migrations.RunPython.noop)]
