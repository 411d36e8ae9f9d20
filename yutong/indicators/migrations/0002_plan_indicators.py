"""Seed the six indicators with their default settings and the plan's city-wide targets."""

from django.db import migrations


def seed(apps, schema_editor):
    from yutong.indicators.definitions import DEFINITIONS

    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "IndicatorTarget")
    for definition in DEFINITIONS:
        indicator, _ = Indicator.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "kind": definition.kind,
                "description": definition.description,
                "options": definition.defaults(),
                "sort": definition.sort,
            },
        )
        for year, value in definition.targets.items():
            Target.objects.update_or_create(
                indicator=indicator,
                unit=None,
                year=year,
                defaults={"value": value, "note": "《渝你同行》三年行动主要指标"},
            )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
