"""The wages API with real tokens: a project's safeguards (read, recorded, 400 per field, 409
stale, masked account numbers), the payroll months and their workers (masked resident IDs),
the payroll upload through the generic import-job API (report, commit, the uploader's own
jobs), the wage-code rules and settings for staff; 404 outside the scope, 403 outside the
roles."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.wages import fixtures
from yutong.core.models import AuditEntry, ImportJob
from yutong.wages.models import PayrollMonth, WageDeposit, WageSafeguard

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
IMPORTS = "/api/v1/payroll-imports/"
ACCOUNT = "6222000011112222"


def safeguards_url(project, tail: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/safeguards/{tail}"


def deposit(**overrides) -> dict:
    data = {
        "form": "bank_guarantee",
        "amount": "1000000.00",
        "deposited_on": TODAY().isoformat(),
        "issuer": "重庆银行渝中支行",
        "reference": "BH-2026-0001",
        "expires_on": TODAY().replace(year=TODAY().year + 2).isoformat(),
    }
    data.update(overrides)
    return data


# --- safeguards ------------------------------------------------------------------------------


def test_read_and_record_the_safeguards(api_client, district_staff, project):
    client = api_client(district_staff)
    body = client.get(safeguards_url(project)).json()
    assert body["project"] == project.pk and body["code"] == project.code
    assert body["deposit"] is None
    need = body["requirement"]
    assert need["amount"] == "1000000.00" and need["rate"] == "2.00" and need["exempt"] is False
    assert any("50,000,000.00" in line for line in need["trace"])
    assert [s["kind"] for s in body["safeguards"]] == [
        "wage_account",
        "real_name",
        "bank_payroll",
        "notice_board",
    ]
    assert not any(s["in_place"] for s in body["safeguards"])

    response = client.post(safeguards_url(project, "deposit/"), deposit(), format="json")
    assert response.status_code == 200, response.content
    recorded = response.json()["deposit"]
    assert recorded["form"] == "bank_guarantee" and recorded["amount"] == "1000000.00"
    assert recorded["required_amount"] == "1000000.00" and recorded["trace"] == need["trace"]
    assert recorded["reference_masked"] == "********0001" and recorded["version"] == 1

    account = {
        "in_place_since": TODAY().isoformat(),
        "bank_name": "重庆银行渝中支行",
        "account_number": ACCOUNT,
    }
    response = client.post(safeguards_url(project, "wage-account/"), account, format="json")
    assert response.status_code == 200, response.content
    state = response.json()["safeguards"][0]
    assert state["in_place"] is True and state["bank_name"] == "重庆银行渝中支行"
    assert state["account_number_masked"] == "************2222"
    assert ACCOUNT not in response.content.decode()
    board = {"in_place_since": TODAY().isoformat(), "notice_items": ["parties", "pay_day"]}
    response = client.post(safeguards_url(project, "notice-board/"), board, format="json")
    state = response.json()["safeguards"][3]
    assert state["notice_items"] == ["parties", "pay_day"]
    assert "当地最低工资标准" in state["missing_notice_items"]
    payroll = {"in_place_since": TODAY().isoformat(), "pay_day": 15}
    response = client.post(safeguards_url(project, "bank-payroll/"), payroll, format="json")
    assert response.json()["safeguards"][2]["pay_day"] == 15
    names = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"record_wage_deposit", "record_wage_account", "record_notice_board"} <= names
    assert ACCOUNT not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"form": "gold"}, "form"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"deposited_on": "2099-01-01"}, "deposited_on"),
        ({"deposited_on": "01/02/2026"}, "deposited_on"),
        ({"issuer": ""}, "issuer"),
        ({"expires_on": None}, "expires_on"),  # a guarantee needs its term
        ({"form": "cash"}, "expires_on"),  # cash has none
        ({"version": 0}, "version"),
    ],
)
def test_deposit_bad_input_is_a_400_per_field(
    api_client, district_staff, project, overrides, field
):
    before = AuditEntry.objects.count()
    response = api_client(district_staff).post(
        safeguards_url(project, "deposit/"), deposit(**overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not WageDeposit.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("tail", "data", "field"),
    [
        ("wage-account/", {"account_number": ACCOUNT}, "bank_name"),
        ("wage-account/", {"bank_name": "重庆银行", "account_number": "abc"}, "account_number"),
        ("real-name/", {"pay_day": 15}, "pay_day"),  # not a field of real-name registration
        ("real-name/", {"in_place_since": "2099-01-01"}, "in_place_since"),
        ("real-name/", {"in_place_since": ""}, "in_place_since"),
        ("bank-payroll/", {}, "pay_day"),
        ("bank-payroll/", {"pay_day": 40}, "pay_day"),
        ("bank-payroll/", {"pay_day": 15, "bank_name": "x"}, "bank_name"),
        ("notice-board/", {"notice_items": ["hotline", "parties"]}, "notice_items"),
        ("notice-board/", {"notice_items": ["parties"], "note": "x" * 201}, "note"),
    ],
)
def test_safeguard_bad_input_is_a_400_per_field(
    api_client, district_staff, project, tail, data, field
):
    data = {"in_place_since": TODAY().isoformat(), **data}
    response = api_client(district_staff).post(safeguards_url(project, tail), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not WageSafeguard.objects.exists()


def test_stale_versions_are_409(api_client, district_staff, inspector, project):
    staff, other = api_client(district_staff), api_client(inspector)
    url = safeguards_url(project, "deposit/")
    assert staff.post(url, deposit(), format="json").json()["deposit"]["version"] == 1
    assert other.post(url, deposit(amount="1200000", version=1), format="json").status_code == 200
    stale = staff.post(url, deposit(amount="900000", version=1), format="json")
    assert stale.status_code == 409 and "detail" in stale.json()
    assert WageDeposit.objects.get().amount == 1200000
    url = safeguards_url(project, "real-name/")
    first = staff.post(url, {"in_place_since": TODAY().isoformat()}, format="json")
    assert first.json()["safeguards"][1]["version"] == 1
    data = {"in_place_since": TODAY().isoformat(), "note": "更正", "version": 1}
    assert other.post(url, data, format="json").status_code == 200
    assert staff.post(url, data, format="json").status_code == 409


def test_safeguards_scope_and_roles(
    api_client, shapingba_staff, contractor_user, mediator, enterprise_user, project
):
    url = safeguards_url(project)
    # Another district: not found, for reading and for writing alike.
    other = api_client(shapingba_staff)
    assert other.get(url).status_code == 404
    assert other.post(f"{url}deposit/", deposit(), format="json").status_code == 404
    # A party of the project and a mediator in scope read, but do not record (whatever the body).
    for reader in (api_client(contractor_user), api_client(mediator)):
        assert reader.get(url).status_code == 200
        assert reader.post(f"{url}deposit/", {}, format="json").status_code == 403
        assert reader.post(f"{url}real-name/", {}, format="json").status_code == 403
    # An enterprise account that is no party of the project does not see it.
    assert api_client(enterprise_user).get(url).status_code == 404
    assert not WageDeposit.objects.exists() and not WageSafeguard.objects.exists()


# --- payroll upload and months -------------------------------------------------------------


def upload(client, rows, **kwargs):
    return client.post(IMPORTS, {"file": fixtures.sheet(rows, **kwargs)}, format="multipart")


def test_upload_check_and_commit_a_payroll(api_client, contractor_user, district_staff, project):
    client = api_client(contractor_user)
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=3)
    rows[0][3] = "500103199001011234"  # a wrong check digit
    rows[1][5] = "六千"  # text in an amount
    bad = upload(client, rows)
    assert bad.status_code == 201, bad.content
    job = bad.json()
    assert job["status"] == "invalid" and job["error_count"] == 2 and job["kind"] == "payroll"
    report = {(e["row"], e["column"]): e["message"] for e in job["errors"]}
    assert "校验位" in report[(2, "公民身份号码")]
    assert report[(3, "应付工资（元）")] == "应为金额数字"
    assert "500103199001011234" not in bad.content.decode()
    refused = client.post(f"{IMPORTS}{job['id']}/commit/")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    assert not PayrollMonth.objects.exists()

    rows = fixtures.payroll_rows(project, month, workers=3)
    rows[1][6] = "4000"  # paid 4,000 of 6,000
    good = upload(client, rows)
    assert good.json()["status"] == "ready" and good.json()["payroll_month"] is None
    job_id = good.json()["id"]
    # Someone else's job is not found, not even by staff of the project's district.
    assert api_client(district_staff).get(f"{IMPORTS}{job_id}/").status_code == 404
    assert api_client(district_staff).post(f"{IMPORTS}{job_id}/commit/").status_code == 404
    done = client.post(f"{IMPORTS}{job_id}/commit/")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "done" and body["created_count"] == 3
    assert body["payroll_month"] == {
        "project": project.pk,
        "project_code": project.code,
        "month": f"{month:%Y-%m}",
    }
    assert [j["id"] for j in client.get(IMPORTS).json()["results"]] == [job_id, job["id"]]
    assert api_client(district_staff).get(IMPORTS).json()["count"] == 0
    assert client.post(f"{IMPORTS}{job_id}/commit/").status_code == 400  # once only


def test_upload_input_and_roles(api_client, contractor_user, mediator, district_staff, project):
    client = api_client(contractor_user)
    missing = client.post(IMPORTS, {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
    wrong = upload(client, [["x"]], name="payroll.csv")
    assert wrong.status_code == 400 and "file" in wrong.json()
    columns = upload(client, [["a", "b"]], headers=["项目", "月份"])
    assert columns.json()["status"] == "invalid"
    assert "缺少必需的列" in columns.json()["errors"][0]["message"]
    rows = fixtures.payroll_rows(project, fixtures.months_ago(1))
    assert upload(api_client(mediator), rows).status_code == 403  # reads, never uploads
    assert ImportJob.objects.filter(created_by=mediator).count() == 0
    ready = upload(api_client(district_staff), rows).json()
    cancelled = api_client(district_staff).post(f"{IMPORTS}{ready['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api_client(district_staff).post(f"{IMPORTS}{ready['id']}/commit/").status_code == 400


def test_payroll_months_and_workers(
    api_client, district_staff, contractor_user, sub_user, shapingba_staff, project
):
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=3)
    rows[2][7] = "否"  # not paid to the worker's own account
    job = upload(api_client(district_staff), rows).json()
    api_client(district_staff).post(f"{IMPORTS}{job['id']}/commit/")
    url = f"/api/v1/projects/{project.pk}/payroll-months/"
    for reader in (api_client(district_staff), api_client(contractor_user)):
        response = reader.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["expected_months"] == 3 and body["count"] == 1
        assert body["missing_months"] == [
            f"{fixtures.months_ago(3):%Y-%m}",
            f"{fixtures.months_ago(2):%Y-%m}",
        ]
        row = body["results"][0]
        assert row["month"] == f"{month:%Y-%m}" and row["worker_count"] == 3
        assert row["not_own_account_count"] == 1 and row["unpaid_count"] == 0
        assert row["total_due"] == "18000.00" and row["minimum_wage"] == "2330.00"
        assert row["import_job"] == job["id"]
    detail = api_client(district_staff).get(f"{url}{month:%Y-%m}/")
    assert detail.status_code == 200 and detail.json()["worker_count"] == 3
    entries = api_client(contractor_user).get(f"{url}{month:%Y-%m}/entries/")
    assert entries.status_code == 200
    lines = entries.json()["results"]
    assert [e["row_number"] for e in lines] == [2, 3, 4]
    assert (
        lines[0]["resident_id_masked"]
        == fixtures.resident_id(100)[:4] + "*" * 10 + (fixtures.resident_id(100)[-4:])
    )
    assert lines[2]["paid_to_own_account"] is False
    text = entries.content.decode() + detail.content.decode()
    for worker in range(3):
        assert fixtures.resident_id(100 + worker) not in text
    assert api_client(district_staff).get(f"{url}2026-13/").status_code == 404
    assert (
        api_client(district_staff).get(f"{url}{fixtures.months_ago(2):%Y-%m}/").status_code == 404
    )
    # A party that does not keep the ledger, and another district.
    assert api_client(sub_user).get(url).status_code == 403
    assert api_client(sub_user).get(f"{url}{month:%Y-%m}/entries/").status_code == 403
    assert api_client(shapingba_staff).get(url).status_code == 404
    assert api_client(shapingba_staff).get(f"{url}{month:%Y-%m}/entries/").status_code == 404


# --- settings ----------------------------------------------------------------------------------


def test_wage_code_rules_and_settings_for_staff(api_client, district_staff, enterprise_user):
    staff = api_client(district_staff)
    rules = staff.get("/api/v1/wage-code-rules/")
    assert rules.status_code == 200
    codes = {row["code"]: row for row in rules.json()["results"]}
    assert {"deposit", "unpaid", "open_complaints"} <= set(codes)
    assert codes["unpaid"]["label"] == "有工人工资未足额发放"
    assert codes["unpaid"]["colour"] in ("off", "yellow", "red")
    one = staff.get("/api/v1/wage-code-rules/unpaid/")
    assert one.status_code == 200 and one.json()["version"] >= 1
    assert staff.get("/api/v1/wage-code-rules/nothing/").status_code == 404
    assert staff.post("/api/v1/wage-code-rules/", {}).status_code == 405
    settings = staff.get("/api/v1/wage-settings/")
    assert settings.status_code == 200 and settings.json()["deposit_base_rate"] == "2.00"
    assert settings.json()["complaint_hotline"] == "12333"
    employer = api_client(enterprise_user)
    assert employer.get("/api/v1/wage-code-rules/").status_code == 403
    assert employer.get("/api/v1/wage-settings/").status_code == 403
