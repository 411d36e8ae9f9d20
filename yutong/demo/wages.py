"""Demo construction projects (issue #4): projects in every district-level unit in force, with
their parties drawn from the registry, the wage safeguards mostly in place, monthly payrolls
with realistic gaps and arrears, and the wage code computed by the real rules.

How it is built:

* Per district the projects are planned in memory (seeded generator per unit): dates, status,
  parties, which safeguards are in place, which payroll months were uploaded and how many
  workers were left unpaid. The plan is written in batches with ``bulk_create``.
* Payroll months are written for every uploaded month with their counts; the workers' lines
  (names, encrypted resident IDs) only for the last three uploaded months of each project, which
  keeps ``--scale city`` (15,000 live projects) to a few hundred thousand lines.
* A few projects in 渝中区 go through the real services (registration, safeguards, a payroll
  sheet through the core import) with the demo district account, so their audit trails and
  import reports are the platform's own.
* Finally every wage code is computed by ``wages.facts.recompute`` (set-based, in batches). Run
  the inspection demo first, or ``yutong recompute_wage_codes`` afterwards, for open arrears
  complaints to count.
"""

from __future__ import annotations

import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from openpyxl import Workbook

from yutong.core import imports
from yutong.core import services as core_services
from yutong.core.models import OrgUnit, User
from yutong.core.personal import blind_index
from yutong.registry import services as registry_services
from yutong.registry.choices import ProjectSector, ProjectStatus
from yutong.registry.models import ConstructionProject, Enterprise, ProjectSubcontractor
from yutong.wages import facts
from yutong.wages import services as wage_services
from yutong.wages.importers import COLUMNS
from yutong.wages.models import (
    NoticeItem,
    PayrollEntry,
    PayrollMonth,
    SafeguardKind,
    WageDeposit,
    WageSafeguard,
    WageSettings,
)

from .disputes import Sink, _person, resident_id

START = date(2023, 7, 1)
BATCH = 2000
CODE_PREFIX = "DEMO"
LINES_FOR_LAST_MONTHS = 3
COPY_BATCH = 400  # (month, crew month) pairs per INSERT … SELECT

# The lines of a payroll month from its project's crew month (same workers, same rows): the
# first ``worker_count`` rows, flagged and paid by the same rule as ``write_months`` (the first
# ``unpaid_count`` rows short by 1,500, the next ``below_minimum_count`` at 1,500, the last
# ``not_own_account_count`` to another's account), the wage being the month's due per worker.
# The same SQL on SQLite and PostgreSQL.
COPY_LINES = """
WITH pairs (target, base) AS (VALUES {values})
INSERT INTO wages_payrollentry (
    payroll_id, row_number, worker_name, resident_id, resident_id_hash, days_worked,
    amount_due, amount_paid, paid_to_own_account, is_unpaid, is_below_minimum)
SELECT m.id, e.row_number, e.worker_name, e.resident_id, e.resident_id_hash, e.days_worked,
       CASE WHEN {below} THEN 1500 ELSE m.total_due / m.worker_count END,
       CASE WHEN {below} THEN 1500 ELSE m.total_due / m.worker_count END
           - CASE WHEN {unpaid} THEN 1500 ELSE 0 END,
       NOT ({not_own}), {unpaid}, {below}
  FROM pairs
  JOIN wages_payrollmonth m ON m.id = pairs.target
  JOIN wages_payrollentry e ON e.payroll_id = pairs.base
 WHERE e.row_number - 2 < m.worker_count
"""
_ROW = "(e.row_number - 2)"
_UNPAID = f"{_ROW} < m.unpaid_count"
_BELOW = f"({_ROW} >= m.unpaid_count AND {_ROW} < m.unpaid_count + m.below_minimum_count)"
_NOT_OWN = f"{_ROW} >= m.worker_count - m.not_own_account_count"


