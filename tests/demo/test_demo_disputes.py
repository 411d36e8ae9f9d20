"""The dispute demo loader on a small slice of the city: 渝中区 (with the demo accounts and the
cases taken through the services), 江北区 (ended 2025-11-05), 两江新区 (its successor), 城口县
and the municipal commission. The data is loaded once for the module, inside a transaction
that is rolled back at the end."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from tests.factories import EnterpriseFactory, IndustrialParkFactory, TownshipFactory, unit
from yutong.core import clocks
from yutong.core.models import AuditEntry, DatedParameter, OrgUnit
from yutong.core.parameters import parameter_value
from yutong.core.personal import blind_index, is_valid_resident_id
from yutong.demo import accounts
from yutong.demo import disputes as demo
from yutong.disputes import guidance, services
from yutong.disputes.models import (
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    AwardItem,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
    Mediator,
)

SLICE = ["500103", "500105", "500157", "500229"]
TODAY = date(2026, 11, 24)
SCALE = demo.Scale(
    disputes_per_year=160, township_bodies=2, employers_per_unit=10, model_cases_per_claim=1
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for code in SLICE:
            district = unit(code)
            for _ in range(3):
                TownshipFactory(parent=district)
            for size in (12, 45, 800):
                EnterpriseFactory(unit=district, employee_count=size)
        IndustrialParkFactory(unit=unit("500103"), name="渝中测试产业园")
        showcase = EnterpriseFactory(unit=unit("500103"), name="重庆山城精工机械有限公司")
        accounts.create_accounts(showcase.uscc, showcase.name)
        counts = demo.load(7, SCALE, today=TODAY, unit_codes=[*SLICE, "500000"])
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def data(loaded, db):
    return loaded


def test_every_unit_of_the_slice_has_bodies_commissions_and_cases(data):
    per_unit = dict(
        Dispute.objects.values_list("unit__code")
        .annotate(n=Count("id"))
        .values_list("unit__code", "n")
    )
    assert set(per_unit) == {*SLICE, "500000"}
    assert all(count > 0 for count in per_unit.values())
    for code in SLICE:
        assert MediationCase.objects.filter(unit__code=code).exists(), code
        assert ArbitrationCase.objects.filter(unit__code=code).exists(), code
        kinds = set(MediationBody.objects.filter(unit__code=code).values_list("kind", flat=True))
        assert {"township", "joint_centre", "enterprise_committee"} <= kinds
        for body in MediationBody.objects.filter(unit__code=code):
            assert 2 <= body.mediators.count() <= 4
    assert MediationBody.objects.filter(kind="park", unit__code="500103").exists()
    assert not MediationCase.objects.filter(unit__code="500000").exists()
    assert data.disputes == Dispute.objects.count() - data.service_cases + 1  # one transfer


def test_commissions_and_their_people(data):
    commissions = {c.unit.code: c for c in ArbitrationCommission.objects.select_related("unit")}
    assert set(commissions) == {*SLICE, "500000"}
    assert commissions["500000"].name == "重庆市劳动人事争议仲裁委员会"
    assert commissions["500103"].short_name == "渝中劳人仲"
    assert commissions["500157"].short_name == "两江劳人仲"
    assert commissions["500229"].short_name == "城口劳人仲"
    assert not commissions["500105"].is_active  # ended with 江北区
    for commission in commissions.values():
        people = Arbitrator.objects.filter(commission=commission)
        assert people.filter(role="clerk").count() == 1
        assert people.filter(role="arbitrator").count() >= 5
    # The demo accounts work in 渝中区.
    assert Mediator.objects.get(user__username="mediator").body.unit.code == "500103"
    assert Arbitrator.objects.get(user__username="arbitrator").commission.unit.code == "500103"


def test_ended_district_keeps_its_old_cases_and_new_ones_go_to_the_successor(data):
    jiangbei, liangjiang = unit("500105"), unit("500157")
    old = ArbitrationCase.objects.filter(unit=jiangbei)
    assert old.exists()
    assert not old.filter(received_on__gt=jiangbei.valid_to).exists()
    assert not MediationCase.objects.filter(
        unit=jiangbei, received_on__gt=jiangbei.valid_to
    ).exists()
    assert set(old.values_list("commission__unit", flat=True)) == {jiangbei.pk}
    assert Dispute.objects.filter(
        unit=liangjiang, registered_at__date__gt=jiangbei.valid_to
    ).exists()


def test_closure_and_dates_are_consistent(data):
    for case in MediationCase.objects.all():
        assert bool(case.closed_on) == bool(case.closure) == (case.status == "closed")
        assert case.ended_on == case.closed_on
        assert case.received_on <= TODAY
        if case.closed_on:
            assert case.received_on <= case.closed_on <= TODAY
            assert case.due_on is None
    for case in ArbitrationCase.objects.all():
        assert bool(case.closed_on) == bool(case.closure) == (case.status == "closed")
        if case.status == "refused":
            assert case.ended_on == case.refused_on and not case.closure and case.due_on is None
        else:
            assert case.ended_on == case.closed_on
        if case.closed_on:
            assert case.accepted_on is not None
            assert case.received_on <= case.accepted_on <= case.closed_on <= TODAY
            assert case.due_on is None
        if case.accepted_on:
            assert case.accepted_on <= case.decision_due_on
            assert case.clock_start == case.accepted_on
            assert case.clock_length == 45


def test_stored_deadlines_are_what_the_clocks_give(data):
    for case in MediationCase.objects.filter(ended_on__isnull=True):
        limit = parameter_value("mediation_days", case.received_on, case.unit).value
        assert case.clock_length == int(limit)
        assert case.due_on == case.deadline().due == clocks.add_calendar_days(case.received_on, 15)
    for case in ArbitrationCase.objects.all():
        assert case.decision_due_on == clocks.add_calendar_days(case.received_on, 5), case.pk
    for case in ArbitrationCase.objects.filter(ended_on__isnull=True):
        if case.accepted_on is not None:
            assert case.due_on == case.deadline().due, case.pk
        elif case.status == "materials_requested":
            assert case.due_on is None
        else:
            assert case.due_on == case.decision_due_on
    changed = ArbitrationCase.objects.filter(clock_changes__isnull=False).distinct()
    assert changed.exists()
    for case in changed:
        extensions = [c for c in case.current_clock_changes() if c.kind == "extension"]
        assert len(extensions) <= 1 and all(1 <= c.days <= 15 for c in extensions)
        kinds = set(case.events.values_list("kind", flat=True))
        assert not extensions or "extended" in kinds
        for change in case.clock_changes.filter(kind="suspension"):
            assert change.from_day > case.accepted_on
            assert "suspended" in kinds


def test_queues_have_open_and_overdue_cases(data):
    open_cases = ArbitrationCase.objects.filter(ended_on__isnull=True)
    assert open_cases.exists()
    overdue = (
        open_cases.filter(due_on__lt=TODAY).count()
        + MediationCase.objects.filter(ended_on__isnull=True, due_on__lt=TODAY).count()
    )
    assert overdue > 0


def test_award_closures_have_items_tested_as_the_service_would(data):
    awards = ArbitrationCase.objects.filter(closure="award")
    assert awards.exists()
    for case in awards.prefetch_related("award_items__claim__claim_type"):
        items = list(case.award_items.all())
        assert items, case.pk
        replay = [
            AwardItem(case=case, claim=i.claim, amount=i.amount, is_final=False) for i in items
        ]
        services._mark_final(case, replay, case.closed_on)
        assert [(i.is_final, i.final_basis) for i in items] == [
            (i.is_final, i.final_basis) for i in replay
        ]
        final = "，终局裁决" if all(i.is_final for i in items) else "，非终局裁决"
        assert case.events.filter(kind="closed", text__contains=final).exists()
    assert not AwardItem.objects.exclude(case__closure="award").exists()


def test_case_numbers_follow_acceptance_per_commission_and_year(data):
    accepted = ArbitrationCase.objects.filter(accepted_on__isnull=False)
    numbers = list(accepted.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) and all(numbers)
    for case in accepted.select_related("commission"):
        prefix = f"{case.commission.short_name}案字〔{case.accepted_on.year}〕第"
        assert re.fullmatch(re.escape(prefix) + r"\d+号", case.number)
        assert case.events.filter(kind="accepted", text__contains=case.number).exists()


def test_timelines_start_with_receipt_and_end_with_closure(data):
    for case in [*MediationCase.objects.all(), *ArbitrationCase.objects.all()]:
        kinds = list(case.events.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[0] == "received", (case, kinds)
        if case.closed_on and kinds[-1] != "transferred":
            assert kinds[-1] == "closed", (case, kinds)
    transferred = ArbitrationCase.objects.filter(from_mediation__isnull=False)
    assert transferred.exists()
    for case in transferred.select_related("from_mediation"):
        assert case.from_mediation.closure == "no_agreement"
        assert case.from_mediation.closed_on <= case.received_on
        assert case.dispute_id == case.from_mediation.dispute_id


def test_resident_ids_are_valid_and_never_stored_in_clear(data):
    workers = list(DisputeWorker.objects.all())
    assert workers
    for worker in workers:
        assert is_valid_resident_id(worker.resident_id), worker.resident_id
        assert worker.resident_id_hash == blind_index(worker.resident_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT resident_id, phone FROM disputes_disputeworker")
        stored = cursor.fetchall()
    clear = {w.resident_id for w in workers} | {w.phone for w in workers if w.phone}
    for resident_id, phone in stored:
        assert resident_id not in clear and not re.search(r"\d{17}[\dX]", resident_id)
        assert phone == "" or phone not in clear
    collective = Dispute.objects.filter(is_collective=True)
    for dispute in collective:
        assert dispute.workers.count() == dispute.workers_count >= 10
        assert dispute.workers.filter(is_representative=True).count() >= 3


def test_search_text_is_the_guidance_tokens(data):
    closed = ArbitrationCase.objects.filter(closed_on__isnull=False)
    assert closed.exists()
    for case in closed.select_related("dispute"):
        assert case.search_text == guidance.case_search_text(case), case.pk
    models = ArbitrationCase.objects.filter(is_model_case=True)
    assert models.exists() and not models.filter(summary="").exists()


def test_the_demo_keeps_the_shipped_wage_parameters(data):
    # The migrations ship tiers and wages (disputes 0008, all 待核实); the demo adds none.
    tiers = DatedParameter.objects.filter(code="min_wage_tier")
    assert tiers.filter(unit__code="500103", value=1).exists()
    assert tiers.filter(unit__code="500229", value=2).exists()
    assert not tiers.exclude(note__startswith="待核实").exists()
    wage = parameter_value("min_wage_monthly_tier1", date(2025, 6, 1))
    assert wage.value == Decimal("2330") and "待核实" in wage.note
    assert parameter_value("min_wage_monthly_tier2", date(2024, 6, 1)).value == Decimal("2000")
    districts = OrgUnit.objects.filter(level__in=("city", "district")).count()
    assert tiers.count() == districts
    # no demo copy of the migration's rows on top of them, and none written by the loader
    assert not DatedParameter.objects.filter(source__startswith="演示数据").exists()
    assert not AuditEntry.objects.filter(action="set_parameter").exists()


def test_cases_through_the_services_have_audit_trails(data):
    assert 20 <= data.service_cases <= 25
    actions = set(
        AuditEntry.objects.filter(actor__username__in=("mediator", "arbitrator", "yuzhong"))
        .values_list("action", flat=True)
        .distinct()
    )
    assert {
        "register_dispute",
        "open_mediation",
        "close_mediation",
        "receive_arbitration",
        "accept_arbitration",
        "form_tribunal",
        "close_arbitration",
        "extend_arbitration",
        "suspend_arbitration",
        "refuse_arbitration",
        "mark_model_case",
    } <= actions
    mine = ArbitrationCase.objects.filter(assigned_to__username="arbitrator")
    assert mine.filter(ended_on__isnull=True).exists()
    # Their timelines are dated on the days the steps stand for, not on the day of loading.
    case = ArbitrationCase.objects.filter(
        assigned_to__username="arbitrator", closure="award", dispute__registered_by__isnull=False
    ).first()
    assert case is not None
    assert timezone.localtime(case.events.get(kind="closed").at).date() == case.closed_on
    received = case.events.get(kind="received")
    assert timezone.localtime(received.at).date() == case.received_on
