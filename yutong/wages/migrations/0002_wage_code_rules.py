"""The documented colour rules of the wage code (rules §10: no official rule exists, these are
ours; an administrator changes colour and threshold on 根治欠薪规则) and the settings row with
the [S] values of rules §4.3."""

from django.db import migrations

# code, colour, threshold, what the threshold means, description
RULES = [
    (
        "deposit",
        "yellow",
        20,
        "开工后的工作日数",
        "开工超过阈值个工作日仍未存储工资保证金（依规免缴的除外），或已存金额低于应存金额。",
    ),
    (
        "wage_account",
        "yellow",
        20,
        "开工后的工作日数",
        "开工超过阈值个工作日仍未登记农民工工资专用账户（条例第二十六条）。",
    ),
    (
        "real_name",
        "yellow",
        5,
        "开工后的工作日数",
        "开工超过阈值个工作日仍未登记落实实名制管理（条例第二十八条：进场前实名登记）。",
    ),
    (
        "bank_payroll",
        "yellow",
        20,
        "开工后的工作日数",
        "开工超过阈值个工作日仍未登记落实总包代发（条例第三十一条）。",
    ),
    (
        "notice_board",
        "yellow",
        5,
        "开工后的工作日数",
        "开工超过阈值个工作日仍未设置维权信息告示牌，或告示牌缺少条例第三十四条规定的内容。",
    ),
    (
        "missing_months",
        "yellow",
        1,
        "缺失的月数",
        "自开工月份至上月（竣工项目至竣工月份），未上传工资发放记录的月数达到阈值。",
    ),
    (
        "missing_months_severe",
        "red",
        3,
        "缺失的月数",
        "未上传工资发放记录的月数达到阈值（长期缺失，视为欠薪高风险）。",
    ),
    (
        "unpaid",
        "red",
        1,
        "人次",
        "已上传的工资发放记录中，实付低于应付（未发或少发）的人次达到阈值。",
    ),
    (
        "below_minimum",
        "yellow",
        1,
        "人次",
        "应付工资低于项目所在区县月最低工资标准（可按出勤天数折算）的人次达到阈值。",
    ),
    (
        "not_own_account",
        "yellow",
        1,
        "人次",
        "工资未发放至工人本人银行账户的人次达到阈值（条例第十一条、第三十一条）。",
    ),
    (
        "open_complaints",
        "red",
        1,
        "件数",
        "涉及本项目、正在办理的拖欠农民工工资投诉件数达到阈值。",
    ),
]


def seed(apps, schema_editor):
    rule_model = apps.get_model("wages", "WageCodeRule")
    meanings = {code: meaning for code, _, _, meaning, _ in RULES}
    for position, (code, colour, threshold, _, description) in enumerate(RULES):
        rule_model.objects.update_or_create(
            code=code,
            defaults={
                "colour": colour,
                "threshold": threshold,
                "threshold_meaning": meanings[code],
                "description": description,
                "position": position,
            },
        )
    apps.get_model("wages", "WageSettings").objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("wages", "WageCodeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("wages", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
