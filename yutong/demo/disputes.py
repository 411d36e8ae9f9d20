"""Demo disputes (issue #3): mediation bodies and arbitration commissions with their people, and
mediation and arbitration cases from 2024-01-01 up to today in every district-level unit.

How it is built:

* The bodies, commissions and people are few: they are written directly. The minimum wage and
  the districts' tiers are the rows migration ``disputes/0008`` ships (or an administrator's):
  the demo writes no parameter of its own.
* The cases are many (about 100,000 disputes a year at ``--scale city``). Each district-level unit
  is planned in memory first — every date, outcome and case number — by the same clock rules
  (``core.clocks``) and the same dated time limits the services use, and the plan is cut at
  today: what had not happened yet by today has not happened. The plan is then written in
  batches with ``bulk_create``. Stored fields (``due_on``, ``decision_due_on``, ``ended_on``,
  ``closure``/``closed_on``, the per-item final-award test, ``search_text``) and the timeline
  texts are what the services would have written for the same steps.
* About twenty cases in 渝中区 go through the real services, step by step, with the demo
  accounts as actors, so their timelines and audit trails are the platform's own.

Everything is drawn from seeded random generators (one per unit), so a seed gives the same
cases on SQLite and PostgreSQL. The volumes are in ``SCALES``.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from stdnum.cn import ric

from yutong.core import clocks
from yutong.core import services as core_services
from yutong.core.cases import ClockChangeBase
from yutong.core.models import DatedParameter, OrgUnit, User
from yutong.core.money import yuan
from yutong.core.parameters import ParameterMissing, ParameterValue
from yutong.core.personal import EncryptedTextField, blind_index, encrypt
from yutong.disputes import guidance
from yutong.disputes import services as dispute_services
from yutong.disputes.models import (
    COLLECTIVE_THRESHOLD,
    ArbitrationCase,
    ArbitrationClockChange,
    ArbitrationCommission,
    ArbitrationEvent,
    Arbitrator,
    AwardItem,
    Claim,
    ClaimType,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
    MediationClockChange,
    MediationEvent,
    Mediator,
)
from yutong.registry.models import Enterprise, IndustrialPark

START = date(2024, 1, 1)


@dataclass(frozen=True)
class Scale:
    disputes_per_year: int  # the whole city
    township_bodies: int  # township/street mediation bodies per district-level unit
    employers_per_unit: int  # registered enterprises drawn on as employers, per unit
    model_cases_per_claim: int  # 精品案例 per claim type that has a summary below


SCALES = {
    "small": Scale(
        disputes_per_year=400, township_bodies=2, employers_per_unit=40, model_cases_per_claim=1
    ),
    "city": Scale(
        disputes_per_year=100_000,
        township_bodies=6,
        employers_per_unit=3000,
        model_cases_per_claim=3,
    ),
}

CITY_CODE = "500000"
CITY_COMMISSION = "重庆市劳动人事争议仲裁委员会"
CITY_WEIGHT = 0.6  # the municipal commission's share, against about 1 per district
MEDIATION_FIRST = 0.55
COLLECTIVE_SHARE = 0.02
MEDIATION_OUTCOMES = {"agreement": 55, "settlement": 10, "no_agreement": 25, "withdrawn": 10}
TRANSFER_AFTER_NO_AGREEMENT = 0.8
REFUSED_SHARE = 0.05
ARBITRATION_OUTCOMES = {
    "award": 45,
    "mediation_document": 35,
    "withdrawn": 12,
    "deemed_withdrawn": 4,
    "cancelled": 1.5,
    "terminated": 2.5,
}
# More disputes after the Spring Festival and before it (wage arrears), fewer in February.
MONTH_WEIGHT = [1.25, 0.75, 1.1, 1.0, 1.0, 0.95, 1.0, 1.0, 0.95, 0.9, 1.0, 1.2]
REST_DAY_WEIGHT = 0.12  # online applications arrive on rest days too
BATCH = 1000
# Where a dispute goes for mediation (new forms of employment: the joint centre).
BODY_KINDS = {
    MediationBody.Kind.TOWNSHIP: 60,
    MediationBody.Kind.PEOPLES: 60,
    MediationBody.Kind.JOINT_CENTRE: 12,
    MediationBody.Kind.PARK: 16,
    MediationBody.Kind.ENTERPRISE_COMMITTEE: 12,
}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红兵琴云飞鹏婷玲斌辉"
_BRAND = "恒达 鑫源 华宇 长江 渝丰 金桥 宏图 博远 腾飞 嘉禾 瑞丰 同创 山城 巴渝 九鼎 晨光".split()
_SMALL_SHOP = "餐馆 小面馆 汽车修理部 美发店 便利店 火锅店 装修队 干洗店".split()
_JOBS = (
    "厨师 服务员 普工 电焊工 保安 保洁员 销售员 会计 货车司机 仓库管理员 软件工程师 培训教师 "
    "护理员 装修工 钢筋工 客服专员 前台文员 门店店长 车间操作工 质检员"
).split()
_GIG_JOBS = "外卖骑手 网约车司机 快递员 网络主播 同城配送员".split()
_TERMINATION_REASONS = (
    "经营困难",
    "申请人不能胜任工作",
    "申请人严重违反规章制度",
    "公司搬迁",
    "岗位撤销",
)
_INJURIES = (
    "操作机器时右手被压伤",
    "从脚手架上摔落致腰椎骨折",
    "搬运货物时扭伤腰部",
    "驾驶车辆送货途中发生交通事故受伤",
    "切割材料时左手受伤",
)
# Provinces of origin of migrant workers besides Chongqing (county codes: only the first two
# digits are checked, and the code is that of the issuing office).
_OTHER_ORIGINS = ("511623", "513022", "510722", "522226", "520221", "421127", "430626", "411522")
_CQ_ORIGINS = ("500101", "500102", "500103", "500106", "500110", "500115", "500228", "500235")

_MATERIALS = (
    "申请人身份证明复印件；劳动关系证明材料",
    "被申请人的工商登记信息；仲裁请求的计算依据",
    "工资支付记录；解除劳动合同的通知",
)
_REFUSALS = (
    "申请仲裁的事项不属于劳动人事争议处理范围",
    "申请人不是与本案有直接利害关系的劳动者",
    "没有明确的被申请人",
    "该争议已经人民法院生效判决处理",
)
_EXTENSION_REASONS = (
    "案情复杂，需要调取相关证据",
    "当事人申请对工伤医疗费用进行鉴定",
    "涉及人数较多，案情复杂",
)
_SUSPENSION_REASONS = (
    "本案处理需以相关案件的审理结果为依据，而相关案件尚未审结",
    "当事人因不可抗力不能参加仲裁",
    "劳动者丧失民事行为能力，尚未确定法定代理人",
)
CLOSURE_NOTES = {
    "withdrawn": "双方自行和解，申请人撤回仲裁申请。",
    "deemed_withdrawn": "申请人经书面通知无正当理由拒不到庭，按撤回仲裁申请处理。",
    "cancelled": "受理后发现不属于本委管辖，撤销案件，告知申请人向有管辖权的仲裁委员会申请。",
    "terminated": "审理期限届满未作出裁决，申请人已向人民法院提起诉讼，终止审理。",
}
# Model cases (精品案例): the point of law, per claim type of the case.
MODEL_SUMMARIES = {
    "double_wages": (
        "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当自用工满一个月"
        "的次日起向劳动者每月支付二倍工资，二倍工资差额最长计算十一个月。"
    ),
    "overtime_pay": (
        "劳动者主张加班费的，应当就加班事实的存在承担举证责任；劳动者有证据证明用人单位掌握加班"
        "事实存在的证据，用人单位不提供的，由用人单位承担不利后果。"
    ),
    "illegal_termination_damages": (
        "用人单位以劳动者不能胜任工作为由解除劳动合同，未经培训或者调整工作岗位的，属于违法解除，"
        "应当按照经济补偿标准的二倍向劳动者支付赔偿金。"
    ),
    "work_injury_medical": (
        "劳动者因工受伤经认定为工伤，用人单位未依法参加工伤保险的，由用人单位按照工伤保险待遇项目"
        "和标准支付工伤医疗费用。"
    ),
    "confirm_relationship": (
        "新就业形态劳动者接受平台企业的排班、考勤和奖惩管理，报酬主要来源于平台企业，劳动过程受"
        "平台实质控制的，应当认定双方存在劳动关系。"
    ),
    "leave_pay": (
        "劳动者连续工作满十二个月以上，用人单位未安排年休假又未支付未休年休假工资报酬的，应当按照"
        "日工资收入的百分之二百支付，仲裁时效自劳动关系终止之日起计算。"
    ),
    "non_compete_compensation": (
        "劳动合同约定了竞业限制但未约定经济补偿，劳动者履行了竞业限制义务的，可以要求用人单位按照"
        "劳动合同解除前十二个月平均工资的百分之三十按月支付经济补偿。"
    ),
    "economic_compensation": (
        "用人单位未及时足额支付劳动报酬，劳动者据此解除劳动合同的，用人单位应当支付经济补偿，"
        "按劳动者在本单位工作的年限每满一年支付一个月工资。"
    ),
    "social_insurance": (
        "用人单位未依法为劳动者缴纳社会保险费，致使劳动者不能享受社会保险待遇，劳动者要求赔偿损失"
        "的，应予支持；补缴社会保险费属于社会保险费征收机构的职责。"
    ),
    "wages": (
        "集体劳动人事争议应当优先立案、优先审理；用人单位拖欠劳动报酬事实清楚、证据充分的，"
        "仲裁庭可以先行裁决并裁决先予执行。"
    ),
}


# --- small helpers -------------------------------------------------------------------------


def _ym(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _money(value: float) -> Decimal:
    """Whole yuan, as people claim them."""
    return Decimal(max(0, int(round(value)))).quantize(Decimal("0.01"))


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "150", "158", "177", "186", "189")) + (
        f"{rng.randrange(10**8):08d}"
    )


def resident_id(rng: random.Random, day: date) -> str:
    """A valid GB 11643 number: an issuing-office code, a birth date of an adult, a serial."""
    region = rng.choice(_OTHER_ORIGINS if rng.random() < 0.25 else _CQ_ORIGINS)
    age_days = rng.randint(18 * 366, 60 * 365)
    birth = day - timedelta(days=age_days)
    first17 = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum wants a check-digit slot


def short_name(unit: OrgUnit) -> str:
    """The case-number abbreviation: 渝中区 → 渝中劳人仲, the city → 渝劳人仲."""
    special = {CITY_CODE: "渝", "50Z001": "高新", "50Z002": "万盛"}
    name = special.get(unit.code)
    if name is None:
        name = unit.name
        for suffix in (
            "土家族苗族自治县",
            "苗族土家族自治县",
            "土家族自治县",
            "自治县",
            "新区",
            "区",
            "县",
        ):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                name = name[: -len(suffix)]
                break
    return f"{name}劳人仲"


_TZ = None


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    global _TZ
    if _TZ is None:
        _TZ = timezone.get_current_timezone()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=_TZ)


def _working_on_or_after(day: date) -> date:
    while not clocks.is_working_day(day):
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=200_000)
def _clause_tokens(clause: str) -> tuple[str, ...]:
    return tuple(guidance.tokens(clause))


def search_text(clauses: list[str], claim_names: list[str], summary: str = "") -> str:
    """The same tokens as ``guidance.case_search_text``: jieba cuts Chinese text into blocks at
    punctuation and spaces, so cutting clause by clause (cached: most clauses repeat) gives the
    words that cutting the whole text gives."""
    words: list[str] = []
    for part in (*clauses, *claim_names):
        words.extend(_clause_tokens(part))
    if summary:
        words.extend(guidance.tokens(summary))
    return " ".join(dict.fromkeys(words))


class _Weighted:
    def __init__(self, weights: dict):
        self.keys = list(weights)
        total, self.cum = 0.0, []
        for value in weights.values():
            total += value
            self.cum.append(total)

    def draw(self, rng: random.Random):
        return rng.choices(self.keys, cum_weights=self.cum)[0]


_MEDIATION_OUTCOME = _Weighted(MEDIATION_OUTCOMES)
_ARBITRATION_OUTCOME = _Weighted(ARBITRATION_OUTCOMES)


# --- dated parameters, resolved in memory --------------------------------------------------


class Limits:
    """``parameters.parameter_value`` for many days at once: the rows are read once and the
    same rule is applied (the unit, then its parents, then the city-wide row; the latest
    ``valid_from`` on or before the day)."""

    CODES = (
        "mediation_days",
        "arbitration_acceptance_days",
        "arbitration_award_days",
        "arbitration_extension_max_days",
        "final_award_minimum_wage_multiple",
        "min_wage_tier",
        "min_wage_monthly_tier1",
        "min_wage_monthly_tier2",
    )

    def __init__(self):
        self.rows: dict[tuple[str, int | None], list[DatedParameter]] = defaultdict(list)
        for row in DatedParameter.objects.filter(code__in=self.CODES).order_by("-valid_from"):
            self.rows[(row.code, row.unit_id)].append(row)
        self._cache: dict = {}

    def value(self, code: str, on: date, unit: OrgUnit) -> ParameterValue:
        key = (code, on, unit.pk)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._resolve(code, on, unit)
        return found

    def _resolve(self, code: str, on: date, unit: OrgUnit) -> ParameterValue:
        node = unit
        while node is not None:
            for row in self.rows.get((code, node.pk), ()):
                if row.valid_from <= on:
                    return ParameterValue(
                        code=code,
                        value=row.value,
                        valid_from=row.valid_from,
                        unit_code=node.code,
                        source=row.source,
                        note=row.note,
                        unit_name=node.name,
                    )
            node = node.parent
        for row in self.rows.get((code, None), ()):
            if row.valid_from <= on:
                return ParameterValue(
                    code=code,
                    value=row.value,
                    valid_from=row.valid_from,
                    unit_code=None,
                    source=row.source,
                    note=row.note,
                )
        raise ParameterMissing(f"demo data needs the parameter {code} on {on} for {unit}")

    def days(self, code: str, on: date, unit: OrgUnit) -> int:
        return int(self.value(code, on, unit).value)

    def final_threshold(self, on: date, unit: OrgUnit) -> tuple[Decimal, str]:
        """As ``disputes.services.final_award_threshold``: the amount and the wage's trace."""
        key = ("threshold", on, unit.pk)
        found = self._cache.get(key)
        if found is None:
            tier = self.value("min_wage_tier", on, unit)
            wage = self.value(f"min_wage_monthly_tier{int(tier.value)}", on, unit)
            multiple = self.value("final_award_minimum_wage_multiple", on, unit)
            threshold = (wage.value * multiple.value).quantize(Decimal("0.01"))
            found = self._cache[key] = (threshold, wage.trace())
        return found