def reset_sequences(models: list) -> None:
    """Move the id sequences past the ids a ``Sink`` gave (PostgreSQL; SQLite needs none)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def copy_lines(pairs: list[tuple[int, int]]) -> int:
    """Copy each (target month, crew month) pair's lines; returns the rows written."""
    if not pairs:
        return 0
    sql = COPY_LINES.format(
        values=", ".join(["(%s, %s)"] * len(pairs)),
        below=_BELOW,
        unpaid=_UNPAID,
        not_own=_NOT_OWN,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pair in pairs for value in pair])
        return cursor.rowcount


@dataclass(frozen=True)
class Scale:
    live_projects: int  # under construction or suspended, the whole city
    completed_share: float  # completed projects, as a share of the live ones
    planned_share: float
    pool: int  # enterprises drawn on per unit (owners, contractors)


SCALES = {
    "small": Scale(live_projects=300, completed_share=0.3, planned_share=0.1, pool=40),
    "city": Scale(live_projects=15_000, completed_share=0.4, planned_share=0.1, pool=400),
}

KINDS = ("住宅小区", "安置房", "市政道路", "综合管廊", "学校", "医院", "产业园厂房", "商业综合体")
PHASES = ("一期", "二期", "三期", "")


def _sector(unit: OrgUnit) -> dict[str, str]:
    """Every kind in ``KINDS`` is a building or municipal work: supervised by the district's
    housing and urban-rural development commission (条例 Art.10), named on the wage-code page
    and the notice board."""
    return {"sector": ProjectSector.HOUSING, "authority": f"{unit.name}住房和城乡建设委员会"}


@dataclass
class Counts:
    projects: int = 0
    live: int = 0
    payroll_months: int = 0
    payroll_lines: int = 0
    colours: Counter = field(default_factory=Counter)
    service_projects: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        colours = "、".join(f"{k} {v}" for k, v in sorted(self.colours.items()))
        return (
            f"wages demo: {self.projects} projects ({self.live} live), {self.payroll_months} "
            f"payroll months, {self.payroll_lines} payroll lines; wage codes: {colours}; "
            f"{self.service_projects} through the services ({self.seconds:.0f}s)"
        )


def load_once(seed: int, scale: str = "small") -> Counts | None:
    """For ``yutong demo``: load unless projects are already there."""
    if ConstructionProject.objects.exists():
        return None
    return load(seed, scale)


def load(
    seed: int,
    scale: str | Scale = "small",
    *,
    today: date | None = None,
    unit_codes: list[str] | None = None,
) -> Counts:
    plan = SCALES[scale] if isinstance(scale, str) else scale
    started = time.monotonic()
    loader = _Loader(seed, plan, today or timezone.localdate(), unit_codes)
    with transaction.atomic():
        loader.run()
    loader.counts.seconds = time.monotonic() - started
    return loader.counts


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


@dataclass
class ProjectPlan:
    row: ConstructionProject
    subcontractors: list
    safeguards: dict  # kind → (since, notice items, pay day)
    deposit: tuple | None  # (form, amount, on) or None
    months: list  # (month, workers, unpaid, below, not_own)


