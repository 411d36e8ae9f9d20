"""Chongqing's minimum wage (from 2008) and the compensation cap base, per year, with sources.

The claim calculator answers on a fresh install only if these exist (issue #12). The domain
research (rules §12) confirms none of the effective dates and only some of the values, so every
row says what is unconfirmed in its note ("待核实"), and the calculator's trace prints the note.
Districts' tiers are per-unit ``min_wage_tier`` rows the administrator keeps on the parameters
page (core.services.set_parameter audits each change); the published assignment was not found,
so the seeded tiers (main urban districts tier 1, the rest tier 2) are marked 待核实 as well.
Rows an administrator already set are left alone (get_or_create).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CITY_GOV = "重庆市人民政府关于调整全市最低工资标准的通知"
UNCONFIRMED = "待核实：数值与生效日期未经官方文件核对"
# (valid_from, tier 1, tier 2, source, note). Before 2012 Chongqing had more than two tiers;
# the two highest are kept as tier 1 and tier 2.
MINIMUM_WAGES = [
    (date(2008, 1, 1), "680", "630", CITY_GOV, UNCONFIRMED),
    (date(2010, 7, 1), "870", "810", CITY_GOV, UNCONFIRMED),
    (date(2012, 1, 1), "1050", "950", CITY_GOV, UNCONFIRMED),
    (date(2014, 1, 1), "1250", "1150", CITY_GOV, UNCONFIRMED),
    (date(2016, 1, 1), "1500", "1400", CITY_GOV, UNCONFIRMED),
    (date(2019, 1, 1), "1800", "1700", CITY_GOV, UNCONFIRMED),
    (
        date(2022, 4, 1),
        "2100",
        "2000",
        CITY_GOV,
        "待核实：数值与生效日期来自二手资料（rules §12 [M]）",
    ),
    (
        date(2025, 5, 1),
        "2330",
        "2200",
        "川渝最低工资标准联动调整报道（2025-05-14）",
        "待核实：数值有报道（rules §12 [S]），生效日期未确认",
    ),
]
STATS = "重庆市统计局、重庆市人力社保局公布的上年度城镇非私营单位在岗职工年平均工资"
CAP_NOTE = "待核实：按年平均工资÷12折算；封顶基数应为公布的全口径城镇单位就业人员月平均工资"
# Year of the statistic → yuan a year. Published around mid-year, so it serves from 1 July of
# the next year (date unconfirmed). Only 2022's figure is sourced (rules §12 [S]).
ANNUAL_AVERAGES = {
    2007: "23098",
    2008: "26985",
    2009: "30499",
    2010: "35326",
    2011: "40042",
    2012: "44498",
    2013: "50006",
    2014: "55588",
    2015: "60543",
    2016: "65545",
    2017: "70889",
    2018: "75713",
    2019: "83009",
    2020: "90209",
    2021: "99977",
    2022: "107008",
}
TIER1 = {
    *("500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112"),
    *("500000", "500113", "500157", "50Z001"),
}
TIER_SOURCE = "重庆市最低工资标准区县档次划分"
TIER_NOTE = "待核实：区县档次划分未找到公布文件，暂按主城区一档、其余二档"
CIVIL_CODE_201 = "《民法典》第二百零一条：按照年、月、日计算期间的，开始的当日不计入"


def rows(apps):
    OrgUnit = apps.get_model("core", "OrgUnit")
    for valid_from, tier1, tier2, source, note in MINIMUM_WAGES:
        yield "min_wage_monthly_tier1", None, valid_from, tier1, source, note
        yield "min_wage_monthly_tier2", None, valid_from, tier2, source, note
    for year, annual in ANNUAL_AVERAGES.items():
        monthly = (Decimal(annual) / 12).quantize(Decimal("0.01"))
        note = f"{year} 年年平均工资 {annual} 元；{CAP_NOTE}"
        yield "avg_wage_monthly_prev_year", None, date(year + 1, 7, 1), monthly, STATS, note
    yield "period_count_first_day", None, date(2021, 1, 1), "0", CIVIL_CODE_201, ""
    for unit in OrgUnit.objects.filter(level="district").exclude(code__in=TIER1):
        yield "min_wage_tier", unit, date(2008, 1, 1), "2", TIER_SOURCE, TIER_NOTE
    # The city row serves cases of the municipal commission (tier 1, like the main urban area).
    for unit in OrgUnit.objects.filter(code__in=TIER1):
        yield "min_wage_tier", unit, date(2008, 1, 1), "1", TIER_SOURCE, TIER_NOTE


def seed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, unit, valid_from, value, source, note in rows(apps):
        DatedParameter.objects.get_or_create(
            code=code,
            unit=unit,
            valid_from=valid_from,
            defaults={"value": Decimal(value), "source": source, "note": note},
        )


def unseed(apps, schema_editor):
    DatedParameter = apps.get_model("core", "DatedParameter")
    for code, unit, valid_from, _, source, _ in rows(apps):
        DatedParameter.objects.filter(
            code=code, unit=unit, valid_from=valid_from, source=source
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0007_extension_decided_on_clocks"),
        ("core", "0004_statutory_parameters"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
