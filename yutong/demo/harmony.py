"""Demo data for the harmony creation activity (issue #5): enrolments 2024-2026 in every
district-level unit, health checks, and evaluations with grades in sequence.

How it is built:

* Enrolments, per unit and year (the year's 1 January to 31 December): whole townships/streets
  (regional enrolments) drawn until about four fifths of the unit's target share is reached,
  most parks as parks, now and then an industry of the unit, and then single enterprises —
  chosen in the database among the in-scope enterprises not yet covered (the same
  ``queries.covered_q`` the indicator uses) — up to the unit's target. Targets are the plan's
  50 / 60 / 70 % with a little spread per unit. Every write is a ``bulk_create``; nothing loops
  over the enterprises in Python.
* Health checks: a sample of operating enterprises per unit answers the configured
  questionnaire; scores and findings follow the service's rule (``services.GUIDANCE_LINE``).
* Evaluations: grade A granted in 2024-2025, AA at least the holding period later, AAA a year
  after that (only where that falls before today); a few rejected; a few applications waiting
  for review in each unit, taken through the real services (with a small PDF per document).

Seeded random generators (one per unit and purpose) make the same data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import bisect
import functools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from yutong.core import services as core_services
from yutong.core.models import DatedParameter, OrgUnit
from yutong.core.parameters import parameter_value
from yutong.harmony import queries, services
from yutong.harmony.models import (
    DocumentKind,
    EvaluationScore,
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthAnswer,
    HealthCheck,
    HealthFinding,
    ScoringItem,
)
from yutong.registry.models import Enterprise, IndustrialPark

CITY_CODE = "500000"
FIRST_YEAR = 2024
TARGETS = {2024: 0.52, 2025: 0.62, 2026: 0.72}  # the plan's 50/60/70 %, with a margin
REGIONAL_SHARE = 0.8  # of the target, reached with whole townships before single enterprises
PARK_SHARE = 0.75
INDUSTRY_CHANCE = 0.3
WITHDRAWN_SHARE = 0.02
BATCH = 2000
PDF = b"%PDF-1.4\n% yutong demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Scale:
    checks_per_unit: int
    graded_per_unit: int  # enterprises that obtained grade A
    pending_per_unit: int  # applications waiting for review (through the services)


SCALES = {
    "small": Scale(checks_per_unit=8, graded_per_unit=6, pending_per_unit=1),
    "city": Scale(checks_per_unit=400, graded_per_unit=120, pending_per_unit=3),
}


@dataclass
class Counts:
    enrollments: int = 0
    regional: int = 0
    health_checks: int = 0
    evaluations: int = 0
    graded: int = 0
    pending: int = 0
    seconds: float = 0.0
    coverage: dict = field(default_factory=dict)  # year → (numerator, denominator)
    phases: dict = field(default_factory=dict)  # phase → seconds

    def summary(self) -> str:
        rates = ", ".join(
            f"{year}: {num / den:.0%}" for year, (num, den) in sorted(self.coverage.items()) if den
        )
        return (
            f"harmony: {self.enrollments} enrolments ({self.regional} regional), coverage at"
            f" year end {rates}; {self.health_checks} health checks; {self.evaluations}"
            f" evaluations ({self.graded} grades held, {self.pending} waiting for review)"
            f" ({self.seconds:.0f}s: "
            + ", ".join(f"{phase} {seconds:.0f}s" for phase, seconds in self.phases.items())
            + ")"
        )


def load_once(seed: int, scale: str = "small") -> Counts | None:
    """For ``yutong demo``: load unless harmony demo data is already there."""
    if HarmonyEnrollment.objects.exists():
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


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


class _Loader:
    def __init__(self, seed, scale: Scale, today: date, unit_codes):
        self.seed, self.scale, self.today = seed, scale, today
        self.counts = Counts()
        self.system = core_services.system_actor()
        units = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT)
        if unit_codes:
            units = units.filter(code__in=unit_codes)
        self.districts = list(units.order_by("code"))
        self.years = [y for y in sorted(TARGETS) if FIRST_YEAR <= y <= today.year]

    def rng(self, label: str) -> random.Random:
        return random.Random(f"{self.seed}:harmony:{label}")

    def run(self) -> None:
        lap = time.monotonic()

        def timed(phase: str) -> None:
            nonlocal lap
            now = time.monotonic()
            self.counts.phases[phase] = now - lap
            lap = now

        for unit in self.districts:
            for year in self.years:
                self.enrol_unit(unit, year)
        timed("enrolments")
        self.counts.coverage = self.year_end_coverage()
        timed("coverage")
        self.health_checks()
        timed("health checks")
        self.evaluations()
        timed("evaluations")
        self.pending_applications()
        timed("applications")

    # --- enrolments ---------------------------------------------------------------------

    def enrol_unit(self, unit: OrgUnit, year: int) -> None:
        rng = self.rng(f"{unit.code}:{year}")
        starts, ends = date(year, 1, 1), date(year, 12, 31)
        as_of = min(ends, self.today)
        in_scope = queries.in_scope_enterprises(as_of, Enterprise.objects.filter(unit=unit))
        total = in_scope.count()
        parks = list(IndustrialPark.objects.filter(unit=unit, is_active=True).order_by("id"))
        if not total and not parks:
            return
        target = TARGETS[year] + rng.uniform(-0.02, 0.06)
        rows: list[HarmonyEnrollment] = []

        def add(scope: str, **target_fields) -> None:
            enrolled = starts - timedelta(days=rng.randint(5, 60))
            rows.append(
                HarmonyEnrollment(
                    scope=scope,
                    unit=unit,
                    year=year,
                    starts_on=starts,
                    ends_on=ends,
                    covered_until=ends,
                    enrolled_by=self.system,
                    enrolled_at=_moment(enrolled),
                    **target_fields,
                )
            )

        per_township = list(
            in_scope.exclude(township=None)
            .values_list("township")
            .annotate(n=Count("id"))
            .order_by("township")
        )
        rng.shuffle(per_township)
        covered = 0
        for township_id, count in per_township:
            if covered + count > target * REGIONAL_SHARE * total:
                continue
            add(HarmonyEnrollment.Scope.REGION, township_id=township_id)
            covered += count
        for park in parks:
            if rng.random() < PARK_SHARE:
                add(HarmonyEnrollment.Scope.PARK, park=park)
        if rng.random() < INDUSTRY_CHANCE:
            add(HarmonyEnrollment.Scope.INDUSTRY, industry=rng.choice("EHO"))
        HarmonyEnrollment.objects.bulk_create(rows, batch_size=BATCH)
        self.counts.regional += len(rows)
        self.fill_with_enterprises(unit, year, in_scope, total, parks, target, as_of, rng)

    def fill_with_enterprises(self, unit, year, in_scope, total, parks, target, as_of, rng):
        """Single enterprises up to the target, chosen among the uncovered in the database
        (``total``: how many are in scope)."""
        covered = in_scope.filter(queries.covered_q(as_of)).count()
        parks_covered = (
            IndustrialPark.objects.filter(pk__in=[p.pk for p in parks])
            .filter(queries.park_covered_q(as_of))
            .count()
        )
        denominator = total + len(parks)
        wanted = int(round(target * denominator)) - covered - parks_covered
        if wanted <= 0:
            return
        # A pseudo-random order the database computes: (id * a) % m, a and m from the seed.
        multiplier, modulus = rng.choice((7919, 104729, 1299709)), rng.choice((997, 1009, 1013))
        chosen = list(
            in_scope.exclude(queries.covered_q(as_of))
            .annotate(shuffle=(F("id") * multiplier) % modulus)
            .order_by("shuffle", "id")
            .values_list("id", flat=True)[:wanted]
        )
        starts, ends = date(year, 1, 1), date(year, 12, 31)
        rows = []
        for enterprise_id in chosen:
            starts_on = starts + timedelta(days=rng.choice((0, 0, 0, 31, 59, 90)))
            if starts_on > as_of:
                starts_on = starts
            row = HarmonyEnrollment(
                scope=HarmonyEnrollment.Scope.ENTERPRISE,
                unit=unit,
                enterprise_id=enterprise_id,
                year=year,
                starts_on=starts_on,
                ends_on=ends,
                covered_until=ends,
                enrolled_by=self.system,
                enrolled_at=_moment(starts_on - timedelta(days=rng.randint(1, 20))),
                self_enrolled=rng.random() < 0.4,
            )
            rows.append(row)
        # A few past years' enrolments were withdrawn on their last day.
        if year < self.today.year:
            for row in rng.sample(rows, int(len(rows) * WITHDRAWN_SHARE)):
                row.withdrawn_on = ends
                row.withdrawal_reason = "企业经营调整，退出创建活动"
                row.covered_until = ends - timedelta(days=1)
                row.withdrawn_by = self.system
        HarmonyEnrollment.objects.bulk_create(rows, batch_size=BATCH)
        self.counts.enrollments += len(rows)

    def year_end_coverage(self) -> dict:
        result = {}
        for year in self.years:
            as_of = min(date(year, 12, 31), self.today)
            rows = queries.coverage(as_of, self.districts)
            total = queries.coverage_total(rows)
            result[year] = (total.numerator, total.denominator)
        self.counts.enrollments += self.counts.regional
        return result

    # --- health checks ------------------------------------------------------------------

    def sample(self, unit: OrgUnit, count: int, label: str) -> list[Enterprise]:
        rng = self.rng(f"{label}:{unit.code}")
        multiplier, modulus = rng.choice((7919, 104729)), rng.choice((991, 1009))
        return list(
            Enterprise.objects.filter(unit=unit, status="operating")
            .annotate(shuffle=(F("id") * multiplier) % modulus)
            .order_by("shuffle", "id")
            .select_related("unit")[:count]
        )

    def health_checks(self) -> None:
        """Per unit, the checks are drawn in memory and written with three ``bulk_create``
        calls (checks, answers, findings), not three statements per check."""
        themes = services.questionnaire()
        if not themes:
            return
        for unit in self.districts:
            rng = self.rng(f"checks:{unit.code}")
            line = parameter_value(services.GUIDANCE_LINE, self.today, unit).value
            planned = []
            for enterprise in self.sample(unit, self.scale.checks_per_unit, "checks"):
                day = self.today - timedelta(days=rng.randint(0, 700))
                care = rng.uniform(0.4, 1.0)  # how well the enterprise keeps the rules
                planned.append(self.plan_check(enterprise, day, themes, line, care, rng))
            checks = HealthCheck.objects.bulk_create([p[0] for p in planned], batch_size=BATCH)
            answers, findings = [], []
            for check, (_, check_answers, check_findings) in zip(checks, planned, strict=True):
                for row in (*check_answers, *check_findings):
                    row.health_check = check
                answers.extend(check_answers)
                findings.extend(check_findings)
            HealthAnswer.objects.bulk_create(answers, batch_size=BATCH)
            HealthFinding.objects.bulk_create(findings, batch_size=BATCH)
            self.counts.health_checks += len(checks)

    def plan_check(self, enterprise, day, themes, line, care, rng) -> tuple:
        """(check, answers, findings), unsaved: the answers follow how careful it is."""
        chosen = []
        for theme in themes:
            for question in theme.active_questions:
                options = sorted(question.options.all(), key=lambda o: -o.points)
                option = options[0] if rng.random() < care else rng.choice(options[1:])
                chosen.append((theme, question, option, options[0].points))
        points = sum(c[2].points for c in chosen)
        maximum = sum(c[3] for c in chosen)
        check = HealthCheck(
            enterprise=enterprise,
            unit=enterprise.unit,
            checked_on=day,
            filled_at=_moment(day, 15),
            points=points,
            max_points=maximum,
            score=services._percent(points, maximum),
        )
        answers = [
            HealthAnswer(
                question=question,
                theme=theme,
                question_text=question.text,
                option_text=option.text,
                points=option.points,
                max_points=top,
            )
            for theme, question, option, top in chosen
        ]
        findings = []
        for theme in themes:
            got = sum(c[2].points for c in chosen if c[0] is theme)
            top = sum(c[3] for c in chosen if c[0] is theme)
            score = services._percent(got, top)
            if score < line:
                findings.append(
                    HealthFinding(
                        theme=theme,
                        theme_name=theme.name,
                        points=got,
                        max_points=top,
                        score=score,
                        guidance=theme.guidance,
                        rule_reference=theme.rule_reference,
                        rule_url=theme.rule_url,
                    )
                )
        return check, answers, findings

    # --- evaluations --------------------------------------------------------------------

    def evaluations(self) -> None:
        items = list(ScoringItem.objects.filter(is_active=True))
        if not items:
            return
        for unit in self.districts:
            rng = self.rng(f"grades:{unit.code}")
            holding = int(parameter_value(services.HOLDING_MONTHS, self.today, unit).value)
            validity = int(parameter_value(services.VALIDITY_MONTHS, self.today, unit).value)
            minimum = self.min_scores(unit)
            chains = [
                self.grade_chain(enterprise, holding, validity, minimum, rng)
                for enterprise in self.sample(unit, self.scale.graded_per_unit, "grades")
            ]
            self.write_chains([chain for chain in chains if chain], items)

    def min_scores(self, unit: OrgUnit):
        """``services.min_score`` for this unit, looked up once per grade and stretch of days
        over which no row of the parameter (for any unit) starts: the same values, without
        three queries per evaluation."""
        starts = {
            grade: sorted(
                set(
                    DatedParameter.objects.filter(code=services.MIN_SCORE_CODES[grade]).values_list(
                        "valid_from", flat=True
                    )
                )
            )
            for grade in services.MIN_SCORE_CODES
        }

        @functools.cache
        def in_stretch(grade: str, since: date | None, day: date) -> Decimal:
            return services.min_score(grade, day, unit)

        def minimum(grade: str, day: date) -> Decimal:
            changes = starts[grade]
            index = bisect.bisect_right(changes, day)
            since = changes[index - 1] if index else None
            return in_stretch(grade, since, day if since is None else since)

        return minimum

    def grade_chain(self, enterprise, holding, validity, minimum, rng) -> list:
        """A, then perhaps AA and AAA, each at least the holding period after the one below."""
        day = date(FIRST_YEAR, 3, 1) + timedelta(days=rng.randint(0, 500))
        if day > self.today:
            return []
        rows = []
        for grade in ("A", "AA", "AAA"):
            least = minimum(grade, day)
            rejected = rng.random() < 0.1
            self_score = min(Decimal(100), least + Decimal(rng.randint(1, 8)))
            review = self_score - Decimal(rng.randint(0, 3)) if not rejected else least - 5
            row = HarmonyEvaluation(
                enterprise=enterprise,
                unit=enterprise.unit,
                grade=grade,
                status="rejected" if rejected else "approved",
                applied_by=self.system,
                created_at=_moment(day - timedelta(days=45)),
                self_score=self_score,
                submitted_on=day - timedelta(days=30),
                review_score=review,
                decision="reject" if rejected else "approve",
                review_reason="审核得分未达到该等级分数线"
                if rejected
                else "材料齐全，符合评定条件",
                reviewed_on=day,
                reviewed_by=self.system,
            )
            if not rejected:
                row.granted_on = day
                row.valid_until = services.add_months(day, validity) - timedelta(days=1)
            rows.append(row)
            if rejected or rng.random() < 0.45:
                break
            day = services.add_months(day, holding) + timedelta(days=rng.randint(10, 120))
            if day > self.today:
                break
        granted = [r for r in rows if r.status == "approved"]
        if granted:
            granted[-1].is_current = True
        return rows

    def write_chains(self, chains: list[list], items) -> None:
        """A unit's evaluations in one ``bulk_create``, then their item scores in another."""
        rows = HarmonyEvaluation.objects.bulk_create(
            [row for chain in chains for row in chain], batch_size=BATCH
        )
        scores = []
        for row in rows:
            ratio = row.self_score / 100
            for item in items:
                points = (Decimal(item.max_points) * ratio).quantize(Decimal("0.1"))
                scores.append(
                    EvaluationScore(
                        evaluation=row,
                        item=item,
                        item_name=item.name,
                        max_points=item.max_points,
                        points=points,
                    )
                )
        EvaluationScore.objects.bulk_create(scores, batch_size=BATCH)
        self.counts.evaluations += len(rows)
        for chain in chains:
            granted = [r for r in chain if r.status == "approved"]
            self.counts.graded += 1 if granted and granted[-1].valid_until >= self.today else 0

    def pending_applications(self) -> None:
        """A few applications for grade A waiting for the district, made through the services."""
        kinds = list(DocumentKind.objects.filter(is_active=True, is_required=True))
        items = list(ScoringItem.objects.filter(is_active=True))
        for unit in self.districts:
            rng = self.rng(f"pending:{unit.code}")
            candidates = [
                e
                for e in self.sample(unit, self.scale.pending_per_unit * 4, "pending")
                if not HarmonyEvaluation.objects.filter(enterprise=e).exists()
            ][: self.scale.pending_per_unit]
            for enterprise in candidates:
                evaluation = services.start_evaluation(self.system, enterprise, grade="A")
                ratio = Decimal(rng.randint(82, 97)) / 100
                scores = {
                    i.code: (Decimal(i.max_points) * ratio).quantize(Decimal("0.1")) for i in items
                }
                services.set_self_scores(self.system, evaluation, scores=scores)
                for kind in kinds:
                    services.add_document(
                        self.system,
                        evaluation,
                        kind=kind,
                        file=ContentFile(PDF, name=f"{kind.code}.pdf"),
                    )
                services.submit_evaluation(self.system, evaluation)
                self.counts.evaluations += 1
                self.counts.pending += 1


def per_unit_coverage(as_of: date, unit_codes: list[str]) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) per unit code — for tests and the command's summary."""
    units = list(OrgUnit.objects.filter(code__in=unit_codes))
    result: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for row in queries.coverage(as_of, units):
        result[row.unit_code] = (row.numerator, row.denominator)
    return dict(result)
