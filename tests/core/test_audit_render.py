"""Every audit entry a service writes renders, in Chinese, on the audit list and record pages."""

from __future__ import annotations

import ast
import pathlib
from datetime import date

import pytest
from django.urls import reverse

from tests.disputes.conftest import worker
from tests.factories import EnterpriseFactory, UserFactory
from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.core import audit, roles
from yutong.core.models import AuditEntry
from yutong.disputes import services as disputes
from yutong.disputes.models import ArbitrationCommission
from yutong.inspection import services as inspection

SOURCE = pathlib.Path(audit.__file__).resolve().parents[1]
# Codes built at run time from a kind: the call sites are f-strings, so list their expansions.
BUILT_CODES = {
    "save_harmony_items",
    "save_harmony_vetoes",
    "save_harmony_documents",
    "save_harmony_themes",
    "record_wage_account",
    "record_real_name",
    "record_bank_payroll",
    "record_notice_board",
    "upload_payroll",
    "replace_payroll",
}
# Every stored shape of a change seen in the services, including keys that shadow dict methods
# ("items", "values", "keys") and pairs that are not pairs.
SHAPES = {
    "items": [None, "劳动合同复印件；工资条"],
    "values": [["a", "b"], ["c"]],
    "keys": [{"甲": 1}, {"甲": 2}],
    "is_collective": [False, True],
    "closed_at": [None, "2026-09-25T02:30:00+00:00"],
    "on": [None, "2026-09-25"],
    "days": [None, 15],
    "roles": [["district_staff"], ["district_staff", "auditor"]],
    "password": ["***", "***"],
    "odd": "not a pair",
}


