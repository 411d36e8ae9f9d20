"""Recording the safeguards: validation, audit (account numbers masked), versions, scope; and
the open wage-arrears complaints of the inspection app turning a project red."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.wages import fixtures
from yutong.core.models import AuditEntry
from yutong.inspection import services as inspection_services
from yutong.wages import services
from yutong.wages.models import WageCode, WageDeposit, WageSafeguard

TODAY = timezone.localdate


def test_deposit_records_requirement_and_audit(district_staff, project):
    deposit = services.record_deposit(
        district_staff,
        project,
        form="bank_guarantee",
        amount=Decimal("1000000"),
        deposited_on=TODAY(),
        issuer="中国建设银行重庆分行",
        reference="BH-2026-001",
        expires_on=TODAY() + timedelta(days=365),
    )
    # 50,000,000 × 2 % (a contractor new to the platform: the base rate)
    assert deposit.required_amount == Decimal("1000000.00") and not deposit.exempt
    assert deposit.recorded_by == district_staff and deposit.version == 1
    entry = AuditEntry.objects.get(action="record_wage_deposit")
    assert entry.object_id == str(project.pk)
    assert entry.changes["form"] == [None, "银行保函"]
    again = services.record_deposit(
        district_staff,
        project,
        form="cash",
        amount=Decimal("1000000"),
        deposited_on=TODAY(),
        issuer="重庆农商行",
        expected_version=1,
    )
    assert again.version == 2 and WageDeposit.objects.count() == 1
    with pytest.raises(ValidationError) as stale:
        services.record_deposit(
            district_staff,
            project,
            form="cash",
            amount=Decimal("1"),
            deposited_on=TODAY(),
            issuer="x",
            expected_version=1,
        )
    assert stale.value.code == "conflict"


def test_deposit_bad_input(district_staff, project):
    with pytest.raises(ValidationError) as caught:
        services.record_deposit(
            district_staff,
            project,
            form="gold",
            amount=Decimal("0"),
            deposited_on=TODAY() + timedelta(days=1),
            issuer=" ",
        )
    assert set(caught.value.message_dict) == {"form", "amount", "deposited_on", "issuer"}
    with pytest.raises(ValidationError) as caught:
        services.record_deposit(
            district_staff,
            project,
            form="guarantee_insurance",
            amount=Decimal("5"),
            deposited_on=TODAY(),
            issuer="人保财险",
        )
    assert set(caught.value.message_dict) == {"expires_on"}
    assert not WageDeposit.objects.exists()


def test_wage_account_is_encrypted_and_masked_in_audit(district_staff, project):
    safeguard = services.record_safeguard(
        district_staff,
        project,
        "wage_account",
        in_place_since=TODAY(),
        bank_name="重庆银行",
        account_number="6222 0000 1111 2222",
    )
    assert WageSafeguard.objects.get(pk=safeguard.pk).account_number == "6222000011112222"
    entry = AuditEntry.objects.get(action="record_wage_account")
    assert entry.changes["account_number"] == [None, "************2222"]
    assert "6222000011112222" not in str(entry.changes)


def test_safeguard_bad_input(district_staff, project):
    with pytest.raises(ValidationError) as caught:
        services.record_safeguard(
            district_staff, project, "wage_account", in_place_since=None, account_number="12ab"
        )
    assert set(caught.value.message_dict) == {"in_place_since", "bank_name", "account_number"}
    with pytest.raises(ValidationError) as caught:
        services.record_safeguard(district_staff, project, "bank_payroll", in_place_since=TODAY())
    assert "pay_day" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.record_safeguard(
            district_staff, project, "notice_board", in_place_since=TODAY(), notice_items=["x"]
        )
    assert not WageSafeguard.objects.exists()


def test_safeguards_outside_scope_or_role_are_refused(
    shapingba_staff, mediator, contractor_user, project
):
    for user in (shapingba_staff, mediator, contractor_user):
        with pytest.raises(PermissionDenied):
            services.record_safeguard(user, project, "real_name", in_place_since=TODAY())


def test_open_wage_arrears_complaint_turns_the_project_red(
    district_staff, project, parties, django_capture_on_commit_callbacks
):
    fixtures.safeguards_in_place(district_staff, project)
    from yutong.wages import facts

    facts.recompute([project.pk])
    before = WageCode.objects.get(project=project)
    assert "open_complaints" not in [r["rule"] for r in before.reasons]
    with django_capture_on_commit_callbacks(execute=True):
        inspection_services.register_complaint(
            district_staff,
            unit=project.unit,
            channel="hotline_12333",
            received_on=TODAY(),
            employer=parties.sub,
            matter="班组 12 人 9 月工资未发",
            violation_types=["wages"],
            is_wage_arrears=True,
            project=project,
            is_anonymous=True,
        )
    code = WageCode.objects.get(project=project)
    assert code.colour == "red"
    assert any(r["rule"] == "open_complaints" for r in code.reasons)


def test_inspection_findings_count_in_the_contractors_arrears_history(project, parties):
    """A case that found the general contractor owing wages raises its deposit rate, even
    where the payroll uploaded to the platform showed no arrears."""
    from datetime import date

    from yutong.inspection.models import InspectionCase
    from yutong.wages import facts

    assert (
        facts.contractor_records([parties.contractor.pk])[parties.contractor.pk].last_arrears_month
        is None
    )
    InspectionCase.objects.create(
        unit=project.unit,
        origin="patrol",
        number="测试监〔2026〕1号",
        received_on=date(2026, 3, 2),
        accepted_on=date(2026, 3, 2),
        employer=parties.contractor,
        employer_name=parties.contractor.name,
        matter="拖欠农民工工资",
        is_wage_arrears=True,
        status="closed",
        closed_on=date(2026, 4, 20),
        ended_on=date(2026, 4, 20),
        closure="order",
    )
    InspectionCase.objects.create(  # nothing found: not arrears
        unit=project.unit,
        origin="patrol",
        number="测试监〔2026〕2号",
        received_on=date(2026, 5, 2),
        accepted_on=date(2026, 5, 2),
        employer=parties.contractor,
        employer_name=parties.contractor.name,
        matter="拖欠农民工工资",
        is_wage_arrears=True,
        status="closed",
        closed_on=date(2026, 6, 20),
        ended_on=date(2026, 6, 20),
        closure="no_violation",
        closure_note="经查无拖欠。",
    )
    record = facts.contractor_records([parties.contractor.pk])[parties.contractor.pk]
    assert record.last_arrears_month == date(2026, 4, 1)
