"""The rest of issue #5's relations API: collective bargaining, workers' congresses, open
factory affairs, tripartite meetings and follow-up items, employment filings and signing rates,
the to-do lists of rules §7, and the correction of a draft contract. Happy paths, bad input as a
400 with the field, stale versions as 409, and the role and district boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.relations.conftest import PEOPLE, draft, establish, follow_up, meeting, to_stage
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.relations import services
from yutong.relations.models import (
    AffairsDisclosure,
    CollectiveBargaining,
    CollectiveContract,
    CongressSession,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    WorkersCongress,
)

pytestmark = pytest.mark.django_db

BARGAININGS = "/api/v1/collective-bargainings/"
CONGRESSES = "/api/v1/workers-congresses/"
DISCLOSURES = "/api/v1/affairs-disclosures/"
MEETINGS = "/api/v1/tripartite-meetings/"
ITEMS = "/api/v1/follow-up-items/"
FILINGS = "/api/v1/employment-filings/"
RATES = "/api/v1/employment-filings/signing-rates/"
TODO = "/api/v1/union-todo/"
CONTRACTS = "/api/v1/collective-contracts/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- collective bargaining ---------------------------------------------------------------------


def _request(enterprise, **overrides) -> dict:
    payload = {
        "enterprise": enterprise.uscc,
        "topic": "wages",
        "year": 2025,
        "requested_by": "union",
        "requested_on": "2025-03-05",
    }
    payload.update(overrides)
    return payload


def test_bargaining_from_request_to_agreement(api_client, union_officer, firms, unions):
    client = api_client(union_officer)
    created = client.post(BARGAININGS, _request(firms.big), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["enterprise"] == firms.big.uscc
    assert body["union"] == unions.big.pk
    assert body["status"] == "requested"
    assert body["reply_due_on"] == "2025-03-25"  # 20 days, a working day
    assert body["reply_overdue"] is True  # that day is long past and nobody replied
    url = f"{BARGAININGS}{body['id']}/"
    assert _ids(client.get(BARGAININGS, {"queue": "reply_overdue"})) == [body["id"]]

    replied = client.post(
        f"{url}reply/",
        {"version": body["version"], "replied_on": "2025-03-10", "reply": "同意协商"},
        format="json",
    )
    assert replied.status_code == 200, replied.content
    assert replied.json()["status"] == "in_talks"
    assert replied.json()["reply_overdue"] is False

    def round_(held_on, outcome, **extra):
        response = client.post(
            f"{url}rounds/",
            {"held_on": held_on, "summary": "协商工资增长幅度", "outcome": outcome, **extra},
            format="json",
        )
        assert response.status_code == 201, response.content
        return response.json()

    assert round_("2025-03-12", "continue")["status"] == "in_talks"
    suspended = round_("2025-03-20", "suspend", resume_by="2025-04-10")
    assert suspended["status"] == "suspended"
    assert suspended["resume_by"] == "2025-04-10"
    assert _ids(client.get(BARGAININGS, {"queue": "suspended"})) == [body["id"]]
    assert round_("2025-04-08", "continue")["status"] == "in_talks"  # resumed
    agreed = round_("2025-04-15", "agree")
    assert agreed["status"] == "concluded"
    assert agreed["concluded_on"] == "2025-04-15"
    assert [(r["number"], r["outcome"]) for r in agreed["rounds"]] == [
        (1, "continue"),
        (2, "suspend"),
        (3, "continue"),
        (4, "agree"),
    ]
    assert _ids(client.get(BARGAININGS, {"queue": "closed", "topic": "wages"})) == [body["id"]]
    assert _ids(client.get(BARGAININGS, {"queue": "open"})) == []


def test_bargaining_bad_input_is_a_400_with_the_field(api_client, union_officer, firms, unions):
    client = api_client(union_officer)
    no_union = client.post(BARGAININGS, _request(firms.small), format="json")
    assert no_union.status_code == 400
    assert "尚未建立工会" in no_union.json()["enterprise"][0]
    bad_topic = client.post(BARGAININGS, _request(firms.big, topic="bonus"), format="json")
    assert bad_topic.status_code == 400 and "topic" in bad_topic.json()
    bad_day = client.post(BARGAININGS, _request(firms.big, requested_on="9999-01-01"))
    assert bad_day.status_code == 400 and "requested_on" in bad_day.json()
    assert not CollectiveBargaining.objects.exists()

    bargaining = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="wages",
        year=2025,
        requested_by="union",
        requested_on=date(2025, 3, 5),
    )
    url = f"{BARGAININGS}{bargaining.pk}/"
    early = client.post(
        f"{url}rounds/",
        {"held_on": "2025-03-12", "summary": "x", "outcome": "continue"},
        format="json",
    )
    assert early.status_code == 400  # no talks before the written reply
    assert "non_field_errors" in early.json()
    empty_reply = client.post(f"{url}reply/", {"replied_on": "2025-03-10"}, format="json")
    assert empty_reply.status_code == 400 and "reply" in empty_reply.json()
    services.reply_bargaining(union_officer, bargaining, replied_on=date(2025, 3, 10), reply="好")
    for extra in ({}, {"resume_by": "2025-04-30"}):  # none, or more than 30 days
        response = client.post(
            f"{url}rounds/",
            {"held_on": "2025-03-20", "summary": "x", "outcome": "suspend", **extra},
            format="json",
        )
        assert response.status_code == 400
        assert "resume_by" in response.json()
    assert CollectiveBargaining.objects.get(pk=bargaining.pk).status == "in_talks"


def test_bargaining_stale_version_is_a_409(api_client, union_officer, firms, unions):
    client = api_client(union_officer)
    body = client.post(BARGAININGS, _request(firms.big), format="json").json()
    url = f"{BARGAININGS}{body['id']}/"
    first = {"version": body["version"], "replied_on": "2025-03-10", "reply": "同意"}
    assert client.post(f"{url}reply/", first, format="json").status_code == 200
    stale = client.post(
        f"{url}rounds/",
        {"version": body["version"], "held_on": "2025-03-12", "summary": "x", "outcome": "fail"},
        format="json",
    )
    assert stale.status_code == 409
    assert CollectiveBargaining.objects.get(pk=body["id"]).status == "in_talks"


def test_a_request_without_talks_can_be_closed(api_client, union_officer, firms, unions):
    client = api_client(union_officer)
    body = client.post(BARGAININGS, _request(firms.big), format="json").json()
    url = f"{BARGAININGS}{body['id']}/"
    no_reason = client.post(f"{url}close/", {"closed_on": "2025-04-01"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    closed = client.post(
        f"{url}close/",
        {
            "version": body["version"],
            "closed_on": "2025-04-01",
            "reason": "企业逾期未答复，已申请协调",
        },
        format="json",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "failed"
    assert closed.json()["concluded_on"] == "2025-04-01"
    # The topic of the year is free again for a new request.
    assert client.post(BARGAININGS, _request(firms.big), format="json").status_code == 201
    again = client.post(f"{url}close/", {"closed_on": "2025-04-02", "reason": "x"}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_bargaining_roles_and_districts(
    api_client,
    union_officer,
    spb_union_officer,
    auditor,
    mediator,
    enterprise_user,
    own_enterprise,
    firms,
    unions,
):
    establish(union_officer, own_enterprise, members=40)
    theirs = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="general",
        year=2025,
        requested_by="union",
        requested_on=date(2025, 3, 5),
    )
    own = services.request_bargaining(
        union_officer,
        enterprise=own_enterprise,
        topic="general",
        year=2025,
        requested_by="employer",
        requested_on=date(2025, 3, 5),
    )
    other = api_client(spb_union_officer)
    assert other.get(BARGAININGS).json()["count"] == 0
    assert other.get(f"{BARGAININGS}{theirs.pk}/").status_code == 404
    reply = {"replied_on": "2025-03-10", "reply": "同意"}
    assert other.post(f"{BARGAININGS}{theirs.pk}/reply/", reply).status_code == 404
    assert other.post(BARGAININGS, _request(firms.big), format="json").status_code == 400

    company = api_client(enterprise_user)
    assert _ids(company.get(BARGAININGS)) == [own.pk]
    assert company.get(f"{BARGAININGS}{theirs.pk}/").status_code == 404
    assert company.post(f"{BARGAININGS}{own.pk}/reply/", reply).status_code == 403
    assert company.post(BARGAININGS, _request(own_enterprise), format="json").status_code == 403

    assert api_client(auditor).get(f"{BARGAININGS}{theirs.pk}/").status_code == 200
    assert api_client(auditor).post(BARGAININGS, _request(firms.mid)).status_code == 403
    assert api_client(mediator).get(BARGAININGS).status_code == 403
    assert CollectiveBargaining.objects.get(pk=own.pk).status == "requested"


# --- workers' congresses -----------------------------------------------------------------------


def _congress(**overrides) -> dict:
    payload = {
        "scope": "enterprise",
        "form": "congress",
        "name": "解放碑重工有限公司职工代表大会",
        "established_on": "2024-06-01",
        "staff_count": 300,
        "delegates": 30,
    }
    payload.update(overrides)
    return payload


def test_enterprise_congress_and_its_sessions(api_client, union_officer, firms):
    client = api_client(union_officer)
    created = client.post(CONGRESSES, _congress(enterprise=firms.big.uscc), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["covered_enterprises"] == [firms.big.uscc]
    assert body["unit"] == firms.big.unit.code
    url = f"{CONGRESSES}{body['id']}/sessions/"
    session = {
        "held_on": "2025-04-01",
        "delegates_total": 30,
        "attending": 25,
        "agenda": "审议集体合同草案",
    }
    held = client.post(url, session, format="json")
    assert held.status_code == 201, held.content
    assert [(s["held_on"], s["year"]) for s in held.json()["sessions"]] == [("2025-04-01", 2025)]
    too_many = client.post(url, {**session, "attending": 31}, format="json")
    assert too_many.status_code == 400 and "attending" in too_many.json()
    future = client.post(
        url, {**session, "held_on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    )
    assert future.status_code == 400 and "held_on" in future.json()
    assert CongressSession.objects.count() == 1

    # The yearly-session list: congresses in being with no session in the year.
    second = client.post(
        CONGRESSES, _congress(enterprise=firms.mid.uscc, staff_count=120), format="json"
    )
    assert second.status_code == 201, second.content
    assert _ids(client.get(CONGRESSES, {"without_session": 2025})) == [second.json()["id"]]
    assert _ids(client.get(CONGRESSES, {"enterprise": firms.big.uscc})) == [body["id"]]


def test_congress_bad_input_is_a_400(api_client, union_officer, firms):
    client = api_client(union_officer)
    few = client.post(CONGRESSES, _congress(enterprise=firms.big.uscc, delegates=20))
    assert few.status_code == 400
    assert "至少 30 名代表" in few.json()["delegates"][0]
    no_enterprise = client.post(CONGRESSES, _congress(), format="json")
    assert no_enterprise.status_code == 400 and "enterprise" in no_enterprise.json()
    bad_form = client.post(CONGRESSES, _congress(enterprise=firms.big.uscc, form="assembly"))
    assert bad_form.status_code == 400 and "form" in bad_form.json()
    assert not WorkersCongress.objects.exists()


def test_regional_and_industry_congresses_cover_a_list(api_client, union_officer, firms, streets):
    client = api_client(union_officer)
    regional = {
        "scope": "regional",
        "form": "congress",
        "name": "解放碑街道区域性职工代表大会",
        "region": streets.jiefangbei.code,
        "established_on": "2024-06-01",
        "staff_count": 420,
        "delegates": 30,
    }
    outside = client.post(
        CONGRESSES,
        {**regional, "covered_enterprises": [firms.big.uscc, firms.small.uscc]},
        format="json",
    )
    assert outside.status_code == 400
    assert "朝天门餐饮有限公司" in outside.json()["covered_enterprises"][0]
    created = client.post(
        CONGRESSES,
        {**regional, "covered_enterprises": [firms.big.uscc, firms.mid.uscc]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["region"] == streets.jiefangbei.code
    assert created.json()["covered_enterprises"] == [firms.big.uscc, firms.mid.uscc]
    industry = {
        "scope": "industry",
        "form": "all_staff",
        "name": "渝中区制造业职工大会",
        "unit": firms.big.unit.code,
        "industry": "C",
        "established_on": "2024-06-01",
        "staff_count": 420,
    }
    wrong = client.post(
        CONGRESSES, {**industry, "covered_enterprises": [firms.small.uscc]}, format="json"
    )
    assert wrong.status_code == 400 and "covered_enterprises" in wrong.json()
    elsewhere = client.post(
        CONGRESSES, {**industry, "covered_enterprises": [firms.other.uscc]}, format="json"
    )
    assert elsewhere.status_code == 400  # 沙坪坝's enterprise is outside the caller's scope
    made = client.post(
        CONGRESSES, {**industry, "covered_enterprises": [firms.big.uscc]}, format="json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["delegates"] == 420  # an all-staff meeting: every worker is a member
    assert _ids(client.get(CONGRESSES, {"scope": "industry"})) == [made.json()["id"]]


def test_congress_roles_and_districts(
    api_client, union_officer, shapingba_staff, enterprise_user, own_enterprise, firms, yuzhong
):
    covering = services.establish_congress(
        union_officer,
        scope="regional",
        form="all_staff",
        name="渝中区小微企业联合职工大会",
        region=yuzhong,
        covered=[own_enterprise, firms.tiny],
        established_on=date(2024, 6, 1),
        staff_count=60,
    )
    big = services.establish_congress(
        union_officer,
        scope="enterprise",
        form="congress",
        name="职代会",
        enterprise=firms.big,
        established_on=date(2024, 6, 1),
        staff_count=300,
        delegates=30,
    )
    company = api_client(enterprise_user)
    assert _ids(company.get(CONGRESSES)) == [covering.pk]
    assert company.get(f"{CONGRESSES}{big.pk}/").status_code == 404
    session = {"held_on": "2025-04-01", "delegates_total": 60, "attending": 50, "agenda": "x"}
    assert company.post(f"{CONGRESSES}{covering.pk}/sessions/", session).status_code == 403
    assert company.post(CONGRESSES, _congress(enterprise=own_enterprise.uscc)).status_code == 403
    other = api_client(shapingba_staff)
    assert other.get(CONGRESSES).json()["count"] == 0
    assert other.get(f"{CONGRESSES}{big.pk}/").status_code == 404
    assert other.post(f"{CONGRESSES}{big.pk}/sessions/", session).status_code == 404
    assert not CongressSession.objects.exists()


# --- open factory affairs ----------------------------------------------------------------------


def _disclosure(**overrides) -> dict:
    payload = {
        "category": "wages",
        "channel": "notice_board",
        "disclosed_on": "2025-05-01",
        "title": "2025 年工资调整方案公示",
    }
    payload.update(overrides)
    return payload


def test_enterprise_account_discloses_its_own_affairs(
    api_client, enterprise_user, own_enterprise, union_officer, shapingba_staff, firms
):
    company = api_client(enterprise_user)
    created = company.post(DISCLOSURES, _disclosure(), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["enterprise"] == own_enterprise.uscc
    assert created.json()["unit"] == own_enterprise.unit.code
    someone_else = company.post(DISCLOSURES, _disclosure(enterprise=firms.big.uscc))
    assert someone_else.status_code == 400 and "enterprise" in someone_else.json()
    staff = api_client(union_officer)
    by_staff = staff.post(DISCLOSURES, _disclosure(enterprise=firms.big.uscc), format="json")
    assert by_staff.status_code == 201
    assert _ids(company.get(DISCLOSURES)) == [created.json()["id"]]
    assert company.get(f"{DISCLOSURES}{by_staff.json()['id']}/").status_code == 404
    assert _ids(staff.get(DISCLOSURES, {"enterprise": firms.big.uscc})) == [by_staff.json()["id"]]
    other = api_client(shapingba_staff)
    assert other.get(f"{DISCLOSURES}{created.json()['id']}/").status_code == 404
    assert other.post(DISCLOSURES, _disclosure(enterprise=firms.big.uscc)).status_code == 400
    assert AffairsDisclosure.objects.count() == 2


def test_disclosure_bad_input_and_roles(api_client, union_officer, mediator, firms, unions):
    client = api_client(union_officer)
    no_enterprise = client.post(DISCLOSURES, _disclosure(), format="json")
    assert no_enterprise.status_code == 400 and "enterprise" in no_enterprise.json()
    bad = client.post(DISCLOSURES, _disclosure(enterprise=firms.big.uscc, channel="radio"))
    assert bad.status_code == 400 and "channel" in bad.json()
    no_title = client.post(DISCLOSURES, _disclosure(enterprise=firms.big.uscc, title=" "))
    assert no_title.status_code == 400 and "title" in no_title.json()
    contract = draft(union_officer, firms.big)
    not_covering = client.post(
        DISCLOSURES,
        _disclosure(
            enterprise=firms.mid.uscc, category="collective_contract", contract=contract.pk
        ),
        format="json",
    )
    assert not_covering.status_code == 400
    assert "不覆盖本企业" in not_covering.json()["contract"][0]
    not_effective = client.post(
        DISCLOSURES,
        _disclosure(
            enterprise=firms.big.uscc, category="collective_contract", contract=contract.pk
        ),
        format="json",
    )
    assert not_effective.status_code == 400 and "contract" in not_effective.json()
    assert not AffairsDisclosure.objects.exists()
    assert api_client(mediator).get(DISCLOSURES).status_code == 403


# --- tripartite meetings and follow-up items ---------------------------------------------------


def _meeting_payload(unit, **overrides) -> dict:
    payload = {
        "level": "district",
        "unit": unit.code,
        "held_on": "2025-05-20",
        "title": "渝中区协调劳动关系三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "participants": PEOPLE,
        "follow_ups": [
            {
                "task": "排查在建项目",
                "owner_body": "hrss",
                "owner_name": "王科长",
                "due_on": "2025-06-30",
            }
        ],
    }
    payload.update(overrides)
    return payload


def test_meeting_with_participants_decisions_and_follow_ups(api_client, union_officer, yuzhong):
    client = api_client(union_officer)
    created = client.post(MEETINGS, _meeting_payload(yuzhong), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["unit"] == yuzhong.code
    assert {p["body"] for p in body["participants"]} == {p["body"] for p in PEOPLE}
    assert body["decisions"] == "开展专项行动"
    assert [(f["task"], f["overdue"]) for f in body["follow_ups"]] == [("排查在建项目", True)]

    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    add = {
        "version": body["version"],
        "task": "走访园区企业",
        "owner_body": "trade_union",
        "owner_name": "李部长",
        "due_on": later,
    }
    added = client.post(f"{MEETINGS}{body['id']}/follow-ups/", add, format="json")
    assert added.status_code == 201, added.content
    assert [f["task"] for f in added.json()["follow_ups"]] == ["排查在建项目", "走访园区企业"]
    assert added.json()["version"] == body["version"] + 1
    stale = client.post(f"{MEETINGS}{body['id']}/follow-ups/", add, format="json")
    assert stale.status_code == 409
    unversioned = {key: value for key, value in add.items() if key != "version"}
    for field, value in (("owner_body", "police"), ("due_on", "2025-05-01"), ("owner_name", "")):
        response = client.post(
            f"{MEETINGS}{body['id']}/follow-ups/", {**unversioned, field: value}, format="json"
        )
        assert response.status_code == 400, field
        assert field in response.json(), field
    assert FollowUpItem.objects.count() == 2
    assert _ids(client.get(MEETINGS, {"level": "district", "held_from": "2025-05-01"})) == [
        body["id"]
    ]
    assert _ids(client.get(MEETINGS, {"level": "park"})) == []


def test_meeting_bad_input_is_a_400(api_client, union_officer, yuzhong, city):
    client = api_client(union_officer)
    three = client.post(MEETINGS, _meeting_payload(yuzhong, participants=PEOPLE[:3]), format="json")
    assert three.status_code == 400
    assert "工商业联合会" in three.json()["participants"][0]
    early = _meeting_payload(yuzhong)
    early["follow_ups"][0]["due_on"] = "2025-05-01"
    response = client.post(MEETINGS, early, format="json")
    assert response.status_code == 400
    assert "完成期限" in response.json()["follow_ups"][0]
    park = client.post(MEETINGS, _meeting_payload(yuzhong, level="park"), format="json")
    assert park.status_code == 400 and "park" in park.json()
    city_meeting = client.post(MEETINGS, _meeting_payload(city, level="city"), format="json")
    assert city_meeting.status_code == 400  # the city is outside a district officer's units
    assert "unit" in city_meeting.json()
    assert not TripartiteMeeting.objects.exists()


def test_follow_up_items_overdue_list_and_completion(api_client, union_officer, yuzhong):
    later = timezone.localdate() + timedelta(days=30)
    record = meeting(
        union_officer,
        yuzhong,
        follow_ups=[follow_up("排查在建项目", date(2025, 6, 30)), follow_up("走访企业", later)],
    )
    overdue_item, open_item = record.follow_ups.order_by("due_on")
    client = api_client(union_officer)
    assert _ids(client.get(ITEMS, {"queue": "overdue"})) == [overdue_item.pk]
    assert _ids(client.get(ITEMS, {"queue": "open"})) == [overdue_item.pk, open_item.pk]
    assert _ids(client.get(ITEMS, {"meeting": record.pk})) == [overdue_item.pk, open_item.pk]
    bad_queue = client.get(ITEMS, {"queue": "late"})
    assert bad_queue.status_code == 400 and "queue" in bad_queue.json()

    url = f"{ITEMS}{overdue_item.pk}/complete/"
    before = client.post(url, {"done_on": "2025-05-01", "result": "完成"}, format="json")
    assert before.status_code == 400 and "done_on" in before.json()  # before the meeting
    no_result = client.post(url, {"done_on": "2025-07-02"}, format="json")
    assert no_result.status_code == 400 and "result" in no_result.json()
    done = client.post(
        url,
        {"version": overdue_item.version, "done_on": "2025-07-02", "result": "已排查 12 个项目"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["done_on"] == "2025-07-02"
    assert done.json()["overdue"] is False
    again = client.post(url, {"done_on": "2025-07-03", "result": "x"}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()
    stale = client.post(
        f"{ITEMS}{open_item.pk}/complete/",
        {"version": open_item.version + 1, "done_on": "2025-07-02", "result": "x"},
        format="json",
    )
    assert stale.status_code == 409
    assert _ids(client.get(ITEMS, {"queue": "overdue"})) == []
    assert _ids(client.get(ITEMS, {"queue": "done"})) == [overdue_item.pk]


def test_tripartite_roles_and_districts(
    api_client, union_officer, shapingba_staff, auditor, enterprise_user, yuzhong
):
    record = meeting(union_officer, yuzhong, follow_ups=[follow_up("排查", date(2025, 6, 30))])
    item = record.follow_ups.get()
    other = api_client(shapingba_staff)
    assert other.get(MEETINGS).json()["count"] == 0
    assert other.get(f"{MEETINGS}{record.pk}/").status_code == 404
    assert other.get(ITEMS, {"queue": "overdue"}).json()["count"] == 0
    assert other.get(f"{ITEMS}{item.pk}/").status_code == 404
    done = {"done_on": "2025-07-02", "result": "x"}
    assert other.post(f"{ITEMS}{item.pk}/complete/", done).status_code == 404
    add = {"task": "x", "owner_body": "hrss", "owner_name": "王", "due_on": "2025-07-01"}
    assert other.post(f"{MEETINGS}{record.pk}/follow-ups/", add).status_code == 404
    assert other.post(MEETINGS, _meeting_payload(yuzhong), format="json").status_code == 400

    reader = api_client(auditor)
    assert reader.get(f"{MEETINGS}{record.pk}/").status_code == 200
    assert reader.post(f"{ITEMS}{item.pk}/complete/", done).status_code == 403
    assert reader.post(f"{MEETINGS}{record.pk}/follow-ups/", add).status_code == 403
    assert reader.post(MEETINGS, _meeting_payload(yuzhong), format="json").status_code == 403
    company = api_client(enterprise_user)
    assert company.get(MEETINGS).status_code == 403
    assert company.get(ITEMS).status_code == 403
    assert reader.post(ITEMS, {}).status_code == 405  # items come with their meeting
    item.refresh_from_db()
    assert item.done_on is None
    assert FollowUpItem.objects.count() == 1


# --- employment filings ------------------------------------------------------------------------


def _filing(**overrides) -> dict:
    payload = {
        "period": "2025-06",
        "employees": 100,
        "contracted": 90,
        "dispatched": 11,
        "insured": 95,
    }
    payload.update(overrides)
    return payload


def test_enterprise_account_files_its_own_and_corrects_it(
    api_client, enterprise_user, own_enterprise, firms
):
    company = api_client(enterprise_user)
    created = company.post(FILINGS, _filing(), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["enterprise"] == own_enterprise.uscc
    assert body["period"] == "2025-06"
    assert body["signing_rate"] == pytest.approx(0.9)
    assert body["dispatch_share"] == pytest.approx(11 / 101)
    assert body["dispatch_over_cap"] is True  # 11 / 101 > 10 %
    corrected = company.post(
        FILINGS, _filing(dispatched=10, version=body["version"]), format="json"
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["id"] == body["id"]
    assert corrected.json()["dispatch_over_cap"] is False  # 10 / 100: at the cap
    stale = company.post(FILINGS, _filing(version=body["version"]), format="json")
    assert stale.status_code == 409
    assert EmploymentFiling.objects.get().dispatched == 10
    someone_else = company.post(FILINGS, _filing(enterprise=firms.big.uscc), format="json")
    assert someone_else.status_code == 400 and "enterprise" in someone_else.json()
    assert _ids(company.get(FILINGS)) == [body["id"]]
    assert _ids(company.get(FILINGS, {"over_cap": "true"})) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contracted": 101}, "contracted"),
        ({"insured": 120}, "insured"),
        ({"employees": -1}, "employees"),
        ({"period": "2025-13"}, "period"),
        ({"period": "June"}, "period"),
        ({"period": "2099-01"}, "period"),
    ],
)
def test_filing_bad_input_is_a_400(api_client, district_staff, firms, overrides, field):
    response = api_client(district_staff).post(
        FILINGS, _filing(enterprise=firms.big.uscc, **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not EmploymentFiling.objects.exists()


def test_filing_roles_and_districts(
    api_client, district_staff, shapingba_staff, union_officer, mediator, firms
):
    staff = api_client(district_staff)
    created = staff.post(FILINGS, _filing(enterprise=firms.big.uscc), format="json")
    assert created.status_code == 201, created.content
    filing_id = created.json()["id"]
    officer = api_client(union_officer)
    assert _ids(officer.get(FILINGS, {"period": "2025-06"})) == [filing_id]  # a reader
    assert officer.post(FILINGS, _filing(enterprise=firms.mid.uscc)).status_code == 403
    other = api_client(shapingba_staff)
    assert other.get(FILINGS).json()["count"] == 0
    assert other.get(f"{FILINGS}{filing_id}/").status_code == 404
    outside = other.post(FILINGS, _filing(enterprise=firms.big.uscc), format="json")
    assert outside.status_code == 400 and "enterprise" in outside.json()
    assert api_client(mediator).get(FILINGS).status_code == 403
    assert EmploymentFiling.objects.count() == 1


def test_signing_rates_per_unit(
    api_client,
    city_admin,
    district_staff,
    shapingba_staff,
    enterprise_user,
    own_enterprise,
    firms,
    shapingba,
):
    for actor, firm, (employees, contracted) in (
        (district_staff, firms.big, (300, 270)),
        (district_staff, firms.mid, (100, 100)),
        (enterprise_user, own_enterprise, (50, 40)),
        (shapingba_staff, firms.other, (500, 250)),
    ):
        services.file_employment(
            actor,
            enterprise=firm,
            period=date(2025, 6, 1),
            employees=employees,
            contracted=contracted,
            dispatched=0,
            insured=employees,
        )
    services.file_employment(
        district_staff,
        enterprise=firms.big,
        period=date(2025, 5, 1),
        employees=300,
        contracted=150,
        dispatched=100,
        insured=300,
    )
    city = api_client(city_admin).get(RATES, {"period": "2025-06"})
    assert city.status_code == 200, city.content
    rows = {r["unit"]: r for r in city.json()["results"]}
    assert city.json()["period"] == "2025-06"
    assert set(rows) == {firms.big.unit.code, shapingba.code}
    yz = rows[firms.big.unit.code]
    assert (yz["enterprises"], yz["employees"], yz["contracted"]) == (3, 450, 410)
    assert yz["signing_rate"] == pytest.approx(410 / 450)
    assert rows[shapingba.code]["signing_rate"] == pytest.approx(0.5)
    one = api_client(city_admin).get(RATES, {"period": "2025-06", "unit": shapingba.code})
    assert [r["unit"] for r in one.json()["results"]] == [shapingba.code]
    may = api_client(district_staff).get(RATES, {"period": "2025-05"}).json()["results"]
    assert [(r["unit"], r["over_cap"]) for r in may] == [(firms.big.unit.code, 1)]
    latest = api_client(district_staff).get(RATES).json()  # default: the latest month filed
    assert latest["period"] == "2025-06"
    assert [r["unit"] for r in latest["results"]] == [firms.big.unit.code]
    outside = api_client(district_staff).get(RATES, {"unit": shapingba.code})
    assert outside.status_code == 400 and "unit" in outside.json()
    bad = api_client(district_staff).get(RATES, {"period": "2025-6-1"})
    assert bad.status_code == 400 and "period" in bad.json()
    assert api_client(enterprise_user).get(RATES).status_code == 403


# --- the to-do lists of rules §7 ---------------------------------------------------------------


def _usccs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["uscc"] for row in response.json()["results"]]


def test_union_todo_lists(
    api_client, union_officer, city_admin, shapingba_staff, mediator, firms, unions
):
    client = api_client(union_officer)
    assert (
        _usccs(client.get(TODO, {"list": "no_committee"})) == []
    )  # members count, both committees
    assert _usccs(client.get(TODO, {"list": "no_fulltime_staff"})) == []
    key = client.get(TODO, {"list": "key_without_contract"})
    assert _usccs(key) == [firms.big.uscc, firms.mid.uscc]  # largest first
    row = key.json()["results"][0]
    assert row["unit"] == firms.big.unit.code
    assert row["township_name"] == "解放碑街道"
    assert row["union_established"] is True
    page = client.get(TODO, {"list": "key_without_contract", "page_size": 1})
    assert page.json()["count"] == 2
    assert page.json()["next"] is not None
    assert len(page.json()["results"]) == 1
    # As of a day before any union existed, no enterprise is "key".
    assert _usccs(client.get(TODO, {"list": "key_without_contract", "on": "2024-01-01"})) == []
    city = api_client(city_admin)
    assert _usccs(city.get(TODO, {"list": "no_fulltime_staff"})) == [firms.other.uscc]
    assert _usccs(api_client(shapingba_staff).get(TODO, {"list": "key_without_contract"})) == []
    for params in ({}, {"list": "everything"}):
        response = client.get(TODO, params)
        assert response.status_code == 400 and "list" in response.json()
    assert api_client(mediator).get(TODO, {"list": "no_committee"}).status_code == 403


# --- correcting a draft contract ---------------------------------------------------------------


def test_a_draft_is_corrected_through_patch(api_client, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    client = api_client(union_officer)
    url = f"{CONTRACTS}{contract.pk}/"
    response = client.patch(
        url,
        {"version": contract.version, "title": "2025—2027 年集体合同", "expires_on": "2027-03-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["term_start"], body["expires_on"]) == (
        "2025—2027 年集体合同",
        "2025-04-01",
        "2027-03-31",
    )
    assert body["version"] == contract.version + 1
    entry = AuditEntry.objects.get(action="update_draft_contract")
    assert entry.changes["expires_on"] == ["2028-03-31", "2027-03-31"]
    stale = client.patch(url, {"version": contract.version, "title": "x"}, format="json")
    assert stale.status_code == 409
    assert client.put(url, {"title": "x"}, format="json").status_code == 405


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"expires_on": "2028-04-01"}, "expires_on"),  # more than 3 years
        ({"expires_on": "2025-12-31"}, "expires_on"),  # less than 1 year
        ({"title": "  "}, "title"),
        ({"term_start": "2025-13-01"}, "term_start"),
    ],
)
def test_a_bad_correction_is_a_400(api_client, union_officer, firms, unions, payload, field):
    contract = draft(union_officer, firms.big)
    response = api_client(union_officer).patch(f"{CONTRACTS}{contract.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    unchanged = CollectiveContract.objects.get(pk=contract.pk)
    assert (unchanged.title, unchanged.expires_on, unchanged.version) == (
        contract.title,
        contract.expires_on,
        contract.version,
    )


def test_a_regional_draft_changes_its_coverage_within_the_region(
    api_client, union_officer, firms, streets
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
    client = api_client(union_officer)
    url = f"{CONTRACTS}{contract.pk}/"
    outside = client.patch(
        url, {"covered_enterprises": [firms.big.uscc, firms.small.uscc]}, format="json"
    )
    assert outside.status_code == 400
    assert "朝天门餐饮有限公司" in outside.json()["covered_enterprises"][0]
    grown = client.patch(
        url, {"covered_enterprises": [firms.big.uscc, firms.mid.uscc]}, format="json"
    )
    assert grown.status_code == 200, grown.content
    assert grown.json()["covered_enterprises"] == [firms.big.uscc, firms.mid.uscc]
    assert grown.json()["employees_covered"] == 420
    shrunk = client.patch(url, {"covered_enterprises": [firms.mid.uscc]}, format="json")
    assert shrunk.json()["covered_enterprises"] == [firms.mid.uscc]
    assert shrunk.json()["employees_covered"] == 120
    empty = client.patch(url, {"covered_enterprises": []}, format="json")
    assert empty.status_code == 400 and "covered_enterprises" in empty.json()


def test_only_a_draft_in_scope_is_corrected_by_an_editor(
    api_client,
    union_officer,
    shapingba_staff,
    auditor,
    enterprise_user,
    own_enterprise,
    firms,
    unions,
):
    contract = draft(union_officer, firms.big)
    own_union = establish(union_officer, own_enterprise, members=40)
    assert own_union.pk
    own = draft(union_officer, own_enterprise)
    patch = {"title": "改"}
    assert api_client(shapingba_staff).patch(f"{CONTRACTS}{contract.pk}/", patch).status_code == 404
    assert api_client(auditor).patch(f"{CONTRACTS}{contract.pk}/", patch).status_code == 403
    assert api_client(enterprise_user).patch(f"{CONTRACTS}{own.pk}/", patch).status_code == 403
    other = api_client(union_officer).patch(
        f"{CONTRACTS}{contract.pk}/", {"covered_enterprises": [firms.mid.uscc]}, format="json"
    )
    assert other.status_code == 400  # an enterprise contract covers its own enterprise only
    assert "covered_enterprises" in other.json()
    adopted = to_stage(union_officer, draft(union_officer, firms.mid), "adopted")
    response = api_client(union_officer).patch(f"{CONTRACTS}{adopted.pk}/", patch)
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert set(CollectiveContract.objects.values_list("title", flat=True)) == {
        contract.title,
        own.title,
        adopted.title,
    }


def test_a_renewal_draft_starts_after_the_contract_it_renews(
    api_client, union_officer, firms, unions
):
    today = timezone.localdate()
    start = services.add_years(today, -1)
    contract = draft(
        union_officer, firms.big, term_start=start, expires_on=services.add_years(start, 1)
    )
    contract = to_stage(union_officer, contract, "filed", signed_on=start, filed_on=start)
    renewal = services.renew_contract(
        union_officer, contract, expires_on=services.add_years(contract.expires_on, 2)
    )
    response = api_client(union_officer).patch(
        f"{CONTRACTS}{renewal.pk}/",
        {
            "term_start": contract.expires_on.isoformat(),
            "expires_on": (services.add_years(contract.expires_on, 2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "term_start" in response.json()


# --- the schema --------------------------------------------------------------------------------


def test_the_new_endpoints_are_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/collective-bargainings/{id}/rounds/",
        "/api/v1/collective-bargainings/{id}/close/",
        "/api/v1/workers-congresses/{id}/sessions/",
        "/api/v1/affairs-disclosures/",
        "/api/v1/tripartite-meetings/{id}/follow-ups/",
        "/api/v1/follow-up-items/{id}/complete/",
        "/api/v1/employment-filings/signing-rates/",
        "/api/v1/union-todo/",
    ):
        assert path in paths, path
    assert "patch" in paths["/api/v1/collective-contracts/{id}/"]
    assert "put" not in paths["/api/v1/collective-contracts/{id}/"]


def test_a_user_without_any_relations_role_is_refused(api_client, yuzhong):
    nobody = UserFactory(username="inspector_x", unit=yuzhong, roles=[roles.INSPECTOR])
    client = api_client(nobody)
    for url in (BARGAININGS, CONGRESSES, DISCLOSURES, MEETINGS, ITEMS, FILINGS, RATES):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    ("endpoint", "param"),
    [("affairs-disclosures", "contract"), ("follow-up-items", "meeting")],
)
def test_an_id_filter_beyond_the_id_range_is_a_400(
    api_client, union_officer, firms, endpoint, param
):
    # A number too large for the id column failed in the database (a 500).
    response = api_client(union_officer).get(
        f"/api/v1/{endpoint}/", {param: "99999999999999999999"}
    )
    assert response.status_code == 400
    assert param in response.json()
