"""yutong demo [--scale small|city] [--seed N]: load realistic demo data for every district."""

import random
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from yutong.core import services as core_services
from yutong.core.models import OrgUnit
from yutong.harmony.models import HarmonyEnrollment
from yutong.indicators import ledger
from yutong.registry import services as registry_services
from yutong.registry.models import Enterprise
from yutong.relations import services as relations_services
from yutong.relations.models import CollectiveContract, ContractCoverage, Union
from yutong.wages import facts as wage_facts

from ... import accounts, disputes, generate, harmony, inspection, relations, wages


class Command(BaseCommand):
    help = "Load demo data (townships, parks, enterprises, one account per role)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(generate.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, scale, seed, **options):
        # With DEBUG on (the development default) Django keeps the text of the last 9,000
        # statements per connection; the bulk loaders' statements carry thousands of rows
        # each, so the log alone grew to gigabytes at --scale city.
        # The indicators' kept counts are built once at the end, not record by record.
        with override_settings(DEBUG=False), ledger.deferred():
            self._handle(scale, seed)

    def _handle(self, scale, seed):
        rng = random.Random(seed)
        plan = generate.SCALES[scale]
        started = time.monotonic()
        timings: list[tuple[str, float]] = []  # (phase, seconds), printed at the end
        lap = started

        def timed(phase: str) -> None:
            nonlocal lap
            now = time.monotonic()
            timings.append((phase, now - lap))
            lap = now

        if OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP).exists():
            self.stdout.write("demo data already present: keeping it (drop var/ to start afresh)")
        else:
            self._load(rng, plan)
        timed("registry")
        enterprise = self._showcase(rng)
        listed = accounts.create_accounts(enterprise.uscc, enterprise.name)
        timed("showcase and accounts")
        # Projects before complaints (some complaints name a project), and the wage codes
        # once the complaints that colour them are in.
        for app in (disputes, relations, harmony, wages, inspection):
            counts = app.load_once(seed, scale)
            if counts is not None:
                self.stdout.write(counts.summary())
            if app is relations:
                self._showcase_union(enterprise)
            timed(app.__name__.rsplit(".", 1)[-1])
        with transaction.atomic():
            self.stdout.write(f"{wage_facts.recompute()} wage codes computed")
        timed("wage codes")
        _analyze_counted()
        ledger.rebuild()
        timed("indicator counts")
        self.stdout.write("\nTimings (seconds per phase):")
        for phase, seconds in timings:
            self.stdout.write(f"  {phase:<24}{seconds:8.1f}")
        self.stdout.write(
            self.style.SUCCESS(
                f"demo ready in {time.monotonic() - started:.0f}s: "
                f"{Enterprise.objects.count()} enterprises"
            )
        )
        self.stdout.write(f"\nDemo accounts (password for all: {accounts.DEMO_PASSWORD}):")
        for username, role, unit in listed:
            self.stdout.write(f"  {username:<12} {role:<10} {unit}")
        self.stdout.write(
            "admin and auditor sign in with a one-time code too: add the TOTP secret "
            f"{accounts.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/yutong democode admin`"
        )

    def _load(self, rng, plan):
        townships = generate.create_townships(rng, plan.townships_per_district)
        parks = generate.create_parks(rng, plan.parks_per_district)
        self.stdout.write(f"{townships} townships/streets, {parks} parks")

        def progress(done, total):
            if done % 100_000 == 0 or done == total:
                self.stdout.write(f"  enterprises: {done}/{total}")

        count = generate.create_enterprises(rng, plan.enterprises, progress=progress)
        self.stdout.write(f"{count} enterprises")

    @transaction.atomic
    def _showcase(self, rng) -> Enterprise:
        """The enterprise of the demo enterprise account, registered and edited through the
        services so that its audit trail shows what the platform records."""
        existing = Enterprise.objects.filter(name="重庆山城精工机械有限公司").first()
        if existing:
            return existing
        system = core_services.system_actor()
        yuzhong = OrgUnit.objects.get(code="500103")
        township = OrgUnit.objects.filter(parent=yuzhong).order_by("code").first()
        enterprise = registry_services.register_enterprise(
            system,
            uscc=generate.make_uscc(rng, "500103"),
            name="重庆山城精工机械有限公司",
            unit=yuzhong,
            township=township,
            industry="C",
            ownership="private",
            employee_count=180,
            status="operating",
            established_on=date(2012, 3, 15),
            address="重庆市渝中区解放碑民族路 88 号",
            legal_representative="李建国",
            contact_phone="13812345678",
        )
        enterprise = registry_services.update_enterprise(
            system,
            enterprise,
            expected_version=enterprise.version,
            employee_count=186,
            effective_on=date(2025, 3, 1),
        )
        return enterprise

    @transaction.atomic
    def _showcase_union(self, enterprise: Enterprise) -> None:
        """The showcase's union through the relations service (which sets the registry's
        "已建工会" from it), unless the relations demo already gave it one."""
        if relations_services.active_union(enterprise) is not None:
            return
        relations_services.establish_union(
            core_services.system_actor(),
            enterprise=enterprise,
            name=f"{enterprise.name}工会委员会",
            form="committee",
            established_on=date(2015, 5, 4),
            members=150,
            chair="王秀英",
            fulltime_staff=1,
        )


def _analyze_counted() -> None:
    """Fresh statistics for the tables the kept counts read day by day, just loaded in bulk:
    without them PostgreSQL walks all enrolments where one enterprise's index entries do."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (HarmonyEnrollment, Union, CollectiveContract, ContractCoverage):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
