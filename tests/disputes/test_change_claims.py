"""Adding, changing and withdrawing claims of an open case (services.change_claims): the
claims as they stand afterwards, the timeline, the audit, the award clock (办案规则 Art.46(3)),
bad input and stale versions writing nothing, and who may do it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.disputes.conftest import worker
from tests.factories import UserFactory
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCase, AwardItem, Claim, MediationCase

pytestmark = pytest.mark.django_db

RESTART_GROUND = "增加、变更仲裁请求（办案规则第四十六条第（三）项）"


def today():
    return timezone.localdate()


def days_ago(n: int):
    return today() - timedelta(days=n)


def claims_of(case) -> dict[str, Claim]:
    return {c.claim_type_id: c for c in case.dispute.claims.all()}


def standing(case) -> list[tuple[str, Decimal | None]]:
    return [(c.claim_type_id, c.amount) for c in case.dispute.claims.active()]


def state(case) -> tuple:
    """Everything a refused change could have touched, re-read from the database."""
    case = type(case).objects.get(pk=case.pk)
    return (
        case.version,
        case.due_on,
        case.clock_start,
        [
            (c.pk, c.claim_type_id, c.amount, c.description, c.withdrawn_on)
            for c in Claim.objects.all()
        ],
        case.events.count(),
        case.clock_changes.count(),
        AuditEntry.objects.count(),
    )


def fresh(case):
    return type(case).objects.get(pk=case.pk)


@pytest.fixture
def mediation(district_staff, dispute, body):
    return services.open_mediation(district_staff, dispute, body=body, received_on=days_ago(3))


@pytest.fixture
def received(arbitrator_user, dispute, commission):
    return services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=days_ago(20)
    )


@pytest.fixture
def accepted(arbitrator_user, received):
    return services.accept(
        arbitrator_user, received, accepted_on=days_ago(18), procedure="ordinary"
    )


# --- what a change does ------------------------------------------------------------------------


def test_mediation_add_change_and_withdraw_in_one_step(district_staff, mediation):
    claims = claims_of(mediation)
    due, version = mediation.due_on, mediation.version
    case = services.change_claims(
        district_staff,
        mediation,
        reason="申请人补充加班费请求，并调整工资金额",
        add=[{"claim_type": "overtime_pay", "amount": "3600.5", "description": "休息日加班"}],
        change=[{"claim": claims["wages"].pk, "amount": "15000"}],
        withdraw=[claims["working_time"].pk],
        expected_version=version,
    )
    assert standing(case) == [
        ("wages", Decimal("15000.00")),
        ("economic_compensation", Decimal("30000.00")),
        ("overtime_pay", Decimal("3600.50")),
    ]
    withdrawn = Claim.objects.get(pk=claims["working_time"].pk)
    assert withdrawn.withdrawn_on == today()  # kept on record, no longer standing
    case = fresh(case)
    assert case.version == version + 1
    assert case.due_on == due and not case.clock_changes.exists()  # Art.14: no restart
    event = case.events.get(kind="claims_changed")
    assert event.actor == district_staff
    assert "变更 拖欠工资 12,000.00 元 → 拖欠工资 15,000.00 元" in event.text
    assert "撤回 工作时间、休息休假争议" in event.text
    assert "增加 加班费 3,600.50 元" in event.text
    assert event.text.endswith("理由：申请人补充加班费请求，并调整工资金额")
    entry = AuditEntry.objects.get(action="change_claims")
    assert entry.object_id == str(case.pk) and entry.unit == case.unit
    before, after = entry.changes["claims"]
    assert "拖欠工资 12,000.00 元" in before and "工作时间、休息休假争议" in before
    assert after == [
        "拖欠工资 15,000.00 元",
        "解除或终止劳动合同经济补偿 30,000.00 元",
        "加班费 3,600.50 元",
    ]
    assert entry.changes["reason"] == [None, "申请人补充加班费请求，并调整工资金额"]


def test_a_change_of_type_and_description(district_staff, mediation):
    claim = claims_of(mediation)["economic_compensation"]
    services.change_claims(
        district_staff,
        mediation,
        reason="申请人主张系违法解除",
        change=[
            {
                "claim": claim.pk,
                "claim_type": "illegal_termination_damages",
                "amount": "60000",
                "description": "公司未说明解除理由",
            }
        ],
    )
    claim.refresh_from_db()
    assert (claim.claim_type_id, claim.amount, claim.description) == (
        "illegal_termination_damages",
        Decimal("60000.00"),
        "公司未说明解除理由",
    )


def test_accepted_arbitration_restarts_when_the_tribunal_accepts_the_change(
    arbitrator_user, accepted
):
    restart_on = days_ago(2)
    case = services.change_claims(
        arbitrator_user,
        accepted,
        reason="申请人书面申请增加加班费请求，仲裁庭决定受理",
        add=[{"claim_type": "overtime_pay", "amount": "5000"}],
        restart_clock=True,
        restart_on=restart_on,
        expected_version=accepted.version,
    )
    case = fresh(case)
    assert case.clock_start == restart_on
    assert case.due_on == case.deadline().due and case.due_on > accepted.due_on
    change = case.clock_changes.get()
    assert (change.kind, change.from_day) == ("restart", restart_on)
    assert change.reason.startswith(RESTART_GROUND)
    assert [e.kind for e in case.events.order_by("at", "id")][-2:] == [
        "claims_changed",
        "restarted",
    ]
    assert set(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    ) >= {"change_claims", "restart_arbitration_clock"}


def test_accepted_arbitration_may_keep_the_clock_when_the_handler_says_so(
    arbitrator_user, accepted
):
    wages = claims_of(accepted)["wages"]
    case = services.change_claims(
        arbitrator_user,
        accepted,
        reason="更正登记错误：金额少录一位",
        change=[{"claim": wages.pk, "amount": "120000"}],
        restart_clock=False,
    )
    case = fresh(case)
    assert (case.clock_start, case.due_on) == (accepted.clock_start, accepted.due_on)
    assert not case.clock_changes.exists()


def test_the_tribunals_decision_must_be_stated(arbitrator_user, accepted):
    before = state(accepted)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            arbitrator_user,
            accepted,
            reason="增加加班费",
            add=[{"claim_type": "overtime_pay", "amount": "5000"}],
        )
    assert caught.value.message_dict == {
        "restart_clock": [
            "请选择是否自受理增加、变更请求之日起重新计算审理期限（办案规则第四十六条第（三）项）。"
        ]
    }
    assert state(accepted) == before


@pytest.mark.parametrize(
    ("restart_on", "message"),
    [
        (None, "请填写重新起算日。"),
        (1, "日期不能晚于今天。"),
        (-30, "日期不能早于原期限起算日"),
    ],
)
def test_bad_restart_day(arbitrator_user, accepted, restart_on, message):
    day = None if restart_on is None else today() + timedelta(days=restart_on)
    before = state(accepted)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            arbitrator_user,
            accepted,
            reason="增加加班费",
            add=[{"claim_type": "overtime_pay", "amount": "5000"}],
            restart_clock=True,
            restart_on=day,
        )
    assert caught.value.message_dict["restart_on"][0].startswith(message)
    assert state(accepted) == before


def test_no_restart_during_a_suspension(arbitrator_user, accepted):
    suspended = services.suspend(
        arbitrator_user, accepted, from_day=days_ago(5), reason="劳动者住院", approver="院长"
    )
    before = state(suspended)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            arbitrator_user,
            suspended,
            reason="增加加班费",
            add=[{"claim_type": "overtime_pay", "amount": "5000"}],
            restart_clock=True,
            restart_on=today(),
        )
    assert caught.value.message_dict["restart_on"] == [
        "案件正在中止审理，请先恢复审理，再重新计算审理期限。"
    ]
    assert state(suspended) == before
    # The restart action refuses the same: it would end the suspension without a record.
    with pytest.raises(ValidationError):
        services.restart_clock(arbitrator_user, suspended, start=today(), ground="added_party")


@pytest.mark.parametrize(
    ("fixture", "kwargs", "message"),
    [
        (
            "mediation",
            {"add": [{"claim_type": "overtime_pay"}]},
            "调解期限（调解仲裁法第十四条）不因增加、变更请求重新计算。",
        ),
        (
            "received",
            {"add": [{"claim_type": "overtime_pay"}]},
            "案件尚未受理，审理期限尚未起算，无需重新计算。",
        ),
        ("accepted", {"withdraw": ["working_time"]}, "仅撤回请求事项的，审理期限不重新计算。"),
    ],
)
def test_a_restart_where_the_law_gives_none_is_refused(
    request, district_staff, fixture, kwargs, message
):
    case = request.getfixturevalue(fixture)
    if "withdraw" in kwargs:
        kwargs = {"withdraw": [claims_of(case)["working_time"].pk]}
    before = state(case)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            district_staff, case, reason="x", restart_clock=True, restart_on=today(), **kwargs
        )
    assert caught.value.message_dict == {"restart_clock": [message]}
    assert state(case) == before


def test_before_acceptance_claims_change_without_a_clock(arbitrator_user, received):
    case = services.change_claims(
        arbitrator_user,
        received,
        reason="申请人补正时变更请求",
        add=[{"claim_type": "double_wages", "amount": "22000"}],
    )
    case = fresh(case)
    assert case.due_on == received.decision_due_on and case.clock_start is None
    assert ("double_wages", Decimal("22000.00")) in standing(case)


def test_withdrawals_alone_need_no_decision_on_the_clock(arbitrator_user, accepted):
    case = services.change_claims(
        arbitrator_user,
        accepted,
        reason="申请人当庭撤回该项请求",
        withdraw=[claims_of(accepted)["working_time"].pk],
    )
    assert fresh(case).due_on == accepted.due_on
    assert [code for code, _ in standing(case)] == ["wages", "economic_compensation"]


# --- the award decides the claims as they stand --------------------------------------------------


def test_award_refers_to_the_claims_as_they_stand(
    arbitrator_user, accepted, arbitrators, wage_parameters
):
    accepted = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claims = claims_of(accepted)
    services.change_claims(
        arbitrator_user,
        accepted,
        reason="撤回经济补偿请求，工资请求增至 15000 元",
        change=[{"claim": claims["wages"].pk, "amount": "15000"}],
        withdraw=[claims["economic_compensation"].pk],
        restart_clock=False,
    )
    before = state(accepted)
    with pytest.raises(ValidationError) as caught:
        services.close(
            arbitrator_user,
            accepted,
            closure="award",
            closed_on=today(),
            items=[{"claim": claims["economic_compensation"].pk, "amount": "30000"}],
        )
    assert caught.value.message_dict["items"] == [
        f"第 1 项：解除或终止劳动合同经济补偿已于 {today()} 撤回。"
    ]
    assert state(accepted) == before
    case = services.close(
        arbitrator_user,
        accepted,
        closure="award",
        closed_on=today(),
        items=[{"claim": claims["wages"].pk, "amount": "15000"}],
    )
    item = AwardItem.objects.get(case=case)
    assert (item.claim.amount, item.amount) == (Decimal("15000.00"), Decimal("15000.00"))
    # A closed case's claims are settled.
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            arbitrator_user, case, reason="x", add=[{"claim_type": "bonus", "amount": "1"}]
        )
    assert caught.value.messages == ["该案件已办结，不能再操作。"]


def test_the_award_form_offers_only_standing_claims(arbitrator_user, accepted):
    from yutong.disputes.forms import CloseArbitrationForm

    claims = claims_of(accepted)
    services.change_claims(
        arbitrator_user,
        accepted,
        reason="撤回",
        withdraw=[claims["working_time"].pk],
    )
    form = CloseArbitrationForm(case=fresh(accepted))
    assert form.item_fields == [
        f"item_{claims['wages'].pk}",
        f"item_{claims['economic_compensation'].pk}",
    ]


# --- bad input writes nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        (
            {"reason": " ", "add": [{"claim_type": "bonus", "amount": "1"}]},
            {"reason": ["请填写增加、变更或撤回请求事项的理由。"]},
        ),
        (
            {"add": [{"claim_type": "nonsense"}, {"claim_type": "bonus", "amount": "-1"}]},
            {"add": ["新增第 1 项：请求事项类型无效。", "新增第 2 项：金额不能为负数。"]},
        ),
        (
            {
                "add": [
                    {"claim_type": "bonus", "amount": "abc"},
                    {"claim_type": "bonus", "amount": "NaN"},
                ]
            },
            {"add": ["新增第 1 项：金额应为数字。", "新增第 2 项：金额应为数字。"]},
        ),
        (
            {"add": [{"claim_type": "bonus", "amount": "1e13"}]},
            {"add": ["新增第 1 项：金额过大，请核对。"]},
        ),
        (
            {"change": [{"claim": "wages", "amount": "12000"}]},
            {"change": ["变更第 1 项（拖欠工资 12,000.00 元）：与原请求相同，没有变更。"]},
        ),
        (
            {"change": [{"claim": "wages", "amount": "-5"}]},
            {"change": ["变更第 1 项（拖欠工资 12,000.00 元）：金额不能为负数。"]},
        ),
        (
            {"change": [{"claim": 999999, "amount": "5"}]},
            {"change": ["变更第 1 项：不是本案现有的请求事项。"]},
        ),
        (
            {
                "change": [{"claim": "wages", "amount": "1"}],
                "withdraw": ["wages"],
            },
            {"withdraw": ["撤回第 1 项（拖欠工资 12,000.00 元）：不能同时变更和撤回。"]},
        ),
        (
            {
                "change": [
                    {"claim": "wages", "amount": "1"},
                    {"claim": "wages", "amount": "2"},
                ]
            },
            {"change": ["变更第 2 项（拖欠工资 12,000.00 元）：同一请求事项只能变更一次。"]},
        ),
        (
            {"withdraw": ["wages", "economic_compensation", "working_time"]},
            {"withdraw": ["不能撤回全部请求事项；申请人撤回全部请求的，请以“申请人撤回”结案。"]},
        ),
        ({"withdraw": [True]}, {"withdraw": ["撤回第 1 项：不是本案现有的请求事项。"]}),
    ],
)
def test_bad_input_is_refused_per_field_and_writes_nothing(
    district_staff, mediation, kwargs, errors
):
    ids = {code: claim.pk for code, claim in claims_of(mediation).items()}

    def resolve(value):
        return ids.get(value, value) if isinstance(value, str) else value

    if "change" in kwargs:
        kwargs["change"] = [item | {"claim": resolve(item["claim"])} for item in kwargs["change"]]
    if "withdraw" in kwargs:
        kwargs["withdraw"] = [resolve(v) for v in kwargs["withdraw"]]
    before = state(mediation)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(district_staff, mediation, **({"reason": "理由"} | kwargs))
    assert caught.value.message_dict == errors
    assert state(mediation) == before


def test_nothing_to_change(district_staff, mediation):
    with pytest.raises(ValidationError) as caught:
        services.change_claims(district_staff, mediation, reason="理由")
    assert caught.value.messages == ["请至少增加、变更或撤回一项请求事项。"]


def test_a_claim_of_another_dispute_or_already_withdrawn(district_staff, mediation, body):
    other = services.register_dispute(
        district_staff,
        unit=body.unit,
        channel="staff",
        facts="另一争议",
        employer_name="另一公司",
        workers=[worker(7)],
        claims=[{"claim_type": "wages", "amount": "1000"}],
    )
    foreign = other.claims.get()
    working_time = claims_of(mediation)["working_time"]
    services.change_claims(district_staff, mediation, reason="撤回", withdraw=[working_time.pk])
    before = state(mediation)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            district_staff,
            mediation,
            reason="理由",
            change=[{"claim": foreign.pk, "amount": "1"}],
            withdraw=[working_time.pk],
        )
    assert caught.value.message_dict == {
        "change": ["变更第 1 项：不是本案现有的请求事项。"],
        "withdraw": ["撤回第 1 项：不是本案现有的请求事项。"],
    }
    assert state(mediation) == before


def test_stale_version_is_a_conflict(district_staff, mediation):
    stale = mediation.version
    services.change_claims(
        district_staff, mediation, reason="增加", add=[{"claim_type": "bonus", "amount": "100"}]
    )
    before = state(mediation)
    with pytest.raises(ValidationError) as caught:
        services.change_claims(
            district_staff,
            mediation,
            reason="增加",
            add=[{"claim_type": "bonus", "amount": "200"}],
            expected_version=stale,
        )
    assert caught.value.code == "conflict"
    assert state(mediation) == before


# --- who may ----------------------------------------------------------------------------------


def test_roles_and_districts(
    mediator, arbitrator_user, auditor, shapingba_staff, yuzhong, mediation, accepted
):
    add = {"reason": "增加", "add": [{"claim_type": "bonus", "amount": "100"}]}
    before = (state(mediation), state(accepted))
    for actor, case in (
        (arbitrator_user, mediation),  # reads mediation, handles arbitration
        (mediator, accepted),  # reads arbitration, handles mediation
        (auditor, mediation),
        (shapingba_staff, mediation),  # another district
        (shapingba_staff, accepted),
        (UserFactory(unit=yuzhong, roles=[roles.INSPECTOR]), mediation),
    ):
        with pytest.raises(PermissionDenied):
            services.change_claims(actor, case, **add, restart_clock=False)
    assert (state(mediation), state(accepted)) == before
    services.change_claims(mediator, mediation, **add)
    services.change_claims(arbitrator_user, accepted, **add, restart_clock=False)
    assert isinstance(fresh(accepted), ArbitrationCase) and isinstance(
        fresh(mediation), MediationCase
    )
