"""The thresholds and time limits of rules §7 (and the dispatch cap of §5) as dated parameters.

The confirmed rules ([C]) carry their article. The values the research could only give from
memory ([M]: the 100-employee "key enterprise", the workers' congress delegate numbers) are
seeded too, so that the lists work out of the box, with a note that says so: the city
administrator confirms or changes them on 时效参数.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

UNION_LAW = date(2001, 10, 27)  # 《工会法》 as amended in 2001 (25 members, 2% dues)
CONTRACT_RULES = date(2004, 5, 1)  # 《集体合同规定》 (劳动和社会保障部令第22号) in force
DISPATCH_RULES = date(2014, 3, 1)  # 《劳务派遣暂行规定》 in force
DEMOCRATIC_RULES = date(2012, 2, 13)  # 《企业民主管理规定》 (总工发〔2012〕12号)
PROGRAMME = date(2024, 1, 1)  # the 渝你同行 programme's first year (indicator definitions)
UNCONFIRMED = "[M] 未见法规原文，依研究笔记默认，请管理员核实"

VALUES = [
    (
        "union_committee_min_members",
        UNION_LAW,
        "25",
        "《工会法》第十一条；《重庆市工会条例》第九条",
        "",
    ),
    (
        "union_fulltime_staff_min_employees",
        UNION_LAW,
        "200",
        "《重庆市工会条例》第十三条（职工二百人以上的应当配备专职工会工作人员）",
        "施行日期取《工会法》2001 年修正日，待核实",
    ),
    (
        "union_dues_percent",
        UNION_LAW,
        "2",
        "《工会法》第四十三条；《重庆市工会条例》第三十六条",
        "",
    ),
    (
        "key_enterprise_min_employees",
        PROGRAMME,
        "100",
        "渝你同行指标口径：重点建会企业（百人以上企业）",
        UNCONFIRMED,
    ),
    ("collective_contract_min_years", CONTRACT_RULES, "1", "《集体合同规定》第三十八条", ""),
    ("collective_contract_max_years", CONTRACT_RULES, "3", "《集体合同规定》第三十八条", ""),
    (
        "collective_contract_renewal_months",
        CONTRACT_RULES,
        "3",
        "《集体合同规定》第三十八条；《重庆市集体合同条例》第二十四条",
        "",
    ),
    (
        "collective_contract_filing_days",
        CONTRACT_RULES,
        "10",
        "《集体合同规定》第四十二条；《重庆市集体合同条例》第二十八条",
        "",
    ),
    (
        "collective_contract_review_days",
        CONTRACT_RULES,
        "15",
        "《集体合同规定》第四十七条；《劳动合同法》第五十四条",
        "",
    ),
    (
        "collective_contract_publication_days",
        CONTRACT_RULES,
        "10",
        "《重庆市集体合同条例》第二十九条",
        "施行日期待核实",
    ),
    (
        "bargaining_reply_days",
        CONTRACT_RULES,
        "20",
        "《集体合同规定》第三十二条；《重庆市集体合同条例》第十九条",
        "",
    ),
    (
        "bargaining_suspension_max_days",
        CONTRACT_RULES,
        "30",
        "《重庆市集体合同条例》第二十二条",
        "施行日期待核实",
    ),
    ("congress_delegate_min_percent", DEMOCRATIC_RULES, "5", "《企业民主管理规定》", UNCONFIRMED),
    ("congress_delegate_min_count", DEMOCRATIC_RULES, "30", "《企业民主管理规定》", UNCONFIRMED),
    ("congress_sessions_per_year", DEMOCRATIC_RULES, "1", "《企业民主管理规定》", UNCONFIRMED),
    ("dispatch_cap_percent", DISPATCH_RULES, "10", "《劳务派遣暂行规定》第四条", ""),
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
    dependencies = [("relations", "0001_initial"), ("core", "0004_statutory_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
