"""/api/v1/mediation-cases/ and /api/v1/arbitration-cases/ with real tokens: registration all
or nothing, every action and its bad input, wrong states, stale versions, scope, filters,
masked resident IDs, the OpenAPI schema, and two users closing one case at the same moment."""

from __future__ import annotations

import copy
import re
import sqlite3
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.disputes.conftest import resident_id, worker
from tests.factories import clear_shipped_wage_parameters
from yutong.core.models import AuditEntry
from yutong.core.personal import mask_resident_id
from yutong.disputes import services
from yutong.disputes.models import (
    ArbitrationCase,
    AwardItem,
    ClaimType,
    Dispute,
    MediationCase,
)

MED = "/api/v1/mediation-cases/"
ARB = "/api/v1/arbitration-cases/"
CONFLICT = "该案件已被他人处理，请刷新页面查看最新情况后再操作。"
REQUIRED = "该字段是必填项。"
# Every resident ID these tests use (the dispute fixture's worker 1 and the payloads' 2-20).
RESIDENT_IDS = [resident_id(n) for n in range(21)]


# --- clients that remember every answer --------------------------------------------------------


class Api:
    """An APIClient with a real token; every response body is kept for the resident-ID check."""

    def __init__(self, client: APIClient, bodies: list[bytes]):
        self.client, self.bodies = client, bodies

    def _keep(self, response):
        self.bodies.append(response.content)
        return response

    def get(self, path: str, params: dict | None = None):
        return self._keep(self.client.get(path, params or {}))

    def post(self, path: str, data: dict | None = None):
        return self._keep(self.client.post(path, data if data is not None else {}, format="json"))


@pytest.fixture
def api(api_client):
    """``api(user)`` → an Api; after the test no answer may hold a full resident ID."""
    bodies: list[bytes] = []
    yield lambda user: Api(api_client(user), bodies)
    for body in bodies:
        text = body.decode()
        for number in RESIDENT_IDS:
            assert number not in text


def one(base: str, case) -> str:
    return f"{base}{case.pk}/"


def act(base: str, case, name: str) -> str:
    return f"{base}{case.pk}/{name}/"


def errors(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- cases in each state, made through the services -------------------------------------------


@pytest.fixture
def mediation(district_staff, dispute, body):
    return services.open_mediation(district_staff, dispute, body=body, received_on=date(2026, 9, 1))


@pytest.fixture
def closed_mediation(district_staff, mediation):
    return services.close_mediation(
        district_staff, mediation, closure="no_agreement", closed_on=date(2026, 9, 10)
    )


@pytest.fixture
def agreed_mediation(district_staff, mediation):
    return services.close_mediation(
        district_staff,
        mediation,
        closure="agreement",
        closed_on=date(2026, 9, 10),
        agreement_text="公司于 9 月 20 日前支付工资。",
        agreed_amount=12000,
    )


@pytest.fixture
def received(arbitrator_user, dispute, commission):
    return services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )


@pytest.fixture
def materials_requested(arbitrator_user, received):
    return services.request_materials(arbitrator_user, received, items="劳动合同复印件")


@pytest.fixture
def accepted(arbitrator_user, received):
    return services.accept(
        arbitrator_user, received, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )


@pytest.fixture
def suspended(arbitrator_user, accepted):
    return services.suspend(
        arbitrator_user,
        accepted,
        from_day=date(2026, 10, 20),
        reason="劳动者住院治疗",
        approver="仲裁院院长",
    )


@pytest.fixture
def tribunal_formed(arbitrator_user, accepted, arbitrators):
    return services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)


@pytest.fixture
def closed(arbitrator_user, accepted):
    return services.close(
        arbitrator_user, accepted, closure="withdrawn", closed_on=date(2026, 10, 30)
    )


def snapshot(case) -> tuple:
    """What an action could change: re-read from the database."""
    case = type(case).objects.get(pk=case.pk)
    extra = ()
    if isinstance(case, ArbitrationCase):
        extra = (
            case.received_on,
            case.number,
            case.procedure,
            case.tribunal.count(),
            case.hearing_at,
            case.is_model_case,
            case.award_items.count(),
        )
    else:
        extra = (case.mediator_id, case.arbitration_cases.count())
    return (
        case.version,
        case.status,
        case.due_on,
        case.closed_on,
        case.closure,
        case.ended_on,
        case.events.count(),
        case.clock_changes.count(),
        Dispute.objects.count(),
        ArbitrationCase.objects.count(),
        *extra,
    )


# --- registration ---------------------------------------------------------------------------


def mediation_payload(**changes) -> dict:
    return {
        "body": "M500103001",
        "received_on": "2026-09-01",
        "facts": "公司拖欠 2026 年 8 月工资。",
        "employer_name": "重庆某某火锅餐饮有限公司",
        "workers": [worker(2, is_representative=True), worker(3, phone="13812345678")],
        "claims": [
            {"claim_type": "wages", "amount": "8000.50"},
            {"claim_type": "working_time", "description": "休息日加班"},
        ],
    } | changes


def arbitration_payload(**changes) -> dict:
    return {
        "commission": "A500103",
        "received_on": "2026-09-25",
        "facts": "公司拖欠 2026 年 7 月至 8 月工资，并违法解除劳动合同。",
        "employer_name": "重庆某某建筑劳务有限公司",
        "workers": [worker(4, is_representative=True)],
        "claims": [
            {"claim_type": "wages", "amount": "12000"},
            {"claim_type": "economic_compensation", "amount": "30000"},
            {"claim_type": "working_time", "amount": None},
        ],
    } | changes


CASE_FIELDS = {
    "id",
    "status",
    "version",
    "unit",
    "received_on",
    "accepted_on",
    "due_on",
    "closed_on",
    "closure",
    "ended_on",
    "is_collective",
    "workers_count",
    "assigned_to",
    "clock",
    "dispute",
    "created_at",
}