def mark_final(items: list[tuple[str, Decimal]], threshold: Decimal, wage_trace: str):
    """``disputes.services._mark_final`` for (category, amount) pairs → (is_final, basis)."""
    medical = ClaimType.Category.WORK_INJURY_MEDICAL
    medical_total = sum((a for c, a in items if c == medical), Decimal("0"))
    result = []
    for category, amount in items:
        if category in dispute_services.FINAL_ALWAYS:
            result.append((True, "调解仲裁法第四十七条第（二）项"))
            continue
        if category not in dispute_services.FINAL_BY_AMOUNT | {medical}:
            result.append((False, "不属于终局裁决事项"))
            continue
        tested = medical_total if category == medical else amount
        final = tested <= threshold
        relation = "不超过" if final else "超过"
        basis = (
            f"金额 {yuan(tested)} 元{relation}限额 {yuan(threshold)} 元（调解仲裁法第四十七条第"
            f"（一）项）；{wage_trace}"
        )[:300]
        result.append((final, basis))
    return result


# --- writing rows set-based ----------------------------------------------------------------

SINK_ORDER = (
    "dispute",
    "worker",
    "claim",
    "mediation",
    "arbitration",
    "mediation_event",
    "arbitration_event",
    "arbitration_change",
    "tribunal",
    "award",
)


def sink_models() -> dict:
    return {
        "dispute": Dispute,
        "worker": DisputeWorker,
        "claim": Claim,
        "mediation": MediationCase,
        "arbitration": ArbitrationCase,
        "mediation_event": MediationEvent,
        "arbitration_event": ArbitrationEvent,
        "arbitration_change": ArbitrationClockChange,
        "tribunal": ArbitrationCase.tribunal.through,
        "award": AwardItem,
    }


class Sink:
    """Rows of one table, with their ids given here, written when flushed: COPY on PostgreSQL,
    one executemany elsewhere. A row is a dict by attribute name; a column left out takes the
    field's constant default (or NULL, or "" for text). Encrypted fields are encrypted here as
    the model field would encrypt them."""

    def __init__(self, model):
        opts = model._meta
        self.table = opts.db_table
        self.fields = list(opts.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif f.null:
                self.defaults[f.attname] = None
            elif f.get_internal_type() in ("CharField", "TextField"):
                self.defaults[f.attname] = ""
        self.encrypted = [isinstance(f, EncryptedTextField) for f in self.fields]
        self.last_id = model.objects.aggregate(last=Max("pk"))["last"] or 0
        self.rows: list[dict] = []

    def add(self, values: dict) -> int:
        self.last_id += 1
        values["id"] = self.last_id
        self.rows.append(values)
        return self.last_id

    def flush(self) -> None:
        if not self.rows:
            return
        defaults = self.defaults
        rows = [
            [values[name] if name in values else defaults[name] for name in self.attnames]
            for values in self.rows
        ]
        self.rows = []
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                secret = [i for i, flag in enumerate(self.encrypted) if flag]
                with cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        for i in secret:
                            if row[i]:
                                row[i] = encrypt(row[i])
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                prepared = [
                    [
                        f.get_db_prep_save(v, connection)
                        for f, v in zip(self.fields, row, strict=True)
                    ]
                    for row in rows
                ]
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    prepared,
                )


@contextmanager
def bulk_load(tables: list[str]):
    """On PostgreSQL, set the tables' secondary indexes aside while rows are copied in and
    build them once at the end (inside the caller's transaction: an error leaves nothing), then
    move the id sequences past the ids given here."""
    if connection.vendor != "postgresql":
        yield
        return
    definitions = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('maintenance_work_mem', '256MB', true)")
        for table in tables:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = %s::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                definitions.append(definition)
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run before an index can be built over the rows.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in connection.ops.sequence_reset_sql(
            no_style(), list(sink_models().values())
        ):
            cursor.execute(statement)


# --- what a dispute is about ---------------------------------------------------------------


@dataclass
class Matter:
    sentences: list[list[str]]  # sentences of clauses; facts = "，".join(clauses) + "。"
    claims: list[tuple[str, Decimal | None]]
    workers: int

    @property
    def facts(self) -> str:
        return "".join("，".join(clauses) + "。" for clauses in self.sentences)

    @property
    def clauses(self) -> list[str]:
        return [clause for clauses in self.sentences for clause in clauses]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.claims if amount), Decimal("0"))


_SCENARIOS = _Weighted(
    {
        "wages": 25,
        "overtime": 12,
        "no_contract": 12,
        "termination": 15,
        "work_injury": 6,
        "social_insurance": 6,
        "leave": 4,
        "gig": 8,
        "non_compete": 2,
        "probation": 3,
        "working_time": 3,
        "other": 4,
    }
)


def _wage(rng: random.Random) -> int:
    return max(2000, min(30000, int(round(math.exp(rng.gauss(8.5, 0.35)) / 100)) * 100))


