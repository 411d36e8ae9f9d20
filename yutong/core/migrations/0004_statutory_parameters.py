"""Time limits and thresholds that the law fixes today, as dated parameters with their source.

Only rules marked confirmed ([C]) in the domain research are seeded; values whose effective date
is not confirmed (the minimum wage, the average wage) are left to the administrator.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

LAW_2008 = date(2008, 5, 1)  # 《劳动争议调解仲裁法》 in force
RULES_2017 = date(2017, 7, 1)  # 《劳动人事争议仲裁办案规则》 in force
INSPECTION_2004 = date(2004, 12, 1)  # 《劳动保障监察条例》 in force
INSPECTION_RULES_2005 = date(2005, 2, 1)  # 《关于实施〈劳动保障监察条例〉若干规定》 in force

VALUES = [
    ("mediation_days", LAW_2008, "15", "《劳动争议调解仲裁法》第十四条第三款"),
    ("arbitration_acceptance_days", LAW_2008, "5", "《劳动争议调解仲裁法》第二十九条"),
    ("arbitration_award_days", LAW_2008, "45", "《劳动争议调解仲裁法》第四十三条"),
    ("arbitration_extension_max_days", LAW_2008, "15", "《劳动争议调解仲裁法》第四十三条"),
    ("final_award_minimum_wage_multiple", LAW_2008, "12", "《劳动争议调解仲裁法》第四十七条"),
    ("inspection_working_days", INSPECTION_2004, "60", "《劳动保障监察条例》第十七条"),
    ("inspection_extension_working_days", INSPECTION_2004, "30", "《劳动保障监察条例》第十七条"),
    (
        "inspection_acceptance_working_days",
        INSPECTION_RULES_2005,
        "5",
        "《关于实施〈劳动保障监察条例〉若干规定》第十八条",
    ),
]


def seed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, valid_from, value, source in VALUES:
        DatedParameter.objects.get_or_create(
            code=code,
            unit=None,
            valid_from=valid_from,
            defaults={"value": Decimal(value), "source": source},
        )


def unseed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, valid_from, _, _ in VALUES:
        DatedParameter.objects.filter(code=code, unit=None, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_holiday_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