def test_register_a_mediation_case(district_staff, body, mediator_person, api):
    client = api(district_staff)
    response = client.post(MED, mediation_payload(mediator=mediator_person.pk))
    data = errors(response, 201)
    assert set(data) == CASE_FIELDS | {
        "body",
        "mediator",
        "agreement_text",
        "agreed_amount",
        "arbitration_cases",
    }
    assert data["unit"] == "500103" and data["body"] == "M500103001"
    assert data["mediator"] == {"id": mediator_person.pk, "name": "调解员甲"}
    assert data["assigned_to"] == "yz_mediator"
    assert (data["received_on"], data["accepted_on"], data["due_on"]) == (
        "2026-09-01",
        "2026-09-01",
        "2026-09-16",
    )
    assert (data["closed_on"], data["closure"], data["ended_on"]) == (None, "", None)
    assert (data["status"], data["version"]) == ("received", 1)
    assert (data["is_collective"], data["workers_count"]) == (False, 2)
    assert set(data["clock"]) == {
        "as_of",
        "due",
        "days_used",
        "days_left",
        "overdue",
        "due_soon",
        "suspended",
        "calendar_known",
    }
    assert data["clock"]["due"] == "2026-09-16" and data["clock"]["overdue"] is True
    dispute = data["dispute"]
    assert dispute["employer_name"] == "重庆某某火锅餐饮有限公司"
    assert [(c["claim_type"], c["claim_type_name"], c["amount"]) for c in dispute["claims"]] == [
        ("wages", ClaimType.objects.get(code="wages").name, "8000.50"),
        ("working_time", ClaimType.objects.get(code="working_time").name, None),
    ]
    assert dispute["workers"] == [
        {
            "name": "劳动者2",
            "resident_id_masked": mask_resident_id(resident_id(2)),
            "is_representative": True,
        },
        {
            "name": "劳动者3",
            "resident_id_masked": mask_resident_id(resident_id(3)),
            "is_representative": False,
        },
    ]
    assert "13812345678" not in response.content.decode()
    stored = Dispute.objects.get(pk=dispute["id"])
    assert (stored.unit.code, stored.channel) == ("500103", "staff")
    assert stored.workers.get(name="劳动者2").resident_id == resident_id(2)
    assert client.get(f"{MED}{data['id']}/").json() == data
    assert ids(client.get(MED)) == {data["id"]}


def test_registration_is_all_or_nothing(district_staff, arbitrator_user, body, api):
    # The dispute is registered first; a refusal by open_mediation must take it back.
    data = errors(api(district_staff).post(MED, mediation_payload(received_on="2099-01-01")))
    assert data == {"received_on": ["日期不能晚于今天。"]}
    # Arbitrators may register disputes but not open mediations.
    response = api(arbitrator_user).post(MED, mediation_payload())
    assert errors(response, 403) == {"detail": "您没有执行此操作的权限。"}
    body.is_active = False
    body.save()
    data = errors(api(district_staff).post(MED, mediation_payload()))
    assert data == {"body": ["该调解组织已停用。"]}
    assert not Dispute.objects.exists() and not MediationCase.objects.exists()
    assert not AuditEntry.objects.filter(action="register_dispute").exists()


def test_arbitration_registration_is_all_or_nothing(arbitrator_user, commission, api):
    commission.is_active = False
    commission.save()
    data = errors(api(arbitrator_user).post(ARB, arbitration_payload()))
    assert data == {"commission": ["该仲裁委员会已停用。"]}
    assert not Dispute.objects.exists() and not ArbitrationCase.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body": None}, "body", "该字段不能为 null。"),
        ({"body": "NOPE"}, "body", "调解组织“NOPE”不存在或不在您的管辖范围内。"),
        ({"body": "M500106001"}, "body", "调解组织“M500106001”不存在或不在您的管辖范围内。"),
        (
            {"received_on": "2026/09/01"},
            "received_on",
            "日期格式不正确，请按“年-月-日”填写，例如 2025-06-01。",
        ),
        ({"received_on": "1900-01-01"}, "received_on", "日期应在 1950-01-01 至 2100-12-31 之间。"),
        ({"mediator": 999999}, "mediator", "调解员“999999”不存在或不在您的管辖范围内。"),
        ({"mediator": "甲"}, "mediator", "调解员应填写编号（整数）。"),
        ({"facts": " "}, "facts", "请填写事实与理由。"),
        ({"employer_name": ""}, "employer_name", "请填写用人单位名称或从企业名录中选择。"),
        (
            {"employer_uscc": "91500103ABC"},
            "employer_uscc",
            "统一社会信用代码无效：应为 18 位，且校验位正确。",
        ),
        ({"workers": []}, "workers", "请至少填写一名劳动者。"),
        (
            {"workers": [worker(2, resident_id="500103199001011234")]},
            "workers",
            "第 1 名劳动者：公民身份号码无效。",
        ),
        ({"workers": [worker(2), worker(2)]}, "workers", "第 2 名劳动者：公民身份号码重复。"),
        ({"workers": [worker(2, phone="12345")]}, "workers", "第 1 名劳动者：联系电话格式不正确。"),
        ({"claims": []}, "claims", "请至少填写一项请求事项。"),
        ({"claims": [{"claim_type": "nope"}]}, "claims", "第 1 项：请求事项类型无效。"),
        (
            {"claims": [{"claim_type": "wages", "amount": "-1"}]},
            "claims",
            "第 1 项：金额不能为负数。",
        ),
    ],
)
def test_registration_bad_input(
    district_staff, body, shapingba_body, mediator_person, api, changes, field, message
):
    data = errors(api(district_staff).post(MED, mediation_payload(**changes)))
    assert message in data[field], data
    assert not Dispute.objects.exists()


def test_registration_needs_the_required_fields(district_staff, body, api):
    data = errors(api(district_staff).post(MED, {}))
    assert {field: data[field] for field in ("body", "received_on", "workers", "claims")} == {
        field: [REQUIRED] for field in ("body", "received_on", "workers", "claims")
    }
    data = errors(api(district_staff).post(MED, mediation_payload(workers=[{"name": "甲"}])))
    assert data == {"workers": {"0": {"resident_id": [REQUIRED]}}}  # by position
    data = errors(
        api(district_staff).post(
            MED, mediation_payload(claims=[{"claim_type": "wages", "amount": "1.005"}])
        )
    )
    assert data == {"claims": {"0": {"amount": ["请确保总计不超过 2 个小数位。"]}}}