def make_matter(rng: random.Random, day: date, scenario: str, workers: int) -> Matter:
    """Facts and claims of one dispute, the amounts worked out from a monthly wage."""
    wage = _wage(rng)
    start = day - timedelta(days=rng.randint(75, 3200))
    years = max(0.5, math.ceil((day - start).days / 365 * 2) / 2)
    left = day - timedelta(days=rng.randint(5, 60))
    job = rng.choice(_JOBS)
    hired = [f"申请人于{_ym(start)}入职被申请人处从事{job}工作", f"约定月工资{wage}元"]
    many = workers
    if scenario == "collective":
        months = rng.randint(2, 6)
        amount = _money(wage * months * workers * rng.uniform(0.6, 1.0))
        building = rng.random() < 0.5
        first = (
            "申请人等在被申请人承建的工程项目从事建筑施工工作"
            if building
            else f"申请人等系被申请人的{rng.choice(('车间操作工', '普工', '服务员'))}"
        )
        sentences = [
            [
                first,
                f"被申请人自{_ym(day - timedelta(days=30 * months))}起拖欠{workers}名劳动者工资",
            ],
            [f"共计{amount:.0f}元", "劳动者多次集体讨薪未果"],
            [f"申请人推选{min(5, max(3, workers // 10))}名代表人参加仲裁活动"],
        ]
        claims = [("wages", amount)]
        if rng.random() < 0.3:
            claims.append(("economic_compensation", _money(wage * years * workers)))
        return Matter(sentences, claims, workers)
    if scenario == "wages":
        months = rng.randint(1, 6)
        amount = _money(wage * months * many)
        sentences = [
            hired,
            [
                f"被申请人自{_ym(day - timedelta(days=30 * months))}起拖欠申请人工资",
                f"共计{amount:.0f}元",
                "经多次催讨未果",
            ],
        ]
        claims = [("wages", amount)]
        if rng.random() < 0.4:
            sentences.append(
                [
                    "申请人以被申请人未及时足额支付劳动报酬为由解除劳动合同",
                    "要求被申请人支付拖欠工资及经济补偿",
                ]
            )
            claims.append(("economic_compensation", _money(wage * years * many)))
    elif scenario == "overtime":
        hours = rng.choice((10, 11, 12))
        months = rng.randint(6, 24)
        amount = _money(wage / 21.75 / 8 * (hours - 8) * 1.5 * 22 * months * many)
        sentences = [
            hired,
            [
                f"申请人每天工作{hours}小时",
                f"每月仅休息{rng.choice((2, 4))}天",
                "被申请人未支付加班费",
            ],
        ]
        claims = [("overtime_pay", amount)]
        if rng.random() < 0.3:
            claims.append(("leave_pay", _money(wage / 21.75 * 5 * 2 * many)))
    elif scenario == "no_contract":
        months = rng.randint(2, 14)
        amount = _money(wage * min(11, months - 1) * many)
        sentences = [
            hired,
            ["入职后被申请人一直未与申请人签订书面劳动合同", f"申请人于{_ym(left)}离职"],
        ]
        claims = [("double_wages", amount)]
    elif scenario == "termination":
        reason = rng.choice(_TERMINATION_REASONS)
        sentences = [
            hired,
            [
                f"{_ym(left)}被申请人以{reason}为由口头通知申请人解除劳动合同",
                "未提前三十日书面通知也未支付经济补偿",
            ],
        ]
        if rng.random() < 0.5:
            claims = [("illegal_termination_damages", _money(2 * wage * years * many))]
        else:
            claims = [
                ("economic_compensation", _money(wage * years * many)),
                ("notice_pay", _money(wage * many)),
            ]
    elif scenario == "work_injury":
        cost = _money(rng.uniform(3000, 90000))
        sentences = [
            hired,
            [f"申请人于{_ymd(left)}在工作中{rng.choice(_INJURIES)}", "经人力社保部门认定为工伤"],
            ["被申请人未为申请人参加工伤保险", f"拒绝支付工伤医疗费{cost:.0f}元"],
        ]
        claims = [("work_injury_medical", cost)]
        if rng.random() < 0.4:
            claims.append(("wages", _money(wage * rng.randint(2, 6))))
    elif scenario == "social_insurance":
        sentences = [
            hired,
            [f"被申请人自{_ym(start)}起未为申请人缴纳社会保险", "申请人要求赔偿相应损失"],
        ]
        claims = [
            ("social_insurance", _money(rng.uniform(2000, 20000)) if rng.random() < 0.5 else None)
        ]
        if rng.random() < 0.3:
            claims.append(("economic_compensation", _money(wage * years)))
    elif scenario == "leave":
        days = rng.choice((5, 10))
        sentences = [
            hired,
            [
                f"申请人在职期间累计工作已满{max(1, int(years))}年",
                "被申请人未安排申请人休带薪年休假",
            ],
            [f"申请人于{_ym(left)}离职", "要求支付未休年休假工资报酬"],
        ]
        claims = [("leave_pay", _money(wage / 21.75 * days * 2))]
    elif scenario == "gig":
        job = rng.choice(_GIG_JOBS)
        owed = _money(wage * rng.uniform(0.5, 2.5))
        sentences = [
            [
                f"申请人自{_ym(start)}起通过手机应用平台从事{job}工作",
                "接受被申请人的排班和考勤管理",
            ],
            [
                f"{_ym(left)}被申请人以申请人违反平台规则为由停止派单",
                f"尚欠申请人报酬{owed:.0f}元",
            ],
            ["申请人请求确认双方存在劳动关系"],
        ]
        claims = [("confirm_relationship", None), ("wages", owed)]
    elif scenario == "non_compete":
        months = rng.randint(3, 18)
        sentences = [
            hired,
            [
                "双方约定申请人离职后两年内不得到同类企业任职",
                f"申请人于{_ym(left)}离职后履行了竞业限制义务",
            ],
            ["被申请人未支付竞业限制经济补偿"],
        ]
        claims = [("non_compete_compensation", _money(wage * 0.3 * months))]
    elif scenario == "probation":
        extra = rng.randint(1, 4)
        sentences = [
            hired,
            [
                f"双方签订{rng.choice((1, 2))}年期劳动合同",
                f"约定试用期{2 + extra}个月",
                "超过法定试用期上限",
            ],
        ]
        claims = [("probation_damages", _money(wage * extra))]
    elif scenario == "working_time":
        sentences = [
            hired,
            ["被申请人安排申请人连续上班未安排休息", "申请人要求依法安排休息休假"],
        ]
        claims = [("working_time", None)]
    else:
        sentences = [
            hired,
            [f"申请人于{_ym(left)}离职", "被申请人拒绝出具解除劳动合同的证明并扣留押金"],
        ]
        claims = [("other", _money(rng.uniform(500, 3000)))]
    return Matter(sentences, claims, workers)


# --- plans ---------------------------------------------------------------------------------


@dataclass(slots=True)
class MediationPlan:
    body: MediationBody
    mediator: Mediator | None
    received_on: date
    due_on: date
    length: int
    assigned_on: date
    closure: str
    closed_on: date
    expired: bool = False  # still open at the 15 days; closed when taken to arbitration
    agreement_text: str = ""
    agreed_amount: Decimal | None = None


@dataclass(slots=True)
class ArbitrationPlan:
    commission: ArbitrationCommission
    received_first: date
    first_due: date  # the 5-day decision as set on receipt
    materials_on: date | None = None
    supplied_on: date | None = None
    materials: str = ""
    received_on: date | None = None
    decision_due_on: date | None = None
    refused_on: date | None = None
    refusal_reason: str = ""
    accepted_on: date | None = None
    length: int = 0
    procedure: str = ""
    tribunal: list = field(default_factory=list)
    tribunal_on: date | None = None
    notified_on: date | None = None
    hearing_at: datetime | None = None
    extension: tuple | None = None  # (recorded on, days, reason, approver)
    suspension: tuple | None = None  # (from, to, reason, approver)
    closure: str = ""
    closed_on: date | None = None
    note: str = ""
    award: list = field(default_factory=list)  # (claim index, amount)
    number: str = ""


@dataclass(slots=True)
class DisputePlan:
    unit: OrgUnit
    day: date
    channel: str
    employer: tuple
    matter: Matter
    mediation: MediationPlan | None = None
    arbitration: ArbitrationPlan | None = None


# --- the loader ----------------------------------------------------------------------------


@dataclass
class Counts:
    bodies: int = 0
    mediators: int = 0
    commissions: int = 0
    arbitrators: int = 0
    disputes: int = 0
    workers: int = 0
    claims: int = 0
    mediation_cases: int = 0
    arbitration_cases: int = 0
    closed_arbitration: int = 0
    open_cases: int = 0
    award_items: int = 0
    model_cases: int = 0
    service_cases: int = 0
    seconds: float = 0.0
    per_unit: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"{self.disputes} disputes ({self.workers} workers): {self.mediation_cases} mediation"
            f" and {self.arbitration_cases} arbitration cases ({self.closed_arbitration} closed,"
            f" {self.award_items} award items, {self.model_cases} model cases), {self.open_cases}"
            f" open; {self.bodies} mediation bodies, {self.mediators} mediators,"
            f" {self.commissions} commissions, {self.arbitrators} arbitrators and clerks;"
            f" {self.service_cases} cases through the services ({self.seconds:.0f}s)"
        )


def load_once(seed: int, scale: str = "small") -> Counts | None:
    """For ``yutong demo``: load unless dispute demo data is already there."""
    if MediationBody.objects.exists():
        return None
    return load(seed, scale)


