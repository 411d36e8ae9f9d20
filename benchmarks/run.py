"""Scale benchmarks for yutong on PostgreSQL: build, list, import.

    .venv/bin/python benchmarks/run.py               # list + import (builds data if missing)
    .venv/bin/python benchmarks/run.py demo --fresh  # drop, migrate, time `demo --scale city`
    .venv/bin/python benchmarks/run.py list          # enterprise list: HTML and API, two users
    .venv/bin/python benchmarks/run.py import        # 100,000-row Excel import: check + commit
    .venv/bin/python benchmarks/run.py explain       # EXPLAIN ANALYZE of the list queries
    .venv/bin/python benchmarks/run.py indicators    # six indicators × all units; dashboard
    .venv/bin/python benchmarks/run.py search        # global search: name, USCC, case numbers
    .venv/bin/python benchmarks/run.py sortplans     # EXPLAIN: each list sort's first page

Only databases whose name starts with ``yutong_bench`` are ever created, written or dropped.
Timings are wall-clock on whatever else the machine is doing: they measure, they never assert.
See benchmarks/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_PREFIX = "yutong_bench"


# --- the database -------------------------------------------------------------------------


def _db_url(args) -> str:
    if not args.db.startswith(DB_PREFIX):
        sys.exit(
            f"refusing to use database {args.db!r}: benchmark databases start with {DB_PREFIX}"
        )
    return f"{args.server}/{args.db}"


def _pg(args, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    host = args.server.split("@", 1)[-1]
    hostname, _, port = host.partition(":")
    user = args.server.split("//", 1)[-1].split("@", 1)[0]
    return subprocess.run(
        [*command, "-h", hostname, "-p", port or "5432", "-U", user],
        check=check,
        capture_output=True,
        text=True,
    )


def _db_exists(args) -> bool:
    result = _pg(
        args,
        "psql",
        "-d",
        "postgres",
        "-Atc",
        f"select 1 from pg_database where datname='{args.db}'",
    )
    return result.stdout.strip() == "1"


def _env(args, **extra) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=_db_url(args), DJANGO_SETTINGS_MODULE="yutong.settings", **extra)
    return env


def cmd_demo(args) -> list[tuple]:
    """Create the database (dropping it first with --fresh), migrate, time the city build."""
    _db_url(args)
    if args.fresh and _db_exists(args):
        _pg(args, "dropdb", "--force", args.db)
    if not _db_exists(args):
        _pg(args, "createdb", args.db)
    env = _env(args)
    started = time.monotonic()
    subprocess.run([str(BIN / "yutong"), "migrate", "--verbosity", "0"], env=env, check=True)
    migrated = time.monotonic()
    print(f"building: yutong demo --scale {args.scale} on {args.db} …", flush=True)
    # Stream the command's output to time its phases (the enterprises, then whatever other
    # apps' demo data follows) as well as the whole.
    process = subprocess.Popen(
        [str(BIN / "yutong"), "demo", "--scale", args.scale],
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    enterprises_done = None
    for line in process.stdout:
        at = time.monotonic() - migrated
        lines.append(line.rstrip())
        if line.strip().endswith(" enterprises") and line.strip().split()[0].isdigit():
            enterprises_done = at
        if "enterprises:" not in line:
            print(f"  [{at:6.1f}s] {line.rstrip()}", flush=True)
    if process.wait():
        sys.exit("yutong demo failed:\n" + "\n".join(lines[-30:]))
    built = time.monotonic()
    # The command's own table of seconds per phase (the registry, then each app's loader).
    phases = _demo_timings(lines)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    count = _pg(
        args, "psql", "-d", args.db, "-Atc", "select count(*) from registry_enterprise"
    ).stdout.strip()
    size = _pg(
        args,
        "psql",
        "-d",
        args.db,
        "-Atc",
        "select pg_size_pretty(pg_database_size(current_database()))",
    ).stdout.strip()
    rows = [
        ("migrate", f"{migrated - started:.1f} s", ""),
        (f"demo --scale {args.scale}", f"{built - migrated:.1f} s", f"{int(count):,} enterprises"),
    ]
    if enterprises_done is not None:
        rows.append(("  until the enterprises are in", f"{enterprises_done:.1f} s", ""))
    rows.extend((f"  {phase}", f"{seconds:.1f} s", "") for phase, seconds in phases)
    rows.append(("peak memory (largest child process)", f"{peak:,} MB", ""))
    rows.append(("database size", size, ""))
    _table(["step", "time", "result"], rows)
    return rows


def _demo_timings(lines: list[str]) -> list[tuple[str, float]]:
    """(phase, seconds) from the table ``yutong demo`` prints last."""
    phases, inside = [], False
    for line in lines:
        if line.startswith("Timings (seconds per phase)"):
            inside = True
        elif inside and line.startswith("  ") and line.split()[-1].replace(".", "").isdigit():
            phase, _, seconds = line.strip().rpartition(" ")
            phases.append((phase.strip(), float(seconds)))
        elif inside:
            break
    return phases


def _ensure_data(args) -> None:
    if not _db_exists(args):
        print(f"{args.db} does not exist: building it first (several minutes)", flush=True)
        cmd_demo(args)


def _setup_django(args) -> None:
    # Imports this large are checked and committed by the worker: run its tasks in-process.
    os.environ.update(
        _env(args, YUTONG_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    )
    os.environ.setdefault("YUTONG_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("YUTONG_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- timing helpers -----------------------------------------------------------------------


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _table(headers: list[str], rows: list[tuple]) -> None:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        print("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# --- the enterprise list ------------------------------------------------------------------


def _list_cases(user) -> list[tuple[str, dict]]:
    """Typical filters, as a city admin or a district user would use them."""
    from yutong.core import scope
    from yutong.registry.models import Enterprise

    visible = Enterprise.objects.all()
    if not scope.sees_everything(user):
        visible = visible.filter(unit_id=user.unit_id)
    unit = "500112" if scope.sees_everything(user) else user.unit.code
    sample = visible.order_by("id").values_list("uscc", "name")[min(1000, visible.count() - 1)]
    brand_trade = sample[1].removeprefix("重庆").removesuffix("有限公司")[-6:]
    return [
        ("none", {}),
        ("none, page 200", {"page": "200"}),
        ("unit", {"unit": unit}),
        ("unit, page 200", {"unit": unit, "page": "200"}),
        ("industry+size", {"industry": "C", "size": "20_99"}),
        ("industry+size, page 20", {"industry": "C", "size": "20_99", "page": "20"}),
        ("status+union", {"status": "operating", "union": "no"}),
        ("status+union, page 200", {"status": "operating", "union": "no", "page": "200"}),
        (f"name “{brand_trade}”", {"q": brand_trade}),
        (f"name “{brand_trade[:2]}” (2 chars)", {"q": brand_trade[:2]}),
        ("USCC exact", {"q": sample[0]}),
        ("USCC prefix (12)", {"q": sample[0][:12]}),
    ]


def _time_get(client, url: str, params: dict, warmup: int, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)  # noqa: S101
    samples = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
    return samples, len(queries) // repeat, response


def _shown_count(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        count = data.get("count")
        text = f"{count:,}" if isinstance(count, int) else str(count)
        return ("~" + text) if data.get("count_is_estimate") else text
    body = response.content.decode()
    marker = 'data-testid="result-count">'
    start = body.find(marker)
    if start < 0:
        return "?"
    end = body.find("</p>", start)
    return body[start + len(marker) : end].strip()


def cmd_list(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_list(args)


def measure_list(args) -> list[tuple]:
    from django.test import Client

    from yutong.core.models import User

    rows = []
    for username in args.users:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, params in _list_cases(user):
            for kind, url in (("html", "/registry/enterprises/"), ("api", "/api/v1/enterprises/")):
                samples, queries, response = _time_get(
                    client, url, params, args.warmup, args.repeat
                )
                rows.append(
                    (
                        username,
                        kind,
                        label,
                        f"{statistics.median(samples):.0f}",
                        f"{_percentile(samples, 0.95):.0f}",
                        queries,
                        _shown_count(response),
                    )
                )
                print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
        samples, queries, response = _time_get(client, "/", {}, args.warmup, args.repeat)
        rows.append(
            (
                username,
                "html",
                "home page cards",
                f"{statistics.median(samples):.0f}",
                f"{_percentile(samples, 0.95):.0f}",
                queries,
                "",
            )
        )
    print()
    _table(["user", "kind", "case", "median ms", "p95 ms", "queries", "count shown"], rows)
    return rows


def _explain(cursor, sql: str, params) -> str:
    """The plan, indented: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, the query plan on SQLite
    (where the benchmark's own test runs too)."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
    else:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return "\n".join("    " + str(row[-1]) for row in cursor.fetchall())


def cmd_explain(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_explain(args)


def measure_explain(args) -> list[tuple]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries behind each list case, as the page runs them:
    the capped count, the page's ids (name order, OFFSET) and the page's rows by id."""
    from django.conf import settings
    from django.db import connection

    from yutong.core import pagination, scope
    from yutong.core.models import User
    from yutong.registry import queries
    from yutong.registry.forms import EnterpriseFilterForm

    cap = getattr(settings, "LIST_COUNT_CAP", pagination.COUNT_CAP)
    plans = []
    for username in args.users:
        user = User.objects.get(username=username)
        for label, params in _list_cases(user):
            form = EnterpriseFilterForm(params or None, units=scope.units_visible_to(user))
            qs = queries.enterprises_visible_to(user)
            if form.is_bound and form.is_valid():
                qs = queries.filter_enterprises(qs, form.cleaned_data)
            qs = qs.order_by("name", "id")
            start = (int(params.get("page", 1)) - 1) * 50
            ids_qs = qs.values_list("pk", flat=True)[start : start + 50]
            ids = list(ids_qs)
            statements = [
                ("count (capped)", *qs.order_by()[: cap + 1].values("pk").query.sql_with_params()),
                ("page ids", *ids_qs.query.sql_with_params()),
            ]
            print(f"\n===== {username} · {label} · {params}")
            if ids:
                rows_qs = qs.order_by().filter(pk__in=ids)
                statements.append(("page rows", *rows_qs.query.sql_with_params()))
            else:  # past the last page (a small database): the page reads no rows
                print("--- page rows\n    (none: the page is empty)")
                plans.append((username, label, "page rows", ""))
            for title, sql, sql_params in statements:
                if title.startswith("count"):
                    sql = f"SELECT count(*) FROM ({sql}) q"
                with connection.cursor() as cursor:
                    plan = _explain(cursor, sql, sql_params)
                print(f"--- {title}\n{plan}")
                plans.append((username, label, title, plan))
    return plans


# --- the global search --------------------------------------------------------------------


def _search_cases(user) -> list[tuple[str, str]]:
    """What people type into the top bar, taken from records the user may see: a name
    fragment (six characters and two), a full USCC, an arbitration and an inspection case
    number, and a project code."""
    from yutong.disputes.queries import arbitration_cases_visible_to
    from yutong.inspection.queries import inspection_cases_visible_to
    from yutong.registry.queries import enterprises_visible_to, projects_visible_to

    enterprises = enterprises_visible_to(user).order_by("id")
    sample = enterprises.values_list("uscc", "name")[min(1000, enterprises.count() - 1)]
    brand_trade = sample[1].removeprefix("重庆").removesuffix("有限公司")[-6:]
    cases = [
        (f"name “{brand_trade}”", brand_trade),
        (f"name “{brand_trade[:2]}” (2 chars)", brand_trade[:2]),
        ("USCC exact", sample[0]),
        # The worst case of a name: too short for the trigram index and found nowhere, so
        # the whole name order is read to fill the first page.
        ("name, 2 chars, no match", "琰琰"),
    ]
    numbered = arbitration_cases_visible_to(user).exclude(number="").order_by("id")
    arbitration = numbered.values_list("number", flat=True)[: numbered.count() // 2 + 1]
    if arbitration:
        cases.append(("arbitration case number", list(arbitration)[-1]))
    inspection = inspection_cases_visible_to(user).order_by("id").values_list("number", flat=True)
    middle = inspection[inspection.count() // 2 : inspection.count() // 2 + 1]
    if middle:
        cases.append(("inspection case number", middle[0]))
    project = projects_visible_to(user).order_by("id").values_list("code", flat=True)[:1]
    if project:
        cases.append(("project code", project[0]))
    return cases


def cmd_search(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_search(args)


def measure_search(args) -> list[tuple]:
    """``/core/search/?q=`` through the whole stack, and each app's ``search`` alone (to see
    which part of a slow search is slow), per user and kind of query."""
    from django.apps import apps
    from django.test import Client

    from yutong.core.models import User
    from yutong.core.shell_views import SEARCH_LIMIT, search_hits

    rows = []
    for username in args.users:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, q in _search_cases(user):
            samples, queries, _ = _time_get(
                client, "/core/search/", {"q": q}, args.warmup, args.repeat
            )
            hits = sum(len(group["hits"]) for group in search_hits(user, q))
            rows.append(
                (
                    username,
                    label,
                    q,
                    "page",
                    f"{statistics.median(samples):.0f}",
                    f"{_percentile(samples, 0.95):.0f}",
                    queries,
                    hits,
                )
            )
            print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
            for config in apps.get_app_configs():
                provider = getattr(config, "search", None)
                if provider is None:
                    continue
                found = []

                def run(provider=provider, found=found, user=user, q=q):
                    found[:] = provider(user, q, SEARCH_LIMIT)

                samples, queries = _time(run, args.warmup, args.repeat)
                rows.append(
                    (
                        username,
                        label,
                        "",
                        f"  {config.label}.search",
                        f"{statistics.median(samples):.0f}",
                        f"{_percentile(samples, 0.95):.0f}",
                        queries,
                        sum(len(hits) for _, hits in found),
                    )
                )
                print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
    print()
    _table(["user", "case", "q", "what", "median ms", "p95 ms", "queries", "hits"], rows)
    return rows


# --- the list's sort orders -----------------------------------------------------------------


def cmd_sortplans(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_sortplans(args)


def measure_sortplans(args) -> list[tuple]:
    """EXPLAIN (ANALYZE, BUFFERS) of the first page's ids for each sort order of the enterprise
    and project lists, city-wide and for one district, as ``tables.Sorting`` orders them."""
    from django.db import connection

    from yutong.core.models import OrgUnit
    from yutong.core.tables import SortState
    from yutong.registry import queries
    from yutong.registry.models import ConstructionProject, Enterprise

    unit = OrgUnit.objects.get(code="500103")
    lists = [
        (Enterprise, queries.ENTERPRISE_SORTING),
        (ConstructionProject, queries.PROJECT_SORTING),
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
        cursor.execute("ANALYZE registry_constructionproject")
    plans = []
    for model, sorting in lists:
        for key in sorting.columns:
            for descending in (True, False):
                for where in (None, unit):
                    queryset = model.objects.all()
                    if where is not None:
                        queryset = queryset.filter(unit=where)
                    state = SortState(key, descending, sorting)
                    ids = queryset.order_by(*sorting.order_by(state)).values_list("pk", flat=True)
                    sql, params = ids[:50].query.sql_with_params()
                    with connection.cursor() as cursor:
                        plan = _explain(cursor, sql, params)
                    scope = "city" if where is None else where.name
                    order = f"-{key}" if descending else key
                    print(f"\n===== {model.__name__} · sort={order} · {scope}\n{plan}")
                    plans.append((model.__name__, order, scope, plan))
    return plans


# --- the Excel import ---------------------------------------------------------------------


def _write_sheet(path: Path, rows: int, seed: int) -> None:
    import random

    from openpyxl import Workbook
    from stdnum.cn import uscc

    from yutong.core.models import OrgUnit
    from yutong.registry.importers import EnterpriseImporter

    rng = random.Random(seed)
    districts = list(
        OrgUnit.objects.filter(level="district", valid_to__isnull=True).order_by("code")
    )
    townships: dict[int, list[str]] = {}
    for township in OrgUnit.objects.filter(level="township", valid_to__isnull=True):
        townships.setdefault(township.parent_id, []).append(township.name)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    # The sheet is built from the importer's own columns, so that a column added to the
    # importer fails here loudly instead of every row failing the check.
    columns = EnterpriseImporter.columns
    sheet.append([column.header for column in columns])
    seen = set()
    for number in range(rows):
        district = rng.choice(districts)
        while True:
            # "93" (farmers' cooperatives) keeps them apart from the demo's "91" codes.
            body = "93" + (district.code if district.code.isdigit() else "500000")
            body += "".join(rng.choice(alphabet) for _ in range(9))
            code = body + uscc.calc_check_digit(body)
            if code not in seen:
                seen.add(code)
                break
        township = rng.choice(townships.get(district.pk) or [""])
        values = {
            "uscc": code,
            "name": f"重庆导入测试{number:06d}有限公司",
            "unit": district.name,
            "township": township,
            "industry": "C",
            "ownership": "私营企业",
            "employee_count": rng.randint(1, 2000),
            "status": "存续经营",
            "established_on": f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}",
            "address": f"重庆市{district.name}测试路{number % 999 + 1}号",
            "legal_representative": "张三",
            "contact_phone": f"139{rng.randrange(10**8):08d}" if number % 3 == 0 else "",
        }
        if number == 0:
            keys = {column.key for column in columns}
            missing = [c.header for c in columns if c.required and c.key not in values]
            unknown = sorted(set(values) - keys)
            if missing or unknown:
                sys.exit(
                    f"the import benchmark's sheet is out of date: no values for the required "
                    f"columns {missing}; values for no column {unknown}"
                )
        sheet.append([values.get(column.key, "") for column in columns])
    workbook.save(path)


def cmd_import(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_import(args)


def measure_import(args) -> list[tuple]:
    from django.conf import settings

    if "Immediate" not in settings.TASKS["default"]["BACKEND"]:
        sys.exit("the import benchmark needs the immediate task backend (see _setup_django)")
    from django.core.files import File
    from django.db import connection, transaction
    from django.db.models import Max
    from django.test import override_settings

    from yutong.core import appendonly, imports
    from yutong.core.models import AuditEntry, ImportJob, User
    from yutong.indicators import ledger
    from yutong.registry.models import Enterprise

    user = User.objects.get(username=args.import_user)
    last_audit = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    workdir = Path(tempfile.mkdtemp(prefix="yutong-bench-"))
    # Uploaded files go to a scratch MEDIA_ROOT, not the project's var/media.
    media = override_settings(MEDIA_ROOT=str(workdir / "media"))
    media.enable()
    try:
        path = workdir / f"enterprises-{args.rows}.xlsx"
        started = time.perf_counter()
        _write_sheet(path, args.rows, seed=args.seed)
        written = time.perf_counter() - started
        before = Enterprise.objects.count()
        with path.open("rb") as handle:
            started = time.perf_counter()
            job = imports.upload(user, "enterprise", File(handle, name=path.name))
            checked = time.perf_counter() - started
        job.refresh_from_db()
        if job.status != ImportJob.Status.READY:
            sys.exit(f"check did not pass: {job.status} {job.message} {job.errors[:5]}")
        check_message = job.message
        started = time.perf_counter()
        # In production the commit queues a rebuild of the indicators' kept counts for the
        # worker (an import reaches every township); here it is timed on its own, after.
        with ledger.deferred():
            job = imports.commit(user, job)
        committed = time.perf_counter() - started
        started = time.perf_counter()
        ledger.rebuild()
        recounted = time.perf_counter() - started
        created = Enterprise.objects.count() - before
        if job.status != ImportJob.Status.DONE or created != args.rows:
            sys.exit(
                f"commit did not import every row: {job.status} {job.message}, "
                f"{created:,} of {args.rows:,} enterprises created"
            )
        rows = [
            (
                "write xlsx (openpyxl, write-only)",
                f"{written:.1f} s",
                f"{path.stat().st_size:,} bytes",
            ),
            ("upload + check", f"{checked:.1f} s", check_message),
            ("commit", f"{committed:.1f} s", f"{job.status}: {job.message}"),
            ("upload + check + commit", f"{checked + committed:.1f} s", f"{created:,} created"),
            ("then, in the background: kept counts rebuilt", f"{recounted:.1f} s", ""),
        ]
        _table([f"import of {args.rows:,} rows", "time", "result"], rows)
    finally:
        if not args.keep_imported:
            # The sheet's codes carry the "93" prefix, which the demo never uses. Deleted in
            # bulk, the indicators' kept counts are rebuilt once rather than row by row.
            with ledger.deferred():
                Enterprise.objects.filter(uscc__startswith="93").delete()
            ledger.rebuild()
            jobs = ImportJob.objects.filter(created_by=user, kind="enterprise")
            for old in jobs:
                if old.file:
                    old.file.delete(save=False)
            # Audit rows are append-only, through the ORM and by triggers in the database.
            # This is a benchmark database: lift the triggers for the rows this run wrote
            # only, and put them back, in one transaction.
            with transaction.atomic(), connection.cursor() as cursor:
                appendonly.uninstall(connection)
                cursor.execute("DELETE FROM core_auditentry WHERE id > %s", [last_audit])
                appendonly.install(connection)
            jobs.delete()
            # VACUUM cannot run in a transaction (the tests run this in one).
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE) registry_enterprise")
        media.disable()
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


# --- entry point --------------------------------------------------------------------------


# --- the indicators -----------------------------------------------------------------------

# The floor: one hand-written aggregate per indicator over the same rows the engine counts.
FLOOR_SQL = {
    "arbitration_closure": """
        SELECT unit_id,
               count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s),
               count(*)
          FROM disputes_arbitrationcase
         WHERE accepted_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)
         GROUP BY unit_id""",
    "mediation_success": """
        SELECT unit_id, sum(n), sum(d) FROM (
            SELECT unit_id,
                   count(*) FILTER (WHERE closure IN ('agreement', 'settlement')) AS n,
                   count(*) FILTER (
                       WHERE closure IN ('agreement', 'settlement', 'no_agreement')) AS d
              FROM disputes_mediationcase
             WHERE closed_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
            UNION ALL
            SELECT unit_id,
                   count(*) FILTER (WHERE closure = 'mediation_document'),
                   count(*) FILTER (WHERE closure IN ('mediation_document', 'award'))
              FROM disputes_arbitrationcase
             WHERE closed_on BETWEEN %(start)s AND %(end)s GROUP BY unit_id
        ) parts GROUP BY unit_id""",
    "inspection_closure": """
        SELECT unit_id,
               count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s),
               count(*)
          FROM inspection_inspectioncase
         WHERE origin = 'complaint'
           AND accepted_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)
         GROUP BY unit_id""",
    "wage_arrears_closure": """
        SELECT unit_id,
               count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s),
               count(*)
          FROM inspection_inspectioncase
         WHERE origin = 'complaint' AND is_wage_arrears
           AND accepted_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)
         GROUP BY unit_id""",
    "harmony_coverage": """
        WITH active AS (
            SELECT * FROM harmony_harmonyenrollment
             WHERE starts_on <= %(end)s AND (covered_until IS NULL OR covered_until >= %(end)s))
        SELECT unit_id, count(*) FILTER (WHERE
                   id IN (SELECT enterprise_id FROM active WHERE scope = 'enterprise')
                   OR township_id IN (SELECT township_id FROM active WHERE scope = 'region')
                   OR park_id IN (SELECT park_id FROM active WHERE scope = 'park')
                   OR (unit_id, industry) IN (
                       SELECT unit_id, industry FROM active WHERE scope = 'industry')),
               count(*)
          FROM registry_enterprise
         WHERE status = 'operating' AND employee_count >= 1
         GROUP BY unit_id""",
    "collective_contract_rate": """
        SELECT unit_id, count(*) FILTER (WHERE id IN (
                   SELECT cc.enterprise_id FROM relations_contractcoverage cc
                     JOIN relations_collectivecontract c ON c.id = cc.contract_id
                    WHERE c.effective_from <= %(end)s AND c.expires_on >= %(end)s
                      AND (c.terminated_on IS NULL OR c.terminated_on > %(end)s))),
               count(*)
          FROM registry_enterprise
         WHERE status = 'operating' AND employee_count >= 100
           AND id IN (SELECT enterprise_id FROM relations_union
                       WHERE established_on <= %(end)s
                         AND (dissolved_on IS NULL OR dissolved_on > %(end)s))
         GROUP BY unit_id""",
}


def _time(function, warmup: int, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        function()
    samples = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            samples.append((time.perf_counter() - started) * 1000)
    return samples, len(queries) // max(repeat, 1)


def _indicator_cases(year: int):
    from django.utils import timezone

    from yutong.indicators import engine
    from yutong.indicators.periods import Period

    period = Period(year)
    today = timezone.localdate()
    units = engine.units_listed(period, engine.RECORDED, today)
    available = [i for i in engine.indicators() if i.code in engine.SOURCES]

    def one(indicator):
        return lambda: engine.compute(indicator, period, units, today=today)

    def all_six():
        for indicator in available:
            engine.compute(indicator, period, units, today=today)

    def trends():
        for indicator in available:
            engine.trend(indicator, year, units, today=today)

    def district_trends():
        # a district's trend page computes the district and its townships, not the city
        district = next(u for u in units if u.level == "district")
        own = [district, *engine.townships_of(district, engine.RECORDED, today)]
        for indicator in available:
            engine.trend(indicator, year, own, today=today)

    cases = [(f"{i.code} × {len(units)} units", one(i)) for i in available]
    cases.append((f"all {len(available)} available × {len(units)} units", all_six))
    cases.append((f"monthly trends, all {len(available)} × {len(units)} units", trends))
    cases.append((f"monthly trends, all {len(available)}, a district + townships", district_trends))
    return cases, period, [i.code for i in available]


@contextmanager
def _computed_directly():
    """The stock indicators computed from the records, as before their counts were kept: the
    kept counts marked not whole inside a transaction that is rolled back."""
    from django.db import transaction

    from yutong.indicators.models import StockLedger

    with transaction.atomic():
        StockLedger.objects.update(ready=False)
        yield
        transaction.set_rollback(True)


def _floor_cases(period, codes):
    from django.db import connection

    def run(sql):
        def go():
            with connection.cursor() as cursor:
                cursor.execute(sql, {"start": period.start, "end": period.end})
                cursor.fetchall()

        return go

    cases = [(f"floor SQL: {code}", run(FLOOR_SQL[code])) for code in codes if code in FLOOR_SQL]

    def all_floor():
        for code in codes:
            if code in FLOOR_SQL:
                run(FLOOR_SQL[code])()

    cases.append(("floor SQL: all", all_floor))
    return cases


def cmd_indicators(args) -> list[tuple]:
    _ensure_data(args)
    _setup_django(args)
    return measure_indicators(args)


def measure_indicators(args) -> list[tuple]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from yutong.core.models import User
    from yutong.indicators.models import StockLedger

    rows = []
    cases, period, codes = _indicator_cases(args.year)
    kept = StockLedger.objects.filter(ready=True).count()
    print(f"  kept counts whole: {kept} of 3 (`yutong counts --rebuild` builds them)")
    for label, function in [*cases, *_floor_cases(period, codes)]:
        samples, queries = _time(function, args.warmup, args.repeat)
        direct = ""
        if kept and not label.startswith("floor"):
            with _computed_directly():
                before, _ = _time(function, args.warmup, args.repeat)
            direct = f"{statistics.median(before):.0f}"
        rows.append(
            (
                label,
                f"{statistics.median(samples):.0f}",
                f"{_percentile(samples, 0.95):.0f}",
                queries,
                direct,
                f"{statistics.median(samples) / statistics.median(before):.2f}" if direct else "",
            )
        )
        print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
    for username in args.users:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name in ("indicators:dashboard", "indicators:league"):
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            samples, queries, _ = _time_get(
                client, url, {"year": args.year}, args.warmup, args.repeat
            )
            rows.append(
                (
                    f"page {url} as {username}",
                    f"{statistics.median(samples):.0f}",
                    f"{_percentile(samples, 0.95):.0f}",
                    queries,
                )
            )
            print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
        # the overview's stock-indicator cards, each loaded in its own request after the page
        for code in ("harmony_coverage", "collective_contract_rate"):
            params = {"year": args.year, "indicator": code}
            samples, queries, _ = _time_get(
                client, reverse("indicators:dashboard_card"), params, args.warmup, args.repeat
            )
            rows.append(
                (
                    f"overview card {code} as {username}",
                    f"{statistics.median(samples):.0f}",
                    f"{_percentile(samples, 0.95):.0f}",
                    queries,
                )
            )
            print("  " + "  ".join(str(c) for c in rows[-1]), flush=True)
    print()
    headers = ["case", "median ms", "p95 ms", "queries", "direct ms", "kept ÷ direct"]
    _table(headers, [row if len(row) == 6 else (*row, "", "") for row in rows])
    return rows


def _machine() -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cpu ({cpu}), {memory} GiB, load {load[0]:.1f} "
        f"· python {platform.python_version()}"
    )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["all", "demo", "list", "import", "explain", "indicators", "search", "sortplans"],
    )
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER", DEFAULT_SERVER))
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", DB_PREFIX))
    parser.add_argument("--scale", default="city")
    parser.add_argument("--fresh", action="store_true", help="demo: drop the database first")
    parser.add_argument("--users", nargs="+", default=["admin", "yuzhong"])
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000, help="import: rows in the sheet")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--year", type=int, default=2025, help="indicators: the year computed")
    parser.add_argument("--import-user", default="admin")
    parser.add_argument(
        "--keep-imported", action="store_true", help="import: leave the imported rows in place"
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    _machine()
    if args.what == "demo":
        cmd_demo(args)
    elif args.what == "list":
        cmd_list(args)
    elif args.what == "explain":
        cmd_explain(args)
    elif args.what == "import":
        cmd_import(args)
    elif args.what == "indicators":
        cmd_indicators(args)
    elif args.what == "search":
        cmd_search(args)
    elif args.what == "sortplans":
        cmd_sortplans(args)
    else:
        cmd_list(args)
        print()
        cmd_import(args)


if __name__ == "__main__":
    main()
