"""The six indicators of the plan as the platform first knows them: names, kinds, the options an
administrator may change (indicators.md: every *(option)* is a setting) and the plan's targets.

These are the defaults a migration seeds; after that the rows in ``Indicator`` and
``IndicatorTarget`` are the truth, and every computed value names the settings it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FLOW, STOCK = "flow", "stock"


@dataclass(frozen=True)
class Option:
    name: str
    label: str
    kind: str  # "bool", "int", "decimal", "choice"
    default: object
    choices: tuple[tuple[str, str], ...] = ()
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    help: str = ""


ROUNDING = Option(
    "rounding",
    "取舍方式",
    "choice",
    "round",
    choices=(("round", "四舍五入"), ("truncate", "截断")),
    help="部分统计口径截断而非四舍五入（rules §2）。",
)
DECIMALS = Option("decimals", "保留小数位", "int", 2, minimum=1, maximum=2)
AT_RISK_MARGIN = Option(
    "at_risk_margin",
    "预警区间（百分点）",
    "decimal",
    "2.00",
    minimum=Decimal(0),
    maximum=Decimal(50),
    help="低于目标但差距在此区间内（或期间尚未结束）为“有风险”，否则为“未达标”。",
)
CARRIED_OVER = Option(
    "include_carried_over",
    "分母含上期未结案件",
    "bool",
    True,
    help="关闭后分母只含本期受理案件，比率可能超过 100%。",
)

COMMON = (ROUNDING, DECIMALS, AT_RISK_MARGIN)


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    kind: str
    description: str
    options: tuple[Option, ...]
    targets: dict[int, Decimal]
    sort: int

    def defaults(self) -> dict:
        return {option.name: option.default for option in self.options}


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "harmony_coverage",
        "和谐劳动关系创建活动企业及工业园区覆盖率",
        STOCK,
        "期末已纳入创建活动的企业和工业园区 ÷ 期末范围内的企业和工业园区。范围内企业：存续经营"
        "且职工人数不低于下限（时效参数 harmony_coverage_min_headcount）；"
        "企业单独创建或被镇街、园区、行业区域性创建覆盖即为已覆盖；"
        "园区以园区名义创建即为已覆盖。",
        # The headcount floor is the harmony app's dated parameter
        # (harmony_coverage_min_headcount), so the coverage page and the indicator agree.
        (Option("include_parks", "计入工业园区", "bool", True), *COMMON),
        {2024: Decimal("50"), 2025: Decimal("60"), 2026: Decimal("70")},
        1,
    ),
    Definition(
        "arbitration_closure",
        "劳动人事争议仲裁结案率",
        FLOW,
        "期内仲裁结案数 ÷（期初未结案件数 + 期内受理案件数）。结案含裁决、仲裁调解及撤回、"
        "按撤回处理、撤销案件、终止审理。",
        (CARRIED_OVER, *COMMON),
        {2024: Decimal("95"), 2025: Decimal("96"), 2026: Decimal("97")},
        2,
    ),
    Definition(
        "mediation_success",
        "劳动人事争议调解成功率",
        FLOW,
        "期内调解成功数 ÷（期内调解结案数 + 裁决结案数）。调解成功：调解组织达成协议或和解，"
        "以及仲裁以调解书结案；调解结案另含未达成协议。撤回等其他结案默认不计入分母。",
        (
            Option("include_arbitral_mediation", "计入仲裁调解", "bool", True),
            Option(
                "include_other_closures",
                "分母计入撤回等其他结案",
                "bool",
                False,
                help="含调解撤回及仲裁撤回、按撤回处理、撤销、终止。",
            ),
            *COMMON,
        ),
        {2024: Decimal("70"), 2025: Decimal("72.5"), 2026: Decimal("75")},
        3,
    ),
    Definition(
        "inspection_closure",
        "劳动保障监察举报投诉案件结案率",
        FLOW,
        "期内举报投诉案件结案数 ÷（期初未结数 + 期内立案数）。",
        (CARRIED_OVER, *COMMON),
        {2024: Decimal("97"), 2025: Decimal("97.5"), 2026: Decimal("98")},
        4,
    ),
    Definition(
        "wage_arrears_closure",
        "拖欠农民工工资举报投诉案件结案率",
        FLOW,
        "同举报投诉案件结案率，限于拖欠农民工工资的举报投诉。",
        (CARRIED_OVER, *COMMON),
        {2024: Decimal("98"), 2025: Decimal("98.5"), 2026: Decimal("99")},
        5,
    ),
    Definition(
        "collective_contract_rate",
        "重点建会企业集体合同签订率",
        STOCK,
        "期末有生效集体合同（本企业合同，或列明该企业的区域性、行业性合同）的重点建会企业 ÷ "
        "期末重点建会企业。重点建会企业：存续经营、已建工会、职工人数不低于下限"
        "（时效参数 key_enterprise_min_employees）。",
        # The headcount floor is the relations app's dated parameter
        # (key_enterprise_min_employees), so the union to-do lists and the indicator agree.
        COMMON,
        {2024: Decimal("80"), 2025: Decimal("83"), 2026: Decimal("85")},
        6,
    ),
)

BY_CODE = {definition.code: definition for definition in DEFINITIONS}
CODES = tuple(BY_CODE)
