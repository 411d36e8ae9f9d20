"""The relations pages: lists, forms and actions through the services, Chinese errors with
nothing written, and the role boundaries through the UI and the exports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.relations.conftest import draft, establish, to_stage
from yutong.relations.models import (
    CollectiveContract,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    Union,
)

pytestmark = pytest.mark.django_db


def _sheet(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_todo_lists_and_their_export(login_client, union_officer, firms, unions):
    # small's organiser union has grown to 26 members: a committee is due (members count).
    grown = establish(union_officer, firms.small, form="organiser", members=20, fulltime_staff=0)
    Union.objects.filter(pk=grown.pk).update(members=26)
    client = login_client(union_officer)
    page = client.get("/relations/?list=no_committee")
    assert page.status_code == 200
    text = page.content.decode()
    assert firms.small.name in text
    assert firms.other.name not in text  # 沙坪坝
    contracts = client.get("/relations/?list=no_contract").content.decode()
    assert firms.big.name in contracts and firms.mid.name in contracts
    rows = _sheet(client.get("/relations/todo/export/?list=no_contract"))
    assert rows[0][1] == "企业名称"
    assert {r[1] for r in rows[1:]} == {firms.big.name, firms.mid.name}


def test_other_district_sees_nothing_of_yuzhong_in_lists_and_exports(
    login_client, shapingba_staff, union_officer, firms, unions
):
    contract = draft(union_officer, firms.big)
    client = login_client(shapingba_staff)
    for url in ("/relations/?list=no_contract", "/relations/unions/", "/relations/contracts/"):
        assert firms.big.name not in client.get(url).content.decode(), url
    rows = _sheet(client.get("/relations/contracts/export/"))
    assert rows[1:] == []
    todo = _sheet(client.get("/relations/todo/export/?list=no_contract"))
    assert todo[1:] == []
    assert client.get(f"/relations/contracts/{contract.pk}/").status_code == 404
    assert client.get(f"/relations/unions/{unions.big.pk}/").status_code == 404
    response = client.post(
        f"/relations/contracts/{contract.pk}/approve/",
        {
            "version": 1,
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 50,
            "congress_approving": 40,
        },
    )
    assert response.status_code == 404
    assert CollectiveContract.objects.get(pk=contract.pk).stage == "draft"


def test_register_a_union_through_the_form(login_client, union_officer, firms):
    client = login_client(union_officer)
    form = client.get(f"/relations/unions/new/?enterprise={firms.small.uscc}")
    assert form.status_code == 200
    response = client.post(
        "/relations/unions/new/",
        {
            "enterprise": firms.small.uscc,
            "name": "朝天门餐饮有限公司工会委员会",
            "form": "committee",
            "established_on": "2025-05-01",
            "members": 28,
            "chair": "刘主席",
            "fulltime_staff": 0,
            "dues_rate": "2",
        },
    )
    union = Union.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/relations/unions/{union.pk}/"
    firms.small.refresh_from_db()
    assert firms.small.union_established


def test_union_form_shows_the_rule_in_chinese_and_writes_nothing(
    login_client, union_officer, firms
):
    response = login_client(union_officer).post(
        "/relations/unions/new/",
        {
            "enterprise": firms.small.uscc,
            "name": "x",
            "form": "organiser",
            "established_on": "2025-05-01",
            "members": 28,
            "chair": "刘",
            "fulltime_staff": 0,
            "dues_rate": "2",
        },
    )
    assert response.status_code == 400
    assert "应当建立基层工会委员会" in response.content.decode()
    assert not Union.objects.exists()


def test_union_form_refuses_an_enterprise_of_another_district(login_client, union_officer, firms):
    response = login_client(union_officer).post(
        "/relations/unions/new/",
        {
            "enterprise": firms.other.uscc,
            "name": "x",
            "form": "committee",
            "established_on": "2025-05-01",
            "members": 28,
            "chair": "刘",
            "fulltime_staff": 0,
            "dues_rate": "2",
        },
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.content.decode()
    assert not Union.objects.exists()


def test_contract_actions_on_the_page(login_client, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    client = login_client(union_officer)
    page = client.get(f"/relations/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="action-approve"' in page
    assert 'data-testid="action-object"' not in page  # a reviewer's action
    bad = client.post(
        f"/relations/contracts/{contract.pk}/approve/",
        {
            "version": contract.version,
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 30,
            "congress_approving": 30,
        },
    )
    assert bad.status_code == 400
    assert "不足全体 60 人的三分之二" in bad.content.decode()
    contract.refresh_from_db()
    assert contract.stage == "draft"
    good = client.post(
        f"/relations/contracts/{contract.pk}/approve/",
        {
            "version": contract.version,
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 45,
            "congress_approving": 40,
        },
    )
    assert good.status_code == 302
    stale = client.post(
        f"/relations/contracts/{contract.pk}/sign/",
        {"version": contract.version, "signed_on": "2025-03-03"},
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()
    assert CollectiveContract.objects.get(pk=contract.pk).stage == "adopted"


def test_create_a_regional_contract_through_the_form(login_client, union_officer, firms, streets):
    client = login_client(union_officer)
    data = {
        "scope": "regional",
        "kind": "wages",
        "title": "解放碑街道工资专项集体合同",
        "region": streets.jiefangbei.pk,
        "covered": f"{firms.big.uscc}\n{firms.small.uscc}",
        "term_start": "2025-04-01",
        "expires_on": "2026-03-31",
    }
    bad = client.post("/relations/contracts/new/", data)
    assert bad.status_code == 400
    assert "不在解放碑街道范围内" in bad.content.decode()
    data["covered"] = f"{firms.big.uscc}, {firms.mid.uscc}"
    good = client.post("/relations/contracts/new/", data)
    assert good.status_code == 302
    contract = CollectiveContract.objects.get()
    assert set(contract.covered_enterprises.all()) == {firms.big, firms.mid}


def test_a_contract_term_beyond_the_calendar_is_a_field_error(
    login_client, union_officer, firms, unions
):
    # The term check adds years to the start day; year 9999 + 3 cannot be a date.
    data = {
        "scope": "enterprise",
        "kind": "general",
        "title": "万年合同",
        "enterprise": firms.big.uscc,
        "term_start": "9999-06-01",
        "expires_on": "9999-12-31",
    }
    response = login_client(union_officer).post("/relations/contracts/new/", data)
    assert response.status_code == 400
    assert "日期应在" in response.content.decode()
    assert not CollectiveContract.objects.exists()


def test_a_head_count_beyond_the_column_is_a_field_error(
    login_client, union_officer, firms, unions
):
    # The quorum numbers were written unbounded and failed in the database (a 500).
    contract = draft(union_officer, firms.big)
    huge = "99999999999999999999"
    response = login_client(union_officer).post(
        f"/relations/contracts/{contract.pk}/approve/",
        {
            "version": contract.version,
            "adopted_on": "2025-03-03",
            "congress_total": huge,
            "congress_attending": huge,
            "congress_approving": huge,
        },
    )
    assert response.status_code == 400
    assert CollectiveContract.objects.get(pk=contract.pk).stage == "draft"


def test_contract_queues(login_client, union_officer, firms, unions):
    signed = to_stage(union_officer, draft(union_officer, firms.big), "signed")
    client = login_client(union_officer)
    page = client.get("/relations/contracts/?queue=to_file").content.decode()
    assert signed.title in page and "已逾期" in page
    assert signed.title not in client.get("/relations/contracts/?queue=effective").content.decode()


def test_bargaining_pages(login_client, union_officer, firms, unions):
    client = login_client(union_officer)
    response = client.post(
        "/relations/bargaining/new/",
        {
            "enterprise": firms.big.uscc,
            "topic": "wages",
            "year": 2025,
            "requested_by": "union",
            "requested_on": "2025-09-11",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "2025-10-09" in detail  # 20 days, rolled past National Day
    overdue = client.get("/relations/bargaining/?queue=reply_overdue").content.decode()
    assert firms.big.name in overdue
    wages = client.get("/relations/bargaining/wages/?year=2025").content.decode()
    assert firms.big.name in wages and firms.small.name not in wages  # small has no union


def test_congress_pages(login_client, union_officer, firms):
    client = login_client(union_officer)
    response = client.post(
        "/relations/congresses/new/",
        {
            "scope": "enterprise",
            "form": "congress",
            "name": "解放碑重工职代会",
            "enterprise": firms.big.uscc,
            "established_on": "2024-01-10",
            "staff_count": 300,
            "delegates": 20,
        },
    )
    assert response.status_code == 400
    assert "至少 30 名代表" in response.content.decode()
    response = client.post(
        "/relations/congresses/new/",
        {
            "scope": "enterprise",
            "form": "congress",
            "name": "解放碑重工职代会",
            "enterprise": firms.big.uscc,
            "established_on": "2024-01-10",
            "staff_count": 300,
            "delegates": 30,
        },
    )
    assert response.status_code == 302
    pending = client.get("/relations/congresses/?queue=no_session&year=2025").content.decode()
    assert "解放碑重工职代会" in pending
    session = client.post(
        response["Location"],
        {"held_on": "2025-03-01", "delegates_total": 30, "attending": 29, "agenda": "审议合同"},
    )
    assert session.status_code == 302
    pending = client.get("/relations/congresses/?queue=no_session&year=2025").content.decode()
    assert "解放碑重工职代会" not in pending


@pytest.mark.parametrize("year", ["0", "10000", "-5"])
def test_congress_queue_with_a_year_out_of_range_is_not_a_server_error(
    login_client, union_officer, year
):
    # date(year, 12, 31) cannot be built for these years; the page clamps the year instead.
    response = login_client(union_officer).get(
        f"/relations/congresses/?queue=no_session&year={year}"
    )
    assert response.status_code == 200


def test_tripartite_meeting_through_the_form(login_client, union_officer, yuzhong, shapingba_staff):
    client = login_client(union_officer)
    data = {
        "level": "district",
        "unit": yuzhong.pk,
        "held_on": "2025-05-20",
        "title": "渝中区三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "p_hrss_name": "王局长",
        "p_trade_union_name": "李主席",
        "p_enterprise_confederation_name": "赵会长",
        "f1_task": "排查在建项目",
        "f1_owner_body": "hrss",
        "f1_owner_name": "王科长",
        "f1_due_on": "2025-06-30",
    }
    bad = client.post("/relations/tripartite/new/", data)
    assert bad.status_code == 400  # as every relations form the service refuses
    assert "缺少：工商业联合会" in bad.content.decode()
    assert not TripartiteMeeting.objects.exists()
    data["p_commerce_federation_name"] = "钱副主席"
    good = client.post("/relations/tripartite/new/", data)
    assert good.status_code == 302
    overdue = client.get("/relations/follow-ups/?queue=overdue").content.decode()
    assert "排查在建项目" in overdue
    item = FollowUpItem.objects.get()
    other = login_client(shapingba_staff)
    assert "排查在建项目" not in other.get("/relations/follow-ups/?queue=overdue").content.decode()
    refused = other.post(
        f"/relations/follow-ups/{item.pk}/done/",
        {"version": 1, "done_on": "2025-06-01", "result": "x"},
    )
    assert refused.status_code == 404
    done = client.post(
        f"/relations/follow-ups/{item.pk}/done/",
        {"version": item.version, "done_on": "2025-06-20", "result": "已完成"},
    )
    assert done.status_code == 302
    assert FollowUpItem.objects.get().done_on == date(2025, 6, 20)


def test_enterprise_user_files_its_own_employment(
    login_client, enterprise_user, own_enterprise, firms, district_staff
):
    client = login_client(enterprise_user)
    page = client.get("/relations/filings/")
    assert page.status_code == 200
    response = client.post(
        "/relations/filings/",
        {
            "enterprise": own_enterprise.uscc,
            "period": "2025-06",
            "employees": 50,
            "contracted": 45,
            "dispatched": 8,
            "insured": 50,
        },
    )
    assert response.status_code == 302
    filing = EmploymentFiling.objects.get()
    assert filing.dispatch_over_cap  # 8 / 53 > 10 %
    other = client.post(
        "/relations/filings/",
        {
            "enterprise": firms.big.uscc,
            "period": "2025-06",
            "employees": 5,
            "contracted": 5,
            "dispatched": 0,
            "insured": 5,
        },
    )
    assert other.status_code == 400
    assert EmploymentFiling.objects.count() == 1
    staff_page = login_client(district_staff).get("/relations/filings/?period=2025-06")
    text = staff_page.content.decode()
    assert own_enterprise.name in text and "超过 10%" in text
    assert "90.0%" in text  # signing rate 45 / 50, per enterprise and per unit


def test_enterprise_user_sees_only_its_own_union(
    login_client, enterprise_user, own_enterprise, union_officer, unions
):
    own = establish(union_officer, own_enterprise, members=40)
    client = login_client(enterprise_user)
    text = client.get("/relations/unions/").content.decode()
    assert own.name in text and unions.big.name not in text
    assert client.get(f"/relations/unions/{unions.big.pk}/").status_code == 404
    assert client.get("/relations/unions/new/").status_code == 403
    assert client.get("/relations/tripartite/").status_code == 403


def test_home_cards(login_client, union_officer, firms, unions):
    page = login_client(union_officer).get("/").content.decode()
    assert "重点建会企业未签集体合同" in page
    assert "建会建制待办" in page
