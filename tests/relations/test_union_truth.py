"""One truth for "已建工会", and the union-committee rule counted on members (issue 12).

The union records are the truth; the registry's flag is their copy, written only by the union
services. The committee to-do list tests a union's members (会员) against a dated setting."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.relations.conftest import establish
from yutong.core import services as core_services
from yutong.registry import services as registry_services
from yutong.registry.models import Enterprise
from yutong.registry.queries import filter_enterprises
from yutong.relations import queries, services
from yutong.relations.models import Union

pytestmark = pytest.mark.django_db

BASE = "/api/v1/enterprises/"


# --- one source of truth -----------------------------------------------------------------------


def test_the_enterprise_service_no_longer_sets_the_flag(district_staff, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        registry_services.register_enterprise(
            district_staff,
            uscc="91500103MA5U000001",
            name="自称建会有限公司",
            unit=yuzhong,
            industry="C",
            ownership="private",
            employee_count=40,
            union_established=True,
        )
    assert "union_established" in excinfo.value.message_dict
    firm = EnterpriseFactory(unit=yuzhong)
    with pytest.raises(ValidationError):
        registry_services.update_enterprise(district_staff, firm, union_established=True)
    assert not Enterprise.objects.get(pk=firm.pk).union_established


def test_the_form_has_no_flag_and_the_api_says_where_it_is_kept(
    district_staff, yuzhong, api_client, login_client
):
    firm = EnterpriseFactory(unit=yuzhong, employee_count=40)
    response = login_client(district_staff).get(f"/registry/enterprises/{firm.uscc}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="employee_count"' in page
    assert 'name="union_established"' not in page
    client = api_client(district_staff)
    refused = client.patch(
        f"{BASE}{firm.uscc}/", {"union_established": True, "version": 1}, format="json"
    )
    assert refused.status_code == 400
    assert "工会组织" in refused.json()["union_established"][0]
    assert not Enterprise.objects.get(pk=firm.pk).union_established
    # Sending back the stored value (a PUT of what was read) is no change and passes.
    same = client.patch(
        f"{BASE}{firm.uscc}/",
        {"union_established": False, "employee_count": 41, "version": 1},
        format="json",
    )
    assert same.status_code == 200, same.content
    assert same.json()["union_established"] is False


def test_flag_filter_and_key_enterprises_read_the_same_union_records(
    union_officer, district_staff, firms
):
    establish(union_officer, firms.big)
    today = timezone.localdate()
    flagged = set(filter_enterprises(Enterprise.objects.all(), {"union": "yes"}))
    key = set(queries.key_enterprises(Enterprise.objects.all(), today))
    assert flagged == {firms.big} and key == {firms.big}


def test_migration_aligns_existing_flags_with_the_union_records(union_officer, firms):
    union = establish(union_officer, firms.big)  # the flag is set by the service
    establish(union_officer, firms.mid)
    services.dissolve_union(
        union_officer,
        Union.objects.get(enterprise=firms.mid),
        dissolved_on=date(2025, 1, 2),
        reason="企业改制",
    )
    # What the old form and import left behind: flags that disagree with the records.
    Enterprise.objects.filter(pk=firms.big.pk).update(union_established=False)
    Enterprise.objects.filter(pk__in=[firms.small.pk, firms.mid.pk]).update(union_established=True)
    migration = importlib.import_module("yutong.relations.migrations.0003_union_flag_truth")
    migration.align_flags(apps, None)
    flags = dict(Enterprise.objects.values_list("pk", "union_established"))
    assert flags[union.enterprise_id] is True
    assert flags[firms.small.pk] is False and flags[firms.mid.pk] is False


# --- the committee rule counts members ---------------------------------------------------------


def test_committee_list_counts_members_not_employees(union_officer, firms):
    today = timezone.localdate()
    # 300 employees, 20 members: an organiser is lawful (工会法 Art.11 counts members).
    establish(union_officer, firms.big, form="organiser", members=20, fulltime_staff=0)
    assert set(queries.todo_list(union_officer, "no_committee", today)) == set()
    # 30 employees: no union at all is not this list's business (it is about the committee).
    assert firms.small not in set(queries.todo_list(union_officer, "no_committee", today))


def test_members_that_grew_past_the_threshold_are_recorded_and_listed(union_officer, firms):
    today = timezone.localdate()
    union = establish(union_officer, firms.small, form="organiser", members=20, fulltime_staff=0)
    grown = services.update_union(
        union_officer,
        union,
        name=union.name,
        form="organiser",
        members=26,
        chair=union.chair,
        fulltime_staff=0,
        dues_rate=Decimal("2"),
    )
    assert grown.members == 26
    assert set(queries.todo_list(union_officer, "no_committee", today)) == {firms.small}
    # A committee elected: off the list.
    services.update_union(
        union_officer,
        grown,
        name=grown.name,
        form="committee",
        members=26,
        chair=grown.chair,
        fulltime_staff=0,
        dues_rate=Decimal("2"),
    )
    assert set(queries.todo_list(union_officer, "no_committee", today)) == set()


def test_a_committee_cannot_be_turned_back_into_an_organiser_for_25_members(union_officer, firms):
    union = establish(union_officer, firms.small, members=26, fulltime_staff=0)
    with pytest.raises(ValidationError) as excinfo:
        services.update_union(
            union_officer,
            union,
            name=union.name,
            form="organiser",
            members=26,
            chair=union.chair,
            fulltime_staff=0,
            dues_rate=Decimal("2"),
        )
    assert "form" in excinfo.value.message_dict


def test_the_member_threshold_is_a_dated_setting(city_admin, union_officer, firms):
    today = timezone.localdate()
    union = establish(union_officer, firms.small, form="organiser", members=20, fulltime_staff=0)
    assert set(queries.todo_list(union_officer, "no_committee", today)) == set()
    core_services.set_parameter(
        city_admin,
        code="union_committee_min_members",
        valid_from=date(2025, 1, 1),
        value=Decimal("15"),
        source="测试",
    )
    assert set(queries.todo_list(union_officer, "no_committee", today)) == {union.enterprise}
    # As of a day before the new value, the old threshold (25) applies.
    assert set(queries.todo_list(union_officer, "no_committee", date(2024, 12, 31))) == set()