def test_arbitration_registration_bad_input(arbitrator_user, commission, closed_mediation, api):
    client = api(arbitrator_user)
    data = errors(client.post(ARB, arbitration_payload(commission="A500106")))
    assert data == {"commission": ["仲裁委员会“A500106”不存在或不在您的管辖范围内。"]}
    data = errors(client.post(ARB, arbitration_payload(from_mediation=closed_mediation.pk)))
    message = "转自调解的案件沿用调解案件的当事人、请求事项和事实，请勿另行填写。"
    assert data == {name: [message] for name in ("facts", "employer_name", "workers", "claims")}
    data = errors(client.post(ARB, arbitration_payload(from_mediation_version=1)))
    assert data == {"from_mediation_version": ["只有转自调解的案件需要填写调解案件的版本号。"]}
    data = errors(client.post(ARB, {"commission": "A500103", "received_on": "2026-09-25"}))
    assert data == {"facts": ["请填写事实与理由。"]}  # the service checks facts first
    assert Dispute.objects.count() == 1 and not ArbitrationCase.objects.exists()


# --- the whole arbitration journey ----------------------------------------------------------


def test_arbitration_from_application_to_award(arbitrator_user, arbitrators, wage_parameters, api):
    client = api(arbitrator_user)
    created = errors(client.post(ARB, arbitration_payload()), 201)
    assert set(created) >= CASE_FIELDS | {
        "commission",
        "number",
        "procedure",
        "decision_due_on",
        "award_items",
        "from_mediation",
        "tribunal",
    }
    assert (created["status"], created["commission"], created["unit"]) == (
        "received",
        "A500103",
        "500103",
    )
    assert (created["decision_due_on"], created["due_on"], created["number"]) == (
        "2026-09-30",
        "2026-09-30",
        "",
    )
    assert created["clock"] is None  # the award clock starts on acceptance
    case_id, version = created["id"], created["version"]
    claims = {c["claim_type"]: c["id"] for c in created["dispute"]["claims"]}

    accepted = errors(
        client.post(
            f"{ARB}{case_id}/accept/",
            {"accepted_on": "2026-09-28", "procedure": "ordinary", "version": version},
        ),
        200,
    )
    assert (accepted["status"], accepted["number"], accepted["due_on"]) == (
        "accepted",
        "渝中劳人仲案字〔2026〕第1号",
        "2026-11-12",
    )
    assert (accepted["accepted_on"], accepted["procedure"]) == ("2026-09-28", "ordinary")
    assert accepted["version"] == version + 1

    extended = errors(
        client.post(
            f"{ARB}{case_id}/extend/",
            {
                "days": 15,
                "reason": "案情复杂",
                "approver": "仲裁委主任",
                "decided_on": "2026-11-10",  # before the 45 days ran out on 2026-11-12
                "version": version + 1,
            },
        ),
        200,
    )
    assert extended["due_on"] == "2026-11-27" and extended["clock"]["due"] == "2026-11-27"

    formed = errors(
        client.post(
            f"{ARB}{case_id}/tribunal/",
            {"arbitrators": [a.pk for a in arbitrators], "version": extended["version"]},
        ),
        200,
    )
    assert formed["status"] == "tribunal_formed"
    assert {p["name"] for p in formed["tribunal"]} == {a.name for a in arbitrators}
    assert formed["assigned_to"] == "yz_arbitrator"

    hearing = errors(
        client.post(
            f"{ARB}{case_id}/hearing/",
            {"hearing_at": "2026-10-14T09:30:00", "notified_on": "2026-10-09"},
        ),
        200,
    )
    assert (hearing["status"], hearing["hearing_at"], hearing["hearing_notified_on"]) == (
        "hearing_scheduled",
        "2026-10-14T09:30:00+08:00",
        "2026-10-09",
    )

    closed = errors(
        client.post(
            f"{ARB}{case_id}/close/",
            {
                "closure": "award",
                "closed_on": "2026-11-10",
                "items": [
                    {"claim": claims["wages"], "amount": "12000"},
                    {"claim": claims["economic_compensation"], "amount": "27960.01"},
                    {"claim": claims["working_time"], "amount": "0"},
                ],
                "version": hearing["version"],
            },
        ),
        200,
    )
    assert (closed["status"], closed["closure"], closed["closed_on"], closed["ended_on"]) == (
        "closed",
        "award",
        "2026-11-10",
        "2026-11-10",
    )
    assert (closed["due_on"], closed["clock"]) == (None, None)
    items = {i["claim_type"]: i for i in closed["award_items"]}
    # 12 x 2,330 = 27,960: 12,000 is final, 27,960.01 is not; working time is always final.
    assert {k: (i["amount"], i["is_final"]) for k, i in items.items()} == {
        "wages": ("12000.00", True),
        "economic_compensation": ("27960.01", False),
        "working_time": ("0.00", True),
    }
    assert items["wages"]["claim"] == claims["wages"]
    assert "超过限额 27,960.00 元" in items["economic_compensation"]["final_basis"]
    assert AwardItem.objects.filter(case_id=case_id).count() == 3

    model = errors(
        client.post(
            f"{ARB}{case_id}/model-case/", {"is_model": True, "summary": "欠薪案件终局裁决"}
        ),
        200,
    )
    assert (model["is_model_case"], model["summary"]) == (True, "欠薪案件终局裁决")
    assert client.get(f"{ARB}{case_id}/").json() == model


def test_materials_then_refusal(arbitrator_user, received, api):
    client = api(arbitrator_user)
    data = errors(client.post(act(ARB, received, "request-materials"), {"items": "工资条"}), 200)
    assert (data["status"], data["due_on"]) == ("materials_requested", None)
    data = errors(client.post(act(ARB, received, "materials-supplied"), {"on": "2026-09-29"}), 200)
    assert (data["status"], data["received_on"], data["decision_due_on"]) == (
        "received",
        "2026-09-29",
        "2026-10-08",
    )
    data = errors(
        client.post(
            act(ARB, received, "refuse"), {"refused_on": "2026-09-30", "reason": "超过仲裁时效"}
        ),
        200,
    )
    assert (data["status"], data["refused_on"], data["refusal_reason"]) == (
        "refused",
        "2026-09-30",
        "超过仲裁时效",
    )
    assert (data["ended_on"], data["closed_on"], data["closure"]) == ("2026-09-30", None, "")


