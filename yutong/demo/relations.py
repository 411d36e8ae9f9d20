"""Demo collective labour relations (issue #5) for 2024 to today in every district-level unit,
consistent with the registry:

* unions for most firms of 100 or more employees, about half of those of 25 to 99 and a few
  smaller ones (none founded from 2024 on, none without employees), drawn by a hash of the id;
  committees from 25 employees, full-time staff in most firms of 200 or more (not all: the
  to-do list has work in it). The registry's ``union_established`` is then set from the union
  records in one statement — the flag is their copy (``relations.services._sync_union_flag``
  for one union at a time), never drawn on its own;
* enterprise collective contracts only where a union exists, for key enterprises (operating,
  union, 100+ employees), spread so that the collective-contract rate is about 80 % at the end
  of 2024, 83 % at the end of 2025 and 85 % in 2026 (the plan's targets); contracts that ran out
  in 2025 were renewed; each is published to the staff;
* one regional wage contract per district over the unionised small firms of a street;
* yearly wage bargaining, workers' congresses with yearly sessions, tripartite meetings with
  follow-up items (some overdue), and employment filings for the last three months.

Volumes follow the registry (1.2 million enterprises at the city scale), so the rows are written
set-based: ``INSERT … SELECT`` from the enterprise table, with every date a parameter (the same
SQL on SQLite and PostgreSQL); the few rows per district (meetings, regional contracts) with
``bulk_create``. Dates that the services would compute (filing and review deadlines, the day of
effect, the publication deadline) are computed here by the same ``core.clocks`` rules.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from yutong.core import clocks
from yutong.core.models import OrgUnit
from yutong.registry.models import Enterprise
from yutong.relations.models import (
    AffairsDisclosure,
    CollectiveBargaining,
    CollectiveContract,
    CongressCoverage,
    CongressSession,
    ContractCoverage,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    TripartiteParticipant,
    Union,
    WorkersCongress,
)
from yutong.relations.services import add_years

FILING_DAYS, REVIEW_DAYS, PUBLICATION_DAYS, REPLY_DAYS = 10, 15, 10, 20
KEY_SIZE = 100
# Per key enterprise, ``id % 100`` decides the contract story (the plan's targets 80/83/85 %).
FIRST_WAVE = 80  # in force through 2024 (a 2022 contract, renewed in 2025)
SECOND_WAVE = 83  # first contract in 2025
THIRD_WAVE = 85  # first contract in 2026
# Shares of firms with a union, in %: 100+ employees, 25-99, fewer.
UNION_SHARES = (85, 45, 4)
# A multiplicative hash modulo a prime: spread over 0-99 independently of ``id % 100``.
UNION_HASH, UNION_MODULUS = 2654435761, 1000003
# Firms founded from this day on have no union yet (unions have founding days up to 2025).
NEW_FIRMS_FROM = date(2024, 1, 1)
SCALES = {"small": 1, "city": 1}  # volumes follow the registry; the name is for ``yutong demo``


@dataclass
class Counts:
    unions: int = 0
    contracts: int = 0
    coverage: int = 0
    bargainings: int = 0
    congresses: int = 0
    sessions: int = 0
    meetings: int = 0
    follow_ups: int = 0
    filings: int = 0
    disclosures: int = 0
    seconds: float = 0.0
    rates: dict = field(default_factory=dict)

    def summary(self) -> str:
        rates = ", ".join(f"{d}: {r:.1%}" for d, r in self.rates.items() if r is not None)
        return (
            f"{self.unions} unions, {self.contracts} collective contracts covering"
            f" {self.coverage} enterprises ({rates}), {self.bargainings} bargainings,"
            f" {self.congresses} workers' congresses ({self.sessions} sessions),"
            f" {self.meetings} tripartite meetings ({self.follow_ups} follow-ups),"
            f" {self.filings} employment filings, {self.disclosures} disclosures"
            f" ({self.seconds:.0f}s)"
        )


@dataclass(frozen=True)
class Story:
    """The dates of one contract, as the services would have recorded them."""

    term_start: date
    expires_on: date
    signed_on: date
    filed_on: date
    filing_due_on: date
    review_due_on: date
    effective_from: date
    publication_due_on: date
    disclosed_on: date

    @classmethod
    def make(cls, term_start: date, years: int, signed_before: int, filed_after: int) -> Story:
        signed_on = term_start - timedelta(days=signed_before)
        filed_on = signed_on + timedelta(days=filed_after)
        review_due = clocks.add_calendar_days(filed_on, REVIEW_DAYS)
        effective = max(review_due + timedelta(days=1), term_start)
        publication_due = clocks.add_calendar_days(effective, PUBLICATION_DAYS)
        return cls(
            term_start=term_start,
            expires_on=add_years(term_start, years) - timedelta(days=1),
            signed_on=signed_on,
            filed_on=filed_on,
            filing_due_on=clocks.add_calendar_days(signed_on, FILING_DAYS),
            review_due_on=review_due,
            effective_from=effective,
            publication_due_on=publication_due,
            disclosed_on=effective + timedelta(days=3),
        )


# (bucket range, story, previous story's index or None)
STORIES = [
    ((0, FIRST_WAVE), Story.make(date(2022, 7, 1), 3, 40, 4)),
    ((0, FIRST_WAVE), Story.make(date(2025, 7, 1), 3, 40, 5)),  # the renewal
    ((FIRST_WAVE, SECOND_WAVE), Story.make(date(2025, 3, 1), 3, 45, 6)),
    ((SECOND_WAVE, THIRD_WAVE), Story.make(date(2026, 3, 1), 2, 45, 6)),
]


def load_once(seed: int, scale: str = "small") -> Counts | None:
    """For ``yutong demo``: load unless relations demo data is already there."""
    if Union.objects.exists():
        return None
    return load(seed, scale)


def load(
    seed: int,
    scale: str = "small",
    *,
    today: date | None = None,
    unit_codes: list[str] | None = None,
) -> Counts:
    started = time.monotonic()
    loader = _Loader(seed, today or timezone.localdate(), unit_codes)
    with transaction.atomic():
        loader.run()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Union, CollectiveContract, ContractCoverage, EmploymentFiling):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    loader.counts.seconds = time.monotonic() - started
    return loader.counts


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _Loader:
    def __init__(self, seed: int, today: date, unit_codes):
        self.seed, self.today = seed, today
        self.counts = Counts()
        self.now = timezone.now()
        districts = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT)
        if unit_codes:
            districts = districts.filter(code__in=unit_codes)
        self.districts = list(districts.order_by("code"))
        self.unit_ids = [u.pk for u in self.districts]

    def rng(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:relations:{label}")

    # --- SQL helpers ------------------------------------------------------------------------

    def _units_sql(self, alias: str = "e") -> tuple[str, list]:
        marks = ", ".join(["%s"] * len(self.unit_ids)) or "NULL"
        return f"{alias}.unit_id IN ({marks})", list(self.unit_ids)

    def execute(self, sql: str, params: list) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return max(cursor.rowcount, 0)

    # --- the steps ----------------------------------------------------------------------------

    def run(self) -> None:
        if not self.unit_ids:
            return
        self.counts.unions = self.unions()
        self.enterprise_contracts()
        self.regional_contracts()
        self.counts.coverage = ContractCoverage.objects.filter(
            contract__unit_id__in=self.unit_ids
        ).count()
        self.counts.bargainings = self.wage_bargaining()
        self.congresses()
        self.meetings()
        self.counts.filings = self.filings()
        self.counts.rates = self.rates()

    def unions(self) -> int:
        """Unions by size (see ``UNION_SHARES``), drawn by a hash of the id that does not
        follow ``id % 100`` (the contract buckets). Firms of 100 or more got theirs before 2024
        (the key enterprises of the indicator); smaller ones also later. A firm that already
        has a union (the showcase's, through the services) keeps it. The registry's flag is
        then set from the records."""
        where, params = self._units_sql()
        draw = f"((e.id * {UNION_HASH}) %% {UNION_MODULUS}) %% 100"
        big, mid, small = UNION_SHARES
        days = [date(2008, 5, 4), date(2013, 9, 10), date(2019, 4, 28), date(2021, 12, 24)]
        later = [d for d in (date(2024, 5, 1), date(2025, 4, 28)) if d <= self.today] or days
        sql = f"""
            INSERT INTO {_table(Union)} (enterprise_id, unit_id, name, form, established_on,
                members, chair, fulltime_staff, dues_rate, monthly_dues, dissolved_on,
                dissolution_reason, version, created_at)
            SELECT e.id, e.unit_id, SUBSTR(e.name, 1, 190) || '工会委员会',
                CASE WHEN e.employee_count >= 25 THEN 'committee' ELSE 'organiser' END,
                CASE WHEN e.employee_count < {KEY_SIZE} AND e.id %% 5 = 0 THEN %s
                     WHEN e.employee_count < {KEY_SIZE} AND e.id %% 5 = 1 THEN %s
                     WHEN e.id %% 4 = 0 THEN %s WHEN e.id %% 4 = 1 THEN %s
                     WHEN e.id %% 4 = 2 THEN %s ELSE %s END,
                CASE WHEN e.employee_count * 4 / 5 < 1 THEN 1 ELSE e.employee_count * 4 / 5 END,
                '工会主席',
                CASE WHEN e.employee_count >= 200 AND e.id %% 10 < 7 THEN 1 ELSE 0 END,
                %s, NULL, NULL, '', 1, %s
            FROM {_table(Enterprise)} e
            WHERE e.employee_count > 0 AND e.status <> 'deregistered'
                AND e.established_on < %s
                AND CASE WHEN e.employee_count >= {KEY_SIZE} THEN {draw} < {big}
                         WHEN e.employee_count >= 25 THEN {draw} < {mid}
                         ELSE {draw} < {small} END
                AND NOT EXISTS (SELECT 1 FROM {_table(Union)} x WHERE x.enterprise_id = e.id)
                AND {where}
        """  # noqa: S608 (table names from the models, values as parameters)
        created = self.execute(
            sql,
            [later[0], later[-1], *days, Decimal("2.00"), self.now, NEW_FIRMS_FROM, *params],
        )
        self.not_before_founding()
        self.flag_unions()
        return created

    def flag_unions(self) -> None:
        """The registry's "已建工会" from the union records, in one statement: true exactly
        where a union is in being (what ``relations.services._sync_union_flag`` keeps for one
        enterprise at a time)."""
        where, params = self._units_sql(_table(Enterprise))
        in_being = f"""EXISTS (SELECT 1 FROM {_table(Union)} u
                       WHERE u.enterprise_id = {_table(Enterprise)}.id
                           AND u.dissolved_on IS NULL)"""  # noqa: S608
        self.execute(
            f"""UPDATE {_table(Enterprise)} SET union_established = {in_being}
                WHERE {where} AND union_established <> {in_being}""",  # noqa: S608
            params,
        )

    def not_before_founding(self) -> None:
        """A union cannot be older than its enterprise: move such dates to the founding day."""
        founded = f"""(SELECT e.established_on FROM {_table(Enterprise)} e
                       WHERE e.id = {_table(Union)}.enterprise_id)"""  # noqa: S608
        self.execute(
            f"""UPDATE {_table(Union)} SET established_on = {founded}
                WHERE established_on < {founded}""",  # noqa: S608 (table names from the models)
            [],
        )

    def enterprise_contracts(self) -> None:
        """Own contracts of key enterprises, by bucket (see STORIES), renewals linked."""
        where, params = self._units_sql()
        for number, ((low, high), story) in enumerate(STORIES):
            if story.signed_on > self.today:
                continue
            in_force = story.filed_on <= self.today
            stage = "filed" if in_force else "signed"
            sql = f"""
                INSERT INTO {_table(CollectiveContract)} (scope, kind, title, unit_id,
                    enterprise_id, industry, union_id, employees_covered, term_start, expires_on,
                    congress_total, congress_attending, congress_approving, adopted_on,
                    signed_on, filing_due_on, filing_venue_id, filed_on, filed_late, review_due_on,
                    objection_reason, effective_from, publication_due_on, termination_reason,
                    stage, version, created_at)
                SELECT 'enterprise', 'general', SUBSTR(e.name, 1, 180) || '集体合同', e.unit_id,
                    e.id, '', u.id, e.employee_count, %s, %s,
                    60, 52, 49, %s, %s, %s, e.unit_id, %s, %s, %s, '', %s, %s, '', %s, 1, %s
                FROM {_table(Enterprise)} e
                JOIN {_table(Union)} u ON u.enterprise_id = e.id AND u.dissolved_on IS NULL
                WHERE e.status = 'operating' AND e.employee_count >= {KEY_SIZE}
                    AND e.id %% 100 >= %s AND e.id %% 100 < %s AND {where}
            """  # noqa: S608
            self.counts.contracts += self.execute(
                sql,
                [
                    story.term_start,
                    story.expires_on,
                    story.signed_on,
                    story.signed_on,
                    story.filing_due_on,
                    story.filed_on if in_force else None,
                    in_force and story.filed_on > story.filing_due_on,
                    story.review_due_on if in_force else None,
                    story.effective_from if in_force else None,
                    story.publication_due_on if in_force else None,
                    stage,
                    self.now,
                    low,
                    high,
                    *params,
                ],
            )
            if number == 1:  # the renewal of the first wave's contract
                self._link_renewals(STORIES[0][1], story)
        self._cover_own()
        self._publish()

    def _link_renewals(self, first: Story, renewal: Story) -> None:
        contracts = _table(CollectiveContract)
        sql = f"""
            UPDATE {contracts} SET previous_id = (
                SELECT p.id FROM {contracts} p
                WHERE p.enterprise_id = {contracts}.enterprise_id AND p.term_start = %s
                    AND p.scope = 'enterprise')
            WHERE scope = 'enterprise' AND term_start = %s AND previous_id IS NULL
                AND unit_id IN ({", ".join(["%s"] * len(self.unit_ids))})
        """  # noqa: S608
        self.execute(sql, [first.term_start, renewal.term_start, *self.unit_ids])

    def _cover_own(self) -> None:
        contracts = _table(CollectiveContract)
        sql = f"""
            INSERT INTO {_table(ContractCoverage)} (contract_id, enterprise_id)
            SELECT c.id, c.enterprise_id FROM {contracts} c
            WHERE c.scope = 'enterprise' AND c.unit_id IN ({", ".join(["%s"] * len(self.unit_ids))})
                AND NOT EXISTS (SELECT 1 FROM {_table(ContractCoverage)} x
                                WHERE x.contract_id = c.id)
        """  # noqa: S608
        self.execute(sql, list(self.unit_ids))

    def _publish(self) -> None:
        """Each contract in force is published to the staff three days after its effect."""
        for _, story in STORIES:
            if story.disclosed_on > self.today or story.filed_on > self.today:
                continue
            sql = f"""
                INSERT INTO {_table(AffairsDisclosure)} (enterprise_id, unit_id, contract_id,
                    category, channel, disclosed_on, title, content, created_at)
                SELECT c.enterprise_id, c.unit_id, c.id, 'collective_contract', 'notice_board',
                    %s, '公布集体合同文本', '', %s
                FROM {_table(CollectiveContract)} c
                WHERE c.scope = 'enterprise' AND c.term_start = %s
                    AND c.unit_id IN ({", ".join(["%s"] * len(self.unit_ids))})
            """  # noqa: S608
            self.counts.disclosures += self.execute(
                sql, [story.disclosed_on, self.now, story.term_start, *self.unit_ids]
            )

    def regional_contracts(self) -> None:
        """Per district, a regional wage contract over the unionised small firms of a street."""
        story = Story.make(date(2025, 1, 1), 3, 30, 5)
        if story.filed_on > self.today:
            return
        for unit in self.districts:
            street = (
                OrgUnit.objects.filter(parent=unit, level=OrgUnit.Level.TOWNSHIP)
                .order_by("code")
                .first()
            )
            if street is None:
                continue
            firms = Enterprise.objects.filter(
                township=street,
                status="operating",
                union_established=True,
                employee_count__gte=1,
                employee_count__lt=KEY_SIZE,
            )
            if not firms.exists():
                continue
            contract = CollectiveContract.objects.create(
                scope="regional",
                kind="wages",
                title=f"{street.name}区域性工资专项集体合同",
                unit=unit,
                region=street,
                term_start=story.term_start,
                expires_on=story.expires_on,
                congress_total=80,
                congress_attending=70,
                congress_approving=66,
                adopted_on=story.signed_on,
                signed_on=story.signed_on,
                filing_due_on=story.filing_due_on,
                filing_venue=unit,
                filed_on=story.filed_on,
                review_due_on=story.review_due_on,
                effective_from=story.effective_from,
                publication_due_on=story.publication_due_on,
                stage="filed",
            )
            sql = f"""
                INSERT INTO {_table(ContractCoverage)} (contract_id, enterprise_id)
                SELECT %s, e.id FROM {_table(Enterprise)} e
                WHERE e.township_id = %s AND e.status = 'operating' AND e.union_established
                    AND e.employee_count >= 1 AND e.employee_count < {KEY_SIZE}
            """  # noqa: S608
            self.execute(sql, [contract.pk, street.pk])
            covered = firms.values_list("employee_count", flat=True)
            contract.employees_covered = sum(covered)
            contract.save(update_fields=["employees_covered"])
            self.counts.contracts += 1

    def wage_bargaining(self) -> int:
        """Yearly wage bargaining: concluded by most unionised firms of 100+ for each year
        whose spring is past; the rest wait (the wage-bargaining queue)."""
        where, params = self._units_sql()
        total = 0
        for year in range(2024, self.today.year + 1):
            requested = date(year, 3, 2)
            if requested > self.today:
                continue
            concluded = date(year, 4, 20)
            done = concluded <= self.today
            reply_due = clocks.add_calendar_days(requested, REPLY_DAYS)
            sql = f"""
                INSERT INTO {_table(CollectiveBargaining)} (enterprise_id, unit_id, union_id,
                    topic, year, requested_by, requested_on, reply_due_on, replied_on, reply,
                    concluded_on, status, version, created_at)
                SELECT e.id, e.unit_id, u.id, 'wages', %s, 'union', %s, %s, %s, '同意协商',
                    %s, %s, 1, %s
                FROM {_table(Enterprise)} e
                JOIN {_table(Union)} u ON u.enterprise_id = e.id AND u.dissolved_on IS NULL
                WHERE e.status = 'operating' AND e.employee_count >= {KEY_SIZE}
                    AND (e.id * 7 + %s) %% 10 < 7 AND {where}
            """  # noqa: S608
            total += self.execute(
                sql,
                [
                    year,
                    requested,
                    reply_due,
                    requested + timedelta(days=10),
                    concluded if done else None,
                    "concluded" if done else "in_talks",
                    self.now,
                    year,
                    *params,
                ],
            )
        return total

    def congresses(self) -> None:
        """A workers' congress in every unionised firm of 100+ (5 % of staff, at least 30
        delegates), with a session in spring of each year for most of them."""
        where, params = self._units_sql()
        sql = f"""
            INSERT INTO {_table(WorkersCongress)} (scope, form, name, unit_id, enterprise_id,
                industry, established_on, staff_count, delegates, version, created_at)
            SELECT 'enterprise', 'congress', SUBSTR(e.name, 1, 185) || '职工代表大会',
                e.unit_id, e.id, '', u.established_on, e.employee_count,
                CASE WHEN (e.employee_count * 5 + 99) / 100 > 30
                     THEN (e.employee_count * 5 + 99) / 100 ELSE 30 END, 1, %s
            FROM {_table(Enterprise)} e
            JOIN {_table(Union)} u ON u.enterprise_id = e.id AND u.dissolved_on IS NULL
            WHERE e.status = 'operating' AND e.employee_count >= {KEY_SIZE} AND {where}
        """  # noqa: S608
        self.counts.congresses = self.execute(sql, [self.now, *params])
        units = ", ".join(["%s"] * len(self.unit_ids))
        self.execute(
            f"""
            INSERT INTO {_table(CongressCoverage)} (congress_id, enterprise_id)
            SELECT c.id, c.enterprise_id FROM {_table(WorkersCongress)} c
            WHERE c.enterprise_id IS NOT NULL AND c.unit_id IN ({units})
            """,  # noqa: S608
            list(self.unit_ids),
        )
        for year in range(2024, self.today.year + 1):
            held = date(year, 3, 18)
            if held > self.today:
                continue
            self.counts.sessions += self.execute(
                f"""
                INSERT INTO {_table(CongressSession)} (congress_id, held_on, year,
                    delegates_total, attending, agenda, resolutions)
                SELECT c.id, %s, %s, c.delegates, c.delegates - 1, '审议年度工资集体协商方案',
                    '通过' FROM {_table(WorkersCongress)} c
                WHERE c.unit_id IN ({units}) AND (c.id + %s) %% 10 < 9
                """,  # noqa: S608
                [held, year, year, *self.unit_ids],
            )

    def meetings(self) -> None:
        """Two tripartite meetings a year per district, with follow-ups (some overdue)."""
        rng = self.rng("meetings")
        people = {
            "hrss": ("人社局", "副局长"),
            "trade_union": ("总工会", "副主席"),
            "enterprise_confederation": ("企业联合会", "秘书长"),
            "commerce_federation": ("工商联", "副主席"),
        }
        topics = [
            "根治欠薪专项行动",
            "新就业形态劳动者权益保障",
            "集体协商要约行动",
            "和谐劳动关系创建",
        ]
        surnames = "王李张刘陈杨黄赵周吴"
        meetings, participants, items = [], [], []
        for unit in self.districts:
            if unit.valid_to is not None:
                continue
            for year in range(2024, self.today.year + 1):
                for month in (4, 10):
                    held = date(year, month, 15)
                    if held > self.today:
                        continue
                    topic = rng.choice(topics)
                    session = 1 if month == 4 else 2
                    meeting = TripartiteMeeting(
                        level="district",
                        unit=unit,
                        held_on=held,
                        title=f"{unit.name}协调劳动关系三方会议（{year}年第{session}次）",
                        agenda=topic,
                        decisions=f"部署{topic}，明确各方责任分工。",
                        created_at=self.now,
                    )
                    meetings.append(meeting)
        TripartiteMeeting.objects.bulk_create(meetings, batch_size=1000)
        for meeting in meetings:
            for body, (label, position) in people.items():
                participants.append(
                    TripartiteParticipant(
                        meeting=meeting,
                        body=body,
                        name=f"{rng.choice(surnames)}{label[:1]}",
                        position=position,
                    )
                )
            for number, body in enumerate(("hrss", "trade_union"), start=1):
                due = meeting.held_on + timedelta(days=60)
                done = due <= self.today and rng.random() < 0.8
                items.append(
                    FollowUpItem(
                        meeting=meeting,
                        unit=meeting.unit,
                        task=f"落实{meeting.agenda}第 {number} 项任务",
                        owner_body=body,
                        owner_name=f"{rng.choice(surnames)}科长",
                        due_on=due,
                        done_on=due - timedelta(days=5) if done else None,
                        result="已按期完成" if done else "",
                    )
                )
        TripartiteParticipant.objects.bulk_create(participants, batch_size=2000)
        FollowUpItem.objects.bulk_create(items, batch_size=2000)
        self.counts.meetings, self.counts.follow_ups = len(meetings), len(items)

    def filings(self) -> int:
        """Employment filings of the last three months by firms of 100 or more."""
        where, params = self._units_sql()
        total = 0
        month = self.today.replace(day=1)
        for _ in range(3):
            month = (month - timedelta(days=1)).replace(day=1)
            filed_on = month + timedelta(days=40)
            sql = f"""
                INSERT INTO {_table(EmploymentFiling)} (enterprise_id, unit_id, period,
                    employees, contracted, dispatched, insured, dispatch_over_cap, filed_on,
                    version, created_at)
                SELECT e.id, e.unit_id, %s, e.employee_count,
                    e.employee_count * (90 + e.id %% 11) / 100,
                    e.employee_count * (e.id %% 13) / 100,
                    e.employee_count * (92 + e.id %% 9) / 100,
                    CASE WHEN (e.employee_count * (e.id %% 13) / 100) * 100 >
                              10 * (e.employee_count * (90 + e.id %% 11) / 100
                                    + e.employee_count * (e.id %% 13) / 100)
                         THEN %s ELSE %s END,
                    %s, 1, %s
                FROM {_table(Enterprise)} e
                WHERE e.status = 'operating' AND e.employee_count >= {KEY_SIZE} AND {where}
            """  # noqa: S608
            total += self.execute(
                sql, [month, True, False, min(filed_on, self.today), self.now, *params]
            )
        return total

    def rates(self) -> dict:
        from yutong.relations import queries

        enterprises = Enterprise.objects.filter(unit_id__in=self.unit_ids)
        days = [date(y, 12, 31) for y in (2024, 2025) if date(y, 12, 31) <= self.today]
        days.append(self.today)
        return {d: queries.collective_contract_rate(enterprises, d).value for d in days}
