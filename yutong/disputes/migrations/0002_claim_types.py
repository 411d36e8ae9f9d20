"""The claim-type dictionary. ``category`` drives the per-item final-award test (rules §1.4):
remuneration, compensation and damages items are final up to 12 x the monthly minimum wage;
working-time and social-insurance disputes are final regardless of amount."""

from django.db import migrations

CLAIM_TYPES = [
    ("wages", "拖欠工资", "remuneration"),
    ("overtime_pay", "加班费", "remuneration"),
    ("bonus", "奖金、津贴补贴", "remuneration"),
    ("leave_pay", "未休年休假工资", "remuneration"),
    ("economic_compensation", "解除或终止劳动合同经济补偿", "compensation"),
    ("notice_pay", "代通知金", "compensation"),
    ("non_compete_compensation", "竞业限制经济补偿", "compensation"),
    ("illegal_termination_damages", "违法解除或终止劳动合同赔偿金", "damages"),
    ("double_wages", "未签书面劳动合同二倍工资差额", "damages"),
    ("probation_damages", "违法约定试用期赔偿金", "damages"),
    ("additional_damages", "加付赔偿金（劳动合同法第八十五条）", "damages"),
    ("work_injury_medical", "工伤医疗费", "work_injury_medical"),
    ("working_time", "工作时间、休息休假争议", "working_time"),
    ("social_insurance", "社会保险待遇", "social_insurance"),
    ("confirm_relationship", "确认劳动关系", "other"),
    ("other", "其他", "other"),
]


def seed(apps, schema_editor):
    ClaimType = apps.get_model("disputes", "ClaimType")
    for sort, (code, name, category) in enumerate(CLAIM_TYPES, start=1):
        ClaimType.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "sort": sort}
        )


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