def test_suspend_and_resume(arbitrator_user, accepted, api):
    client = api(arbitrator_user)
    data = errors(
        client.post(
            act(ARB, accepted, "suspend"),
            {"from_day": "2026-10-20", "reason": "劳动者住院治疗", "approver": "仲裁院院长"},
        ),
        200,
    )
    assert data["due_on"] is None and data["clock"]["suspended"] is True
    data = errors(client.post(act(ARB, accepted, "resume"), {"to_day": "2026-10-29"}), 200)
    assert data["due_on"] == "2026-11-23" and data["clock"]["suspended"] is False


# --- mediation actions ----------------------------------------------------------------------


def test_assign_close_and_amounts(district_staff, mediation, mediator_person, api):
    client = api(district_staff)
    data = errors(
        client.post(
            act(MED, mediation, "assign"),
            {"mediator": mediator_person.pk, "version": mediation.version},
        ),
        200,
    )
    assert (data["status"], data["mediator"]["id"], data["assigned_to"]) == (
        "mediating",
        mediator_person.pk,
        "yz_mediator",
    )
    data = errors(
        client.post(
            act(MED, mediation, "close"),
            {
                "closure": "agreement",
                "closed_on": "2026-09-10",
                "agreement_text": "公司于 9 月 20 日前支付工资 12000 元。",
                "agreed_amount": "12000.5",
                "version": data["version"],
            },
        ),
        200,
    )
    assert (data["status"], data["closure"], data["closed_on"], data["agreed_amount"]) == (
        "closed",
        "agreement",
        "2026-09-10",
        "12000.50",
    )
    assert data["clock"] is None


def test_transfer_action_answers_the_new_arbitration_case(
    district_staff, mediation, commission, api
):
    client = api(district_staff)
    response = client.post(
        act(MED, mediation, "transfer"),
        {"commission": "A500103", "received_on": "2026-09-25", "version": mediation.version},
    )
    data = errors(response, 201)
    assert (data["from_mediation"], data["commission"], data["status"]) == (
        mediation.pk,
        "A500103",
        "received",
    )
    assert data["dispute"]["id"] == mediation.dispute_id
    source = client.get(one(MED, mediation)).json()
    assert (source["closure"], source["closed_on"], source["arbitration_cases"]) == (
        "no_agreement",
        "2026-09-25",
        [data["id"]],
    )


def test_transfer_by_registering_from_mediation(arbitrator_user, closed_mediation, commission, api):
    response = api(arbitrator_user).post(
        ARB,
        {
            "commission": "A500103",
            "received_on": "2026-09-25",
            "from_mediation": closed_mediation.pk,
            "from_mediation_version": closed_mediation.version,
        },
    )
    data = errors(response, 201)
    assert data["from_mediation"] == closed_mediation.pk
    assert data["dispute"]["id"] == closed_mediation.dispute_id
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("accept", "调解案件无需作出受理决定"),
        ("refuse", "调解案件没有“不予受理”操作"),
        ("extend", "第十四条规定的调解期限为自收到调解申请之日起 15 日，该条没有延长"),
        ("suspend", "该条没有延长、中止或恢复计算的规定"),
        ("resume", "该条没有延长、中止或恢复计算的规定"),
    ],
)
def test_mediation_has_no_acceptance_refusal_or_clock_changes(
    district_staff, mediation, api, name, message
):
    before = snapshot(mediation)
    data = errors(api(district_staff).post(act(MED, mediation, name), {"version": 1}))
    assert list(data) == ["non_field_errors"] and message in data["non_field_errors"][0]
    assert snapshot(mediation) == before


# --- bad input: 400 per field, in Chinese, nothing changed ---------------------------------

ARBITRATION_BAD_INPUT = [
    (
        "received",
        "accept",
        {"accepted_on": "2026-09-24", "procedure": "ordinary"},
        "accepted_on",
        "日期不能早于收到日期（2026-09-25）。",
    ),
    (
        "received",
        "accept",
        {"accepted_on": "2026-09-28", "procedure": "fast"},
        "procedure",
        "请选择简易处理或普通程序。",
    ),
    ("received", "accept", {"procedure": "ordinary"}, "accepted_on", REQUIRED),
    (
        "received",
        "accept",
        {"accepted_on": "2026-09-28", "procedure": "ordinary", "version": 0},
        "version",
        "请确保该值大于或者等于 1。",
    ),
    (
        "received",
        "refuse",
        {"refused_on": "2026-09-28", "reason": " "},
        "reason",
        "请填写不予受理的理由。",
    ),
    (
        "received",
        "refuse",
        {"refused_on": "2099-01-01", "reason": "超过仲裁时效"},
        "refused_on",
        "日期不能晚于今天。",
    ),
    ("received", "request-materials", {"items": ""}, "items", "请一次性列明需要补正的全部材料。"),
    (
        "materials_requested",
        "materials-supplied",
        {"on": "2026-09-24"},
        "on",
        "日期不能早于收到日期（2026-09-25）。",
    ),
    (
        "accepted",
        "extend",
        {"days": 16, "reason": "案情复杂", "approver": "仲裁委主任"},
        "days",
        "延长天数应为 1 至 15。",
    ),
    (
        "accepted",
        "extend",
        {"days": 5, "reason": "案情复杂", "approver": ""},
        "approver",
        "请填写批准人。",
    ),
    (
        "accepted",
        "extend",
        {"days": "五", "reason": "案情复杂", "approver": "主任"},
        "days",
        "请填写合法的整数值。",
    ),
    (
        "accepted",
        "suspend",
        {"from_day": "2026-10-20", "reason": "", "approver": "院长"},
        "reason",
        "请填写中止理由。",
    ),
    (
        "accepted",
        "suspend",
        {"from_day": "2026-09-28", "reason": "住院", "approver": "院长"},
        "from_day",
        "中止日期应晚于期限起算日。",
    ),
    ("accepted", "resume", {"to_day": "2026-10-29"}, "to_day", "本案未处于中止状态。"),
    ("suspended", "resume", {"to_day": "2026-10-19"}, "to_day", "恢复日期不能早于中止日期。"),
    (
        "accepted",
        "tribunal",
        {"arbitrators": [999999]},
        "arbitrators",
        "仲裁员“999999”不存在或不在您的管辖范围内。",
    ),
    ("accepted", "tribunal", {"arbitrators": "甲"}, "arbitrators", None),
    (
        "tribunal_formed",
        "hearing",
        {"hearing_at": "2026-10-14T09:30:00", "notified_on": "2026-10-10"},
        "hearing_at",
        "开庭日期应在通知之日起至少 5 日后。",
    ),
    (
        "tribunal_formed",
        "hearing",
        {"hearing_at": "3000-01-01T09:30:00", "notified_on": "2026-10-10"},
        "hearing_at",
        "日期应在 1950-01-01 至 2100-12-31 之间。",
    ),
    (
        "accepted",
        "close",
        {"closure": "bogus", "closed_on": "2026-10-30"},
        "closure",
        "请选择结案方式。",
    ),
    (
        "accepted",
        "close",
        {"closure": "award", "closed_on": "2026-10-30", "items": []},
        "closure",
        "尚未组成仲裁庭，不能作出裁决（调解仲裁法第三十一条、第四十五条）。",
    ),
    (
        "suspended",
        "close",
        {"closure": "award", "closed_on": "2026-10-30", "items": []},
        "closure",
        "案件正在中止审理，恢复审理后才能作出裁决（办案规则第四十七条）。",
    ),
    (
        "tribunal_formed",
        "close",
        {"closure": "award", "closed_on": "2026-10-30", "items": []},
        "items",
        "裁决结案须至少列明一项裁决事项。",
    ),
    (
        "tribunal_formed",
        "close",
        {"closure": "award", "closed_on": "2026-10-30", "items": [{"claim": 999999, "amount": 1}]},
        "items",
        "第 1 项：不是本案的请求事项。",
    ),
    (
        "accepted",
        "close",
        {"closure": "withdrawn", "closed_on": "2026-10-30", "items": [{"claim": 1, "amount": 1}]},
        "items",
        "只有裁决结案需要填写裁决事项。",
    ),
    (
        "accepted",
        "close",
        {"closure": "terminated", "closed_on": "2026-10-30"},
        "note",
        "请说明撤销、终止或按撤回处理的事由。",
    ),
    (
        "accepted",
        "close",
        {"closure": "withdrawn", "closed_on": "2026-09-27"},
        "closed_on",
        "日期不能早于受理日期（2026-09-28）。",
    ),
    ("closed", "model-case", {"is_model": True}, "summary", "请填写裁决要旨。"),
    ("closed", "model-case", {"summary": "要旨"}, "is_model", REQUIRED),
]


