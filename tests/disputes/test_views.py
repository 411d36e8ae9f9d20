"""The dispute pages: queues and their export, registration, the case pages and every action
through the UI (good and bad input, conflicts), role and district boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.disputes.conftest import resident_id, worker
from tests.factories import EnterpriseFactory, UserFactory
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.disputes import services
from yutong.disputes.models import (
    ArbitrationCase,
    AwardItem,
    Dispute,
    MediationCase,
    Mediator,
)

pytestmark = pytest.mark.django_db

MEDIATION = "/disputes/mediation/"
ARBITRATION = "/disputes/arbitration/"
REGISTER = "/disputes/register/"
CONFLICT = "该案件已被他人处理，请刷新页面查看最新情况后再操作。"
REQUIRED = "该字段是必填项。"


def today():
    return timezone.localdate()


def days_ago(n: int):
    return today() - timedelta(days=n)


def register(user, unit, *, employer="重庆某某餐饮管理有限公司", workers=1, serial=0, facts=None):
    return services.register_dispute(
        user,
        unit=unit,
        channel="staff",
        facts=facts or "公司拖欠工资两个月。",
        employer_name=employer,
        workers=[worker(serial + n, is_representative=(n == 0)) for n in range(workers)],
        claims=[
            {"claim_type": "wages", "amount": "12000"},
            {"claim_type": "economic_compensation", "amount": "30000"},
            {"claim_type": "working_time", "amount": None},
        ],
    )


def open_mediation(user, body, *, received=3, mediator=None, **kwargs):
    dispute = register(user, body.unit, **kwargs)
    return services.open_mediation(
        user, dispute, body=body, received_on=days_ago(received), mediator=mediator
    )


def receive(user, commission, *, received=3, **kwargs):
    dispute = register(user, commission.unit, **kwargs)
    return services.receive_arbitration(
        user, dispute, commission=commission, received_on=days_ago(received)
    )


def accept(user, case, procedure="ordinary"):
    return services.accept(
        user, case, accepted_on=case.received_on, procedure=procedure, expected_version=None
    )


def mediation_url(case, action=""):
    return f"{MEDIATION}{case.pk}/" + (f"{action}/" if action else "")


def arbitration_url(case, action=""):
    return f"{ARBITRATION}{case.pk}/" + (f"{action}/" if action else "")


def text(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def fresh(case):
    return type(case).objects.get(pk=case.pk)


@pytest.fixture
def arbitrator_client(login_client, arbitrator_user):
    return login_client(arbitrator_user)


@pytest.fixture
def staff_client(login_client, district_staff):
    return login_client(district_staff)


# --- pages and roles ---------------------------------------------------------------------------


def test_every_page_renders(
    login_client, district_staff, body, commission, mediator_person, arbitrators
):
    mediation = open_mediation(district_staff, body)
    arbitration = receive(district_staff, commission, serial=10)
    client = login_client(district_staff)
    for url in (
        MEDIATION,
        ARBITRATION,
        mediation_url(mediation),
        arbitration_url(arbitration),
        REGISTER,
        "/disputes/employers/?q=有限",
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    for queue in ("mine", "unit", "unassigned", "due_soon", "overdue", "closed"):
        assert client.get(f"{MEDIATION}?queue={queue}").status_code == 200
        assert client.get(f"{ARBITRATION}?queue={queue}").status_code == 200


@pytest.mark.parametrize(
    ("role", "mediation", "arbitration", "register"),
    [
        (roles.CITY_ADMIN, 200, 200, 200),
        (roles.DISTRICT_STAFF, 200, 200, 200),
        # Mediators and arbitrators read both kinds, as in the API (see test_page_roles_*).
        (roles.MEDIATOR, 200, 200, 200),
        (roles.ARBITRATOR, 200, 200, 200),
        (roles.AUDITOR, 200, 200, 403),
        (roles.INSPECTOR, 403, 403, 403),
        (roles.UNION_OFFICER, 403, 403, 403),
        (roles.ENTERPRISE_USER, 403, 403, 403),
    ],
)
def test_role_boundaries(
    login_client, yuzhong, district_staff, body, commission, role, mediation, arbitration, register
):
    m = open_mediation(district_staff, body)
    a = receive(district_staff, commission, serial=10)
    client = login_client(UserFactory(unit=yuzhong, roles=[role]))
    assert client.get(MEDIATION).status_code == mediation
    assert client.get(mediation_url(m)).status_code == mediation
    assert client.get(f"{MEDIATION}export/").status_code == mediation
    assert client.get(ARBITRATION).status_code == arbitration
    assert client.get(arbitration_url(a)).status_code == arbitration
    assert client.get(f"{ARBITRATION}export/").status_code == arbitration
    assert client.get(REGISTER).status_code == register


def test_anonymous_users_are_sent_to_login(client, district_staff, body):
    case = open_mediation(district_staff, body)
    for url in (MEDIATION, mediation_url(case), REGISTER, f"{MEDIATION}export/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(mediation_url(case, "close"), {"closure": "withdrawn"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_auditor_reads_but_cannot_act(login_client, auditor, district_staff, body, commission):
    case = open_mediation(district_staff, body)
    arbitration = receive(district_staff, commission, serial=10)
    client = login_client(auditor)
    page = client.get(mediation_url(case))
    assert page.status_code == 200
    assert page.context["actions"] == []
    assert 'data-testid="audit-trail"' in text(page)
    assert "open_mediation" in text(page) and "register_dispute" in text(page)
    response = client.post(
        mediation_url(case, "close"),
        {"closure": "withdrawn", "closed_on": today().isoformat(), "version": case.version},
    )
    assert response.status_code == 403
    response = client.post(
        arbitration_url(arbitration, "refuse"),
        {"refused_on": today().isoformat(), "reason": "x", "version": arbitration.version},
    )
    assert response.status_code == 403
    assert fresh(case).is_open and fresh(arbitration).status == "received"


def test_staff_do_not_see_the_audit_trail(staff_client, district_staff, body):
    case = open_mediation(district_staff, body)
    page = staff_client.get(mediation_url(case))
    assert 'data-testid="audit-trail"' not in text(page)


def test_mediator_cannot_act_on_arbitration(login_client, mediator, district_staff, commission):
    case = receive(district_staff, commission)
    response = login_client(mediator).post(
        arbitration_url(case, "accept"),
        {"accepted_on": today().isoformat(), "procedure": "ordinary", "version": case.version},
    )
    assert response.status_code == 403
    assert fresh(case).status == "received"


# --- district isolation ------------------------------------------------------------------------


def test_another_district_gets_404_on_pages_and_actions(
    login_client, shapingba_staff, district_staff, body, commission
):
    mediation = open_mediation(district_staff, body)
    arbitration = receive(district_staff, commission, serial=10)
    client = login_client(shapingba_staff)
    assert client.get(mediation_url(mediation)).status_code == 404
    assert client.get(arbitration_url(arbitration)).status_code == 404
    response = client.post(
        mediation_url(mediation, "close"),
        {"closure": "withdrawn", "closed_on": today().isoformat(), "version": mediation.version},
    )
    assert response.status_code == 404
    response = client.post(
        arbitration_url(arbitration, "refuse"),
        {"refused_on": today().isoformat(), "reason": "越权", "version": arbitration.version},
    )
    assert response.status_code == 404
    assert fresh(mediation).is_open and fresh(arbitration).status == "received"
    listed = client.get(MEDIATION)
    assert listed.context["rows"] == []
    assert all(tab["count"] == 0 for tab in listed.context["tabs"])
    assert "重庆某某餐饮管理有限公司" not in text(listed)


def test_export_is_scoped(login_client, shapingba_staff, district_staff, body, shapingba_body):
    open_mediation(district_staff, body, employer="渝中欠薪餐馆")
    open_mediation(shapingba_staff, shapingba_body, employer="沙坪坝欠薪工厂", serial=20)
    sheet = export_sheet(login_client(shapingba_staff).get(f"{MEDIATION}export/"))
    employers = [row[3] for row in sheet[1:]]
    assert employers == ["沙坪坝欠薪工厂"]


# --- queues ------------------------------------------------------------------------------------


def test_queue_rows_counts_and_collective_first(
    login_client, mediator, district_staff, body, mediator_person
):
    mine = open_mediation(district_staff, body, mediator=mediator_person, employer="甲公司")
    collective = open_mediation(district_staff, body, employer="乙集团", workers=10, serial=100)
    soon = open_mediation(district_staff, body, employer="丙公司", serial=200)
    late = open_mediation(district_staff, body, employer="丁公司", serial=300, received=30)
    done = open_mediation(district_staff, body, employer="戊公司", serial=400)
    services.close_mediation(district_staff, done, closure="withdrawn", closed_on=today())
    # Set-up of the clocks (their arithmetic is tested in core): due in 2 days, 3 days late.
    MediationCase.objects.filter(pk=soon.pk).update(due_on=today() + timedelta(days=2))
    MediationCase.objects.filter(pk=late.pk).update(due_on=today() - timedelta(days=3))
    MediationCase.objects.filter(pk__in=[mine.pk, collective.pk]).update(
        due_on=today() + timedelta(days=10)
    )

    client = login_client(mediator)
    page = client.get(MEDIATION)
    counts = {tab["name"]: tab["count"] for tab in page.context["tabs"]}
    assert counts == {
        "mine": 1,
        "unit": 4,
        "unassigned": 3,
        "due_soon": 1,
        "overdue": 1,
        "closed": 1,
    }
    rows = page.context["rows"]
    assert rows[0]["case"] == collective  # collective disputes first
    assert [r["case"].pk for r in rows[1:]] == [late.pk, soon.pk, mine.pk]
    body_html = text(page)
    assert "集体" in body_html and "劳动者 10 人" in body_html
    assert resident_id(100) not in body_html and resident_id(0) not in body_html
    assert "拖欠工资" in body_html and "合计 42,000.00 元" in body_html
    by_case = {r["case"].pk: r for r in rows}
    assert by_case[late.pk]["due"]["overdue"] and by_case[late.pk]["due"]["overdue_by"] == 3
    assert by_case[soon.pk]["due"]["soon"] and by_case[soon.pk]["due"]["left"] == 2
    assert "已超期 3 日" in body_html and "剩 2 日" in body_html
    assert by_case[mine.pk]["assignee"] == "调解员甲"

    def queue(name):
        return [r["case"].pk for r in client.get(f"{MEDIATION}?queue={name}").context["rows"]]

    assert queue("mine") == [mine.pk]
    assert queue("due_soon") == [soon.pk]
    assert queue("overdue") == [late.pk]
    assert queue("closed") == [done.pk]
    assert set(queue("unassigned")) == {collective.pk, soon.pk, late.pk}


def test_provisional_due_date_is_marked(staff_client, district_staff, body):
    case = open_mediation(district_staff, body)
    # A year the installed holiday calendar does not know yet.
    MediationCase.objects.filter(pk=case.pk).update(due_on=today().replace(year=2099))
    page = staff_client.get(MEDIATION)
    assert page.context["rows"][0]["due"]["provisional"] is True
    assert "暂估" in text(page)


def test_queue_filters(staff_client, district_staff, body):
    first = open_mediation(district_staff, body, employer="解放碑火锅店", received=10)
    second = open_mediation(district_staff, body, employer="朝天门批发商行", received=2, serial=9)
    services.assign_mediation(
        district_staff,
        second,
        mediator=Mediator.objects.create(body=body, name="调解员乙"),
    )

    def listed(query):
        page = staff_client.get(f"{MEDIATION}?{query}")
        assert page.status_code == 200
        return {r["case"].pk for r in page.context["rows"]}

    assert listed("employer=火锅") == {first.pk}
    assert listed("status=mediating") == {second.pk}
    assert listed(f"received_from={days_ago(5).isoformat()}") == {second.pk}
    assert listed(f"received_to={days_ago(5).isoformat()}") == {first.pk}
    page = staff_client.get(f"{MEDIATION}?received_from=2026-12-01&received_to=2026-01-01")
    assert "截止日期不能早于起始日期。" in text(page)


def test_queue_pages_in_the_database(staff_client, district_staff, body):
    for n in range(22):
        open_mediation(district_staff, body, serial=n * 2, employer=f"企业{n:02d}")
    page = staff_client.get(MEDIATION)
    assert len(page.context["rows"]) == 20
    assert page.context["page_obj"].paginator.count == 22
    second = staff_client.get(f"{MEDIATION}?page=2")
    assert len(second.context["rows"]) == 2
    seen = {r["case"].pk for r in page.context["rows"]} | {
        r["case"].pk for r in second.context["rows"]
    }
    assert len(seen) == 22


def test_arbitration_queue_shows_numbers_and_decision_deadline(
    arbitrator_client, arbitrator_user, commission
):
    received = receive(arbitrator_user, commission, employer="待受理公司")
    accepted = accept(arbitrator_user, receive(arbitrator_user, commission, serial=5))
    page = arbitrator_client.get(ARBITRATION)
    html = text(page)
    assert accepted.number in html and f"待受理（收件 {received.pk}）" in html
    row = next(r for r in page.context["rows"] if r["case"].pk == received.pk)
    assert row["due"]["on"] == received.decision_due_on


# --- export ------------------------------------------------------------------------------------


def export_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_export_of_the_current_queue_is_masked(staff_client, district_staff, body):
    late = open_mediation(district_staff, body, employer="超期公司", received=30)
    open_mediation(district_staff, body, employer="正常公司", serial=50)
    MediationCase.objects.filter(pk=late.pk).update(due_on=today() - timedelta(days=1))
    rows = export_sheet(staff_client.get(f"{MEDIATION}export/?queue=overdue"))
    assert rows[0][:5] == ["编号", "调解组织", "收到日期", "用人单位", "申请人（代表人）"]
    assert len(rows) == 2
    row = rows[1]
    assert row[3] == "超期公司"
    assert row[4] == "劳动者0（5001**********" + resident_id(0)[-4:] + "）"
    flat = " ".join(str(v) for r in rows for v in r)
    assert resident_id(0) not in flat
    assert row[11] == -1  # days left
    everything = export_sheet(staff_client.get(f"{MEDIATION}export/?employer=正常"))
    assert [r[3] for r in everything[1:]] == ["正常公司"]


def test_arbitration_export(arbitrator_client, arbitrator_user, commission):
    case = accept(arbitrator_user, receive(arbitrator_user, commission))
    rows = export_sheet(arbitrator_client.get(f"{ARBITRATION}export/"))
    assert rows[0][0] == "案号"
    assert rows[1][0] == case.number and rows[1][1] == commission.name


# --- case pages --------------------------------------------------------------------------------


def test_mediation_page_shows_dispute_clock_and_timeline(
    staff_client, district_staff, body, mediator_person
):
    case = open_mediation(district_staff, body, mediator=mediator_person, received=5)
    page = staff_client.get(mediation_url(case))
    html = text(page)
    assert resident_id(0) not in html
    assert "5001**********" + resident_id(0)[-4:] in html
    assert "解除或终止劳动合同经济补偿" in html and "公司拖欠工资两个月。" in html
    clock = page.context["clock"]
    assert clock["start"] == case.received_on and clock["length"] == 15
    assert clock["state"].days_used == 5
    assert clock["due"] == case.due_on
    assert "收到调解申请" in html and "李渝中" in html  # timeline: what and who
    names = [a["action"].name for a in page.context["actions"]]
    # Not yet due: no transfer. The district's staff may urge the mediator.
    assert names == ["assign", "close", "change_claims", "urge"]


def test_arbitration_page_shows_decision_deadline_then_clock(
    arbitrator_client, arbitrator_user, commission
):
    case = receive(arbitrator_user, commission)
    page = arbitrator_client.get(arbitration_url(case))
    assert page.context["clock"]["pending"]["on"] == case.decision_due_on
    assert [a["action"].name for a in page.context["actions"]] == [
        "request_materials",
        "accept",
        "refuse",
        "assign",
        "change_claims",
    ]
    case = accept(arbitrator_user, case)
    page = arbitrator_client.get(arbitration_url(case))
    assert page.context["clock"]["length"] == 45
    assert [a["action"].name for a in page.context["actions"]] == [
        "tribunal",
        "extend",
        "assign",
        "restart",
        "suspend",
        "close",
        "change_claims",
    ]
    assert "受理通知书" in text(page)


# --- mediation actions -------------------------------------------------------------------------


def test_assign_a_mediator(staff_client, district_staff, body, mediator_person, shapingba_body):
    case = open_mediation(district_staff, body)
    outsider = Mediator.objects.create(body=shapingba_body, name="外区调解员")
    bad = staff_client.post(
        mediation_url(case, "assign"), {"mediator": outsider.pk, "version": case.version}
    )
    assert bad.status_code == 200
    form = bad.context["actions"][0]["form"]
    assert "选择一个有效的选项" in form.errors["mediator"][0]
    assert fresh(case).mediator is None
    good = staff_client.post(
        mediation_url(case, "assign"),
        {"mediator": mediator_person.pk, "version": case.version},
        follow=True,
    )
    assert "已指派调解员 调解员甲。" in flashed(good)
    case = fresh(case)
    assert (case.mediator, case.status, case.assigned_to) == (
        mediator_person,
        "mediating",
        mediator_person.user,
    )


def test_close_a_mediation(staff_client, district_staff, body):
    case = open_mediation(district_staff, body)
    url = mediation_url(case, "close")
    data = {"closure": "agreement", "closed_on": today().isoformat(), "version": case.version}
    bad = staff_client.post(url, data)
    form = next(a["form"] for a in bad.context["actions"] if a["action"].name == "close")
    assert form.errors["agreement_text"] == ["达成协议或和解的，请填写协议内容。"]
    assert next(a for a in bad.context["actions"] if a["action"].name == "close")["open"]
    future = staff_client.post(url, data | {"closed_on": "2099-01-01", "agreement_text": "x"})
    form = next(a["form"] for a in future.context["actions"] if a["action"].name == "close")
    assert form.errors["closed_on"] == ["日期不能晚于今天。"]
    missing = staff_client.post(url, {"version": case.version})
    form = next(a["form"] for a in missing.context["actions"] if a["action"].name == "close")
    assert form.errors["closure"] == [REQUIRED]
    assert fresh(case).is_open
    good = staff_client.post(
        url,
        data | {"agreement_text": "公司于月底前支付工资 12000 元。", "agreed_amount": "12000"},
        follow=True,
    )
    assert "已结案：达成调解协议。" in flashed(good)
    case = fresh(case)
    assert (case.closure, case.agreed_amount, case.ended_on) == ("agreement", 12000, today())
    assert good.context["actions"] == []
    assert "调解协议书" in text(good)


def test_transfer_to_arbitration(
    login_client, mediator, district_staff, arbitrator_user, body, commission
):
    case = open_mediation(district_staff, body, received=2)
    client = login_client(mediator)
    page = client.get(mediation_url(case))
    assert "transfer" not in [a["action"].name for a in page.context["actions"]]
    early = client.post(
        mediation_url(case, "transfer"),
        {"commission": commission.pk, "received_on": today().isoformat(), "version": case.version},
    )
    form = next(a["form"] for a in early.context["actions"] if a["action"].name == "transfer")
    assert form.non_field_errors() == ["调解期限未满且未结案，暂不能转仲裁。"]
    assert not ArbitrationCase.objects.exists()

    late = open_mediation(district_staff, body, received=30, serial=40)
    page = client.get(mediation_url(late))
    assert "transfer" in [a["action"].name for a in page.context["actions"]]
    done = client.post(
        mediation_url(late, "transfer"),
        {"commission": commission.pk, "received_on": today().isoformat(), "version": late.version},
        follow=True,
    )
    arbitration = ArbitrationCase.objects.get()
    assert arbitration.from_mediation_id == late.pk and arbitration.dispute_id == late.dispute_id
    assert any("已转渝中区劳动人事争议仲裁委员会" in m for m in flashed(done))
    assert fresh(late).closure == "no_agreement"
    # The arbitrator sees the case and where it came from (as text: no mediation page for them).
    page = login_client(arbitrator_user).get(arbitration_url(arbitration))
    assert f"调{late.pk}" in text(page)


def test_stale_version_is_a_conflict_and_changes_nothing(staff_client, district_staff, body):
    case = open_mediation(district_staff, body)
    stale = case.version
    services.close_mediation(district_staff, case, closure="withdrawn", closed_on=today())
    response = staff_client.post(
        mediation_url(case, "close"),
        {
            "closure": "agreement",
            "closed_on": today().isoformat(),
            "agreement_text": "后来者",
            "version": stale,
        },
        follow=True,
    )
    assert CONFLICT in flashed(response)
    case = fresh(case)
    assert (case.closure, case.agreement_text) == ("withdrawn", "")


def test_missing_version_is_refused(staff_client, district_staff, body):
    case = open_mediation(district_staff, body)
    response = staff_client.post(
        mediation_url(case, "close"),
        {"closure": "withdrawn", "closed_on": today().isoformat()},
        follow=True,
    )
    assert "页面已过期，请刷新页面后再操作。" in flashed(response)
    assert fresh(case).is_open


# --- arbitration actions -----------------------------------------------------------------------


def post(client, case, action, data, **kwargs):
    return client.post(
        arbitration_url(case, action), {"version": fresh(case).version} | data, **kwargs
    )


def action_form(response, name):
    return next(a["form"] for a in response.context["actions"] if a["action"].name == name)


def test_materials_then_accept(arbitrator_client, arbitrator_user, commission):
    case = receive(arbitrator_user, commission, received=2)
    bad = post(arbitrator_client, case, "request-materials", {"items": " "})
    assert action_form(bad, "request_materials").errors["items"] == [REQUIRED]
    good = post(
        arbitrator_client, case, "request-materials", {"items": "劳动合同复印件"}, follow=True
    )
    assert "已通知补正材料，受理审查期限暂停计算。" in flashed(good)
    assert fresh(case).status == "materials_requested"
    early = post(arbitrator_client, case, "materials-supplied", {"on": days_ago(5).isoformat()})
    assert action_form(early, "materials_supplied").errors["on"][0].startswith("日期不能早于")
    post(arbitrator_client, case, "materials-supplied", {"on": today().isoformat()})
    assert fresh(case).received_on == today()

    missing = post(arbitrator_client, case, "accept", {"accepted_on": today().isoformat()})
    assert action_form(missing, "accept").errors["procedure"] == [REQUIRED]
    accepted = post(
        arbitrator_client,
        case,
        "accept",
        {"accepted_on": today().isoformat(), "procedure": "simplified"},
        follow=True,
    )
    case = fresh(case)
    assert case.status == "accepted" and case.number.startswith("渝中劳人仲案字")
    assert f"已受理，案号 {case.number}" in flashed(accepted)[0]
    again = post(
        arbitrator_client,
        case,
        "accept",
        {"accepted_on": today().isoformat(), "procedure": "ordinary"},
    )
    assert "不能进行此操作" in action_form(again, "accept").non_field_errors()[0]


def test_refuse(arbitrator_client, arbitrator_user, commission):
    case = receive(arbitrator_user, commission)
    bad = post(arbitrator_client, case, "refuse", {"refused_on": today().isoformat(), "reason": ""})
    assert action_form(bad, "refuse").errors["reason"] == [REQUIRED]
    page = post(
        arbitrator_client,
        case,
        "refuse",
        {"refused_on": today().isoformat(), "reason": "超过仲裁时效"},
        follow=True,
    )
    case = fresh(case)
    assert (case.status, case.ended_on) == ("refused", today())
    assert "超过仲裁时效" in text(page) and "不予受理通知书" in text(page)


def test_tribunal_and_hearing(arbitrator_client, arbitrator_user, commission, arbitrators):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=2))
    one = post(arbitrator_client, case, "tribunal", {"arbitrators": [arbitrators[0].pk]})
    assert action_form(one, "tribunal").errors["arbitrators"] == [
        "普通程序（合议）应由 3 名仲裁员组庭。"
    ]
    post(arbitrator_client, case, "tribunal", {"arbitrators": [a.pk for a in arbitrators]})
    case = fresh(case)
    assert case.status == "tribunal_formed" and case.tribunal.count() == 3
    assert case.assigned_to == arbitrator_user

    notified = today()
    too_soon = (notified + timedelta(days=3)).isoformat() + "T09:30"
    bad = post(
        arbitrator_client,
        case,
        "hearing",
        {"hearing_at": too_soon, "notified_on": notified.isoformat()},
    )
    assert action_form(bad, "hearing").errors["hearing_at"] == [
        "开庭日期应在通知之日起至少 5 日后。"
    ]
    later = (notified + timedelta(days=7)).isoformat() + "T09:30"
    page = post(
        arbitrator_client,
        case,
        "hearing",
        {"hearing_at": later, "notified_on": notified.isoformat()},
        follow=True,
    )
    assert fresh(case).status == "hearing_scheduled"
    assert {a.name for a in page.context["tribunal"]} == {"仲裁员甲", "仲裁员乙", "仲裁员丙"}


def test_simplified_procedure_takes_one_arbitrator(
    arbitrator_client, arbitrator_user, commission, arbitrators
):
    case = accept(arbitrator_user, receive(arbitrator_user, commission), procedure="simplified")
    page = arbitrator_client.get(arbitration_url(case))
    assert "选择 1 名仲裁员" in text(page)
    post(arbitrator_client, case, "tribunal", {"arbitrators": [arbitrators[1].pk]})
    assert list(fresh(case).tribunal.all()) == [arbitrators[1]]


def test_extend_once_at_most_15_days(arbitrator_client, arbitrator_user, commission):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=2))
    due = case.due_on
    data = {"days": "16", "reason": "案情复杂", "approver": "仲裁委主任"}
    bad = post(arbitrator_client, case, "extend", data)
    assert action_form(bad, "extend").errors["days"] == ["确保该值小于或等于15。"]
    no_approver = post(arbitrator_client, case, "extend", data | {"days": "10", "approver": ""})
    assert action_form(no_approver, "extend").errors["approver"] == [REQUIRED]
    page = post(arbitrator_client, case, "extend", data | {"days": "15"}, follow=True)
    case = fresh(case)
    assert case.due_on > due
    assert "extend" not in [a["action"].name for a in page.context["actions"]]
    assert "仲裁委主任" in text(page) and "案情复杂" in text(page)  # clock panel
    again = post(arbitrator_client, case, "extend", data | {"days": "5"})
    assert action_form(again, "extend").errors["days"] == ["期限只能延长 1 次，本案已延长过。"]


def test_suspend_and_resume(arbitrator_client, arbitrator_user, commission):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=4))
    bad = post(
        arbitrator_client,
        case,
        "suspend",
        {"from_day": case.accepted_on.isoformat(), "reason": "劳动者死亡", "approver": "院长"},
    )
    assert action_form(bad, "suspend").errors["from_day"] == ["中止日期应晚于期限起算日。"]
    page = post(
        arbitrator_client,
        case,
        "suspend",
        {
            "from_day": days_ago(1).isoformat(),
            "reason": "劳动者死亡，继承人未确定",
            "approver": "院长",
        },
        follow=True,
    )
    case = fresh(case)
    assert case.due_on is None
    assert page.context["clock"]["state"].suspended is True
    assert "继承人未确定" in text(page)
    names = [a["action"].name for a in page.context["actions"]]
    assert "resume" in names and "suspend" not in names
    # The suspended case shows as such in the queue.
    queue = arbitrator_client.get(ARBITRATION)
    assert queue.context["rows"][0]["suspended"] is True and "中止审理" in text(queue)
    early = post(arbitrator_client, case, "resume", {"to_day": days_ago(3).isoformat()})
    assert action_form(early, "resume").errors["to_day"] == ["恢复日期不能早于中止日期。"]
    post(arbitrator_client, case, "resume", {"to_day": today().isoformat()})
    assert fresh(case).due_on is not None


def test_close_with_award_shows_final_and_non_final(
    arbitrator_client, arbitrator_user, commission, arbitrators, wage_parameters
):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=3))
    claims = {c.claim_type_id: c for c in case.dispute.claims.all()}
    data = {"closure": "award", "closed_on": today().isoformat()}
    untried = post(arbitrator_client, case, "close", data | {f"item_{claims['wages'].pk}": "1"})
    assert action_form(untried, "close").errors["closure"] == [
        "尚未组成仲裁庭，不能作出裁决（调解仲裁法第三十一条、第四十五条）。"
    ]
    services.form_tribunal(arbitrator_user, fresh(case), arbitrators=arbitrators)
    above = post(
        arbitrator_client, case, "close", data | {f"item_{claims['wages'].pk}": "12000.01"}
    )
    assert action_form(above, "close").non_field_errors() == [
        "第 1 项：拖欠工资裁决金额不能超过请求金额 12,000.00 元。"
    ]
    reason = f"reason_{claims['economic_compensation'].pk}"
    assert reason in action_form(above, "close").fields
    assert f"reason_{claims['wages'].pk}" not in action_form(above, "close").fields
    empty = post(arbitrator_client, case, "close", data)
    assert action_form(empty, "close").non_field_errors() == ["裁决结案须至少列明一项裁决事项。"]
    negative = post(arbitrator_client, case, "close", data | {f"item_{claims['wages'].pk}": "-1"})
    assert action_form(negative, "close").errors[f"item_{claims['wages'].pk}"] == [
        "确保该值大于或等于0。"
    ]
    note = post(arbitrator_client, case, "close", {"closure": "terminated", "closed_on": today()})
    assert action_form(note, "close").errors["note"] == ["请说明撤销、终止或按撤回处理的事由。"]
    assert fresh(case).is_open
    page = post(
        arbitrator_client,
        case,
        "close",
        data
        | {
            f"item_{claims['wages'].pk}": "12000",
            f"item_{claims['economic_compensation'].pk}": "30000",
            f"item_{claims['working_time'].pk}": "0",
        },
        follow=True,
    )
    assert "已结案：裁决。裁决结果：部分事项终局、部分事项非终局。" in flashed(page)
    items = {i.claim.claim_type_id: i.is_final for i in AwardItem.objects.filter(case=case)}
    assert items == {"wages": True, "economic_compensation": False, "working_time": True}
    html = text(page)
    assert html.count('text-bg-primary">终局<') == 2
    assert html.count('text-bg-secondary">非终局<') == 1
    assert "裁决书" in html


def test_close_without_award(arbitrator_client, arbitrator_user, commission):
    case = accept(arbitrator_user, receive(arbitrator_user, commission))
    page = post(
        arbitrator_client,
        case,
        "close",
        {"closure": "withdrawn", "closed_on": today().isoformat()},
        follow=True,
    )
    assert "已结案：撤回申请。" in flashed(page)
    assert fresh(case).closure == "withdrawn"


def test_mark_model_case(
    login_client, arbitrator_client, arbitrator_user, district_staff, commission
):
    case = accept(arbitrator_user, receive(arbitrator_user, commission))
    assert "model_case" not in [
        a["action"].name for a in arbitrator_client.get(arbitration_url(case)).context["actions"]
    ]
    case = services.close(arbitrator_user, case, closure="mediation_document", closed_on=today())
    staff_page = login_client(district_staff).get(arbitration_url(case))
    assert "model_case" not in [a["action"].name for a in staff_page.context["actions"]]
    assert (
        login_client(district_staff)
        .post(arbitration_url(case, "model-case"), {"is_model": "on", "version": case.version})
        .status_code
        == 403
    )
    bad = post(arbitrator_client, case, "model-case", {"is_model": "on", "summary": ""})
    assert action_form(bad, "model_case").errors["summary"] == ["请填写裁决要旨。"]
    page = post(
        arbitrator_client,
        case,
        "model-case",
        {"is_model": "on", "summary": "欠薪案件先行调解"},
        follow=True,
    )
    assert fresh(case).is_model_case is True
    assert "精品案例" in text(page) and "欠薪案件先行调解" in text(page)


# --- registration ------------------------------------------------------------------------------


def dispute_data(workers=None, claims=None, **fields):
    workers = workers if workers is not None else [worker(1, is_representative=True)]
    claims = claims if claims is not None else [{"claim_type": "wages", "amount": "8000"}]
    data = {
        "workers-TOTAL_FORMS": str(len(workers)),
        "workers-INITIAL_FORMS": "0",
        "claims-TOTAL_FORMS": str(len(claims)),
        "claims-INITIAL_FORMS": "0",
        "employer_name": "重庆某物流有限公司",
        "employer_uscc": "",
        "facts": "公司拖欠 10 月工资。",
    }
    for i, w in enumerate(workers):
        data |= {
            f"workers-{i}-name": w.get("name", ""),
            f"workers-{i}-resident_id": w.get("resident_id", ""),
            f"workers-{i}-phone": w.get("phone", ""),
        }
        if w.get("is_representative"):
            data[f"workers-{i}-is_representative"] = "on"
    for i, c in enumerate(claims):
        data |= {
            f"claims-{i}-claim_type": c.get("claim_type", ""),
            f"claims-{i}-amount": c.get("amount") or "",
            f"claims-{i}-description": c.get("description", ""),
        }
    return data | fields


def test_register_and_open_a_mediation(staff_client, body, mediator_person):
    response = staff_client.post(
        REGISTER,
        dispute_data(
            workers=[worker(n, phone="13812345678") for n in range(10)],
            target="mediation",
            body=body.pk,
            mediator=mediator_person.pk,
            received_on=today().isoformat(),
        ),
    )
    case = MediationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == mediation_url(case)
    dispute = case.dispute
    assert (dispute.channel, dispute.workers_count, dispute.is_collective) == ("staff", 10, True)
    assert (case.body, case.mediator, case.is_collective) == (body, mediator_person, True)
    page = staff_client.get(response["Location"])
    assert "集体争议" in text(page) and "138****5678" in text(page)


def test_register_an_arbitration_with_a_registry_employer(
    staff_client, district_staff, commission, yuzhong, shapingba
):
    enterprise = EnterpriseFactory(unit=yuzhong, name="渝中登记在册有限公司")
    EnterpriseFactory(unit=shapingba, name="沙坪坝登记在册有限公司")
    results = staff_client.get("/disputes/employers/", {"employer_name": "登记在册"})
    assert [e.name for e in results.context["results"]] == ["渝中登记在册有限公司"]
    assert enterprise.uscc in text(results)
    assert "未找到" in text(staff_client.get("/disputes/employers/?q=查无此企业"))
    response = staff_client.post(
        REGISTER,
        dispute_data(
            employer=enterprise.uscc,
            employer_name=enterprise.name,
            employer_uscc=enterprise.uscc,
            target="arbitration",
            commission=commission.pk,
            received_on=today().isoformat(),
        ),
    )
    case = ArbitrationCase.objects.get()
    assert response["Location"] == arbitration_url(case)
    assert case.dispute.employer == enterprise
    assert case.decision_due_on is not None


def test_register_bad_input_writes_nothing(staff_client, body):
    response = staff_client.post(
        REGISTER,
        dispute_data(
            workers=[worker(1, resident_id="500103199001011234"), worker(2), worker(2)],
            claims=[{"claim_type": "wages", "amount": "-5"}],
            employer_name="",
            facts="",
            target="mediation",
            received_on="2099-01-01",
        ),
    )
    assert response.status_code == 200
    html = text(response)
    for message in (
        "公民身份号码无效，请核对 18 位号码。",
        "公民身份号码重复。",
        "确保该值大于或等于0。",
        "请填写用人单位名称或从企业名录中选择。",
        "请选择调解组织。",
        "日期不能晚于今天。",
    ):
        assert message in html, message
    assert response.context["form"].errors["facts"] == [REQUIRED]
    assert not Dispute.objects.exists() and not MediationCase.objects.exists()


def test_register_needs_a_worker_and_a_claim(staff_client, body):
    response = staff_client.post(
        REGISTER,
        dispute_data(
            workers=[{}],
            claims=[{}],
            target="mediation",
            body=body.pk,
            received_on=today().isoformat(),
        ),
    )
    html = text(response)
    assert "请至少填写一名劳动者。" in html and "请至少填写一项请求事项。" in html
    assert not Dispute.objects.exists()


def test_register_is_one_transaction(staff_client, body, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(*args, **kwargs):
        raise ValidationError({"received_on": "测试：收到日期不可用。"})

    monkeypatch.setattr(services, "open_mediation", refuse)
    response = staff_client.post(
        REGISTER,
        dispute_data(target="mediation", body=body.pk, received_on=today().isoformat()),
    )
    assert "测试：收到日期不可用。" in text(response)
    assert not Dispute.objects.exists()
    assert not AuditEntry.objects.filter(action="register_dispute").exists()


def test_mediator_registers_mediation_only(login_client, mediator, body, commission):
    client = login_client(mediator)
    page = client.get(REGISTER)
    assert [c[0] for c in page.context["form"].fields["target"].choices] == ["mediation"]
    response = client.post(
        REGISTER,
        dispute_data(target="arbitration", commission=commission.pk, received_on=today()),
    )
    assert "target" in response.context["form"].errors
    assert not Dispute.objects.exists()


def test_register_offers_only_own_bodies(staff_client, body, shapingba_body):
    response = staff_client.post(
        REGISTER,
        dispute_data(target="mediation", body=shapingba_body.pk, received_on=today()),
    )
    assert "body" in response.context["form"].errors
    assert not Dispute.objects.exists()


# --- navigation and home -----------------------------------------------------------------------


def test_navigation_and_home_cards(
    login_client, district_staff, auditor, mediator, body, mediator_person
):
    late = open_mediation(district_staff, body, received=30, mediator=mediator_person)
    MediationCase.objects.filter(pk=late.pk).update(due_on=today() - timedelta(days=1))
    home = login_client(mediator).get("/")
    labels = [entry.label for entry in home.context["nav_entries"]]
    # A mediator reads the arbitration list too, but the home page counts mediation work only.
    assert "调解案件" in labels and "仲裁案件" in labels and "权益计算器" in labels
    cards = {c["label"]: c["value"] for c in home.context["todo"]}
    assert cards["我的调解案件"] == 1 and cards["调解已超期"] == 1
    assert "仲裁已超期" not in cards
    staff_cards = {c["label"] for c in login_client(district_staff).get("/").context["todo"]}
    assert {"我的调解案件", "我的仲裁案件", "仲裁即将到期", "调解待分派"} <= staff_cards
    auditor_cards = {c["label"] for c in login_client(auditor).get("/").context["todo"]}
    assert "调解已超期" in auditor_cards and "我的调解案件" not in auditor_cards


def test_queue_queries_do_not_grow_with_rows(staff_client, district_staff, body):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_mediation(district_staff, body, serial=0)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(MEDIATION)
    for n in range(1, 8):
        open_mediation(district_staff, body, serial=n * 3)
    with CaptureQueriesContext(connection) as many:
        page = staff_client.get(MEDIATION)
    assert len(page.context["rows"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_restart_through_the_page(arbitrator_user, arbitrator_client, dispute, commission):
    case = accept(
        arbitrator_user,
        services.receive_arbitration(
            arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
        ),
    )
    response = arbitrator_client.post(
        f"/disputes/arbitration/{case.pk}/restart/",
        {"start": "2026-10-09", "ground": "", "version": case.version},
    )
    bound = [a["form"] for a in response.context["actions"] if a["action"].name == "restart"]
    assert list(bound[0].errors) == ["ground"]
    case.refresh_from_db()
    assert case.clock_start == case.accepted_on  # nothing changed
    arbitrator_client.post(
        f"/disputes/arbitration/{case.pk}/restart/",
        {"start": "2026-10-09", "ground": "added_party", "version": case.version},
    )
    case.refresh_from_db()
    assert (case.clock_start, case.due_on) == (date(2026, 10, 9), date(2026, 11, 23))
