"""Demo labour inspection (issue #4): complaints and inspection cases from 2024-01-01 up to today
in every district-level unit, two inspectors per district, the compliance ratings of the
current year and a few blacklist listings.

How it is built (as ``demo/disputes.py``):

* Each district-level unit is planned in memory — every date, decision, duration and outcome —
  by the same clock rules the services use (``core.clocks`` working days with the holiday
  calendar, the dated time limits), and the plan is cut at today: what had not happened by
  today has not happened (undecided complaints, open cases with their ``due_on``). The plan is
  written with ``bulk_create`` in batches; stored fields and timeline texts are what the
  services would have written. Case numbers continue in ``CaseNumberSequence``.
* About 50,000 complaints a year at ``--scale city`` (a third about unpaid wages of migrant
  workers, some on construction projects when the registry has any), plus proactive cases.
  Durations are drawn so that the closure rates land near the plan's targets (97-99 %).
* A handful of complaints in 渝中区 go through the real services with the demo accounts, so
  their timelines and audit trails are the platform's own; the ratings of the current year are
  computed by the service (set-based) for every unit; a few listings go on the blacklist.

Everything is drawn from seeded random generators (one per unit): a seed gives the same data on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from yutong.core import clocks, roles
from yutong.core import services as core_services
from yutong.core.models import OrgUnit, Role, User
from yutong.core.money import yuan
from yutong.core.personal import blind_index
from yutong.inspection import services
from yutong.inspection.models import (
    CaseNumberSequence,
    Complaint,
    ComplaintEvent,
    InspectionCase,
    InspectionClockChange,
    InspectionEvent,
)
from yutong.registry.models import ConstructionProject, Enterprise

START = date(2024, 1, 1)
BATCH = 1000


@dataclass(frozen=True)
class Scale:
    complaints_per_year: int  # the whole city
    proactive_share: float  # proactive cases per complaint
    employers_per_unit: int  # registered enterprises drawn on as employers, per unit


SCALES = {
    "small": Scale(complaints_per_year=600, proactive_share=0.25, employers_per_unit=40),
    "city": Scale(complaints_per_year=50_000, proactive_share=0.25, employers_per_unit=3000),
}

WAGE_ARREARS_SHARE = 1 / 3
ON_PROJECT_SHARE = 0.45  # of wage-arrears complaints, when the unit has projects
CHANNELS = {
    "online": 35,
    "hotline_12333": 30,
    "hotline_12345": 15,
    "visit": 12,
    "letter": 5,
    "transfer": 3,
}
DECISIONS = {"accept": 82, "redirect": 8, "refuse": 6, "materials": 4}
OUTCOMES = {"order": 55, "penalty": 12, "no_violation": 30, "police": 3}
ORIGINS = {"patrol": 45, "written_review": 20, "campaign": 25, "random_draw": 10}
ANONYMOUS_SHARE = 0.25
UNREGISTERED_SHARE = 0.2  # employers typed by name, not in the registry
# Winter campaigns before the Spring Festival bring more wage complaints.
MONTH_WEIGHT = [1.3, 0.8, 1.0, 0.95, 0.95, 0.9, 0.95, 0.95, 0.9, 0.95, 1.05, 1.3]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红兵琴云飞鹏婷玲斌辉"
_BRAND = "恒达 鑫源 华宇 长江 渝丰 金桥 宏图 博远 腾飞 嘉禾 瑞丰 同创 山城 巴渝 九鼎".split()
_TRADES = "建筑劳务 装饰工程 物业管理 餐饮管理 电子科技 汽车配件 物流 保安服务".split()
_MATTERS = {
    "wages": "拖欠{months}个月工资共{amount}元，多次催要未果",
    "working_time": "每天工作超过 11 小时，每月仅休息 2 天，加班费未支付",
    "labour_contracts": "入职{months}个月未签订书面劳动合同",
    "social_insurance": "未依法为职工缴纳社会保险费",
    "women_minors": "女职工孕期被调岗降薪",
    "internal_rules": "规章制度未经民主程序即执行并据此罚款",
    "child_labour": "招用未满 16 周岁的未成年人",
    "training": "特种作业人员未取得职业资格即上岗",
    "other": "扣押劳动者身份证件",
}
_REFUSALS = (
    "投诉的违法行为发生在两年以前，依法不再查处",
    "同一事项已由劳动人事争议仲裁委员会受理",
)
_REDIRECTS = (
    "属于劳动争议，请向有管辖权的劳动人事争议仲裁委员会申请仲裁",
    "用人单位不在本区，请向用人单位所在区县劳动保障监察机构投诉",
    "属于住房公积金缴存问题，请向住房公积金管理中心反映",
)
_EXTENSIONS = ("涉及人数较多，案情复杂", "需调取银行代发工资记录", "用人单位负责人下落不明")


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, -2))).quantize(Decimal("0.01"))


@lru_cache(maxsize=200_000)
def _add_working(start: date, n: int) -> date:
    return clocks.add_working_days(start, n)


def _draw(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _phone(rng) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@dataclass
class Counts:
    complaints: int = 0
    cases: int = 0
    closed_cases: int = 0
    open_complaints: int = 0
    wage_arrears: int = 0
    on_projects: int = 0
    inspectors: int = 0
    ratings: int = 0
    listings: int = 0
    service_complaints: int = 0
    seconds: float = 0.0
    per_unit: dict = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.complaints} complaints ({self.wage_arrears} about wage arrears, "
            f"{self.on_projects} on projects, {self.open_complaints} undecided), {self.cases} "
            f"inspection cases ({self.closed_cases} closed), {self.inspectors} inspectors, "
            f"{self.ratings} B/C ratings, {self.listings} blacklist listings, "
            f"{self.service_complaints} through the services ({self.seconds:.0f}s)"
        )


def load_once(seed: int, scale: str = "small") -> Counts | None:
    """For ``yutong demo``: load unless inspection demo data is already there."""
    if Complaint.objects.exists():
        return None
    return load(seed, scale)


def load(
    seed: int,
    scale: str | Scale = "small",
    *,
    today: date | None = None,
    unit_codes: list[str] | None = None,
    service_cases: bool = True,
) -> Counts:
    """Load the inspection demo data; ``unit_codes`` restricts it to some units (tests)."""
    plan = SCALES[scale] if isinstance(scale, str) else scale
    started = time.monotonic()
    loader = _Loader(seed, plan, today or timezone.localdate(), unit_codes)
    with transaction.atomic():
        loader.run(service_cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Complaint, InspectionCase, ComplaintEvent, InspectionEvent):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    loader.counts.seconds = time.monotonic() - started
    return loader.counts


class _Loader:
    def __init__(self, seed, scale: Scale, today: date, unit_codes):
        self.seed, self.scale, self.today = seed, scale, today
        self.counts = Counts()
        units = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT)
        if unit_codes:
            units = units.filter(code__in=unit_codes)
        self.units = list(units.order_by("code"))
        # The city's volume is shared by the district-level units in force, whichever subset
        # is being loaded.
        self.district_count = max(
            1, OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True).count()
        )
        self.acceptance_days = services._limit("inspection_acceptance_working_days", today)
        self.case_days = services._limit("inspection_working_days", today)

    def rng(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:inspection:{label}")

    def run(self, service_cases: bool) -> None:
        self.inspectors = self.create_inspectors()
        for unit in self.units:
            self.load_unit(unit)
        if service_cases:
            self.counts.service_complaints = ServiceComplaints(self).run()
        self.rate_and_list()

    # --- people ------------------------------------------------------------------------------

    def create_inspectors(self) -> dict[int, list[User]]:
        """Two inspectors per district (staff records for the case teams; they cannot log in:
        the demo accounts of ``demo/accounts.py`` are the ones to log in with)."""
        role = Role.objects.get(code=roles.INSPECTOR)
        found: dict[int, list[User]] = {}
        for unit in self.units:
            rng = self.rng(f"people:{unit.code}")
            team = []
            for suffix in "ab":
                user, created = User.objects.get_or_create(
                    username=f"jc{unit.code}{suffix}",
                    defaults={"display_name": f"{_name(rng)}（{unit.name}监察员）", "unit": unit},
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.roles.add(role)
                    self.counts.inspectors += 1
                team.append(user)
            found[unit.pk] = team
        return found

    # --- one unit ----------------------------------------------------------------------------

    def days(self, unit: OrgUnit) -> list[tuple[date, float]]:
        first = max(START, unit.valid_from or START)
        last = min(self.today, unit.valid_to or self.today)
        out, day = [], first
        while day <= last:
            weight = MONTH_WEIGHT[day.month - 1] * (1.0 if clocks.is_working_day(day) else 0.25)
            out.append((day, weight))
            day += timedelta(days=1)
        return out

    def load_unit(self, unit: OrgUnit) -> None:
        rng = self.rng(unit.code)
        days = self.days(unit)
        if not days:
            return
        per_day = self.scale.complaints_per_year / 365 / self.district_count
        unit_weight = rng.uniform(0.6, 1.4)
        mean_weight = sum(w for _, w in days) / len(days)
        employers = list(
            Enterprise.objects.filter(unit=unit)
            .order_by("id")
            .values_list("id", "name", "uscc")[: self.scale.employers_per_unit]
        )
        projects = list(
            ConstructionProject.objects.filter(unit=unit)
            .order_by("id")
            .values_list("id", "general_contractor_id")[:500]
        )
        contractor = (
            dict(
                Enterprise.objects.filter(id__in={p[1] for p in projects}).values_list("id", "name")
            )
            if projects
            else {}
        )
        uscc_of = {e[0]: e[2] for e in employers}
        self.numbers: dict[int, int] = {}
        cases, plans = [], []
        for day, weight in days:
            expected = per_day * unit_weight * weight / mean_weight
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _ in range(count):
                plans.append(self.plan_complaint(rng, unit, day, employers, projects, contractor))
            proactive = expected * self.scale.proactive_share
            if rng.random() < proactive - int(proactive) or int(proactive):
                for _ in range(max(1, int(proactive))):
                    cases.append(self.plan_proactive(rng, unit, day, employers))
        self.write(unit, plans, cases, uscc_of)

    def employer(self, rng, employers) -> tuple[int | None, str, str]:
        if employers and rng.random() > UNREGISTERED_SHARE:
            pk, name, uscc = rng.choice(employers)
            return pk, name, uscc
        return None, f"重庆{rng.choice(_BRAND)}{rng.choice(_TRADES)}有限公司", ""

    def matter(self, rng, wages: bool) -> tuple[list[str], str, int, Decimal | None]:
        kinds = ["wages"] if wages else [rng.choice([k for k in _MATTERS if k != "wages"])]
        if rng.random() < 0.2:
            kinds.append(rng.choice([k for k in _MATTERS if k not in kinds]))
        workers = rng.choice([1, 1, 1, 2, 3, 5, 8, 12, 25]) if wages else rng.choice([1, 1, 2, 3])
        amount = _money(workers * rng.uniform(3000, 18000)) if wages else None
        months = rng.randint(1, 6)
        text = "；".join(_MATTERS[k].format(months=months, amount=amount or "") for k in kinds)
        return kinds, text + "。", workers, amount

    def plan_complaint(self, rng, unit, day, employers, projects, contractor) -> dict:
        wages = rng.random() < WAGE_ARREARS_SHARE
        project_id = None
        if wages and projects and rng.random() < ON_PROJECT_SHARE:
            project_id, gc = rng.choice(projects)
            employer = (gc, contractor.get(gc, ""), "")
        else:
            employer = self.employer(rng, employers)
        kinds, text, workers, amount = self.matter(rng, wages)
        channel = _draw(rng, CHANNELS)
        anonymous = rng.random() < ANONYMOUS_SHARE
        decision = _draw(rng, DECISIONS)
        # Decided within the 5 working days nearly always; a few late ones.
        lag = rng.choice([0, 1, 1, 2, 2, 3, 4, 5]) if rng.random() > 0.02 else rng.randint(6, 9)
        plan = {
            "unit": unit,
            "day": day,
            "channel": channel,
            "anonymous": anonymous,
            "name": "" if anonymous else _name(rng),
            "phone": "" if anonymous else _phone(rng),
            "employer": employer,
            "kinds": kinds,
            "matter": text,
            "wages": wages,
            "workers": workers,
            "amount": amount,
            "project_id": project_id,
            "decision": decision,
            "decided": _add_working(day, lag) if lag else day,
            "clock_start": day,
        }
        if decision == "materials":
            plan["requested"] = plan["decided"]
            plan["clock_start"] = plan["requested"] + timedelta(days=rng.randint(2, 12))
            plan["decided"] = _add_working(plan["clock_start"], rng.choice([0, 1, 2, 3]) or 1)
            plan["decision"] = "accept"
        if plan["decision"] == "accept":
            plan["case"] = self.plan_case(rng, wages, plan["decided"], workers)
        return plan

    def plan_case(self, rng, wages: bool, accepted: date, workers: int) -> dict:
        draw = rng.random()
        if wages:
            wd = (
                rng.randint(1, 5)
                if draw < 0.8
                else rng.randint(6, 15)
                if draw < 0.97
                else rng.randint(16, 50)
            )
        else:
            wd = (
                rng.randint(1, 6)
                if draw < 0.75
                else rng.randint(7, 20)
                if draw < 0.96
                else rng.randint(21, 60)
            )
        extension = rng.randint(10, 30) if wd > 45 and rng.random() < 0.6 else 0
        if wd > self.case_days and not extension:
            wd = self.case_days
        outcome = _draw(rng, OUTCOMES)
        return {
            "accepted": accepted,
            "closed": _add_working(accepted, wd),
            "extension": extension,
            "outcome": outcome,
            "refused_order": outcome in ("order", "penalty") and rng.random() < 0.03,
            "mass_incident": wages and workers >= 10 and rng.random() < 0.1,
            "obstructed": rng.random() < 0.005,
            "child": outcome != "no_violation" and rng.random() < 0.002,
            "recovered_share": rng.uniform(0.85, 1.0),
            "penalty": _money(rng.uniform(2000, 50000)),
        }

    def plan_proactive(self, rng, unit, day, employers) -> dict:
        wages = rng.random() < 0.4
        kinds, text, workers, amount = self.matter(rng, wages)
        origin = _draw(rng, ORIGINS)
        return {
            "unit": unit,
            "day": day,
            "origin": origin,
            "employer": self.employer(rng, employers),
            "kinds": kinds,
            "matter": ("专项检查" if origin == "campaign" else "检查") + "发现：" + text,
            "wages": wages,
            "workers": workers,
            "amount": amount,
            "campaign": f"{day.year} 年根治欠薪冬季专项行动" if origin == "campaign" else "",
            "case": self.plan_case(rng, wages, day, workers),
        }

    # --- writing ------------------------------------------------------------------------------

    def number(self, unit: OrgUnit, accepted: date) -> str:
        key = accepted.year
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{unit.name}人社监〔{key}〕{self.numbers[key]}号"

    def write(self, unit, plans, proactive, uscc_of) -> None:
        base = {s.year: s.last for s in CaseNumberSequence.objects.filter(unit=unit)}
        self.numbers = dict(base)
        team = self.inspectors[unit.pk]
        # Complaints first (the cases refer to them), in batches.
        for start in range(0, len(plans), BATCH):
            chunk = plans[start : start + BATCH]
            rows = [self.complaint_row(p, uscc_of) for p in chunk]
            Complaint.objects.bulk_create(rows)
            if rows[0].pk is None:  # SQLite before 3.35 gives no ids back
                raise RuntimeError("bulk_create did not return ids")
            events, case_plans = [], []
            for plan, row in zip(chunk, rows, strict=True):
                events.extend(self.complaint_events(plan, row))
                if plan.get("case") and plan["decided"] <= self.today:
                    case_plans.append((plan, row))
            ComplaintEvent.objects.bulk_create(events)
            self.write_cases(unit, case_plans, team, uscc_of)
        items = [(p, None) for p in proactive]
        for start in range(0, len(items), BATCH):
            self.write_cases(unit, items[start : start + BATCH], team, uscc_of)
        for year, last in self.numbers.items():
            CaseNumberSequence.objects.update_or_create(
                unit=unit, year=year, defaults={"last": last}
            )

    def complaint_row(self, p: dict, uscc_of: dict) -> Complaint:
        decided = p["decided"] <= self.today
        status = {"accept": "accepted", "refuse": "refused", "redirect": "redirected"}
        row = Complaint(
            unit=p["unit"],
            channel=p["channel"],
            received_on=p["day"],
            is_anonymous=p["anonymous"],
            complainant_name=p["name"],
            complainant_phone=p["phone"],
            complainant_phone_hash=blind_index(p["phone"]) if p["phone"] else "",
            employer_id=p["employer"][0],
            employer_name=p["employer"][1],
            employer_uscc=uscc_of.get(p["employer"][0], p["employer"][2]),
            matter=p["matter"],
            violation_types=p["kinds"],
            is_wage_arrears=p["wages"],
            project_id=p["project_id"],
            amount_owed=p["amount"],
            workers_count=p["workers"],
            is_collective=p["workers"] >= 10,
            clock_start=p["clock_start"],
            clock_length=self.acceptance_days,
            clock_unit=clocks.WORKING,
            created_at=_moment(p["day"], 9),
        )
        if decided:
            row.status = status[p["decision"]]
            row.ended_on = p["decided"]
            if p["decision"] == "accept":
                row.accepted_on = p["decided"]
            elif p["decision"] == "refuse":
                row.refusal_reason = _REFUSALS[p["day"].toordinal() % len(_REFUSALS)]
            else:
                row.redirect_to = _REDIRECTS[p["day"].toordinal() % len(_REDIRECTS)]
        elif "requested" in p and p["requested"] <= self.today < p["clock_start"]:
            row.status = "materials_requested"
            row.materials_requested = "劳动关系证明材料；欠薪金额的计算依据"
        else:
            row.status = "received"
            row.clock_start = p["clock_start"] if p["clock_start"] <= self.today else p["day"]
            row.due_on = _add_working(row.clock_start, self.acceptance_days)
            self.counts.open_complaints += 1
        self.counts.complaints += 1
        self.counts.wage_arrears += p["wages"]
        self.counts.on_projects += p["project_id"] is not None
        return row

    def complaint_events(self, p: dict, row: Complaint) -> list[ComplaintEvent]:
        who = "匿名" if p["anonymous"] else f"实名（电话 {p['phone'][:3]}****{p['phone'][-4:]}）"
        due = _add_working(p["day"], self.acceptance_days)
        events = [
            ComplaintEvent(
                case=row,
                at=_moment(p["day"], 9),
                kind="received",
                text=f"收到{row.get_channel_display()}，投诉人{who}，应于 {due} 前决定是否立案。",
            )
        ]
        if row.status in ("refused", "redirected", "accepted"):
            text = {
                "refused": f"书面决定不予受理：{row.refusal_reason}",
                "redirected": f"告知投诉人：{row.redirect_to}",
                "accepted": "决定立案。",
            }[row.status]
            events.append(
                ComplaintEvent(case=row, at=_moment(row.ended_on, 15), kind=row.status, text=text)
            )
        return events

    def write_cases(self, unit, items, team, uscc_of) -> None:
        rows, plans = [], []
        for plan, complaint in items:
            c = plan["case"]
            row = InspectionCase(
                origin="complaint" if complaint else plan["origin"],
                complaint=complaint,
                unit=unit,
                number=self.number(unit, c["accepted"]),
                received_on=complaint.received_on if complaint else plan["day"],
                accepted_on=c["accepted"],
                employer_id=plan["employer"][0],
                employer_name=plan["employer"][1],
                employer_uscc=uscc_of.get(plan["employer"][0], ""),
                matter=plan["matter"],
                violation_types=plan["kinds"],
                is_wage_arrears=plan["wages"],
                project_id=plan.get("project_id"),
                amount_owed=plan["amount"],
                workers_count=plan["workers"],
                is_collective=plan["workers"] >= 10,
                campaign=plan.get("campaign", ""),
                assigned_to=team[0],
                clock_start=c["accepted"],
                clock_length=self.case_days,
                clock_unit=clocks.WORKING,
                created_at=_moment(c["accepted"], 10),
            )
            extended = c["extension"] and _add_working(c["accepted"], 45) <= self.today
            if c["closed"] <= self.today:
                self.close_row(row, c)
            else:
                total = self.case_days + (c["extension"] if extended else 0)
                row.due_on = _add_working(c["accepted"], total)
            rows.append(row)
            plans.append((c, extended))
        InspectionCase.objects.bulk_create(rows)
        through = InspectionCase.inspectors.through
        through.objects.bulk_create(
            through(inspectioncase_id=row.pk, user_id=user.pk) for row in rows for user in team
        )
        events, changes = [], []
        for row, (c, extended) in zip(rows, plans, strict=True):
            events.append(
                InspectionEvent(
                    case=row,
                    at=_moment(row.accepted_on, 10),
                    actor=team[0],
                    kind="opened",
                    text=f"立案（{row.get_origin_display()}），案号 {row.number}，办理期限至 "
                    f"{_add_working(row.accepted_on, self.case_days)}。",
                )
            )
            if extended:
                day = _add_working(row.accepted_on, 45)
                reason = _EXTENSIONS[row.accepted_on.toordinal() % len(_EXTENSIONS)]
                changes.append(
                    InspectionClockChange(
                        case=row,
                        kind="extension",
                        days=c["extension"],
                        reason=reason,
                        approver="局分管负责人",
                        recorded_by=team[0],
                        at=_moment(day, 11),
                    )
                )
                events.append(
                    InspectionEvent(
                        case=row,
                        at=_moment(day, 11),
                        actor=team[0],
                        kind="extended",
                        text=f"经局分管负责人批准延长 {c['extension']} 个工作日。理由：{reason}",
                    )
                )
            if row.closed_on:
                events.append(
                    InspectionEvent(
                        case=row,
                        at=_moment(row.closed_on, 16),
                        actor=team[0],
                        kind="closed",
                        text=f"结案：{row.get_closure_display()}（{row.closed_on}）。",
                    )
                )
        InspectionEvent.objects.bulk_create(events)
        InspectionClockChange.objects.bulk_create(changes)
        self.counts.cases += len(rows)
        self.counts.per_unit[unit.code] = self.counts.per_unit.get(unit.code, 0) + len(rows)

    def close_row(self, row: InspectionCase, c: dict) -> None:
        outcome = c["outcome"]
        row.closure, row.closed_on, row.ended_on = outcome, c["closed"], c["closed"]
        row.status = InspectionCase.Status.CLOSED
        if outcome == "no_violation":
            row.closure_note = "经调查，未发现用人单位存在投诉所称违法行为，撤销立案。"
        elif outcome == "police":
            row.closure_note = "涉嫌拒不支付劳动报酬罪，移送公安机关。"
        if outcome == "penalty":
            row.penalty_amount = c["penalty"]
        if outcome != "no_violation":
            if row.amount_owed:
                row.amount_recovered = _money(float(row.amount_owed) * c["recovered_share"])
                row.workers_paid = row.workers_count
            row.refused_order = c["refused_order"]
            row.mass_incident = c["mass_incident"]
            row.child_or_forced_labour = c["child"]
        row.obstructed_inspection = c["obstructed"]
        self.counts.closed_cases += 1

    # --- ratings and blacklist through the services --------------------------------------------

    def rate_and_list(self) -> None:
        system = core_services.system_actor()
        year = self.today.year
        for unit in self.units:
            if unit.valid_to is not None:
                continue  # ended units are rated under their successor
            run = services.compute_ratings(system, unit=unit, year=year)
            self.counts.ratings += run.rated_b + run.rated_c
        candidates = (
            InspectionCase.objects.filter(
                unit__in=self.units,
                is_wage_arrears=True,
                refused_order=True,
                employer__isnull=False,
                closure__in=services.HANDLED,
                closed_on__gte=self.today - timedelta(days=900),
                closed_on__lte=self.today,
            )
            .order_by("closed_on", "id")
            .distinct()[:8]
        )
        listed: set[int] = set()
        for case in candidates:
            if case.employer_id in listed:
                continue
            services.list_in_blacklist(
                system,
                case,
                condition="criminal_threshold",
                basis=f"拒不支付 {case.workers_count} 名劳动者工资 {yuan(case.amount_owed)} 元，"
                "经责令限期支付逾期仍未支付（演示数据）",
                listed_on=min(
                    self.today, timezone.localdate(), case.closed_on + timedelta(days=20)
                ),
            )
            listed.add(case.employer_id)
            self.counts.listings += 1


class ServiceComplaints:
    """A few complaints in 渝中区 taken through the real services by the demo accounts."""

    UNIT = "500103"

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.today = min(loader.today, timezone.localdate())

    def run(self) -> int:
        users = {u.username: u for u in User.objects.filter(username__in=["inspector", "yuzhong"])}
        unit = next((u for u in self.loader.units if u.code == self.UNIT), None)
        if unit is None or len(users) < 2:
            return 0
        inspector, staff = users["inspector"], users["yuzhong"]
        helper = self.loader.inspectors[unit.pk][0]
        rng = self.loader.rng("services")

        def register(days_ago: int, **extra) -> Complaint:
            day = self.today - timedelta(days=days_ago)
            return services.register_complaint(
                staff,
                unit=unit,
                channel=extra.pop("channel", "hotline_12333"),
                received_on=day,
                employer_name=extra.pop("employer_name", "重庆山城建筑劳务有限公司"),
                matter=extra.pop("matter", "工地拖欠 6 名工人 2 个月工资共 52000 元。"),
                violation_types=["wages"],
                is_wage_arrears=True,
                workers_affected=6,
                amount_owed="52000",
                complainant_name=_name(rng),
                complainant_phone=_phone(rng),
                **extra,
            )

        count = 0
        register(1)  # waiting for the decision
        count += 1
        asked = register(3, channel="letter")
        services.request_materials(inspector, asked, items="劳动关系证明材料；工资欠条")
        count += 1
        refused = register(20, channel="visit", matter="2022 年被拖欠工资 3000 元。")
        services.refuse_complaint(
            inspector,
            refused,
            refused_on=refused.received_on + timedelta(days=1),
            reason="投诉的违法行为发生在两年以前，依法不再查处",
        )
        count += 1
        open_one = register(10)
        case = services.accept_complaint(
            inspector, open_one, accepted_on=open_one.received_on + timedelta(days=1)
        )
        services.assign_inspectors(inspector, case, lead=inspector, inspectors=[helper])
        count += 1
        done = register(30, channel="hotline_12345")
        case = services.accept_complaint(
            inspector, done, accepted_on=done.received_on + timedelta(days=1)
        )
        case = services.assign_inspectors(inspector, case, lead=inspector, inspectors=[helper])
        services.close_case(
            inspector,
            case,
            outcome="order",
            closed_on=case.accepted_on + timedelta(days=7),
            amount_recovered="52000",
            workers_paid=6,
        )
        count += 1
        return count