@pytest.mark.parametrize(("state", "name", "payload", "field", "message"), ARBITRATION_BAD_INPUT)
def test_arbitration_action_bad_input(
    request, arbitrator_user, arbitrators, api, state, name, payload, field, message
):
    case = request.getfixturevalue(state)
    before = snapshot(case)
    data = errors(api(arbitrator_user).post(act(ARB, case, name), payload))
    assert field in data, data
    if message is not None:
        assert message in data[field], data
    assert snapshot(case) == before


def test_award_without_the_minimum_wage_names_the_parameter(arbitrator_user, tribunal_formed, api):
    accepted = tribunal_formed
    clear_shipped_wage_parameters()
    claim = accepted.dispute.claims.get(claim_type="wages")
    before = snapshot(accepted)
    data = errors(
        api(arbitrator_user).post(
            act(ARB, accepted, "close"),
            {
                "closure": "award",
                "closed_on": "2026-11-10",
                "items": [{"claim": claim.pk, "amount": 1}],
            },
        )
    )
    assert "min_wage_tier" in data["non_field_errors"][0]
    assert snapshot(accepted) == before


MEDIATION_BAD_INPUT = [
    (
        "close",
        {"closure": "agreement", "closed_on": "2026-09-10"},
        "agreement_text",
        "达成协议或和解的，请填写协议内容。",
    ),
    ("close", {"closure": "nope", "closed_on": "2026-09-10"}, "closure", "请选择结案方式。"),
    (
        "close",
        {"closure": "withdrawn", "closed_on": "2026-08-31"},
        "closed_on",
        "日期不能早于收到日期（2026-09-01）。",
    ),
    (
        "close",
        {
            "closure": "agreement",
            "closed_on": "2026-09-10",
            "agreement_text": "付清",
            "agreed_amount": "-1",
        },
        "agreed_amount",
        "金额不能为负数。",
    ),
    ("close", {"closure": "withdrawn"}, "closed_on", REQUIRED),
    ("assign", {"mediator": 999999}, "mediator", "调解员“999999”不存在或不在您的管辖范围内。"),
    ("assign", {}, "mediator", REQUIRED),
    (
        "transfer",
        {"commission": "NOPE", "received_on": "2026-09-25"},
        "commission",
        "仲裁委员会“NOPE”不存在或不在您的管辖范围内。",
    ),
    # The mediation is past its 15 days: the service closes it, then the arbitration refuses
    # the date — and the closure is rolled back with it.
    (
        "transfer",
        {"commission": "A500103", "received_on": "2099-01-01"},
        "received_on",
        "日期不能晚于今天。",
    ),
]


@pytest.mark.parametrize(("name", "payload", "field", "message"), MEDIATION_BAD_INPUT)
def test_mediation_action_bad_input(
    district_staff, mediation, commission, api, name, payload, field, message
):
    before = snapshot(mediation)
    data = errors(api(district_staff).post(act(MED, mediation, name), payload))
    assert message in data[field], data
    assert snapshot(mediation) == before


# --- wrong state: 400 under non_field_errors --------------------------------------------------