def _action_codes() -> set[str]:
    """String action codes passed to audit.record(_many), _record_change-style helpers and
    AuditEntry."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                codes |= _codes_in(node)
    return codes | BUILT_CODES


def _codes_in(call: ast.Call) -> set[str]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    owner = getattr(getattr(func, "value", None), "id", "")
    args = []
    if (name in ("record", "record_many") and owner == "audit") or name.startswith(
        ("_record", "_audit")
    ):
        args = call.args[1:2]
    if name == "AuditEntry":
        args = [kw.value for kw in call.keywords if kw.arg == "action"]
    return {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}


def test_the_scan_finds_the_actions_of_every_app():
    codes = _action_codes()
    assert {"request_materials", "request_complaint_materials", "close_arbitration"} <= codes
    assert {"import_enterprise", "start_harmony_evaluation", "update_lawyer"} <= codes
    assert len(codes) > 100


def test_every_action_has_a_chinese_label():
    missing = sorted(code for code in _action_codes() if not audit.has_action_label(code))
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["city_admin", "auditor"])
def test_the_audit_log_renders_every_action_with_every_shape(request, login_client, reader):
    enterprise = EnterpriseFactory()
    codes = sorted(_action_codes())
    for code in codes:
        AuditEntry.objects.create(
            actor_username="someone",
            action=code,
            object_type="registry.enterprise",
            object_id=str(enterprise.pk),
            changes=SHAPES,
        )
    client = login_client(request.getfixturevalue(reader))
    pages = []
    for number in range(1, len(codes) // 100 + 2):
        response = client.get(reverse("core:audit_list"), {"page_size": 100, "page": number})
        assert response.status_code == 200
        pages.append(response.content.decode())
    text = "".join(pages)
    assert "劳动合同复印件；工资条" in text
    # in the table's cells (the 操作 filter lists every label too)
    assert all(f'title="{code}">{audit.action_label(code)}<' in text for code in codes)
    assert "企业 #" in text and "registry.enterprise #" not in text
    detail = client.get(reverse("registry:enterprise_detail", args=[enterprise.uscc]))
    assert detail.status_code == 200
    assert "2026-09-25 10:30" in detail.content.decode()


def _entry(**changes) -> AuditEntry:
    return AuditEntry(
        action="update_enterprise", object_type="registry.enterprise", changes=changes
    )


@pytest.mark.django_db
def test_fields_and_values_read_as_users_write_them():
    rows = audit.display_changes(
        _entry(
            name=["甲公司", "乙公司"],
            union_established=[False, True],
            updated_at=[None, "2026-09-25T02:30:00+00:00"],
            established_on=["", "2026-09-25"],
        )
    )
    assert ("企业名称", "甲公司", "乙公司") in rows
    assert ("已建工会", "否", "是") in rows
    assert (_label("updated_at"), "（空）", "2026-09-25 10:30") in rows  # Asia/Shanghai
    assert (_label("established_on"), "（空）", "2026-09-25") in rows


@pytest.mark.django_db
def test_role_codes_show_the_role_names():
    rows = audit.display_changes(
        AuditEntry(
            action="update_user",
            object_type="core.user",
            changes={"roles": [["district_staff"], ["district_staff", "auditor"]]},
        )
    )
    names = roles.ROLE_NAMES
    expected = (names["district_staff"], f"{names['district_staff']}、{names['auditor']}")
    assert [(before, after) for label, before, after in rows] == [expected]


def test_the_action_filter_offers_labels_and_filters_by_code(login_client, city_admin):
    AuditEntry.objects.create(actor_username="a", action="unlock_account", object_type="core.user")
    AuditEntry.objects.create(actor_username="b", action="set_password", object_type="core.user")
    client = login_client(city_admin)
    page = client.get(reverse("core:audit_list"), {"action": "unlock_account"})
    text = page.content.decode()
    assert '<option value="unlock_account" selected>解锁账号</option>' in text
    assert [entry.action for entry in page.context["object_list"]] == ["unlock_account"]


def _label(name: str) -> str:
    return audit.field_label("registry.enterprise", name)


@pytest.mark.django_db
def test_choice_values_show_their_labels():
    field = audit._model_field("inspection.complaint", "channel")
    value, label = field.flatchoices[0]
    rows = audit.display_changes(
        AuditEntry(
            action="x", object_type="inspection.complaint", changes={"channel": [None, value]}
        )
    )
    assert rows == [(str(field.verbose_name), "（空）", str(label))]


@pytest.mark.django_db
def test_complaint_page_and_log_after_a_materials_request(yuzhong, city_admin, login_client):
    inspector = UserFactory(unit=yuzhong, roles=[roles.INSPECTOR])
    complaint = inspection.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12333",
        received_on=working_days_ago(2),
        **complaint_data(),
    )
    inspection.request_materials(inspector, complaint, items="欠薪人数及金额")
    client = login_client(city_admin)
    page = client.get(reverse("inspection:complaint_detail", args=[complaint.pk]))
    assert page.status_code == 200
    assert "通知补正投诉材料" in page.content.decode()
    assert "欠薪人数及金额" in client.get(reverse("core:audit_list")).content.decode()


@pytest.mark.django_db
def test_arbitration_page_after_a_materials_request(yuzhong, district_staff, auditor, login_client):
    arbitrator = UserFactory(unit=yuzhong, roles=[roles.ARBITRATOR])
    commission = ArbitrationCommission.objects.create(
        code="A500103", name="渝中区劳动人事争议仲裁委员会", unit=yuzhong, short_name="渝中劳人仲"
    )
    dispute = disputes.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="公司拖欠 2026 年 9 月工资。",
        employer_name="重庆某某餐饮管理有限公司",
        workers=[worker(1, is_representative=True)],
        claims=[{"claim_type": "wages", "amount": "12000"}],
    )
    case = disputes.receive_arbitration(
        arbitrator, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    disputes.request_materials(arbitrator, case, items="劳动合同复印件")
    page = login_client(auditor).get(reverse("disputes:arbitration_detail", args=[case.pk]))
    assert page.status_code == 200
    assert "通知补正材料" in page.content.decode()
