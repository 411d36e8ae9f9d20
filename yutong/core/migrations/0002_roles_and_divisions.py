from django.db import migrations


def seed(apps, schema_editor):
    from yutong.core.divisions import load_divisions
    from yutong.core.roles import ROLE_NAMES

    Role = apps.get_model("core", "Role")
    for code, name in ROLE_NAMES.items():
        Role.objects.update_or_create(code=code, defaults={"name": name})

    OrgUnit = apps.get_model("core", "OrgUnit")
    load_divisions(OrgUnit)
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    for unit in units.values():
        parent = units.get(unit.parent_id)
        unit.path = (f"{parent.code}/" if parent else "") + f"{unit.code}/"
        node = unit
        while node.successor_id:
            node = units[node.successor_id]
        unit.current_id = node.pk
        unit.save(update_fields=["path", "current"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