@pytest.mark.parametrize(
    ("state", "name", "payload", "message"),
    [
        (
            "accepted",
            "accept",
            {"accepted_on": "2026-09-29", "procedure": "ordinary"},
            "案件当前状态为“已受理”，不能进行此操作。",
        ),
        (
            "received",
            "extend",
            {"days": 5, "reason": "复杂", "approver": "主任"},
            "尚未受理的案件不能延长审理期限。",
        ),
        (
            "received",
            "close",
            {"closure": "withdrawn", "closed_on": "2026-10-30"},
            "尚未受理的案件不能结案；不予受理请使用“不予受理”。",
        ),
        (
            "received",
            "hearing",
            {"hearing_at": "2026-10-14T09:30:00", "notified_on": "2026-10-09"},
            "案件当前状态为“待审查”，不能进行此操作。",
        ),
        (
            "closed",
            "suspend",
            {"from_day": "2026-10-31", "reason": "住院", "approver": "院长"},
            "该案件已办结，不能再操作。",
        ),
        (
            "accepted",
            "model-case",
            {"is_model": True, "summary": "要旨"},
            "只有已结案的案件可以标记为精品案例。",
        ),
    ],
)
def test_arbitration_wrong_state(request, arbitrator_user, api, state, name, payload, message):
    case = request.getfixturevalue(state)
    before = snapshot(case)
    data = errors(api(arbitrator_user).post(act(ARB, case, name), payload))
    assert data == {"non_field_errors": [message]}
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("state", "name", "payload", "message"),
    [
        (
            "mediation",
            "transfer",
            {"commission": "A500103", "received_on": "2026-09-10"},
            "调解期限未满且未结案，暂不能转仲裁。",
        ),
        (
            "agreed_mediation",
            "transfer",
            {"commission": "A500103", "received_on": "2026-09-25"},
            "只有未达成调解协议的案件可以转仲裁。",
        ),
        (
            "closed_mediation",
            "close",
            {"closure": "withdrawn", "closed_on": "2026-09-11"},
            "该案件已办结，不能再操作。",
        ),
    ],
)
def test_mediation_wrong_state(
    request, district_staff, commission, api, state, name, payload, message
):
    case = request.getfixturevalue(state)
    before = snapshot(case)
    data = errors(api(district_staff).post(act(MED, case, name), payload))
    assert data == {"non_field_errors": [message]}
    assert snapshot(case) == before


def test_a_second_transfer_is_refused(district_staff, closed_mediation, commission, api):
    client = api(district_staff)
    payload = {"commission": "A500103", "received_on": "2026-09-25"}
    errors(client.post(act(MED, closed_mediation, "transfer"), payload), 201)
    data = errors(client.post(act(MED, closed_mediation, "transfer"), payload))
    assert data == {"non_field_errors": ["该调解案件已转仲裁。"]}
    assert ArbitrationCase.objects.count() == 1


# --- stale versions: 409 ----------------------------------------------------------------------


def test_stale_version_is_a_conflict_and_changes_nothing(arbitrator_user, accepted, api):
    client = api(arbitrator_user)
    stale = accepted.version
    errors(
        client.post(
            act(ARB, accepted, "extend"),
            {
                "days": 10,
                "reason": "案情复杂",
                "approver": "主任",
                "decided_on": "2026-10-20",
                "version": stale,
            },
        ),
        200,
    )
    before = snapshot(accepted)
    response = client.post(
        act(ARB, accepted, "suspend"),
        {"from_day": "2026-10-20", "reason": "住院", "approver": "院长", "version": stale},
    )
    assert errors(response, 409) == {"detail": CONFLICT}
    assert snapshot(accepted) == before


def test_stale_version_on_mediation_and_on_transfer(
    district_staff, arbitrator_user, closed_mediation, mediation, mediator_person, commission, api
):
    stale = mediation.version  # as read before closed_mediation closed it
    before = snapshot(closed_mediation)
    response = api(district_staff).post(
        act(MED, closed_mediation, "assign"), {"mediator": mediator_person.pk, "version": stale}
    )
    assert errors(response, 409) == {"detail": CONFLICT}
    response = api(arbitrator_user).post(
        ARB,
        {
            "commission": "A500103",
            "received_on": "2026-09-25",
            "from_mediation": closed_mediation.pk,
            "from_mediation_version": stale,
        },
    )
    assert errors(response, 409) == {"detail": CONFLICT}
    assert snapshot(closed_mediation) == before


# --- scope and roles --------------------------------------------------------------------------

MEDIATION_ACTIONS = [
    "accept",
    "refuse",
    "extend",
    "suspend",
    "resume",
    "close",
    "assign",
    "transfer",
]
ARBITRATION_ACTIONS = [
    "accept",
    "refuse",
    "extend",
    "suspend",
    "resume",
    "close",
    "request-materials",
    "materials-supplied",
    "tribunal",
    "hearing",
    "model-case",
]


def test_other_districts_see_nothing(
    shapingba_staff, district_staff, city_admin, mediation, received, api
):
    outsider = api(shapingba_staff)
    assert ids(outsider.get(MED)) == set() and ids(outsider.get(ARB)) == set()
    assert outsider.get(one(MED, mediation)).status_code == 404
    assert outsider.get(one(ARB, received)).status_code == 404
    before = (snapshot(mediation), snapshot(received))
    for name in MEDIATION_ACTIONS:
        assert outsider.post(act(MED, mediation, name), {}).status_code == 404, name
    for name in ARBITRATION_ACTIONS:
        assert outsider.post(act(ARB, received, name), {}).status_code == 404, name
    assert (snapshot(mediation), snapshot(received)) == before
    data = errors(outsider.get(MED, {"unit": "500103"}))
    assert data == {"unit": ["单位“500103”不存在或不在您的管辖范围内。"]}
    assert ids(api(district_staff).get(MED)) == {mediation.pk}
    assert ids(api(city_admin).get(ARB)) == {received.pk}


def test_a_district_cannot_register_with_another_districts_body(shapingba_staff, body, api):
    data = errors(api(shapingba_staff).post(MED, mediation_payload()))
    assert data == {"body": ["调解组织“M500103001”不存在或不在您的管辖范围内。"]}
    assert not Dispute.objects.exists()


def test_readers_who_may_not_act_get_403(auditor, enterprise_user, mediation, accepted, api):
    reader = api(auditor)
    assert reader.get(one(MED, mediation)).status_code == 200
    before = snapshot(accepted)
    response = reader.post(
        act(ARB, accepted, "close"), {"closure": "withdrawn", "closed_on": "2026-10-30"}
    )
    assert errors(response, 403) == {"detail": "您没有执行此操作的权限。"}
    assert snapshot(accepted) == before
    outsider = api(enterprise_user)  # no dispute-reading role: nothing exists for it
    assert ids(outsider.get(MED)) == set()
    assert outsider.get(one(ARB, accepted)).status_code == 404


