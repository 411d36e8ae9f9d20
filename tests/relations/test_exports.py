"""Excel exports of tripartite meetings (with their follow-up items) and employment filings,
scoped like their lists; and the pages added with them: correcting a draft contract, adding a
follow-up item to a meeting, closing a bargaining request that never led to talks."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.relations.conftest import draft, follow_up, meeting, to_stage
from yutong.relations import services
from yutong.relations.models import CollectiveBargaining, CollectiveContract, FollowUpItem

pytestmark = pytest.mark.django_db

MEETING_EXPORT = "/relations/tripartite/export/"
FILING_EXPORT = "/relations/filings/export/"


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


# --- tripartite meetings -----------------------------------------------------------------------


@pytest.fixture
def meetings(union_officer, spb_union_officer, yuzhong, shapingba):
    later = timezone.localdate() + timedelta(days=30)
    first = meeting(
        union_officer,
        yuzhong,
        follow_ups=[
            follow_up("排查在建项目", date(2025, 6, 30)),
            follow_up("走访园区企业", later, body="trade_union", owner="李部长"),
            follow_up("通报欠薪案件", date(2025, 6, 1), owner="赵科长"),
        ],
    )
    done = first.follow_ups.get(task="通报欠薪案件")
    services.complete_follow_up(union_officer, done, done_on=date(2025, 6, 2), result="已通报")
    bare = meeting(
        union_officer, yuzhong, title="渝中区三方会议（季度例会）", held_on=date(2025, 8, 1)
    )
    other = meeting(spb_union_officer, shapingba, title="沙坪坝区协调劳动关系三方会议")
    return first, bare, other


def test_meeting_export_has_a_row_per_follow_up(login_client, union_officer, meetings):
    first, bare, _ = meetings
    client = login_client(union_officer)
    page = client.get("/relations/tripartite/")
    assert 'data-testid="export"' in page.content.decode()
    rows = _sheet(client.get(MEETING_EXPORT))
    header, data = rows[0], rows[1:]
    assert header[:3] == ("会议编号", "会议日期", "会议名称")
    assert "督办事项" in header and "办理状态" in header
    # Newest meeting first; a meeting without follow-ups still has its row.
    assert [(r[0], r[7]) for r in data] == [
        (bare.pk, None),
        (first.pk, "通报欠薪案件"),
        (first.pk, "排查在建项目"),
        (first.pk, "走访园区企业"),
    ]
    by_task = {r[7]: r for r in data if r[7]}
    state = header.index("办理状态")
    assert by_task["排查在建项目"][state] == "已逾期"
    assert by_task["通报欠薪案件"][state] == "已办结"
    assert by_task["通报欠薪案件"][header.index("办理结果")] == "已通报"
    assert by_task["走访园区企业"][state] == "未办结"
    assert by_task["走访园区企业"][header.index("牵头单位")] == "总工会"
    participants = by_task["排查在建项目"][header.index("参会人员")]
    assert "人力资源和社会保障局：王局长（副局长）" in participants
    assert "工商业联合会：赵会长" in participants


def test_meeting_export_follows_the_list_filters(login_client, union_officer, meetings):
    first, bare, _ = meetings
    client = login_client(union_officer)
    rows = _sheet(client.get(MEETING_EXPORT, {"q": "季度"}))
    assert [r[0] for r in rows[1:]] == [bare.pk]
    rows = _sheet(client.get(MEETING_EXPORT, {"held_to": "2025-06-01"}))
    assert {r[0] for r in rows[1:]} == {first.pk}
    assert _sheet(client.get(MEETING_EXPORT, {"level": "park"}))[1:] == []
    listed = client.get("/relations/tripartite/", {"q": "季度"}).content.decode()
    assert "季度例会" in listed and first.title not in listed.split("meeting-table")[1]


def test_meeting_export_is_scoped(
    login_client, shapingba_staff, enterprise_user, auditor, meetings
):
    first, bare, other = meetings
    rows = _sheet(login_client(shapingba_staff).get(MEETING_EXPORT))
    assert {r[0] for r in rows[1:]} == {other.pk}
    city = _sheet(login_client(auditor).get(MEETING_EXPORT))
    assert {r[0] for r in city[1:]} == {first.pk, bare.pk, other.pk}
    assert login_client(enterprise_user).get(MEETING_EXPORT).status_code == 403


# --- employment filings ------------------------------------------------------------------------


@pytest.fixture
def filings(district_staff, shapingba_staff, enterprise_user, own_enterprise, firms):
    def file(actor, firm, period, employees, contracted, dispatched):
        return services.file_employment(
            actor,
            enterprise=firm,
            period=period,
            employees=employees,
            contracted=contracted,
            dispatched=dispatched,
            insured=employees,
        )

    june = date(2025, 6, 1)
    return {
        "big": file(district_staff, firms.big, june, 300, 270, 40),
        "mid": file(district_staff, firms.mid, june, 120, 120, 0),
        "own": file(enterprise_user, own_enterprise, june, 50, 40, 0),
        "big_may": file(district_staff, firms.big, date(2025, 5, 1), 300, 150, 0),
        "other": file(shapingba_staff, firms.other, june, 500, 250, 0),
    }


def test_filing_export_of_the_latest_month(login_client, district_staff, firms, filings):
    client = login_client(district_staff)
    assert 'data-testid="export"' in client.get("/relations/filings/").content.decode()
    response = client.get(FILING_EXPORT)
    assert "2025-06" in response["Content-Disposition"]
    rows = _sheet(response)
    header, data = rows[0], rows[1:]
    by_name = {r[header.index("企业名称")]: r for r in data}
    assert set(by_name) == {firms.big.name, firms.mid.name, "渝中自有科技有限公司"}
    big = by_name[firms.big.name]
    assert big[header.index("备案期间")] == "2025-06"
    assert big[header.index("统一社会信用代码")] == firms.big.uscc
    assert big[header.index("劳动合同签订率")] == pytest.approx(0.9)
    assert big[header.index("派遣用工占比")] == pytest.approx(round(40 / 310, 4))
    assert big[header.index("派遣用工超比例")] == "是"
    assert by_name[firms.mid.name][header.index("派遣用工超比例")] == "否"


def test_filing_export_follows_the_filters(login_client, district_staff, firms, filings):
    client = login_client(district_staff)
    may = _sheet(client.get(FILING_EXPORT, {"period": "2025-05"}))
    assert [(r[0], r[2]) for r in may[1:]] == [("2025-05", firms.big.name)]
    over = _sheet(client.get(FILING_EXPORT, {"period": "2025-06", "over_cap": "on"}))
    assert [r[2] for r in over[1:]] == [firms.big.name]
    named = _sheet(client.get(FILING_EXPORT, {"q": "电子"}))
    assert [r[2] for r in named[1:]] == [firms.mid.name]


def test_filing_export_is_scoped(
    login_client, shapingba_staff, enterprise_user, mediator, own_enterprise, firms, filings
):
    other = _sheet(login_client(shapingba_staff).get(FILING_EXPORT, {"period": "2025-06"}))
    assert [r[2] for r in other[1:]] == [firms.other.name]
    own = _sheet(login_client(enterprise_user).get(FILING_EXPORT, {"period": "2025-06"}))
    assert [r[1] for r in own[1:]] == [own_enterprise.uscc]
    assert login_client(mediator).get(FILING_EXPORT).status_code == 403


# --- correcting a draft contract in the UI -----------------------------------------------------


def _edit(contract, **overrides) -> dict:
    data = {
        "version": contract.version,
        "title": contract.title,
        "term_start": contract.term_start.isoformat(),
        "expires_on": contract.expires_on.isoformat(),
    }
    data.update(overrides)
    return data


def test_a_draft_is_corrected_through_its_page(login_client, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    client = login_client(union_officer)
    detail = client.get(f"/relations/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="edit-draft"' in detail
    url = f"/relations/contracts/{contract.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert contract.title in page.content.decode()
    assert "covered" not in page.context["form"].fields  # an enterprise contract covers itself
    bad = client.post(url, _edit(contract, expires_on="2028-06-30"))
    assert bad.status_code == 400
    assert "集体合同期限为 1 至 3 年" in bad.content.decode()
    assert CollectiveContract.objects.get(pk=contract.pk).expires_on == contract.expires_on
    saved = client.post(url, _edit(contract, title="新合同名称", expires_on="2027-03-31"))
    assert saved.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.expires_on) == ("新合同名称", date(2027, 3, 31))
    timeline = client.get(f"/relations/contracts/{contract.pk}/").content.decode()
    assert "修改草案" in timeline
    stale = client.post(url, _edit(contract, version=1, title="过期的修改"), follow=True)
    assert "已被他人修改" in stale.content.decode()
    assert CollectiveContract.objects.get(pk=contract.pk).title == "新合同名称"


def test_a_regional_draft_page_names_an_enterprise_outside_the_region(
    login_client, union_officer, firms, streets
):
    contract = draft(
        union_officer,
        None,
        scope="regional",
        kind="wages",
        title="解放碑街道工资专项集体合同",
        region=streets.jiefangbei,
        covered=[firms.big],
    )
    client = login_client(union_officer)
    url = f"/relations/contracts/{contract.pk}/edit/"
    assert firms.big.uscc in client.get(url).content.decode()
    bad = client.post(url, _edit(contract, covered=f"{firms.big.uscc}\n{firms.small.uscc}"))
    assert bad.status_code == 400
    assert "朝天门餐饮有限公司不在解放碑街道范围内" in bad.content.decode()
    good = client.post(url, _edit(contract, covered=f"{firms.big.uscc}，{firms.mid.uscc}"))
    assert good.status_code == 302
    covered = set(contract.coverage.values_list("enterprise__uscc", flat=True))
    assert covered == {firms.big.uscc, firms.mid.uscc}


def test_the_draft_page_boundaries(
    login_client, union_officer, shapingba_staff, enterprise_user, own_enterprise, firms, unions
):
    from tests.relations.conftest import establish

    contract = draft(union_officer, firms.big)
    establish(union_officer, own_enterprise, members=40)
    own = draft(union_officer, own_enterprise)
    assert (
        login_client(shapingba_staff).get(f"/relations/contracts/{contract.pk}/edit/").status_code
        == 404
    )
    response = login_client(shapingba_staff).post(
        f"/relations/contracts/{contract.pk}/edit/", _edit(contract, title="x")
    )
    assert response.status_code == 404
    company = login_client(enterprise_user)
    assert (
        'data-testid="edit-draft"'
        not in company.get(f"/relations/contracts/{own.pk}/").content.decode()
    )
    assert company.get(f"/relations/contracts/{own.pk}/edit/").status_code == 403
    adopted = to_stage(union_officer, draft(union_officer, firms.mid), "adopted")
    client = login_client(union_officer)
    refused = client.post(f"/relations/contracts/{adopted.pk}/edit/", _edit(adopted, title="x"))
    assert refused.status_code == 302  # back to the contract: only a draft can be corrected
    assert CollectiveContract.objects.get(pk=adopted.pk).title == adopted.title
    assert CollectiveContract.objects.get(pk=contract.pk).title == contract.title


# --- follow-ups and bargaining closure in the UI -----------------------------------------------


def test_a_follow_up_is_added_on_the_meeting_page(
    login_client, union_officer, shapingba_staff, auditor, yuzhong
):
    record = meeting(union_officer, yuzhong)
    client = login_client(union_officer)
    assert (
        'data-testid="add-follow-up"'
        in client.get(f"/relations/tripartite/{record.pk}/").content.decode()
    )
    url = f"/relations/tripartite/{record.pk}/follow-ups/"
    data = {
        "version": record.version,
        "task": "督促整改欠薪",
        "owner_body": "hrss",
        "owner_name": "王科长",
        "due_on": "2025-05-01",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "完成期限应不早于会议日期" in bad.content.decode()
    assert not FollowUpItem.objects.exists()
    assert client.post(url, {**data, "due_on": "2025-07-01"}).status_code == 302
    assert FollowUpItem.objects.get().task == "督促整改欠薪"
    stale = client.post(url, {**data, "due_on": "2025-07-01"}, follow=True)
    assert "已被他人修改" in stale.content.decode()
    assert FollowUpItem.objects.count() == 1
    assert login_client(shapingba_staff).post(url, data).status_code == 404
    assert login_client(auditor).post(url, {**data, "version": 2}).status_code == 403
    assert (
        'data-testid="add-follow-up"'
        not in login_client(auditor).get(f"/relations/tripartite/{record.pk}/").content.decode()
    )


def test_a_bargaining_request_is_closed_on_its_page(
    login_client, union_officer, spb_union_officer, firms, unions
):
    bargaining = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="wages",
        year=2025,
        requested_by="union",
        requested_on=date(2025, 3, 5),
    )
    url = f"/relations/bargaining/{bargaining.pk}/close/"
    data = {"version": bargaining.version, "closed_on": "2025-04-01", "reason": "工会撤回要求"}
    assert login_client(spb_union_officer).post(url, data).status_code == 404
    client = login_client(union_officer)
    assert (
        'data-testid="action-close"'
        in client.get(f"/relations/bargaining/{bargaining.pk}/").content.decode()
    )
    early = client.post(url, {**data, "closed_on": "2025-03-01"})
    assert early.status_code == 400
    assert "日期不能早于提出日期" in early.content.decode()
    assert client.post(url, data).status_code == 302
    bargaining.refresh_from_db()
    assert (bargaining.status, bargaining.concluded_on) == ("failed", date(2025, 4, 1))
    assert "结束协商要求" in client.get(f"/relations/bargaining/{bargaining.pk}/").content.decode()
    assert CollectiveBargaining.objects.count() == 1