def load(
    seed: int,
    scale: str | Scale = "small",
    *,
    today: date | None = None,
    unit_codes: list[str] | None = None,
    service_cases: bool = True,
    progress=None,
) -> Counts:
    """Load the dispute demo data; ``unit_codes`` restricts it to some units (tests)."""
    plan = SCALES[scale] if isinstance(scale, str) else scale
    started = time.monotonic()
    loader = _Loader(seed, plan, today or timezone.localdate(), unit_codes, progress)
    with transaction.atomic():
        loader.run(service_cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                Dispute,
                DisputeWorker,
                Claim,
                MediationCase,
                MediationEvent,
                ArbitrationCase,
                ArbitrationEvent,
                AwardItem,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    loader.counts.seconds = time.monotonic() - started
    return loader.counts


class _Loader:
    def __init__(self, seed, scale: Scale, today: date, unit_codes, progress):
        self.seed, self.scale, self.today, self.progress = seed, scale, today, progress
        self.counts = Counts()
        self.system = core_services.system_actor()
        units = OrgUnit.objects.select_related("parent").filter(
            level__in=(OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT)
        )
        if unit_codes:
            units = units.filter(code__in=set(unit_codes) | {CITY_CODE})
        self.units = list(units.order_by("code"))
        self.city = next(u for u in self.units if u.code == CITY_CODE)
        self.districts = [u for u in self.units if u.level == OrgUnit.Level.DISTRICT]
        self.include_city = not unit_codes or CITY_CODE in unit_codes
        self.claim_types = {t.code: t for t in ClaimType.objects.all()}
        self._body_kinds: dict = {}

    def rng(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:disputes:{label}")

    def run(self, service_cases: bool) -> None:
        self.limits = Limits()
        self.bodies = self.create_bodies()
        self.commissions = self.create_commissions()
        self.link_demo_accounts()
        self.expected = self.daily_expectations()
        self.pools = self.employer_pools()
        self.numbers = Counter()  # numbers already given, per commission and prefix
        for commission_id, number in ArbitrationCase.objects.exclude(number="").values_list(
            "commission_id", "number"
        ):
            self.numbers[(commission_id, number[: number.index("第") + 1])] += 1
        self.sinks = {name: Sink(model) for name, model in sink_models().items()}
        with bulk_load([sink.table for sink in self.sinks.values()]):
            for unit in self.chunks():
                plans = self.plan_unit(unit)
                self.number(plans)
                for start in range(0, len(plans), BATCH):
                    self.write(plans[start : start + BATCH])
                if self.progress:
                    self.progress(unit, len(plans))
        self.mark_model_cases()
        if service_cases:
            self.counts.service_cases = ServiceCases(self).run()

    # --- bodies, people ------------------------------------------------------

    def create_bodies(self) -> dict[int, dict[str, list[MediationBody]]]:
        rng = self.rng("bodies")
        townships = defaultdict(list)
        for township in OrgUnit.objects.filter(
            level=OrgUnit.Level.TOWNSHIP, parent__in=self.districts
        ).order_by("code"):
            # Townships that moved at a merge appear twice (old and new code): bodies sit at
            # the original ones; a merged district's bodies end with it.
            if township.valid_from is None:
                townships[township.parent_id].append(township)
        parks = defaultdict(list)
        for park in IndustrialPark.objects.filter(unit__in=self.districts).order_by("code"):
            parks[park.unit_id].append(park)
        bodies: list[MediationBody] = []
        for unit in self.districts:
            active = unit.valid_to is None
            chosen = townships[unit.pk][: self.scale.township_bodies]
            rows = [
                (MediationBody.Kind.TOWNSHIP, f"{t.name}劳动人事争议调解中心", {"township": t})
                for t in chosen
            ]
            if not chosen:  # no townships loaded: a district-wide people's mediation body
                rows.append((MediationBody.Kind.PEOPLES, f"{unit.name}劳动争议人民调解委员会", {}))
            rows.append(
                (
                    MediationBody.Kind.JOINT_CENTRE,
                    f"{unit.name}新就业形态劳动纠纷一站式联合调解中心",
                    {},
                )
            )
            big = (
                Enterprise.objects.filter(unit=unit, status="operating")
                .order_by("-employee_count", "id")
                .only("id", "name", "uscc")
                .first()
            )
            if big is not None:
                rows.append(
                    (
                        MediationBody.Kind.ENTERPRISE_COMMITTEE,
                        f"{big.name}劳动争议调解委员会",
                        {"enterprise": big},
                    )
                )
            for park in parks[unit.pk]:
                rows.append(
                    (MediationBody.Kind.PARK, f"{park.name}劳动争议调解中心", {"park": park})
                )
            for number, (kind, name, extra) in enumerate(rows, start=1):
                bodies.append(
                    MediationBody(
                        code=f"M{unit.code}{number:03d}",
                        name=name[:128],
                        kind=kind,
                        unit=unit,
                        is_active=active,
                        **extra,
                    )
                )
        MediationBody.objects.bulk_create(bodies, batch_size=BATCH)
        mediators = []
        for body in bodies:
            for _ in range(rng.choice((2, 3))):
                mediators.append(
                    Mediator(
                        body=body, name=_person(rng), phone=_phone(rng), is_active=body.is_active
                    )
                )
        Mediator.objects.bulk_create(mediators, batch_size=BATCH)
        self.counts.bodies, self.counts.mediators = len(bodies), len(mediators)
        by_unit: dict[int, dict[str, list[MediationBody]]] = defaultdict(lambda: defaultdict(list))
        people = defaultdict(list)
        for mediator in mediators:
            people[mediator.body_id].append(mediator)
        for body in bodies:
            body.people = people[body.pk]
            by_unit[body.unit_id][body.kind].append(body)
        return by_unit

    def create_commissions(self) -> dict[int, ArbitrationCommission]:
        rng = self.rng("commissions")
        units = ([self.city] if self.include_city else []) + self.districts
        commissions = [
            ArbitrationCommission(
                code=f"A{unit.code}",
                name=CITY_COMMISSION
                if unit.code == CITY_CODE
                else f"{unit.name}劳动人事争议仲裁委员会",
                unit=unit,
                short_name=short_name(unit),
                is_active=unit.valid_to is None,
            )
            for unit in units
        ]
        ArbitrationCommission.objects.bulk_create(commissions)
        people = []
        for commission in commissions:
            for _ in range(5):
                people.append(
                    Arbitrator(
                        commission=commission,
                        name=_person(rng),
                        is_full_time=rng.random() < 0.7,
                        is_active=commission.is_active,
                    )
                )
            people.append(
                Arbitrator(
                    commission=commission,
                    name=_person(rng),
                    role=Arbitrator.Role.CLERK,
                    is_active=commission.is_active,
                )
            )
        Arbitrator.objects.bulk_create(people, batch_size=BATCH)
        self.counts.commissions, self.counts.arbitrators = len(commissions), len(people)
        by_unit = {}
        for commission in commissions:
            commission.panel = [
                p
                for p in people
                if p.commission_id == commission.pk and p.role == Arbitrator.Role.ARBITRATOR
            ]
            commission.heads = (_person(rng), _person(rng))
            by_unit[commission.unit_id] = commission
        return by_unit

    def home_body(self, unit: OrgUnit) -> MediationBody:
        """The unit's first township body (or its people's mediation body)."""
        kinds = self.bodies[unit.pk]
        found = kinds.get(MediationBody.Kind.TOWNSHIP) or kinds.get(MediationBody.Kind.PEOPLES)
        return found[0]

    def link_demo_accounts(self) -> None:
        """The demo accounts ``mediator`` and ``arbitrator`` work in 渝中区's first bodies."""
        yuzhong = next((u for u in self.districts if u.code == "500103"), None)
        if yuzhong is None:
            return
        users = {
            u.username: u for u in User.objects.filter(username__in=("mediator", "arbitrator"))
        }
        if "mediator" in users:
            body = self.home_body(yuzhong)
            person = Mediator.objects.create(
                body=body, name=users["mediator"].display_name or "调解员", user=users["mediator"]
            )
            body.people.insert(0, person)
            self.counts.mediators += 1
        if "arbitrator" in users:
            commission = self.commissions[yuzhong.pk]
            person = Arbitrator.objects.create(
                commission=commission,
                name=users["arbitrator"].display_name or "仲裁员",
                user=users["arbitrator"],
            )
            commission.panel.insert(0, person)
            self.counts.arbitrators += 1

    # --- volumes ---------------------------------------------------------------------------

    def chunks(self) -> list[OrgUnit]:
        """Units in an order where an ended unit comes before its successor."""
        ended = [u for u in self.districts if u.valid_to is not None]
        rest = [u for u in self.districts if u.valid_to is None]
        return ended + rest + ([self.city] if self.include_city else [])

    def weights(self) -> dict[int, float]:
        self.enterprise_counts = counts = dict(
            Enterprise.objects.filter(unit__in=self.districts)
            .values_list("unit")
            .annotate(n=Count("id"))
            .values_list("unit", "n")
        )
        mean = (sum(counts.values()) / len(counts)) if counts else 0
        weights = {
            u.pk: (max(0.3, counts.get(u.pk, 0) / mean) if mean else 1.0) for u in self.districts
        }
        if self.include_city:
            weights[self.city.pk] = CITY_WEIGHT
        return weights

    def daily_expectations(self) -> dict[int, dict[date, float]]:
        """Expected disputes per unit and day: the yearly total spread by unit weight, season
        and working day. An ended unit's share passes to its successor the day after."""
        weights = self.weights()
        by_pk = {u.pk: u for u in self.units}
        expected: dict[int, dict[date, float]] = defaultdict(dict)
        for year in range(START.year, self.today.year + 1):
            days = [date(year, 1, 1) + timedelta(days=n) for n in range(366)]
            days = [d for d in days if d.year == year]
            raw: dict[int, dict[date, float]] = defaultdict(dict)
            for day in days:
                season = MONTH_WEIGHT[day.month - 1] * (
                    1.0 if clocks.is_working_day(day) else REST_DAY_WEIGHT
                )
                for pk, weight in weights.items():
                    unit = by_pk[pk]
                    target = unit
                    if unit.valid_to is not None and day > unit.valid_to - timedelta(days=7):
                        if day <= unit.valid_to or unit.successor_id not in by_pk:
                            continue  # the last week of an ended unit: nothing new
                        target = by_pk[unit.successor_id]
                    raw[target.pk][day] = raw[target.pk].get(day, 0.0) + weight * season
            total = sum(v for per_day in raw.values() for v in per_day.values())
            factor = self.scale.disputes_per_year / total if total else 0
            for pk, per_day in raw.items():
                for day, value in per_day.items():
                    if START <= day <= self.today:
                        expected[pk][day] = value * factor
        return expected

    # --- planning one unit ----------------------------------------------------------------

    def employer_pools(self) -> dict[int, list[tuple]]:
        """Operating enterprises to draw employers from, per unit: one pass over the table
        taking every n-th id, n chosen so that each unit gets about ``employers_per_unit``
        (an OFFSET per unit would walk a million index entries again and again)."""
        rng = self.rng("employers")
        total = sum(self.enterprise_counts.values())
        step = max(1, total // (self.scale.employers_per_unit * max(1, len(self.districts))))
        rows = Enterprise.objects.filter(unit__in=self.districts, status="operating")
        if step > 1:
            rows = rows.annotate(bucket=F("id") % step).filter(bucket=rng.randrange(step))
        pools: dict[int, list[tuple]] = defaultdict(list)
        for pk, unit_id, name, uscc in rows.order_by("id").values_list(
            "id", "unit_id", "name", "uscc"
        ):
            pools[unit_id].append((pk, name, uscc))
        return pools

    def employers(self, unit: OrgUnit) -> list[tuple]:
        if unit.code == CITY_CODE:  # the municipal commission: the largest employers
            rows = Enterprise.objects.filter(status="operating").order_by("-employee_count", "id")
            return list(rows.values_list("id", "name", "uscc")[: self.scale.employers_per_unit])
        merged = [u.pk for u in self.districts if u.successor_id == unit.pk]
        return [row for pk in (unit.pk, *merged) for row in self.pools.get(pk, ())]

    def plan_unit(self, unit: OrgUnit) -> list[DisputePlan]:
        rng = self.rng(unit.code)
        employers = self.employers(unit)
        short = unit.name.rstrip("区县")[:2]
        plans: list[DisputePlan] = []
        for day, expected in sorted(self.expected.get(unit.pk, {}).items()):
            for _ in range(int(expected + rng.random())):  # stochastic rounding
                plan = self.plan_dispute(rng, unit, day, employers, short)
                if plan is not None:
                    plans.append(plan)
        return plans

    def plan_dispute(self, rng, unit, day, employers, short) -> DisputePlan | None:
        city = unit.code == CITY_CODE
        collective = rng.random() < (0.25 if city else COLLECTIVE_SHARE)
        if collective:
            workers = COLLECTIVE_THRESHOLD + min(70, int(rng.expovariate(1 / 12)))
            scenario = "collective"
        else:
            workers = rng.randint(2, 6) if rng.random() < 0.08 else 1
            scenario = _SCENARIOS.draw(rng)
        matter = make_matter(rng, day, scenario, workers)
        # Where the unit ended or is about to: no new mediation in its last weeks.
        mediation_first = (
            not city
            and rng.random() < MEDIATION_FIRST
            and (unit.valid_to is None or day <= unit.valid_to - timedelta(days=30))
        )
        bodies = self.bodies.get(unit.pk, {})
        body = None
        if mediation_first:
            body = self.choose_body(rng, bodies, scenario)
        if body is not None and body.kind == MediationBody.Kind.ENTERPRISE_COMMITTEE:
            employer = (body.enterprise_id, body.enterprise.name, body.enterprise.uscc)
        elif employers and rng.random() < 0.9:
            employer = rng.choice(employers)
        else:
            employer = (None, f"{short}{rng.choice(_BRAND)}{rng.choice(_SMALL_SHOP)}", "")
        plan = DisputePlan(
            unit=unit,
            day=day,
            channel=rng.choices(("staff", "online", "transfer"), (60, 36, 4))[0],
            employer=employer,
            matter=matter,
        )
        if body is not None:
            plan.mediation = self.plan_mediation(rng, plan, body)
            med = plan.mediation
            if med.closure == "no_agreement" and (
                med.expired or rng.random() < TRANSFER_AFTER_NO_AGREEMENT
            ):
                received = med.closed_on
                if not med.expired and rng.random() < 0.5:
                    received += timedelta(days=rng.randint(1, 20))
                if unit.valid_to is not None and received > unit.valid_to - timedelta(days=7):
                    # The unit's commission is ending: the party did not apply in time.
                    if med.expired:
                        med.expired, med.closed_on = False, med.due_on
                elif received <= self.today:
                    plan.arbitration = self.plan_arbitration(rng, plan, unit, received)
                # else: not yet taken to arbitration (an expired one is still open, overdue)
        else:
            plan.arbitration = self.plan_arbitration(rng, plan, unit, day)
        return plan

    def choose_body(self, rng, bodies, scenario) -> MediationBody | None:
        if not bodies:
            return None
        if scenario == "gig" and bodies.get(MediationBody.Kind.JOINT_CENTRE):
            return bodies[MediationBody.Kind.JOINT_CENTRE][0]
        key = tuple(sorted(k for k, found in bodies.items() if found))
        kinds = self._body_kinds.get(key)
        if kinds is None:
            kinds = self._body_kinds[key] = _Weighted({k: BODY_KINDS[k] for k in key})
        return rng.choice(bodies[kinds.draw(rng)])

    def plan_mediation(self, rng, plan: DisputePlan, body: MediationBody) -> MediationPlan:
        received = plan.day
        length = self.limits.days("mediation_days", received, body.unit)
        due = clocks.add_calendar_days(received, length)
        closure = _MEDIATION_OUTCOME.draw(rng)
        expired = False
        if closure in ("agreement", "settlement"):
            closed = received + timedelta(days=min(length, int(rng.triangular(1, length, 6))))
        elif closure == "withdrawn":
            closed = received + timedelta(days=rng.randint(1, 10))
        elif rng.random() < 0.2:
            # Nobody closed it at the 15 days: it is closed when the party goes to arbitration.
            expired = True
            closed = due + timedelta(days=rng.randint(1, 12))
        else:
            closed = received + timedelta(days=rng.randint(5, length))
        closed = min(closed, due) if not expired else closed
        mediation = MediationPlan(
            body=body,
            mediator=rng.choice(body.people) if body.people else None,
            received_on=received,
            due_on=due,
            length=length,
            assigned_on=min(closed, received + timedelta(days=rng.choice((0, 0, 1, 2)))),
            closure=closure,
            closed_on=closed,
            expired=expired,
        )
        if closure in ("agreement", "settlement"):
            total = plan.matter.total or Decimal(rng.randint(5, 40) * 100)
            amount = _money(float(total) * rng.uniform(0.5, 0.9) / 100) * 100
            mediation.agreed_amount = amount
            if closure == "agreement":
                pay_by = closed + timedelta(days=rng.randint(7, 30))
                mediation.agreement_text = (
                    f"经调解，双方自愿达成如下协议：被申请人于{_ymd(pay_by)}前一次性支付申请人"
                    f"{amount}元，双方就本次争议再无其他纠纷。"
                )
            else:
                mediation.agreement_text = (
                    f"双方自行和解，被申请人当场支付申请人{amount}元，申请人不再主张其他请求。"
                )
        return mediation

    def plan_arbitration(self, rng, plan: DisputePlan, unit: OrgUnit, received: date):
        commission = self.commissions[unit.pk]
        cunit = commission.unit
        first_due = clocks.add_calendar_days(
            received, self.limits.days("arbitration_acceptance_days", received, cunit)
        )
        arb = ArbitrationPlan(
            commission=commission,
            received_first=received,
            first_due=first_due,
            received_on=received,
            decision_due_on=first_due,
        )
        ending = unit.valid_to is not None and received > unit.valid_to - timedelta(days=30)
        if rng.random() < 0.05 and not ending:
            # Materials missing (办案规则 Art.29): the received date becomes the day they came.
            arb.materials_on = received + timedelta(days=rng.randint(0, 2))
            arb.supplied_on = arb.materials_on + timedelta(days=rng.randint(2, 12))
            arb.materials = rng.choice(_MATERIALS)
            arb.received_on = arb.supplied_on
            arb.decision_due_on = clocks.add_calendar_days(
                arb.supplied_on,
                self.limits.days("arbitration_acceptance_days", arb.supplied_on, cunit),
            )
        window = [
            arb.received_on + timedelta(days=n)
            for n in range(1, (arb.decision_due_on - arb.received_on).days + 1)
        ]
        if rng.random() < REFUSED_SHARE:
            arb.refused_on = rng.choice(window)
            arb.refusal_reason = rng.choice(_REFUSALS)
            return arb
        working = [d for d in window if clocks.is_working_day(d)] or window
        arb.accepted_on = accepted = working[min(len(working) - 1, int(rng.expovariate(0.8)))]
        arb.length = self.limits.days("arbitration_award_days", accepted, cunit)
        max_extension = self.limits.days("arbitration_extension_max_days", accepted, cunit)
        collective = plan.matter.workers >= COLLECTIVE_THRESHOLD
        simplified = not collective and rng.random() < 0.55
        arb.procedure = "simplified" if simplified else "ordinary"
        panel = commission.panel
        arb.tribunal = rng.sample(panel, 1 if simplified else min(3, len(panel)))
        arb.tribunal_on = accepted + timedelta(days=rng.randint(0, 4))  # Art.32: 5 days
        base = arb.tribunal_on
        suspensions = ()
        if rng.random() < 0.015:
            start = base + timedelta(days=rng.randint(1, 5))
            end = start + timedelta(days=rng.randint(7, 35))
            arb.suspension = (
                start,
                end,
                rng.choice(_SUSPENSION_REASONS),
                f"仲裁委主任{rng.choice(commission.heads)}",
            )
            suspensions = ((start, end),)
            base = end + timedelta(days=1)
        arb.notified_on = base + timedelta(days=rng.randint(1, 10))
        # Art.35: the parties are told at least 5 days before the hearing.
        hearing = _working_on_or_after(arb.notified_on + timedelta(days=rng.randint(5, 20)))
        arb.hearing_at = _moment(hearing, rng.choice((9, 14)), rng.choice((0, 30)))
        due = clocks.Deadline(accepted, arb.length, suspensions=suspensions).due
        recent = accepted >= self.today - timedelta(days=150)
        stuck = rng.random() < (0.06 if recent else 0.015)
        closure = _ARBITRATION_OUTCOME.draw(rng)
        if stuck:
            closure = rng.choices(("award", "terminated", "mediation_document"), (5, 3, 2))[0]
        elif closure == "terminated":
            stuck = True
        if closure == "award":
            closed = hearing + timedelta(days=rng.randint(2, 20))
        elif closure == "mediation_document":
            closed = (
                hearing + timedelta(days=rng.randint(0, 10))
                if rng.random() < 0.6
                else accepted + timedelta(days=rng.randint(10, max(10, (hearing - accepted).days)))
            )
        elif closure == "withdrawn":
            closed = accepted + timedelta(days=rng.randint(3, (hearing - accepted).days + 5))
        elif closure == "deemed_withdrawn":
            closed = hearing
        else:  # cancelled, or terminated (set below)
            closed = accepted + timedelta(days=rng.randint(2, 20))
        if closure in ("award", "mediation_document"):
            closed = max(closed, accepted + timedelta(days=10))
        if closed > due and not stuck:
            if closure in ("award", "mediation_document") and rng.random() < 0.7:
                days = min(max_extension, (closed - due).days + rng.randint(0, 3))
                on = max(accepted + timedelta(days=1), due - timedelta(days=rng.randint(1, 7)))
                arb.extension = (
                    on,
                    days,
                    rng.choice(_EXTENSION_REASONS),
                    f"仲裁委主任{rng.choice(commission.heads)}",
                )
                due = clocks.Deadline(
                    accepted, arb.length, extensions=[days], suspensions=suspensions
                ).due
            closed = min(closed, due)
        if stuck:
            closed = due + timedelta(days=rng.randint(5, 40))
        arb.closure, arb.closed_on = closure, closed
        arb.note = CLOSURE_NOTES.get(closure, "")
        if closure == "award":
            for index, (_, amount) in enumerate(plan.matter.claims):
                roll = rng.random()
                if amount is None or roll < 0.15:
                    granted = Decimal("0.00")
                elif roll < 0.55:
                    granted = amount
                else:
                    granted = _money(float(amount) * rng.uniform(0.4, 0.95))
                arb.award.append((index, granted))
        return arb

    def number(self, plans: list[DisputePlan]) -> None:
        """Case numbers in the order of acceptance, per commission and year, as ``accept`` does."""
        accepted = [
            p.arbitration
            for p in plans
            if p.arbitration is not None
            and p.arbitration.accepted_on is not None
            and p.arbitration.accepted_on <= self.today
            and p.arbitration.received_first <= self.today
        ]
        accepted.sort(key=lambda a: (a.accepted_on, a.received_on))
        counters = self.numbers
        for arb in accepted:
            prefix = f"{arb.commission.short_name}案字〔{arb.accepted_on.year}〕第"
            counters[(arb.commission.pk, prefix)] += 1
            arb.number = f"{prefix}{counters[(arb.commission.pk, prefix)]}号"

    # --- writing -------------------------------------------------------------------------

    def write(self, plans: list[DisputePlan]) -> None:
        """Rows for a batch of planned disputes, with their ids given here, then written."""
        rng = self.rng(f"write:{plans[0].unit.code}:{plans[0].day}:{len(plans)}")
        today, system, sink = self.today, self.system.pk, self.sinks
        counts = self.counts
        for plan in plans:
            matter = plan.matter
            collective = matter.workers >= COLLECTIVE_THRESHOLD
            registered = _moment(plan.day, rng.choice((8, 9)), rng.randrange(60))
            dispute = {
                "unit_id": plan.unit.pk,
                "channel": plan.channel,
                "employer_id": plan.employer[0],
                "employer_name": plan.employer[1],
                "employer_uscc": plan.employer[2],
                "facts": matter.facts,
                "is_collective": collective,
                "workers_count": matter.workers,
                "registered_at": registered,
                "registered_by_id": None,
            }
            dispute_id = sink["dispute"].add(dispute)  # also dispute["id"]
            seen: set[str] = set()
            representatives = min(5, max(3, matter.workers // 10)) if collective else 0
            for index in range(matter.workers):
                number = resident_id(rng, plan.day)
                while number in seen:
                    number = resident_id(rng, plan.day)
                seen.add(number)
                sink["worker"].add(
                    {
                        "dispute_id": dispute_id,
                        "name": _person(rng),
                        "resident_id": number,  # encrypted as the model field does
                        "resident_id_hash": blind_index(number),
                        "phone": _phone(rng) if rng.random() < 0.7 else "",
                        "is_representative": index < representatives,
                    }
                )
            claim_ids = [
                sink["claim"].add(
                    {
                        "dispute_id": dispute_id,
                        "claim_type_id": code,
                        "amount": amount,
                        "description": "",
                    }
                )
                for code, amount in matter.claims
            ]
            counts.disputes += 1
            counts.workers += matter.workers
            counts.claims += len(claim_ids)
            counts.per_unit[plan.unit.code] += 1
            mediation_id = None
            if plan.mediation is not None:
                row = self.mediation_row(plan.mediation, dispute)
                mediation_id = sink["mediation"].add(row)
                for event in self.mediation_events(rng, plan.mediation, row):
                    event["case_id"] = mediation_id
                    sink["mediation_event"].add(event)
                counts.mediation_cases += 1
                counts.open_cases += row["ended_on"] is None
            arb = plan.arbitration
            if arb is None or arb.received_first > today:
                continue
            row = self.arbitration_row(arb, dispute, plan)
            row["from_mediation_id"] = mediation_id
            case_id = sink["arbitration"].add(row)
            for event in self.arbitration_events(rng, arb, row):
                event["case_id"] = case_id
                sink["arbitration_event"].add(event)
            for change in self.arbitration_changes(rng, arb, row):
                change["case_id"] = case_id
                sink["arbitration_change"].add(change)
            if self.tribunal_formed(arb):
                for person in arb.tribunal:
                    sink["tribunal"].add(
                        {"arbitrationcase_id": case_id, "arbitrator_id": person.pk}
                    )
            for index, amount, is_final, basis in row.pop("award_plan", ()):
                sink["award"].add(
                    {
                        "case_id": case_id,
                        "claim_id": claim_ids[index],
                        "amount": amount,
                        "is_final": is_final,
                        "final_basis": basis,
                    }
                )
                counts.award_items += 1
            if mediation_id is not None:
                sink["mediation_event"].add(
                    {
                        "case_id": mediation_id,
                        "actor_id": system,
                        "at": _moment(arb.received_first, 16, 50),
                        "kind": "transferred",
                        "text": f"转{arb.commission.name}（{case_id}）。",
                    }
                )
            counts.arbitration_cases += 1
            counts.closed_arbitration += row["closed_on"] is not None
            counts.open_cases += row["ended_on"] is None
        for name in SINK_ORDER:  # parents before children
            sink[name].flush()

    def mediation_row(self, med: MediationPlan, dispute: dict) -> dict:
        today = self.today
        assigned = med.mediator is not None and med.assigned_on <= today
        closed = med.closed_on <= today
        row = {
            "dispute_id": dispute["id"],
            "body_id": med.body.pk,
            "mediator_id": med.mediator.pk if assigned else None,
            "mediator_name": med.mediator.name if assigned else "",
            "unit_id": med.body.unit_id,
            "received_on": med.received_on,
            "accepted_on": med.received_on,
            "is_collective": dispute["is_collective"],
            "workers_count": dispute["workers_count"],
            "assigned_to_id": med.mediator.user_id if assigned else None,
            "clock_start": med.received_on,
            "clock_length": med.length,
            "clock_unit": clocks.CALENDAR,
            "due_on": None if closed else med.due_on,
            "status": (
                MediationCase.Status.CLOSED
                if closed
                else MediationCase.Status.MEDIATING
                if assigned
                else MediationCase.Status.RECEIVED
            ),
            "closure": med.closure if closed else "",
            "closed_on": med.closed_on if closed else None,
            "ended_on": med.closed_on if closed else None,
            "agreement_text": med.agreement_text if closed else "",
            "agreed_amount": med.agreed_amount if closed else None,
            "version": 1,
            "created_at": dispute["registered_at"],
        }
        return row

    def mediation_events(self, rng, med: MediationPlan, row: dict) -> list[dict]:
        system = self.system.pk
        events = [
            {
                "actor_id": system,
                "at": row["created_at"],
                "kind": "received",
                "text": f"{med.body.name}收到调解申请，调解期限至 {med.due_on}。",
            }
        ]
        if row["mediator_id"] is not None:
            events.append(
                {
                    "actor_id": system,
                    "at": _moment(med.assigned_on, 11, rng.randrange(60)),
                    "kind": "assigned",
                    "text": f"指派调解员 {row['mediator_name']}。",
                }
            )
        if row["closed_on"] is not None:
            text = (
                "调解期限届满未达成协议，结案并转仲裁。"
                if med.expired
                else f"调解结案：{MediationCase.Closure(med.closure).label}（{med.closed_on}）。"
            )
            events.append(
                {
                    "actor_id": system,
                    "at": _moment(med.closed_on, 15, rng.randrange(60)),
                    "kind": "closed",
                    "text": text,
                }
            )
        return events

    def arbitration_row(self, arb: ArbitrationPlan, dispute: dict, plan: DisputePlan) -> dict:
        today = self.today
        row = {
            "dispute_id": dispute["id"],
            "commission_id": arb.commission.pk,
            "unit_id": arb.commission.unit_id,
            "received_on": arb.received_first,
            "accepted_on": None,
            "assigned_to_id": None,
            "is_collective": dispute["is_collective"],
            "workers_count": dispute["workers_count"],
            "clock_start": None,
            "clock_length": None,
            "clock_unit": clocks.CALENDAR,
            "decision_due_on": arb.first_due,
            "due_on": arb.first_due,  # until acceptance, the decision is what falls due
            "status": ArbitrationCase.Status.RECEIVED,
            "refused_on": None,
            "refusal_reason": "",
            "procedure": "",
            "number": "",
            "hearing_at": None,
            "hearing_notified_on": None,
            "closure": "",
            "closed_on": None,
            "ended_on": None,
            "closure_note": "",
            "search_text": "",
            "version": 1,
            "created_at": _moment(arb.received_first, self.received_hour(plan), 0),
        }
        if arb.materials_on is not None and arb.materials_on <= today:
            row["status"], row["due_on"] = ArbitrationCase.Status.MATERIALS_REQUESTED, None
            if arb.supplied_on <= today:
                row["received_on"] = arb.received_on
                row["decision_due_on"] = row["due_on"] = arb.decision_due_on
                row["status"] = ArbitrationCase.Status.RECEIVED
        if arb.refused_on is not None and arb.refused_on <= today:
            row["refused_on"] = row["ended_on"] = arb.refused_on
            row["refusal_reason"] = arb.refusal_reason
            row["status"], row["due_on"] = ArbitrationCase.Status.REFUSED, None
            return row
        if arb.accepted_on is None or arb.accepted_on > today:
            return row
        row.update(
            accepted_on=arb.accepted_on,
            procedure=arb.procedure,
            number=arb.number,
            clock_start=arb.accepted_on,
            clock_length=arb.length,
            status=ArbitrationCase.Status.ACCEPTED,
        )
        if self.tribunal_formed(arb):
            row["status"] = ArbitrationCase.Status.TRIBUNAL_FORMED
            presiding = next((m for m in arb.tribunal if m.user_id), None)
            row["assigned_to_id"] = presiding.user_id if presiding else None
        if arb.notified_on <= today and arb.notified_on < arb.closed_on:
            row["status"] = ArbitrationCase.Status.HEARING_SCHEDULED
            row["hearing_at"], row["hearing_notified_on"] = arb.hearing_at, arb.notified_on
        if arb.closed_on <= today:
            row.update(
                closure=arb.closure,
                closed_on=arb.closed_on,
                ended_on=arb.closed_on,
                closure_note=arb.note,
                status=ArbitrationCase.Status.CLOSED,
                due_on=None,
            )
            names = [self.claim_types[code].name for code, _ in plan.matter.claims]
            row["search_text"] = search_text(plan.matter.clauses, names)
            if arb.award:
                unit = arb.commission.unit
                threshold, trace = self.limits.final_threshold(arb.closed_on, unit)
                items = [
                    (self.claim_types[plan.matter.claims[i][0]].category, amount)
                    for i, amount in arb.award
                ]
                tested = mark_final(items, threshold, trace)
                row["award_plan"] = [
                    (i, amount, final, basis)
                    for (i, amount), (final, basis) in zip(arb.award, tested, strict=True)
                ]
        else:
            row["due_on"] = self.deadline_on(arb, today).due
        return row

    def tribunal_formed(self, arb: ArbitrationPlan) -> bool:
        return (
            arb.tribunal_on is not None
            and arb.accepted_on <= self.today
            and arb.tribunal_on <= min(self.today, arb.closed_on)
        )

    def received_hour(self, plan: DisputePlan) -> int:
        """Taken over from a failed mediation late in the day; otherwise in the morning."""
        return 16 if plan.mediation is not None else 9

    def deadline_on(self, arb: ArbitrationPlan, day: date) -> clocks.Deadline:
        """The award clock as the changes recorded by ``day`` make it."""
        extensions = []
        if arb.extension is not None and arb.extension[0] <= day:
            extensions.append(arb.extension[1])
        suspensions = []
        if arb.suspension is not None and arb.suspension[0] <= day:
            start, end = arb.suspension[:2]
            suspensions.append((start, end if end + timedelta(days=1) <= day else None))
        return clocks.Deadline(
            arb.accepted_on, arb.length, extensions=extensions, suspensions=suspensions
        )

    def arbitration_events(self, rng, arb: ArbitrationPlan, row: dict) -> list[dict]:
        """The timeline ``receive_arbitration`` … ``close`` would have written, up to today."""
        today, system = self.today, self.system.pk
        steps: list[tuple[date, int, str, str]] = []
        note = "（集体争议，优先立案、优先审理）" if row["is_collective"] else ""
        steps.append(
            (
                arb.received_first,
                row["created_at"].hour,
                "received",
                f"收到仲裁申请{note}，应于 {arb.first_due} 前作出是否受理的决定。",
            )
        )
        if arb.materials_on is not None:
            steps.append(
                (arb.materials_on, 17, "materials_requested", f"通知补正材料：{arb.materials}")
            )
            steps.append(
                (
                    arb.supplied_on,
                    10,
                    "materials_supplied",
                    f"材料补正齐全，收到日期改为 {arb.supplied_on}，应于 {arb.decision_due_on} "
                    "前决定是否受理。",
                )
            )
        if arb.refused_on is not None:
            steps.append((arb.refused_on, 16, "refused", f"不予受理：{arb.refusal_reason}"))
        if arb.accepted_on is not None:
            at_acceptance = clocks.add_calendar_days(arb.accepted_on, arb.length)
            steps.append(
                (
                    arb.accepted_on,
                    11,
                    "accepted",
                    f"受理，案号 {arb.number}，审理期限至 {at_acceptance}。",
                )
            )
            if arb.tribunal_on <= arb.closed_on:
                names = "、".join(m.name for m in arb.tribunal)
                steps.append((arb.tribunal_on, 14, "tribunal_formed", f"组成仲裁庭：{names}。"))
            if arb.suspension is not None:
                start, end, reason, approver = arb.suspension
                steps.append(
                    (start, 10, "suspended", f"经{approver}批准自 {start} 中止审理。理由：{reason}")
                )
                resumed = end + timedelta(days=1)
                if resumed <= today:
                    due = self.deadline_on(arb, resumed).due
                    steps.append(
                        (resumed, 8, "resumed", f"中止至 {end} 结束，恢复审理，审理期限至 {due}。")
                    )
            if arb.notified_on < arb.closed_on:
                hearing_day = arb.hearing_at.date()
                steps.append(
                    (
                        arb.notified_on,
                        15,
                        "hearing_scheduled",
                        f"定于 {hearing_day} 开庭，{arb.notified_on} 通知当事人。",
                    )
                )
            if arb.extension is not None and arb.extension[0] <= today:
                on, days, reason, approver = arb.extension
                due = self.deadline_on(arb, on).due
                steps.append(
                    (
                        on,
                        16,
                        "extended",
                        f"经{approver}批准延长 {days} 日，审理期限至 {due}。理由：{reason}",
                    )
                )
            if row["closed_on"] is not None:
                label = ArbitrationCase.Closure(arb.closure).label
                final = ""
                award = row.get("award_plan")
                if award:
                    final = "，终局裁决" if all(item[2] for item in award) else "，非终局裁决"
                steps.append(
                    (arb.closed_on, 18, "closed", f"结案：{label}{final}（{arb.closed_on}）。")
                )
        steps.sort(key=lambda s: (s[0], s[1]))
        return [
            {
                "actor_id": system,
                "at": _moment(day, hour, rng.randrange(60)),
                "kind": kind,
                "text": text[:500],
            }
            for day, hour, kind, text in steps
            if day <= today
        ]

    def arbitration_changes(self, rng, arb: ArbitrationPlan, row: dict) -> list[dict]:
        if row["accepted_on"] is None:
            return []
        changes = []
        last_day = row["closed_on"] or self.today
        base = {"recorded_by_id": self.system.pk, "days": 0, "from_day": None, "to_day": None}
        if arb.suspension is not None and arb.suspension[0] <= last_day:
            start, end, reason, approver = arb.suspension
            changes.append(
                base
                | {
                    "kind": ClockChangeBase.Kind.SUSPENSION,
                    "from_day": start,
                    "to_day": end if end + timedelta(days=1) <= last_day else None,
                    "reason": reason,
                    "approver": approver,
                    "at": _moment(start, 10, rng.randrange(60)),
                }
            )
        if arb.extension is not None and arb.extension[0] <= last_day:
            on, days, reason, approver = arb.extension
            changes.append(
                base
                | {
                    "kind": ClockChangeBase.Kind.EXTENSION,
                    "days": days,
                    "reason": reason,
                    "approver": approver,
                    "at": _moment(on, 15, rng.randrange(60)),
                }
            )
        return changes

    # --- model cases ---------------------------------------------------------------------

    def mark_model_cases(self) -> None:
        """A handful of closed cases become 精品案例, through the service (audited)."""
        rng = self.rng("model")
        chosen: set[int] = set()
        for code, summary in MODEL_SUMMARIES.items():
            candidates = list(
                ArbitrationCase.objects.filter(
                    closure__in=("award", "mediation_document"),
                    dispute__claims__claim_type=code,
                    is_model_case=False,
                )
                .exclude(pk__in=chosen)
                .order_by("-closed_on", "id")
                .values_list("pk", flat=True)[:400]
            )
            if code == "wages":  # the collective one
                candidates = (
                    list(
                        ArbitrationCase.objects.filter(
                            pk__in=candidates, is_collective=True
                        ).values_list("pk", flat=True)
                    )
                    or candidates
                )
            for pk in rng.sample(
                candidates, min(self.scale.model_cases_per_claim, len(candidates))
            ):
                chosen.add(pk)
                case = ArbitrationCase.objects.get(pk=pk)
                dispute_services.mark_model_case(self.system, case, is_model=True, summary=summary)
        self.counts.model_cases = len(chosen)


# --- cases through the services --------------------------------------------------------------


class ServiceCases:
    """About twenty 渝中区 cases taken through the real services by the demo accounts; the
    timeline events are then dated on the days the steps stand for (the audit entries keep
    the moment they were really written)."""

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.today = loader.today
        self.rng = loader.rng("services")
        self.unit = next((u for u in loader.districts if u.code == "500103"), None)
        self.last: datetime | None = None

    def actor(self, username: str):
        return User.objects.filter(username=username).first() or self.loader.system

    def run(self) -> int:
        if self.unit is None:
            return 0
        self.staff = self.actor("yuzhong")
        self.mediator_user = self.actor("mediator")
        self.arbitrator_user = self.actor("arbitrator")
        self.body = self.loader.home_body(self.unit)
        self.person = self.body.people[0]
        self.commission = self.loader.commissions[self.unit.pk]
        self.panel = self.commission.panel
        self.showcase = Enterprise.objects.filter(name="重庆山城精工机械有限公司").first()
        made = 0
        for outcome, received, closed in (
            ("agreement", 70, 62),
            ("settlement", 48, 45),
            ("withdrawn", 40, 38),
            ("no_agreement", 35, 22),
            (None, 25, None),  # open past its 15 days: overdue
            ("unassigned", 3, None),
        ):
            made += self.mediation(outcome, received, closed)
        for script in (
            ("award_mixed", 80),
            ("award_final", 75),
            ("award_model", 90),
            ("mediation_document", 65),
            ("mediation_document_hearing", 60),
            ("withdrawn", 55),
            ("refused", 50),
            ("extended", 62),
            ("suspended", 45),
            ("materials", 8),
            ("received", 2),
            ("hearing", 30),
            ("overdue", 70),
            ("collective", 20),
            ("deemed_withdrawn", 100),
        ):
            made += self.arbitration(*script)
        return made

    def day(self, offset: int) -> date:
        return self.today - timedelta(days=offset)

    def dated(self, day: date, call, *args, **kwargs):
        """Run a service call; date the timeline rows it wrote on ``day``."""
        models = (MediationEvent, ArbitrationEvent, MediationClockChange, ArbitrationClockChange)
        marks = {m: m.objects.aggregate(last=Max("id"))["last"] or 0 for m in models}
        result = call(*args, **kwargs)
        # Steps of one day follow each other: each a little after the one before.
        when = _moment(day, 9, self.rng.randrange(30))
        if self.last is not None and self.last.date() == day:
            when = self.last + timedelta(minutes=self.rng.randint(10, 50))
        self.last = when
        for model, last in marks.items():
            model.objects.filter(id__gt=last).update(at=when)
        return result

    def register(self, day: date, scenario: str, workers: int = 1) -> Dispute:
        matter = make_matter(self.rng, day, scenario, workers)
        people = []
        for _ in range(workers):
            people.append(
                {
                    "name": _person(self.rng),
                    "resident_id": resident_id(self.rng, day),
                    "phone": _phone(self.rng),
                    "is_representative": workers >= COLLECTIVE_THRESHOLD and len(people) < 3,
                }
            )
        employer = self.showcase if self.showcase and self.rng.random() < 0.3 else None
        dispute = dispute_services.register_dispute(
            self.staff,
            unit=self.unit,
            channel="staff",
            facts=matter.facts,
            workers=people,
            claims=[{"claim_type": c, "amount": a} for c, a in matter.claims],
            employer=employer,
            employer_name="" if employer else f"重庆{self.rng.choice(_BRAND)}餐饮管理有限公司",
        )
        moment = _moment(day, 9, self.rng.randrange(60))
        Dispute.objects.filter(pk=dispute.pk).update(registered_at=moment)
        return dispute

    def mediation(self, outcome, received_offset: int, closed_offset) -> int:
        received = self.day(received_offset)
        dispute = self.register(received, self.rng.choice(("wages", "overtime", "no_contract")))
        actor = self.mediator_user
        case = self.dated(
            received,
            dispute_services.open_mediation,
            actor,
            dispute,
            body=self.body,
            received_on=received,
        )
        MediationCase.objects.filter(pk=case.pk).update(created_at=_moment(received, 9))
        if outcome == "unassigned":
            return 1
        case = self.dated(
            received, dispute_services.assign_mediation, actor, case, mediator=self.person
        )
        if outcome is None:
            return 1
        closed = self.day(closed_offset)
        total = sum((c.amount for c in dispute.claims.all() if c.amount), Decimal(0))
        amount = _money(float(total) * 0.7)
        text = {
            "agreement": (
                f"经调解，双方自愿达成如下协议：被申请人于{_ymd(closed + timedelta(days=15))}"
                f"前一次性支付申请人{amount}元，双方就本次争议再无其他纠纷。"
            ),
            "settlement": f"双方自行和解，被申请人当场支付申请人{amount}元。",
        }.get(outcome, "")
        case = self.dated(
            closed,
            dispute_services.close_mediation,
            actor,
            case,
            closure=outcome,
            closed_on=closed,
            agreement_text=text,
            agreed_amount=amount if text else None,
        )
        if outcome != "no_agreement":
            return 1
        received = closed + timedelta(days=2)
        arbitration = self.dated(
            received,
            dispute_services.transfer_to_arbitration,
            self.arbitrator_user,
            case,
            commission=self.commission,
            received_on=received,
        )
        ArbitrationCase.objects.filter(pk=arbitration.pk).update(created_at=_moment(received, 9))
        arbitration = self.accept(arbitration, received + timedelta(days=2), "simplified")
        arbitration = self.tribunal(arbitration, received + timedelta(days=3))
        hearing = _working_on_or_after(self.today + timedelta(days=4))
        self.hearing(arbitration, self.today - timedelta(days=1), hearing)
        return 2

    def accept(self, case, on: date, procedure: str):
        return self.dated(
            on,
            dispute_services.accept,
            self.arbitrator_user,
            case,
            accepted_on=on,
            procedure=procedure,
        )

    def tribunal(self, case, on: date):
        size = 1 if case.procedure == "simplified" else 3
        return self.dated(
            on,
            dispute_services.form_tribunal,
            self.arbitrator_user,
            case,
            arbitrators=self.panel[:size],
        )

    def hearing(self, case, notified: date, hearing: date):
        return self.dated(
            notified,
            dispute_services.schedule_hearing,
            self.arbitrator_user,
            case,
            hearing_at=_moment(hearing, 9, 30),
            notified_on=notified,
        )

    def arbitration(self, script: str, received_offset: int) -> int:
        actor = self.arbitrator_user
        received = self.day(received_offset)
        scenario = {
            "award_model": "no_contract",
            "award_mixed": "wages",
            "award_final": "overtime",
            "collective": "collective",
        }.get(script, self.rng.choice(("termination", "wages", "leave", "work_injury")))
        dispute = self.register(received, scenario, 12 if script == "collective" else 1)
        case = self.dated(
            received,
            dispute_services.receive_arbitration,
            actor,
            dispute,
            commission=self.commission,
            received_on=received,
        )
        ArbitrationCase.objects.filter(pk=case.pk).update(created_at=_moment(received, 9))
        if script == "received":
            return 1
        if script == "materials":
            self.dated(
                received + timedelta(days=1),
                dispute_services.request_materials,
                actor,
                case,
                items=_MATERIALS[0],
            )
            return 1
        if script == "refused":
            self.dated(
                received + timedelta(days=2),
                dispute_services.refuse,
                actor,
                case,
                refused_on=received + timedelta(days=2),
                reason=_REFUSALS[0],
            )
            return 1
        ordinary = script in ("award_final", "collective", "extended")
        accepted = received + timedelta(days=1 if script == "collective" else 2)
        case = self.accept(case, accepted, "ordinary" if ordinary else "simplified")
        if script == "withdrawn":
            self.close(
                case, accepted + timedelta(days=5), "withdrawn", note=CLOSURE_NOTES["withdrawn"]
            )
            return 1
        case = self.tribunal(case, accepted + timedelta(days=1))
        if script == "collective":
            return 1
        if script == "suspended":
            self.dated(
                self.day(30),
                dispute_services.suspend,
                actor,
                case,
                from_day=self.day(30),
                reason=_SUSPENSION_REASONS[0],
                approver="仲裁委主任" + self.commission.heads[0],
            )
            return 1
        if script == "mediation_document":
            self.close(case, accepted + timedelta(days=18), "mediation_document")
            return 1
        notified = accepted + timedelta(days=3)
        hearing = _working_on_or_after(notified + timedelta(days=8))
        if script == "hearing":
            hearing = _working_on_or_after(self.today + timedelta(days=4))
            notified = self.day(3)
        case = self.hearing(case, notified, hearing)
        if script in ("hearing", "overdue"):
            return 1
        if script == "extended":
            self.dated(
                accepted + timedelta(days=40),
                dispute_services.extend,
                actor,
                case,
                days=15,
                decided_on=accepted + timedelta(days=40),  # before the 45 days ran out
                reason=_EXTENSION_REASONS[2],
                approver="仲裁委主任" + self.commission.heads[0],
            )
            return 1
        closed = min(self.today, hearing + timedelta(days=5))
        if script == "deemed_withdrawn":
            self.close(case, hearing, "deemed_withdrawn", note=CLOSURE_NOTES["deemed_withdrawn"])
            return 1
        if script == "mediation_document_hearing":
            self.close(case, hearing, "mediation_document")
            return 1
        claims = list(case.dispute.claims.all())
        items = [
            {"claim": claim, "amount": (claim.amount or Decimal(0)) * Decimal("0.8")}
            for claim in claims
        ]
        case = self.close(case, closed, "award", items=items)
        if script == "award_model":
            self.dated(
                closed + timedelta(days=3) if closed + timedelta(days=3) <= self.today else closed,
                dispute_services.mark_model_case,
                actor,
                case,
                is_model=True,
                summary=MODEL_SUMMARIES["double_wages"],
            )
        return 1

    def close(self, case, on: date, closure: str, *, items=None, note: str = ""):
        return self.dated(
            on,
            dispute_services.close,
            self.arbitrator_user,
            case,
            closure=closure,
            closed_on=on,
            items=items,
            note=note,
        )