def test_anonymous_requests_are_refused(mediation):
    assert APIClient().get(MED).status_code == 401
    assert APIClient().post(act(MED, mediation, "close"), {}).status_code == 401


def test_put_patch_and_delete_are_not_offered(district_staff, mediation, api):
    client = api(district_staff).client
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(one(MED, mediation), {}).status_code == 405


# --- lists --------------------------------------------------------------------------------------


@pytest.fixture
def mediation_lot(district_staff, mediator, dispute, body, mediator_person, yuzhong):
    """Four 渝中 mediations: assigned, unassigned, closed, and a collective one."""
    collective = services.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="工地拖欠 12 名工人工资。",
        employer_name="重庆某某建筑劳务有限公司",
        workers=[worker(n) for n in range(5, 17)],
        claims=[{"claim_type": "wages", "amount": "120000"}],
    )
    today = timezone.localdate()
    lot = {
        "assigned": services.open_mediation(
            district_staff,
            dispute,
            body=body,
            received_on=date(2026, 9, 1),
            mediator=mediator_person,
        ),
        "unassigned": services.open_mediation(
            district_staff, dispute, body=body, received_on=today - timedelta(days=2)
        ),
        "closed": services.open_mediation(
            district_staff, dispute, body=body, received_on=date(2026, 9, 3)
        ),
        "collective": services.open_mediation(
            district_staff, collective, body=body, received_on=date(2026, 9, 5)
        ),
    }
    lot["closed"] = services.close_mediation(
        district_staff, lot["closed"], closure="withdrawn", closed_on=date(2026, 9, 4)
    )
    return lot


def test_list_order_and_filters(district_staff, mediator, mediation_lot, api):
    lot = {name: case.pk for name, case in mediation_lot.items()}
    client = api(district_staff)
    rows = client.get(MED).json()["results"]
    assert rows[0]["id"] == lot["collective"]  # collective disputes first (Art.7)
    assert rows[0]["is_collective"] is True and rows[0]["workers_count"] == 12
    assert set(r["id"] for r in rows) == set(lot.values())

    def listed(**params):
        return ids(client.get(MED, params))

    assert listed(queue="unassigned") == {lot["unassigned"], lot["collective"]}
    assert listed(queue="closed") == {lot["closed"]}
    assert listed(queue="unit") == set(lot.values()) - {lot["closed"]}
    assert listed(queue="overdue") == {lot["assigned"], lot["collective"]}
    assert ids(api(mediator).get(MED, {"queue": "mine"})) == {lot["assigned"]}
    today = timezone.localdate()
    assert listed(queue="due_soon") == {
        case.pk
        for case in mediation_lot.values()
        if case.is_open and today <= case.due_on <= today + timedelta(days=5)
    }
    assert listed(status="closed") == listed(closure="withdrawn") == {lot["closed"]}
    assert listed(closure="agreement") == set()
    assert listed(is_collective="true") == {lot["collective"]}
    assert listed(is_collective="false") == set(lot.values()) - {lot["collective"]}
    assert listed(received_from="2026-09-03", received_to="2026-09-05") == {
        lot["closed"],
        lot["collective"],
    }
    assert listed(unit="500103") == set(lot.values())
    assert listed(status="", closure="") == set(lot.values())  # empty parameters are ignored
    page = client.get(MED, {"page_size": 1, "page": 2}).json()
    assert (page["count"], len(page["results"])) == (4, 1)
    assert page["next"] and page["previous"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"queue": "bogus"}, "queue"),
        ({"status": "open"}, "status"),
        ({"closure": "award"}, "closure"),  # an arbitration closure, not a mediation one
        ({"is_collective": "maybe"}, "is_collective"),
        ({"received_from": "2026-13-01"}, "received_from"),
        ({"received_from": "2026-09-05", "received_to": "2026-09-01"}, "received_to"),
        ({"unit": "999999"}, "unit"),
    ],
)
def test_bad_filters_are_400(district_staff, mediation, api, params, field):
    data = errors(api(district_staff).get(MED, params))
    assert list(data) == [field]


def test_arbitration_list_filters(arbitrator_user, accepted, closed_mediation, commission, api):
    client = api(arbitrator_user)
    other = errors(
        client.post(
            ARB,
            {
                "commission": "A500103",
                "received_on": "2026-09-25",
                "from_mediation": closed_mediation.pk,
            },
        ),
        201,
    )
    assert ids(client.get(ARB)) == {accepted.pk, other["id"]}
    assert ids(client.get(ARB, {"status": "accepted"})) == {accepted.pk}
    assert ids(client.get(ARB, {"status": "received"})) == {other["id"]}
    assert ids(client.get(ARB, {"closure": "award"})) == set()
    assert list(errors(client.get(ARB, {"closure": "agreement"}))) == ["closure"]


# --- the OpenAPI schema -------------------------------------------------------------------------


