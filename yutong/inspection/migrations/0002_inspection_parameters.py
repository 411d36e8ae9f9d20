"""Settings of the inspection rules as dated parameters (the administrator changes them on
时效参数). Rules marked [M] or [S] in the domain research are seeded with their default and say
so in the note; the law's confirmed values cite their article."""

from datetime import date
from decimal import Decimal

from django.db import migrations

INSPECTION_2004 = date(2004, 12, 1)  # 《劳动保障监察条例》
INSPECTION_RULES_2005 = date(2005, 2, 1)  # 《关于实施〈劳动保障监察条例〉若干规定》
RATING_2017 = date(2017, 1, 1)  # 《企业劳动保障守法诚信等级评价办法》 (人社部规〔2016〕1号)
BLACKLIST_2022 = date(2022, 1, 1)  # 人社部令第45号
UNCONFIRMED = "默认值，待核实原文后由管理员确认"

VALUES = [
    (
        "inspection_min_inspectors",
        INSPECTION_RULES_2005,
        "2",
        "《关于实施〈劳动保障监察条例〉若干规定》",
        UNCONFIRMED,
    ),
    ("inspection_lookback_years", INSPECTION_2004, "2", "《劳动保障监察条例》第二十条", ""),
    (
        "compliance_c_min_handled",
        RATING_2017,
        "3",
        "《企业劳动保障守法诚信等级评价办法》",
        UNCONFIRMED,
    ),
    (
        "compliance_c_mass_incident",
        RATING_2017,
        "1",
        "《企业劳动保障守法诚信等级评价办法》",
        UNCONFIRMED,
    ),
    (
        "compliance_c_child_forced_labour",
        RATING_2017,
        "1",
        "《企业劳动保障守法诚信等级评价办法》",
        UNCONFIRMED,
    ),
    (
        "compliance_c_refused_order",
        RATING_2017,
        "1",
        "《企业劳动保障守法诚信等级评价办法》",
        UNCONFIRMED,
    ),
    (
        "compliance_c_obstruction",
        RATING_2017,
        "1",
        "《企业劳动保障守法诚信等级评价办法》",
        UNCONFIRMED,
    ),
    ("compliance_c_police", RATING_2017, "1", "《企业劳动保障守法诚信等级评价办法》", UNCONFIRMED),
    (
        "blacklist_term_years",
        BLACKLIST_2022,
        "3",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        UNCONFIRMED,
    ),
    (
        "blacklist_early_removal_months",
        BLACKLIST_2022,
        "6",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        UNCONFIRMED,
    ),
]


def seed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, valid_from, value, source, note in VALUES:
        DatedParameter.objects.get_or_create(
            code=code,
            unit=None,
            valid_from=valid_from,
            defaults={"value": Decimal(value), "source": source, "note": note},
        )


def unseed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, valid_from, *_ in VALUES:
        DatedParameter.objects.filter(code=code, unit=None, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial"), ("core", "0004_statutory_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
