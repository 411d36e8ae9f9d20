"""The wage deposit requirement (rules §4.3 as settings) and the colour rules of the wage code,
on plain facts, then through the stored colours."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from tests.wages import fixtures
from yutong.core import imports
from yutong.wages import facts, rules, services
from yutong.wages.models import WageCode, WageCodeRule, WageSettings

TODAY = date(2026, 11, 24)
CLEAN = rules.ContractorRecord(first_start=date(2020, 1, 1))


@pytest.fixture
def settings_row(db):
    return WageSettings.current()


def test_small_contract_with_clean_record_is_exempt(settings_row):
    need = rules.deposit_requirement(Decimal("2999999"), CLEAN, settings_row, TODAY)
    assert need.exempt and need.amount == 0
    assert "免缴" in need.trace[-1]


def test_small_contract_with_recent_arrears_is_not_exempt(settings_row):
    record = rules.ContractorRecord(date(2020, 1, 1), last_arrears_month=date(2026, 6, 1))
    need = rules.deposit_requirement(Decimal("2000000"), record, settings_row, TODAY)
    assert not need.exempt and need.rate == Decimal("3.00")
    assert need.amount == Decimal("60000.00")
    assert any("不能免缴" in step for step in need.trace)


def test_rates_by_record(settings_row):
    amount = Decimal("10000000")
    reduced = rules.deposit_requirement(amount, CLEAN, settings_row, TODAY)
    assert reduced.rate == Decimal("1.00") and reduced.amount == Decimal("100000.00")
    new = rules.ContractorRecord(first_start=date(2026, 1, 1))
    assert rules.deposit_requirement(amount, new, settings_row, TODAY).rate == Decimal("2.00")
    old_arrears = rules.ContractorRecord(date(2018, 1, 1), last_arrears_month=date(2024, 1, 1))
    assert rules.deposit_requirement(amount, old_arrears, settings_row, TODAY).rate == Decimal(
        "1.00"
    )


def test_floor_and_cap_are_settings(settings_row):
    settings_row.deposit_reduced_rate = Decimal("0.20")
    settings_row.deposit_cap = Decimal("30000")
    need = rules.deposit_requirement(Decimal("10000000"), CLEAN, settings_row, TODAY)
    assert need.rate == Decimal("0.50")
    assert need.amount == Decimal("30000")
    assert any("不得低于" in s for s in need.trace) and any("上限" in s for s in need.trace)


def _facts(**changes):
    base = {
        "project_id": 1,
        "status": "under_construction",
        "starts_on": date(2026, 8, 10),
        "completed_on": None,
        "contract_amount": Decimal("10000000"),
        "requirement": rules.Requirement(Decimal("100000"), Decimal("1"), False, []),
    }
    base.update(changes)
    return rules.ProjectFacts(**base)


RULES = [
    rules.RuleSetting("deposit", "yellow", 20),
    rules.RuleSetting("missing_months", "yellow", 1),
    rules.RuleSetting("missing_months_severe", "red", 3),
    rules.RuleSetting("unpaid", "red", 1),
    rules.RuleSetting("notice_board", "yellow", 5),
    rules.RuleSetting("open_complaints", "red", 1),
    rules.RuleSetting("below_minimum", "off", 1),
]


def _complete(fact):
    fact.deposit_amount = Decimal("100000")
    fact.safeguards = {
        "notice_board": rules.SafeguardFact(date(2026, 8, 10), tuple(rules.NoticeItem.values))
    }
    fact.months = {date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)}
    return fact


def test_green_when_no_rule_holds():
    colour, reasons = rules.wage_code(_complete(_facts()), RULES, TODAY)
    assert (colour, reasons) == ("green", [])


def test_missing_months_yellow_then_red():
    fact = _complete(_facts())
    fact.months = {date(2026, 8, 1), date(2026, 9, 1)}
    colour, reasons = rules.wage_code(fact, RULES, TODAY)
    assert colour == "yellow" and "2026-10" in reasons[0]["text"]
    fact.months = set()
    colour, reasons = rules.wage_code(fact, RULES, TODAY)
    assert colour == "red" and reasons[0]["rule"] == "missing_months_severe"


def test_deposit_missing_only_after_the_time_limit():
    fact = _complete(_facts(starts_on=date(2026, 11, 2)))
    fact.months = set()
    fact.deposit_amount = None
    assert rules.wage_code(fact, RULES, TODAY) == ("green", [])  # 16 working days in
    fact = _complete(_facts())
    fact.deposit_amount = Decimal("50000")
    colour, reasons = rules.wage_code(fact, RULES, TODAY)
    assert colour == "yellow" and "不足" in reasons[0]["text"]


def test_incomplete_notice_board_names_what_is_missing():
    fact = _complete(_facts())
    fact.safeguards["notice_board"] = rules.SafeguardFact(date(2026, 8, 10), ("parties",))
    colour, reasons = rules.wage_code(fact, RULES, TODAY)
    assert colour == "yellow" and "当地最低工资标准" in reasons[0]["text"]


def test_unpaid_and_complaints_are_red_and_off_rules_ignored():
    fact = _complete(_facts())
    fact.unpaid_workers, fact.unpaid_amount = 2, Decimal("3000")
    fact.below_minimum_workers = 5  # the rule is off
    fact.open_complaints = 1
    colour, reasons = rules.wage_code(fact, RULES, TODAY)
    assert colour == "red"
    assert [r["rule"] for r in reasons] == ["unpaid", "open_complaints"]
    assert "3,000.00 元" in reasons[0]["text"]


def test_planned_project_owes_nothing_yet():
    fact = _facts(status="planned", starts_on=None)
    assert rules.wage_code(fact, RULES, TODAY) == ("green", [])


# --- stored colours -------------------------------------------------------------------------


def test_colour_follows_the_services(district_staff, project):
    code = WageCode.objects.get(project=project)
    assert code.colour == "red"  # three months of works without any payroll
    fixtures.safeguards_in_place(district_staff, project)
    for n in (3, 2, 1):
        month = fixtures.months_ago(n)
        job = imports.upload(
            district_staff, "payroll", fixtures.sheet(fixtures.payroll_rows(project, month))
        )
        imports.commit(district_staff, job)
    code.refresh_from_db()
    assert (code.colour, code.reasons) == ("green", [])


def test_rule_change_recomputes_every_project(
    city_admin, district_staff, project, django_capture_on_commit_callbacks
):
    assert WageCode.objects.get(project=project).colour == "red"
    with django_capture_on_commit_callbacks(execute=True):
        for rule in WageCodeRule.objects.exclude(code="deposit"):
            services.update_rule(city_admin, rule, colour="off", threshold=rule.threshold)
        services.update_rule(
            city_admin, WageCodeRule.objects.get(code="deposit"), colour="yellow", threshold=1
        )
    code = WageCode.objects.get(project=project)
    assert code.colour == "yellow" and [r["rule"] for r in code.reasons] == ["deposit"]


def test_recompute_all_in_batches(district_staff, project, spb_project, monkeypatch):
    WageCode.objects.all().delete()
    monkeypatch.setattr(facts, "BATCH", 1)
    assert facts.recompute() == 2
    assert WageCode.objects.count() == 2


def test_recompute_command(district_staff, project):
    from django.core.management import call_command

    WageCode.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_wage_codes", stdout=out)
    assert "1 wage codes recomputed" in out.getvalue()
    assert WageCode.objects.get(project=project).colour == "red"


def test_three_years_with_the_systems_in_place_is_exempt(settings_row):
    amount = Decimal("50000000")  # far above the small-contract exemption
    steady = rules.ContractorRecord(date(2022, 1, 1), projects_without_systems=0)
    need = rules.deposit_requirement(amount, steady, settings_row, TODAY)
    assert need.exempt and need.amount == 0 and "连续 36 个月" in need.trace[-1]
    # a project without one of the systems, arrears within the window, too short a record,
    # or the setting at 0: the rate applies
    for record in (
        rules.ContractorRecord(date(2022, 1, 1), projects_without_systems=1),
        rules.ContractorRecord(date(2022, 1, 1), date(2025, 3, 1), projects_without_systems=0),
        rules.ContractorRecord(date(2024, 6, 1), projects_without_systems=0),
        rules.ContractorRecord(date(2022, 1, 1)),  # not known
    ):
        assert not rules.deposit_requirement(amount, record, settings_row, TODAY).exempt
    settings_row.exemption_systems_months = 0
    assert not rules.deposit_requirement(amount, steady, settings_row, TODAY).exempt


def test_contractor_record_counts_started_projects_without_the_systems(
    district_staff, project, parties
):
    record = facts.contractor_records([parties.contractor.pk])[parties.contractor.pk]
    started = project.status != "planned"
    assert record.projects_without_systems == (1 if started else 0)
    for kind in ("wage_account", "real_name", "bank_payroll"):
        extra = {"bank_name": "重庆银行", "account_number": "6222000011112222"}
        services.record_safeguard(
            district_staff,
            project,
            kind=kind,
            in_place_since=date(2026, 1, 5),
            **(extra if kind == "wage_account" else {}),
            **({"pay_day": 15} if kind == "bank_payroll" else {}),
        )
    record = facts.contractor_records([parties.contractor.pk])[parties.contractor.pk]
    assert record.projects_without_systems == 0
