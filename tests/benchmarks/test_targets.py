"""Every target of ``benchmarks/run.py`` runs end to end at a tiny scale, on the test database
(SQLite or PostgreSQL), so that a change to what they call breaks a test instead of the next
benchmark run. What is checked is that each produced its figures, never how fast."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks import run
from tests.factories import EnterpriseFactory, TownshipFactory, unit
from yutong.core.models import AuditEntry, ImportJob
from yutong.demo import accounts
from yutong.indicators import ledger
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

USERS = ["admin", "yuzhong"]


@pytest.fixture
def data(db):
    for code in ("500103", "500112"):
        district = unit(code)
        township = TownshipFactory(parent=district)
        for n in range(6):
            EnterpriseFactory(
                unit=district,
                township=township,
                name=f"重庆晨光{code}{n}物流有限公司",
                industry="C",
            )
    showcase = EnterpriseFactory(unit=unit("500103"), name="重庆山城精工机械有限公司")
    accounts.create_accounts(showcase.uscc, showcase.name)


def _args(*extra: str):
    return run.parse_args([*extra, "--warmup", "0", "--repeat", "1", "--users", *USERS])


def _timed(rows, column: int) -> None:
    """Every row carries a number of milliseconds in ``column``."""
    assert rows
    for row in rows:
        assert float(row[column]) >= 0, row


def test_list_times_every_case_for_every_user(data):
    rows = run.measure_list(_args("list"))
    # twelve cases × (html, api) + the home page, per user
    assert len(rows) == len(USERS) * (12 * 2 + 1)
    assert {row[0] for row in rows} == set(USERS)
    _timed(rows, 3)
    exact = [r for r in rows if r[2] == "USCC exact" and r[1] == "api"]
    assert [r[6] for r in exact] == ["1", "1"]


def test_explain_prints_three_plans_per_case(data):
    plans = run.measure_explain(_args("explain"))
    assert len(plans) == len(USERS) * 12 * 3
    # every statement has a plan, but the rows of a page past the end (page 200 here)
    assert all(plan.strip() for *_, title, plan in plans if title != "page rows")
    assert any(title == "page rows" and plan.strip() for *_, title, plan in plans)


def test_search_times_the_page_and_each_app(data):
    rows = run.measure_search(_args("search"))
    pages = [r for r in rows if r[3] == "page"]
    assert {r[1] for r in pages} >= {"USCC exact", "name, 2 chars, no match"}
    assert any(r[3].strip() == "registry.search" for r in rows)
    _timed(rows, 4)
    exact = [r for r in pages if r[1] == "USCC exact"]
    assert all(r[7] >= 1 for r in exact)


def test_sortplans_explains_every_sort_order(data):
    plans = run.measure_sortplans(_args("sortplans"))
    assert {p[0] for p in plans} == {"Enterprise", "ConstructionProject"}
    assert all(plan.strip() for *_, plan in plans)


def test_indicators_time_each_indicator_its_floor_and_the_pages(data):
    rows = run.measure_indicators(_args("indicators", "--year", "2025"))
    labels = [r[0] for r in rows]
    assert any(label.startswith("all ") for label in labels)
    assert "floor SQL: all" in labels
    assert any(label.startswith("page ") for label in labels)
    assert any(label.startswith("overview card harmony_coverage") for label in labels)
    assert any("a district + townships" in label for label in labels)
    _timed(rows, 1)
    # The kept counts are whole on a test database: each computation is timed both ways.
    computed = [r for r in rows if not r[0].startswith(("floor", "page", "overview"))]
    _timed(computed, 4)


def test_import_commits_every_row_of_its_sheet_and_cleans_up(data):
    before = Enterprise.objects.count()
    rows = run.measure_import(_args("import", "--rows", "40"))
    assert rows[-2][2] == "40 created"
    assert "done" in rows[2][2]
    assert rows[-1][0].endswith("kept counts rebuilt")  # the worker's part, timed apart
    # removed afterwards, with their job and audit rows, and counted no more
    assert Enterprise.objects.count() == before
    assert ledger.check(date.today()) == []
    assert not ImportJob.objects.exists()
    assert not AuditEntry.objects.filter(action="import_enterprise").exists()


def test_import_sheet_follows_the_importer_columns(tmp_path, data):
    from openpyxl import load_workbook

    from yutong.registry.importers import EnterpriseImporter

    path = tmp_path / "sheet.xlsx"
    run._write_sheet(path, 3, seed=1)
    sheet = load_workbook(path).active
    header, *body = list(sheet.values)
    assert list(header) == [c.header for c in EnterpriseImporter.columns]
    assert len(body) == 3
    established = header.index("成立日期")
    assert all(row[established] for row in body)


def test_demo_reads_the_table_of_phases_the_demo_command_ends_with():
    # The command's own output (yutong/demo/management/commands/demo.py); running it, even
    # small, takes most of a minute, so the benchmark's reading of it is checked here.
    lines = [
        "1200000 enterprises",
        "",
        "Timings (seconds per phase):",
        "  registry                   167.0",
        "  showcase and accounts        0.4",
        "  wage codes                  12.5",
        "demo ready in 180s: 1200001 enterprises",
        "  admin        系统管理员      重庆市",
    ]
    assert run._demo_timings(lines) == [
        ("registry", 167.0),
        ("showcase and accounts", 0.4),
        ("wage codes", 12.5),
    ]
