"""The audit trail: who / when / what / before → after / request id; append-only; readable by
city admins and auditors only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import EnterpriseFactory, UserFactory, make_uscc
from yutong.core import audit, roles
from yutong.core.models import AuditEntry
from yutong.registry import services

pytestmark = pytest.mark.django_db


def test_diff_lists_only_changed_fields_as_plain_values(yuzhong, shapingba):
    before = {"name": "甲", "unit": yuzhong, "count": 3, "day": date(2026, 1, 2), "same": 1}
    after = {
        "name": "乙",
        "unit": shapingba,
        "count": 3,
        "day": date(2026, 1, 3),
        "same": 1,
        "amount": Decimal("1.50"),
    }
    assert audit.diff(before, after) == {
        "amount": [None, "1.50"],
        "day": ["2026-01-02", "2026-01-03"],
        "name": ["甲", "乙"],
        "unit": ["渝中区", "沙坪坝区"],
    }
    assert audit.diff(after, after) == {}


def test_record_outside_a_request(district_staff, yuzhong):
    enterprise = EnterpriseFactory(unit=yuzhong, name="审计对象有限公司")
    entry = audit.record(district_staff, "touch", enterprise, changes={"x": [1, 2]})
    entry.refresh_from_db()
    assert entry.actor == district_staff
    assert entry.actor_username == "yz_staff"
    assert entry.action == "touch"
    assert entry.object_type == "registry.enterprise"
    assert entry.object_id == str(enterprise.pk)
    assert entry.object_repr == "审计对象有限公司"
    assert entry.unit == yuzhong
    assert entry.changes == {"x": [1, 2]}
    assert entry.request_id == ""
    assert entry.ip is None


def test_entries_written_during_a_request_carry_its_id_and_ip(
    district_staff, yuzhong, login_client
):
    client = login_client(district_staff)
    response = client.post(
        "/registry/enterprises/new/",
        {
            "uscc": make_uscc("500103", 4242),
            "name": "请求编号测试有限公司",
            "unit": yuzhong.pk,
            "industry": "C",
            "ownership": "private",
            "employee_count": "10",
            "status": "operating",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="register_enterprise")
    assert entry.request_id == response["X-Request-ID"]
    assert len(entry.request_id) == 36
    assert entry.ip == "127.0.0.1"
    assert entry.actor == district_staff


def test_audit_entries_are_append_only(district_staff, yuzhong):
    enterprise = EnterpriseFactory(unit=yuzhong)
    entry = audit.record(district_staff, "touch", enterprise)
    entry.action = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.action == "touch"
    assert AuditEntry.objects.count() == 1


def _entries(district_staff, shapingba_staff, yuzhong, shapingba):
    in_yuzhong = services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 1),
        name="渝中审计企业",
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=5,
    )
    in_shapingba = services.register_enterprise(
        shapingba_staff,
        uscc=make_uscc("500106", 2),
        name="沙坪坝审计企业",
        unit=shapingba,
        industry="C",
        ownership="private",
        employee_count=5,
    )
    return in_yuzhong, in_shapingba


@pytest.mark.parametrize("reader", ["city_admin", "auditor"])
def test_audit_list_for_city_admin_and_auditor(
    request, reader, district_staff, shapingba_staff, yuzhong, shapingba, login_client
):
    in_yuzhong, in_shapingba = _entries(district_staff, shapingba_staff, yuzhong, shapingba)
    client = login_client(request.getfixturevalue(reader))
    response = client.get("/core/audit/")
    assert response.status_code == 200
    listed = {(e.action, e.object_repr) for e in response.context["object_list"]}
    assert listed == {
        ("register_enterprise", "渝中审计企业"),
        ("register_enterprise", "沙坪坝审计企业"),
    }
    body = response.content.decode()
    assert "渝中审计企业" in body
    assert "（空） → 渝中审计企业" in body

    response = client.get("/core/audit/", {"actor": "spb"})
    assert [e.object_repr for e in response.context["object_list"]] == ["沙坪坝审计企业"]
    response = client.get(
        "/core/audit/", {"object_type": "registry.enterprise", "object_id": str(in_yuzhong.pk)}
    )
    assert [e.object_repr for e in response.context["object_list"]] == ["渝中审计企业"]
    response = client.get("/core/audit/", {"action": "update_enterprise"})
    assert list(response.context["object_list"]) == []
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get("/core/audit/", {"date_from": tomorrow})
    assert list(response.context["object_list"]) == []
    response = client.get("/core/audit/", {"date_to": timezone.localdate().isoformat()})
    assert len(response.context["object_list"]) == 2


@pytest.mark.parametrize("role", [roles.DISTRICT_STAFF, roles.MEDIATOR, roles.ENTERPRISE_USER])
def test_audit_list_is_forbidden_to_other_roles(role, yuzhong, login_client):
    user = UserFactory(unit=yuzhong, roles=[role])
    response = login_client(user).get("/core/audit/")
    assert response.status_code == 403
    assert "您没有执行此操作的权限。" in response.content.decode()


def test_district_auditor_reads_its_own_units_entries_only(
    district_staff, shapingba_staff, yuzhong, shapingba, login_client
):
    _entries(district_staff, shapingba_staff, yuzhong, shapingba)
    district_auditor = UserFactory(unit=yuzhong, roles=[roles.AUDITOR])
    response = login_client(district_auditor).get("/core/audit/")
    assert [e.object_repr for e in response.context["object_list"]] == ["渝中审计企业"]


def test_enterprise_detail_shows_the_trail_to_auditors_only(
    district_staff, auditor, yuzhong, login_client
):
    enterprise = services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 3),
        name="变更记录企业",
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=5,
        contact_phone="13812345678",
    )
    services.update_enterprise(district_staff, enterprise, employee_count=6)
    body = login_client(auditor).get(f"/registry/enterprises/{enterprise.uscc}/").content.decode()
    assert 'data-testid="audit-trail"' in body
    assert "update_enterprise" in body
    assert "5 → 6" in body
    assert "138****5678" in body
    assert "13812345678" not in body
    staff_body = login_client(district_staff).get(f"/registry/enterprises/{enterprise.uscc}/")
    assert 'data-testid="audit-trail"' not in staff_body.content.decode()


def test_logs_refuse_bulk_changes(db):
    from yutong.core.models import LoginEvent

    for manager in (AuditEntry.objects, LoginEvent.objects):
        with pytest.raises(PermissionError):
            manager.all().update(ip="127.0.0.1")
        with pytest.raises(PermissionError):
            manager.all().delete()
