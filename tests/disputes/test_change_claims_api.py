"""POST /api/v1/arbitration-cases/{id}/change-claims/ and …/mediation-cases/{id}/change-claims/:
the case as it now stands, 400 per field, 409 on a stale version, 404 outside the scope, 403
for readers who may not act."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yutong.disputes import services
from yutong.disputes.models import Claim

pytestmark = pytest.mark.django_db

MED = "/api/v1/mediation-cases/"
ARB = "/api/v1/arbitration-cases/"
CONFLICT = "该案件已被他人处理，请刷新页面查看最新情况后再操作。"


def today():
    return timezone.localdate()


def days_ago(n: int):
    return today() - timedelta(days=n)


def url(base: str, case) -> str:
    return f"{base}{case.pk}/change-claims/"


def post(client, path, body):
    return client.post(path, body, format="json")


def claim_ids(case) -> dict[str, int]:
    return {c.claim_type_id: c.pk for c in case.dispute.claims.active()}


def snapshot(case) -> tuple:
    case = type(case).objects.get(pk=case.pk)
    return (
        case.version,
        case.due_on,
        list(Claim.objects.values_list("claim_type", "amount", "withdrawn_on")),
        case.events.count(),
        case.clock_changes.count(),
    )


@pytest.fixture
def mediation(district_staff, dispute, body):
    return services.open_mediation(district_staff, dispute, body=body, received_on=days_ago(3))


@pytest.fixture
def accepted(arbitrator_user, dispute, commission):
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=days_ago(20)
    )
    return services.accept(arbitrator_user, case, accepted_on=days_ago(18), procedure="ordinary")


def test_arbitration_change_claims(api_client, arbitrator_user, accepted):
    ids = claim_ids(accepted)
    restart_on = days_ago(1)
    response = post(
        api_client(arbitrator_user),
        url(ARB, accepted),
        {
            "version": accepted.version,
            "reason": "申请人书面申请增加加班费，仲裁庭决定受理",
            "add": [{"claim_type": "overtime_pay", "amount": "4200.00"}],
            "change": [{"claim": ids["wages"], "amount": "15000"}],
            "withdraw": [ids["working_time"]],
            "restart_clock": True,
            "restart_on": restart_on.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == accepted.version + 1
    claims = {c["claim_type"]: c for c in body["dispute"]["claims"]}
    assert claims["wages"]["amount"] == "15000.00" and claims["wages"]["withdrawn_on"] is None
    assert claims["overtime_pay"]["amount"] == "4200.00"
    assert claims["working_time"]["withdrawn_on"] == today().isoformat()
    case = type(accepted).objects.get(pk=accepted.pk)
    assert case.clock_start == restart_on and body["due_on"] == case.due_on.isoformat()
    assert body["due_on"] > accepted.due_on.isoformat()


def test_mediation_change_claims(api_client, district_staff, mediation):
    ids = claim_ids(mediation)
    response = post(
        api_client(district_staff),
        url(MED, mediation),
        {
            "reason": "申请人变更请求",
            "change": [{"claim": ids["economic_compensation"], "claim_type": "notice_pay"}],
        },
    )
    assert response.status_code == 200, response.content
    types = [c["claim_type"] for c in response.json()["dispute"]["claims"]]
    assert types == ["wages", "notice_pay", "working_time"]
    assert response.json()["due_on"] == mediation.due_on.isoformat()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"add": [{"claim_type": "bonus", "amount": "1"}]}, {"reason": ["该字段是必填项。"]}),
        (
            {"reason": "", "add": [{"claim_type": "bonus", "amount": "1"}]},
            {
                "reason": ["请填写增加、变更或撤回请求事项的理由。"],
                "restart_clock": [
                    "请选择是否自受理增加、变更请求之日起重新计算审理期限（办案规则第四十六条第（三）项）。"
                ],
            },
        ),
        (
            {"reason": "x", "add": [{"claim_type": "bonus", "amount": "-1"}]},
            {"add": ["新增第 1 项：金额不能为负数。"]},
        ),
        (
            {"reason": "x", "add": [{"claim_type": "bonus", "amount": "abc"}]},
            {"add": {"0": {"amount": ["请填写合法的数字。"]}}},
        ),
        ({"reason": "x", "withdraw": ["a"]}, {"withdraw": {"0": ["请填写合法的整数值。"]}}),
        (
            {"reason": "x", "change": [{"amount": "1"}]},
            {"change": {"0": {"claim": ["该字段是必填项。"]}}},
        ),
        (
            {"reason": "x", "add": [{"claim_type": "overtime_pay", "amount": "1"}]},
            {
                "restart_clock": [
                    "请选择是否自受理增加、变更请求之日起重新计算审理期限（办案规则第四十六条第（三）项）。"
                ]
            },
        ),
        (
            {
                "reason": "x",
                "add": [{"claim_type": "overtime_pay", "amount": "1"}],
                "restart_clock": True,
            },
            {"restart_on": ["请填写重新起算日。"]},
        ),
        (
            {
                "reason": "x",
                "add": [{"claim_type": "overtime_pay", "amount": "1"}],
                "restart_clock": True,
                "restart_on": "2200-01-01",
            },
            {"restart_on": ["日期应在 1950-01-01 至 2100-12-31 之间。"]},
        ),
        ({"reason": "x"}, {"non_field_errors": ["请至少增加、变更或撤回一项请求事项。"]}),
    ],
)
def test_bad_input_is_400_per_field(api_client, arbitrator_user, accepted, body, errors):
    before = snapshot(accepted)
    response = post(api_client(arbitrator_user), url(ARB, accepted), body)
    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert snapshot(accepted) == before


def test_mediation_refuses_a_restart(api_client, district_staff, mediation):
    response = post(
        api_client(district_staff),
        url(MED, mediation),
        {
            "reason": "x",
            "add": [{"claim_type": "bonus", "amount": "1"}],
            "restart_clock": True,
            "restart_on": today().isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "restart_clock": ["调解期限（调解仲裁法第十四条）不因增加、变更请求重新计算。"]
    }


def test_stale_version_is_409(api_client, arbitrator_user, accepted):
    client = api_client(arbitrator_user)
    stale = accepted.version
    first = post(
        client,
        url(ARB, accepted),
        {"version": stale, "reason": "撤回", "withdraw": [claim_ids(accepted)["working_time"]]},
    )
    assert first.status_code == 200
    before = snapshot(accepted)
    second = post(
        client,
        url(ARB, accepted),
        {"version": stale, "reason": "撤回", "withdraw": [claim_ids(accepted)["wages"]]},
    )
    assert second.status_code == 409
    assert second.json() == {"detail": CONFLICT}
    assert snapshot(accepted) == before


def test_scope_and_roles(
    api_client, shapingba_staff, auditor, mediator, arbitrator_user, mediation, accepted
):
    body = {"reason": "越权", "add": [{"claim_type": "bonus", "amount": "1"}]}
    before = (snapshot(mediation), snapshot(accepted))
    outsider = api_client(shapingba_staff)
    assert post(outsider, url(MED, mediation), body).status_code == 404
    assert post(outsider, url(ARB, accepted), body).status_code == 404
    for user, path in (
        (auditor, url(MED, mediation)),
        (auditor, url(ARB, accepted)),
        (mediator, url(ARB, accepted)),
        (arbitrator_user, url(MED, mediation)),
    ):
        response = post(api_client(user), path, body)
        assert response.status_code == 403, (user, path)
        assert response.json() == {"detail": "您没有执行此操作的权限。"}
    assert (snapshot(mediation), snapshot(accepted)) == before
