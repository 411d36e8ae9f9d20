"""Mediation: registration, the 15-day clock, closure, transfer to arbitration, concurrency."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.disputes.conftest import resident_id, worker
from yutong.core import cases
from yutong.core.models import AuditEntry
from yutong.disputes import queries, services
from yutong.disputes.models import DisputeWorker, MediationCase


def test_register_dispute_encrypts_ids_and_flags_collective(district_staff, yuzhong):
    dispute = services.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="欠薪",
        employer_name="重庆某建筑劳务有限公司",
        workers=[worker(n) for n in range(10)],
        claims=[{"claim_type": "wages", "amount": "5000.5"}],
    )
    assert (dispute.is_collective, dispute.workers_count) == (True, 10)
    stored = DisputeWorker.objects.filter(dispute=dispute).first()
    assert stored.resident_id == resident_id(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT resident_id FROM disputes_disputeworker WHERE id = %s", [stored.pk])
        raw = cursor.fetchone()[0]
    assert resident_id(0) not in raw  # ciphertext at rest
    entry = AuditEntry.objects.get(action="register_dispute")
    assert resident_id(0) not in str(entry.changes)
    assert dispute.claims.get().amount == 5000.50


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"workers": []}, "workers", "请至少填写一名劳动者。"),
        (
            {"workers": [worker(1, resident_id="500103199001011234")]},
            "workers",
            "第 1 名劳动者：公民身份号码无效。",
        ),
        ({"workers": [worker(1), worker(1)]}, "workers", "第 2 名劳动者：公民身份号码重复。"),
        ({"claims": []}, "claims", "请至少填写一项请求事项。"),
        (
            {"claims": [{"claim_type": "wages", "amount": "-1"}]},
            "claims",
            "第 1 项：金额不能为负数。",
        ),
        (
            {"claims": [{"claim_type": "wages", "amount": "很多"}]},
            "claims",
            "第 1 项：金额应为数字。",
        ),
        (
            {"claims": [{"claim_type": "nope", "amount": "1"}]},
            "claims",
            "第 1 项：请求事项类型无效。",
        ),
        ({"facts": " "}, "facts", "请填写事实与理由。"),
        ({"employer_name": ""}, "employer_name", "请填写用人单位名称或从企业名录中选择。"),
    ],
)
def test_register_dispute_bad_input(district_staff, yuzhong, change, field, message):
    data = {
        "unit": yuzhong,
        "channel": "staff",
        "facts": "欠薪",
        "employer_name": "某公司",
        "workers": [worker(1)],
        "claims": [{"claim_type": "wages", "amount": "1"}],
    } | change
    with pytest.raises(ValidationError) as caught:
        services.register_dispute(district_staff, **data)
    assert message in caught.value.message_dict[field]
    assert not AuditEntry.objects.filter(action="register_dispute").exists()


def test_mediation_clock_and_successful_closure(mediator, dispute, body, mediator_person):
    case = services.open_mediation(
        mediator, dispute, body=body, received_on=date(2026, 9, 1), mediator=mediator_person
    )
    assert (case.due_on, case.unit, case.assigned_to) == (date(2026, 9, 16), body.unit, mediator)
    state = case.clock_state(date(2026, 9, 10))
    assert (state.days_used, state.days_left, state.overdue) == (9, 6, False)
    assert case.clock_state(date(2026, 9, 17)).overdue is True

    with pytest.raises(ValidationError) as caught:
        services.close_mediation(mediator, case, closure="agreement", closed_on=date(2026, 9, 10))
    assert caught.value.message_dict == {"agreement_text": ["达成协议或和解的，请填写协议内容。"]}

    closed = services.close_mediation(
        mediator,
        case,
        closure="agreement",
        closed_on=date(2026, 9, 10),
        agreement_text="公司于 9 月 20 日前支付工资 12000 元。",
        agreed_amount=12000,
        expected_version=case.version,
    )
    assert (closed.closure, closed.closed_on, closed.ended_on, closed.due_on) == (
        "agreement",
        date(2026, 9, 10),
        date(2026, 9, 10),
        None,
    )
    assert [e.kind for e in closed.events.all()] == ["received", "closed"]
    with pytest.raises(ValidationError):
        services.close_mediation(mediator, closed, closure="withdrawn", closed_on=date(2026, 9, 11))


def test_stale_version_is_a_conflict_and_changes_nothing(mediator, dispute, body):
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    stale = case.version
    services.close_mediation(
        mediator, case, closure="withdrawn", closed_on=date(2026, 9, 2), expected_version=stale
    )
    with pytest.raises(ValidationError) as caught:
        services.close_mediation(
            mediator,
            MediationCase.objects.get(pk=case.pk),
            closure="no_agreement",
            closed_on=date(2026, 9, 3),
            expected_version=stale,
        )
    assert caught.value.code == "conflict"
    assert MediationCase.objects.get(pk=case.pk).closure == "withdrawn"


def test_closure_date_rules(mediator, dispute, body):
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    with pytest.raises(ValidationError) as caught:
        services.close_mediation(
            mediator, case, closure="no_agreement", closed_on=date(2026, 8, 31)
        )
    assert caught.value.message_dict["closed_on"] == ["日期不能早于收到日期（2026-09-01）。"]
    with pytest.raises(ValidationError) as caught:
        services.close_mediation(mediator, case, closure="no_agreement", closed_on=date(2099, 1, 1))
    assert caught.value.message_dict["closed_on"] == ["日期不能晚于今天。"]


def test_failed_mediation_goes_to_arbitration_in_one_step(mediator, dispute, body, commission):
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    with pytest.raises(ValidationError):  # still within 15 days on 2026-09-10
        services.transfer_to_arbitration(
            mediator, case, commission=commission, received_on=date(2026, 9, 10)
        )
    arbitration = services.transfer_to_arbitration(
        mediator,
        MediationCase.objects.get(pk=case.pk),
        commission=commission,
        received_on=date(2026, 9, 25),
    )
    case.refresh_from_db()
    assert (case.closure, case.closed_on) == ("no_agreement", date(2026, 9, 25))
    assert arbitration.dispute == dispute and arbitration.from_mediation == case
    assert arbitration.decision_due_on == date(2026, 9, 30)
    assert list(arbitration.dispute.claims.values_list("claim_type", flat=True)) == [
        "wages",
        "economic_compensation",
        "working_time",
    ]
    with pytest.raises(ValidationError):
        services.transfer_to_arbitration(
            mediator, case, commission=commission, received_on=date(2026, 9, 26)
        )


def test_other_district_cannot_open_or_see(
    shapingba_staff, district_staff, dispute, body, mediator
):
    with pytest.raises(PermissionDenied):
        services.open_mediation(shapingba_staff, dispute, body=body, received_on=date(2026, 9, 1))
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    assert not queries.mediation_cases_visible_to(shapingba_staff).filter(pk=case.pk).exists()
    assert queries.mediation_cases_visible_to(district_staff).filter(pk=case.pk).exists()


def test_queues(mediator, dispute, body, mediator_person):
    first = services.open_mediation(
        mediator, dispute, body=body, received_on=date(2026, 9, 1), mediator=mediator_person
    )
    second = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 8))
    visible = queries.mediation_cases_visible_to(mediator)
    today = date(2026, 9, 14)
    ids = {
        name: set(cases.queue(visible, mediator, name, today).values_list("pk", flat=True))
        for name in cases.QUEUES
    }
    assert ids["mine"] == {first.pk}
    assert ids["unassigned"] == {second.pk}
    assert ids["due_soon"] == {first.pk}  # due 09-16, within 5 days of 09-14
    assert ids["overdue"] == set()
    overdue = cases.queue(visible, mediator, "overdue", date(2026, 9, 24))
    assert set(overdue) == {first, second}  # due 09-16 and 09-23