class _Loader:
    def __init__(self, seed: int, scale: Scale, today: date, unit_codes):
        self.seed, self.scale, self.today = seed, scale, today
        self.counts = Counts()
        self.system = core_services.system_actor()
        units = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT).filter(
            OrgUnit.valid_on_q(today)
        )
        if unit_codes:
            units = units.filter(code__in=unit_codes)
        self.districts = list(units.order_by("code"))
        self.settings = WageSettings.current()
        self.last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)

    def rng(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:wages:{label}")

    def run(self) -> None:
        weights = self.weights()
        total = sum(weights.values()) or 1
        serial = ConstructionProject.objects.filter(code__startswith=CODE_PREFIX).count()
        self.months_sink, self.lines_sink = Sink(PayrollMonth), Sink(PayrollEntry)
        for unit in self.districts:
            share = weights[unit.pk] / total
            plans = self.plan_unit(unit, share, serial)
            serial += len(plans)
            for start in range(0, len(plans), BATCH):
                self.write(plans[start : start + BATCH])
        self.through_services()
        facts.recompute(today=self.today)
        self.counts.projects = ConstructionProject.objects.count()
        self.counts.live = ConstructionProject.objects.filter(
            status__in=(ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED)
        ).count()
        self.counts.colours = Counter(
            dict(
                ConstructionProject.objects.values("wage_code__colour")
                .annotate(n=Count("id"))
                .values_list("wage_code__colour", "n")
            )
        )

    # --- parameters and parties ------------------------------------------------------------

    def weights(self) -> dict[int, float]:
        """Projects follow the registry: about as many per district as its enterprises, with
        a floor so that every district has some."""
        counts = dict(
            Enterprise.objects.filter(unit__in=self.districts)
            .values("unit")
            .annotate(n=Count("id"))
            .values_list("unit", "n")
        )
        mean = (sum(counts.values()) / max(len(self.districts), 1)) or 1
        return {u.pk: max(counts.get(u.pk, 0), mean * 0.3) for u in self.districts}

    def pools(self, unit: OrgUnit) -> tuple[list[int], list[int]]:
        """(owners, contractors) by id: construction firms (E) build; anyone may own."""
        limit = self.scale.pool
        builders = list(
            Enterprise.objects.filter(unit=unit, industry="E", status="operating")
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if len(builders) < 3:  # a district without builders hires from the whole city
            builders += list(
                Enterprise.objects.filter(industry="E", status="operating")
                .order_by("id")
                .values_list("id", flat=True)[:limit]
            )
        owners = list(
            Enterprise.objects.filter(unit=unit, status="operating")
            .exclude(industry="E")
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if not builders:  # a registry with no builder at all: any operating enterprise
            builders = list(
                Enterprise.objects.filter(status="operating")
                .order_by("id")
                .values_list("id", flat=True)[:limit]
            )
        return owners or builders, builders

    # --- planning ----------------------------------------------------------------------------

    def plan_unit(self, unit: OrgUnit, share: float, serial: int) -> list[ProjectPlan]:
        rng = self.rng(unit.code)
        owners, builders = self.pools(unit)
        if not builders:
            return []
        live = max(1, round(self.scale.live_projects * share))
        completed = round(live * self.scale.completed_share)
        planned = round(live * self.scale.planned_share)
        statuses = (
            [ProjectStatus.UNDER_CONSTRUCTION] * live
            + [ProjectStatus.COMPLETED] * completed
            + [ProjectStatus.PLANNED] * planned
        )
        plans = []
        for offset, status in enumerate(statuses):
            if status == ProjectStatus.UNDER_CONSTRUCTION and rng.random() < 0.06:
                status = ProjectStatus.SUSPENDED
            plans.append(self.plan_project(rng, unit, status, owners, builders, serial + offset))
        return plans

    def plan_project(self, rng, unit, status, owners, builders, serial) -> ProjectPlan:
        span = (self.today - START).days
        if status == ProjectStatus.PLANNED:
            starts_on = self.today + timedelta(days=rng.randint(10, 120))
            completed_on = None
        elif status == ProjectStatus.COMPLETED:
            starts_on = START + timedelta(days=rng.randint(0, max(span - 240, 1)))
            completed_on = min(starts_on + timedelta(days=rng.randint(180, 540)), self.today)
        else:
            starts_on = START + timedelta(days=rng.randint(span // 3, max(span - 20, span // 3)))
            completed_on = None
        contractor = rng.choice(builders)
        owner = rng.choice([o for o in owners if o != contractor] or owners)
        amount = Decimal(rng.choice((1, 2, 2.5, 5, 8, 12, 20, 45, 80, 150)) * 1_000_000)
        amount += Decimal(rng.randrange(0, 900_000))
        name = f"{unit.name}{rng.choice(KINDS)}{rng.choice(PHASES)}工程（{serial % 997 + 1}号）"
        row = ConstructionProject(
            code=f"{CODE_PREFIX}{unit.code}{serial:06d}",
            name=name[:200],
            unit=unit,
            address=f"{unit.name}{rng.choice(('滨江路', '学府大道', '工业园路', '新城大道'))}"
            f"{rng.randint(1, 300)}号",
            owner_id=owner,
            general_contractor_id=contractor,
            contract_amount=amount.quantize(Decimal("0.01")),
            is_government_funded=rng.random() < 0.35,
            starts_on=starts_on,
            planned_completion_on=starts_on + timedelta(days=rng.randint(365, 900)),
            completed_on=completed_on,
            status=status,
            labour_officer=_person(rng),
            labour_officer_phone=f"139{rng.randrange(10**8):08d}",
            **_sector(unit),
        )
        others = [b for b in builders if b != contractor]
        subs = rng.sample(others, k=min(rng.randint(0, 3), len(others)))
        plan = ProjectPlan(row, subs, {}, None, [])
        if status != ProjectStatus.PLANNED:
            self.plan_safeguards(rng, plan)
            self.plan_payroll(rng, plan)
        return plan

    def plan_safeguards(self, rng, plan: ProjectPlan) -> None:
        row = plan.row
        diligent = rng.random() < 0.85
        for kind in SafeguardKind.values:
            if not diligent and rng.random() < 0.5:
                continue
            since = min(row.starts_on + timedelta(days=rng.randint(0, 25)), self.today)
            items = list(NoticeItem.values)
            if kind == SafeguardKind.NOTICE_BOARD and rng.random() < 0.1:
                items = items[: rng.randint(3, 7)]
            plan.safeguards[kind] = (since, items, rng.choice((10, 15, 20, 25)))
        if diligent or rng.random() < 0.5:
            form = rng.choices(("cash", "bank_guarantee", "guarantee_insurance"), (3, 5, 2))[0]
            # Stored at the raised rate, which covers whatever the contractor's record asks.
            rate = self.settings.deposit_raised_rate
            amount = (row.contract_amount * rate / 100).quantize(Decimal("0.01"))
            if rng.random() < 0.05:
                amount = (amount / 2).quantize(Decimal("0.01"))  # stored short
            on = min(row.starts_on + timedelta(days=rng.randint(3, 28)), self.today)
            plan.deposit = (form, amount, on)

    def plan_payroll(self, rng, plan: ProjectPlan) -> None:
        row = plan.row
        last = self.last_month
        if row.completed_on is not None:
            last = min(last, row.completed_on.replace(day=1))
        months = _months(row.starts_on, last)
        careless = rng.random() < 0.12
        lagging = rng.random() < 0.15  # the last month or two not uploaded yet
        crew = rng.randint(8, 40)
        for index, month in enumerate(months):
            if careless and rng.random() < 0.3:
                continue
            if lagging and index >= len(months) - rng.randint(1, 2):
                continue
            workers = max(3, crew + rng.randint(-4, 6))
            # Arrears still outstanding are recent; older months were put right (re-uploaded).
            recent = index >= len(months) - 3
            unpaid = rng.randint(1, 4) if recent and rng.random() < 0.06 else 0
            below = 1 if rng.random() < 0.02 else 0
            not_own = rng.randint(1, 3) if rng.random() < 0.03 else 0
            plan.months.append((month, workers, unpaid, below, not_own))

    # --- writing -----------------------------------------------------------------------------

    def write(self, plans: list[ProjectPlan]) -> None:
        ConstructionProject.objects.bulk_create([p.row for p in plans], batch_size=500)
        ProjectSubcontractor.objects.bulk_create(
            [
                ProjectSubcontractor(project=p.row, enterprise_id=sub, scope_of_work="劳务分包")
                for p in plans
                for sub in p.subcontractors
            ],
            batch_size=1000,
        )
        now = timezone.now()
        deposits, safeguards, months = [], [], []
        for p in plans:
            if p.deposit is not None:
                form, amount, on = p.deposit
                deposits.append(
                    WageDeposit(
                        project=p.row,
                        form=form,
                        amount=amount,
                        deposited_on=on,
                        issuer="重庆银行",
                        expires_on=None if form == "cash" else on + timedelta(days=730),
                        required_amount=amount,
                        required_rate=self.settings.deposit_raised_rate,
                        trace=["演示数据：按提高比例存储。"],
                        recorded_by=self.system,
                        recorded_at=now,
                    )
                )
            for kind, (since, items, pay_day) in p.safeguards.items():
                safeguards.append(
                    WageSafeguard(
                        project=p.row,
                        kind=kind,
                        in_place_since=since,
                        bank_name="重庆银行" if kind == SafeguardKind.WAGE_ACCOUNT else "",
                        account_number=f"62220{p.row.pk:011d}"
                        if kind == SafeguardKind.WAGE_ACCOUNT
                        else "",
                        pay_day=pay_day if kind == SafeguardKind.BANK_PAYROLL else None,
                        notice_items=items if kind == SafeguardKind.NOTICE_BOARD else [],
                        recorded_by=self.system,
                        recorded_at=now,
                    )
                )
            for month, workers, unpaid, below, not_own in p.months:
                months.append((p, month, workers, unpaid, below, not_own))
        WageDeposit.objects.bulk_create(deposits, batch_size=1000)
        WageSafeguard.objects.bulk_create(safeguards, batch_size=1000)
        self.write_months(months)

    def write_months(self, months) -> None:
        """The payroll months and their lines, written through ``disputes.Sink`` (COPY on
        PostgreSQL, ids given here); a project's crew is drawn once, its largest month, and
        the other months copy it in the database (``copy_lines``)."""
        latest = Counter()
        for p, *_ in months:
            latest[p.row.pk] += 1
        seen = Counter()
        uploaded_at = timezone.now()
        by_project: dict[int, list] = {}  # project → [(payroll id, month, counts…, wage)]
        for p, month, workers, unpaid, below, not_own in months:
            wage = 5000 + (p.row.pk * 37 + month.month * 11) % 3000  # per worker, varied
            due = Decimal(wage * workers)
            short = Decimal(unpaid * 1500)
            payroll_id = self.months_sink.add(
                {
                    "project_id": p.row.pk,
                    "month": month,
                    "uploaded_by_id": self.system.pk,
                    "uploaded_at": uploaded_at,
                    "worker_count": workers,
                    "total_due": due,
                    "total_paid": due - short,
                    "unpaid_count": unpaid,
                    "below_minimum_count": below,
                    "not_own_account_count": not_own,
                    "minimum_wage_trace": "演示数据",
                }
            )
            seen[p.row.pk] += 1
            if seen[p.row.pk] > latest[p.row.pk] - LINES_FOR_LAST_MONTHS:
                by_project.setdefault(p.row.pk, []).append(
                    (payroll_id, month, workers, unpaid, below, not_own, wage)
                )
        self.counts.payroll_months += len(self.months_sink.rows)
        self.months_sink.flush()
        copies = []
        for project_id, group in by_project.items():
            base = max(group, key=lambda entry: entry[2])
            base_id, month, workers, unpaid_count, below_count, not_own_count, wage = base
            copies.extend((entry[0], base_id) for entry in group if entry is not base)
            rng = self.rng(f"lines:{project_id}:{month}")
            for number in range(workers):
                unpaid = number < unpaid_count
                below = 0 <= number - unpaid_count < below_count
                not_own = number >= workers - not_own_count
                due = Decimal(1500 if below else wage)
                ident = resident_id(rng, month)
                self.lines_sink.add(
                    {
                        "payroll_id": base_id,
                        "row_number": number + 2,
                        "worker_name": _person(rng),
                        "resident_id": ident,
                        "resident_id_hash": blind_index(ident),
                        "days_worked": Decimal(rng.randint(18, 26)),
                        "amount_due": due,
                        "amount_paid": due - 1500 if unpaid else due,
                        "paid_to_own_account": not not_own,
                        "is_unpaid": unpaid,
                        "is_below_minimum": below,
                    }
                )
        self.counts.payroll_lines += len(self.lines_sink.rows)
        self.lines_sink.flush()
        # The copies take their ids from the sequence: past the sink's first, and the sink's
        # next ids past the copies' afterwards.
        reset_sequences([PayrollMonth, PayrollEntry])
        for start in range(0, len(copies), COPY_BATCH):
            self.counts.payroll_lines += copy_lines(copies[start : start + COPY_BATCH])
        self.lines_sink.last_id = PayrollEntry.objects.aggregate(last=Max("pk"))["last"] or 0

    # --- through the services --------------------------------------------------------------

    def through_services(self) -> None:
        """Three 渝中区 projects registered, equipped and reported on by the demo account."""
        unit = next((u for u in self.districts if u.code == "500103"), None)
        actor = User.objects.filter(username="yuzhong").first()
        if unit is None or actor is None:
            return
        owners, builders = self.pools(unit)
        if len(builders) < 2:
            return
        rng = self.rng("services")
        # Started last month: one payroll month is due, so the three show green (all in
        # place, payroll uploaded), yellow (no payroll yet) and yellow (board incomplete).
        starts = self.last_month.replace(day=6)
        for index, name in enumerate(("解放碑地下环道改造工程", "较场口安置房二期", "化龙桥学校")):
            contractor = Enterprise.objects.get(pk=builders[index % len(builders)])
            owner = Enterprise.objects.get(pk=(owners or builders)[-1 - index])
            project = registry_services.register_project(
                actor,
                code=f"50010320{starts:%y%m}{index:04d}",
                name=name,
                unit=unit,
                owner=owner,
                general_contractor=contractor,
                contract_amount=Decimal(rng.choice((2_800_000, 36_000_000, 120_000_000))),
                starts_on=starts,
                status=ProjectStatus.UNDER_CONSTRUCTION,
                labour_officer=_person(rng),
                labour_officer_phone=f"138{rng.randrange(10**8):08d}",
                **_sector(unit),
            )
            self.equip(actor, project, complete=index != 2)
            if index == 0:
                self.upload(actor, project, rng)
            self.counts.service_projects += 1

    def equip(self, actor, project, complete: bool) -> None:
        need = wage_services.requirement_for(project, self.today)
        since = project.starts_on
        if not need.exempt:
            wage_services.record_deposit(
                actor,
                project,
                form="bank_guarantee",
                amount=need.amount,
                deposited_on=since,
                issuer="中国建设银行重庆渝中支行",
                reference=f"BH{project.code[-8:]}",
                expires_on=since + timedelta(days=730),
            )
        wage_services.record_safeguard(
            actor,
            project,
            SafeguardKind.WAGE_ACCOUNT,
            in_place_since=since,
            bank_name="中国建设银行重庆渝中支行",
            account_number=f"5000{project.pk:012d}",
        )
        wage_services.record_safeguard(
            actor, project, SafeguardKind.REAL_NAME, in_place_since=since
        )
        wage_services.record_safeguard(
            actor, project, SafeguardKind.BANK_PAYROLL, in_place_since=since, pay_day=15
        )
        items = NoticeItem.values if complete else NoticeItem.values[:5]
        wage_services.record_safeguard(
            actor, project, SafeguardKind.NOTICE_BOARD, in_place_since=since, notice_items=items
        )

    def upload(self, actor, project, rng) -> None:
        """Last month's payroll sheet through the core import, as a site office would."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([c.header for c in COLUMNS])
        for _ in range(12):
            wage = rng.randint(55, 85) * 100
            sheet.append(
                [
                    project.code,
                    f"{self.last_month:%Y-%m}",
                    _person(rng),
                    resident_id(rng, self.today),
                    rng.randint(20, 26),
                    wage,
                    wage,
                    "是",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile(f"工资发放表-{project.code}.xlsx", buffer.getvalue())
        job = imports.upload(actor, "payroll", upload)
        job.refresh_from_db()
        if job.status == job.Status.READY:
            imports.commit(actor, job)
