"""The first configuration of the harmony app, all of it editable by the city administrator.

* Thresholds and the holding period from rules.md §9 ([S]: the 长寿区 notice of 2025-09-12
  citing 《重庆市和谐劳动关系企业评定管理办法》), the validity period and the two options as
  platform defaults — dated parameters, so a later value is added, never overwritten.
* Scoring items: the official table (《重庆市和谐劳动关系企业评价规范》) was not found; these
  follow the national model-enterprise criteria summarised in rules.md §9 and add up to 100.
* Veto items: the pattern of local schemes in rules.md §9.
* The application pack: the documents listed in rules.md §9.
* The health-check questionnaire: one theme per area the plan names, with the law it rests on.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PROGRAMME_START = date(2024, 1, 1)
NOTICE = "长寿区人力社保局通知（2025-09-12）引《重庆市和谐劳动关系企业评定管理办法》"
PARAMETERS = [
    ("harmony_grade_a_min_score", "80", NOTICE, "生效日期未核实"),
    ("harmony_grade_aa_min_score", "85", NOTICE, "生效日期未核实"),
    ("harmony_grade_aaa_min_score", "90", NOTICE, "生效日期未核实"),
    ("harmony_grade_holding_months", "12", NOTICE, "持有下一等级满一年"),
    ("harmony_grade_validity_months", "36", "平台默认值（未找到有效期规定）", "请核实后修改"),
    ("harmony_coverage_min_headcount", "1", "指标口径默认值（最低职工人数选项）", ""),
    ("harmony_health_guidance_score", "60", "平台默认值", "主题得分率低于该值时给出整改指导"),
]

ITEMS = [
    ("contracts", "劳动用工", "劳动合同订立与管理", "全员依法订立书面劳动合同，签订率100%", 15),
    ("wages", "劳动报酬", "工资支付", "按时足额支付工资，不低于最低工资标准，无拖欠", 15),
    (
        "hours",
        "工作时间",
        "工作时间和休息休假",
        "执行工时制度，加班依法支付报酬，落实带薪年休假",
        10,
    ),
    ("insurance", "社会保险", "社会保险参保缴费", "依法为全体职工参加社会保险并足额缴费", 15),
    ("safety", "劳动保护", "劳动安全卫生", "落实安全生产和职业病防治责任，近三年无较大事故", 10),
    (
        "bargaining",
        "集体协商",
        "集体协商和集体合同",
        "建立集体协商机制，集体合同（含工资专项）有效",
        10,
    ),
    ("democracy", "民主管理", "职工代表大会和厂务公开", "按期召开职工代表大会，推行厂务公开", 10),
    (
        "mediation",
        "争议处理",
        "劳动争议预防调解",
        "设立劳动争议调解委员会，制度健全，无群体性事件",
        5,
    ),
    ("training", "职工发展", "职业技能培训", "按规定提取使用职工教育经费，开展技能培训", 5),
    ("care", "企业文化", "人文关怀", "关心职工生活，开展心理疏导和文体活动", 5),
]

VETOES = [
    ("child_labour", "使用童工"),
    ("safety_accident", "发生重大安全生产责任事故或严重职业危害事故"),
    ("mass_incident", "因违反劳动保障法律法规引发群体性事件"),
    ("arrears", "拖欠职工工资、社会保险费或工会经费"),
    ("no_system", "未依法建立劳动合同、集体合同、职工代表大会或厂务公开制度"),
    ("credit_rating", "劳动保障守法诚信等级低于A级"),
]

DOCUMENTS = [
    ("application_form", "和谐劳动关系企业申报表", True),
    ("self_score_sheet", "自评打分表", True),
    ("statement", "承诺书（声明）", True),
    ("congress_review", "职工代表大会或全体职工大会审议情况报告", True),
    ("company_info", "企业基本情况表", True),
    ("contracts", "劳动合同及集体合同文本复印件", True),
    ("evidence", "各评分项目佐证材料", True),
    ("other", "其他材料", False),
]

LAW_DB = "https://flk.npc.gov.cn/"
YES_PARTLY_NO = [("是", 10), ("部分做到", 5), ("否", 0)]
THEMES = [
    (
        "contracts",
        "劳动合同",
        "自用工之日起一个月内与劳动者订立书面劳动合同；建立职工名册；解除或终止时出具证明并依法支付"
        "经济补偿。未订立书面合同的，自用工满一个月次日起应每月支付二倍工资。",
        "《劳动合同法》第七条、第十条、第八十二条",
        [
            "是否与全部职工订立了书面劳动合同？",
            "是否建立并及时更新职工名册？",
            "劳动合同期满续订或终止是否按规定办理并书面通知？",
        ],
    ),
    (
        "wages",
        "工资支付",
        "以货币形式按月足额支付工资，不得低于当地最低工资标准；制作并保存工资支付台账不少于三年；"
        "加班依法支付加班工资。",
        "《劳动法》第四十八条、第五十条；《保障农民工工资支付条例》第十五条",
        [
            "是否每月按时足额以货币形式支付工资？",
            "最低档工资是否不低于当地月最低工资标准？",
            "是否制作工资支付台账并保存三年以上？",
        ],
    ),
    (
        "hours",
        "工作时间",
        "执行每日不超过八小时、每周不超过四十小时的工时制度；延长工作时间须与工会和劳动者协商，"
        "每月不超过三十六小时；落实带薪年休假。",
        "《劳动法》第三十六条、第四十一条、第四十四条；《职工带薪年休假条例》",
        ["每月加班是否控制在三十六小时以内？", "是否安排职工享受带薪年休假？"],
    ),
    (
        "insurance",
        "社会保险",
        "自用工之日起三十日内为职工办理社会保险登记，按时足额缴纳五项社会保险费，不得以协议免除"
        "缴费义务。",
        "《社会保险法》第五十八条、第六十条",
        ["是否为全部职工参加了社会保险？", "社会保险费是否按实际工资基数足额缴纳？"],
    ),
    (
        "union",
        "工会组织",
        "会员二十五人以上的应建立基层工会委员会；按职工工资总额的百分之二拨缴工会经费；支持工会"
        "依法开展工作。",
        "《工会法》第十一条、第四十三条",
        ["是否依法建立工会组织？", "是否按规定拨缴工会经费？"],
    ),
    (
        "congress",
        "职代会与厂务公开",
        "建立以职工代表大会为基本形式的民主管理制度，涉及职工切身利益的规章制度和重大事项应经职代会"
        "或全体职工讨论；推行厂务公开。",
        "《劳动合同法》第四条；《企业民主管理规定》",
        ["规章制度是否经职工代表大会或全体职工讨论通过并公示？", "是否定期实行厂务公开？"],
    ),
    (
        "disputes",
        "争议预防调解",
        "设立劳动争议调解委员会或调解员，建立内部申诉和协商机制，及时化解劳动争议；发生集体争议"
        "时依法协商处理。",
        "《劳动争议调解仲裁法》第十条；《企业劳动争议协商调解规定》",
        ["是否设立劳动争议调解组织或配备调解员？", "近一年是否发生劳动争议仲裁或群体性事件？"],
    ),
]
# The second question of "disputes" is asked the other way round: "no" is the good answer.
REVERSED = {("disputes", 1)}


def seed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, value, source, note in PARAMETERS:
        DatedParameter.objects.get_or_create(
            code=code,
            unit=None,
            valid_from=PROGRAMME_START,
            defaults={"value": Decimal(value), "source": source, "note": note},
        )
    ScoringItem = apps.get_model("harmony", "ScoringItem")
    for order, (code, category, name, description, points) in enumerate(ITEMS, start=1):
        ScoringItem.objects.get_or_create(
            code=code,
            defaults={
                "category": category,
                "name": name,
                "description": description,
                "max_points": points,
                "order": order * 10,
            },
        )
    VetoItem = apps.get_model("harmony", "VetoItem")
    for order, (code, name) in enumerate(VETOES, start=1):
        VetoItem.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
    DocumentKind = apps.get_model("harmony", "DocumentKind")
    for order, (code, name, required) in enumerate(DOCUMENTS, start=1):
        DocumentKind.objects.get_or_create(
            code=code, defaults={"name": name, "is_required": required, "order": order * 10}
        )
    HealthTheme = apps.get_model("harmony", "HealthTheme")
    HealthQuestion = apps.get_model("harmony", "HealthQuestion")
    HealthOption = apps.get_model("harmony", "HealthOption")
    for order, (code, name, guidance, rule, questions) in enumerate(THEMES, start=1):
        theme, created = HealthTheme.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "order": order * 10,
                "guidance": guidance,
                "rule_reference": rule,
                "rule_url": LAW_DB,
            },
        )
        if not created:
            continue
        for number, text in enumerate(questions):
            question = HealthQuestion.objects.create(theme=theme, text=text, order=number * 10)
            options = YES_PARTLY_NO
            if (code, number) in REVERSED:
                options = [("否", 10), ("发生过争议仲裁", 5), ("发生过群体性事件", 0)]
            for n, (label, points) in enumerate(options):
                HealthOption.objects.create(question=question, text=label, points=points, order=n)


def unseed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    DatedParameter.objects.filter(
        code__in=[row[0] for row in PARAMETERS], unit=None, valid_from=PROGRAMME_START
    ).delete()
    for name in ("HealthOption", "HealthQuestion", "HealthTheme"):
        apps.get_model("harmony", name).objects.all().delete()
    for name in ("ScoringItem", "VetoItem", "DocumentKind"):
        apps.get_model("harmony", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("harmony", "0001_initial"), ("core", "0004_statutory_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