def test_schema_lists_the_case_endpoints(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for base in ("/api/v1/mediation-cases/", "/api/v1/arbitration-cases/"):
        assert set(paths[base]) == {"get", "post"}
        assert set(paths[base + "{id}/"]) == {"get"}
    for name in MEDIATION_ACTIONS:
        assert set(paths[f"/api/v1/mediation-cases/{{id}}/{name}/"]) == {"post"}
    for name in ARBITRATION_ACTIONS:
        assert set(paths[f"/api/v1/arbitration-cases/{{id}}/{name}/"]) == {"post"}
    listed = {p["name"] for p in paths["/api/v1/arbitration-cases/"]["get"]["parameters"]}
    assert listed >= {
        "queue",
        "status",
        "closure",
        "is_collective",
        "received_from",
        "received_to",
        "unit",
        "page",
        "page_size",
    }


def _refs(node, found: set) -> set:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def test_schema_has_no_warnings_for_the_case_endpoints(db):
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    ours = [
        m
        for m in messages
        if "disputes/api.py" in m or "MediationCase" in m or "ArbitrationCase" in m
    ]
    assert ours == []
    # Enum name collisions are reported without the component: instead, every component our
    # endpoints use (transitively) must have a stable name, not one with a hash suffix.
    components = schema["components"]["schemas"]
    ours = {p: v for p, v in schema["paths"].items() if "-cases/" in p or "/calculations/" in p}
    seen: set = set()
    todo = _refs(ours, set())
    while todo:
        name = todo.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        todo |= _refs(components[name], set())
    hashed = sorted(n for n in seen if re.search(r"[0-9a-f]{3}Enum$", n))
    assert hashed == []
    assert {"ChangeClaimsRequest", "ClaimChangeInputRequest"} <= seen


# --- two users at the same moment ---------------------------------------------------------------


@pytest.fixture
def thread_database(transactional_db, tmp_path):
    """How a worker thread connects, as production does.

    PostgreSQL: each thread opens its own connection to the test database. SQLite: the test
    database lives in memory in shared-cache mode, where a second writer fails at once with
    "database table is locked" instead of waiting; production uses a file (WAL, BEGIN
    IMMEDIATE, a 20 s busy timeout). So the committed test data is copied to a file and the
    threads use it with the production options.
    """
    if connection.vendor != "sqlite":
        return None
    path = tmp_path / "concurrency.sqlite3"

    def copy_database():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        # Switch to WAL now: two threads switching at the same moment would race for the lock
        # that the switch takes, which no busy timeout covers.
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return {**copy.deepcopy(connection.settings_dict), "NAME": str(path)}

    return copy_database


def in_threads(thread_database, *functions):
    """Run the functions in threads released together; their results or exceptions."""
    settings_dict = thread_database() if thread_database else None
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        if settings_dict is not None:
            connections["default"] = SQLiteWrapper(copy.deepcopy(settings_dict), "default")
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            results[index] = exc
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, settings_dict


def read_back(settings_dict, function):
    """``function()`` against the database the threads used."""
    if settings_dict is None:
        return function()
    result, _ = in_threads(None, lambda: _on(settings_dict, function))
    return result[0]


def _on(settings_dict, function):
    connections["default"] = SQLiteWrapper(copy.deepcopy(settings_dict), "default")
    try:
        return function()
    finally:
        connections["default"].close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_users_close_the_same_case_at_once(
    thread_database, arbitrator_user, dispute, commission, obtain_token
):
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    case = services.accept(
        arbitrator_user, case, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )
    token = obtain_token(arbitrator_user)

    def close(closure):
        def run():
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            payload = {"closure": closure, "closed_on": "2026-10-30", "version": case.version}
            if closure == "terminated":
                payload["note"] = "用人单位被吊销营业执照"
            return client.post(act(ARB, case, "close"), payload, format="json")

        return run

    (first, second), settings_dict = in_threads(
        thread_database, close("withdrawn"), close("terminated")
    )
    outcomes = sorted(
        r.status_code if hasattr(r, "status_code") else repr(r) for r in (first, second)
    )
    assert outcomes == [200, 409], (first, second)
    winner = first if first.status_code == 200 else second
    loser = second if winner is first else first
    assert loser.json() == {"detail": CONFLICT}

    def stored():
        row = ArbitrationCase.objects.get(pk=case.pk)
        return row.version, row.closure, row.events.filter(kind="closed").count()

    assert read_back(settings_dict, stored) == (case.version + 1, winner.json()["closure"], 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_through_the_services_at_once(thread_database, district_staff, dispute, body):
    case = services.open_mediation(district_staff, dispute, body=body, received_on=date(2026, 9, 1))

    def close(closure):
        def run():
            return services.close_mediation(
                district_staff,
                MediationCase.objects.get(pk=case.pk),
                closure=closure,
                closed_on=date(2026, 9, 10),
                expected_version=case.version,
            )

        return run

    results, settings_dict = in_threads(thread_database, close("withdrawn"), close("no_agreement"))
    won = [r for r in results if isinstance(r, MediationCase)]
    lost = [r for r in results if not isinstance(r, MediationCase)]
    assert len(won) == 1 and len(lost) == 1, results
    assert getattr(lost[0], "code", None) == "conflict" and lost[0].messages == [CONFLICT]

    def stored():
        row = MediationCase.objects.get(pk=case.pk)
        return row.version, row.closure, row.events.filter(kind="closed").count()

    assert read_back(settings_dict, stored) == (case.version + 1, won[0].closure, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_acceptances_at_once_get_different_numbers(
    thread_database, arbitrator_user, dispute, commission
):
    """The case number is counted per commission and year: the count must not race."""
    received_cases = [
        services.receive_arbitration(
            arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
        )
        for _ in range(2)
    ]

    def accept(case):
        def run():
            return services.accept(
                arbitrator_user,
                ArbitrationCase.objects.get(pk=case.pk),
                accepted_on=date(2026, 9, 28),
                procedure="ordinary",
            ).number

        return run

    results, _ = in_threads(thread_database, *(accept(case) for case in received_cases))
    assert sorted(results) == ["渝中劳人仲案字〔2026〕第1号", "渝中劳人仲案字〔2026〕第2号"]


def test_restart_action(api, arbitrator_user, accepted, shapingba_staff):
    client = api(arbitrator_user)
    bad = errors(client.post(act(ARB, accepted, "restart"), {"start": "2026-10-09", "ground": "x"}))
    assert set(bad) == {"ground"}
    restarted = errors(
        client.post(
            act(ARB, accepted, "restart"),
            {"start": "2026-10-09", "ground": "counter_claim", "version": accepted.version},
        ),
        200,
    )
    assert restarted["due_on"] == "2026-11-23"
    stale = client.post(
        act(ARB, accepted, "restart"),
        {"start": "2026-10-10", "ground": "counter_claim", "version": accepted.version},
    )
    assert stale.status_code == 409
    other = api(shapingba_staff).post(
        act(ARB, accepted, "restart"), {"start": "2026-10-10", "ground": "counter_claim"}
    )
    assert other.status_code == 404


def test_assign_action(api, arbitrator_user, received, district_staff, shapingba_staff):
    client = api(arbitrator_user)
    refused = errors(client.post(act(ARB, received, "assign"), {"handler": "spb_staff"}))
    assert refused == {"handler": ["请选择本单位在岗的仲裁员或业务人员。"]}
    done = errors(client.post(act(ARB, received, "assign"), {"handler": "yz_staff"}), 200)
    assert done["assigned_to"] == "yz_staff"
