"""Industrial parks through the registry services: create, edit (with history), close and
reopen, each permitted, audited and kept within the actor's units; a park read as of a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from tests.factories import IndustrialParkFactory, TownshipFactory, township_staff
from yutong.core import audit, roles
from yutong.core.models import AuditEntry
from yutong.registry import history, services
from yutong.registry.models import IndustrialPark, ParkState

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _create(actor, unit, **data):
    data.setdefault("code", "P0001")
    data.setdefault("name", "渝中数字经济产业园")
    return services.create_park(actor, unit=unit, **data)


def _operating_on(day) -> set[str]:
    """Parks counted on ``day``, read the way the coverage reads them."""
    counts = history.PARKS.grouped_counts(day, lambda key: Q(is_active=True), "unit")
    return counts


def _codes_on(day) -> set[str]:
    condition = history.PARKS.as_of_q(day, lambda key: Q(is_active=True))
    return set(IndustrialPark.objects.filter(condition).values_list("code", flat=True))


# --- create ---------------------------------------------------------------------------------


def test_district_staff_create_a_park_of_their_district(district_staff, yuzhong):
    park = _create(
        district_staff, yuzhong, code=" p0001 ", established_on=date(2015, 3, 1), address="  x "
    )
    park.refresh_from_db()
    assert (park.code, park.address, park.is_active) == ("P0001", "x", True)
    assert park.state_since == date(2015, 3, 1)  # its history starts on its founding day
    entry = AuditEntry.objects.get(action="create_park")
    assert entry.object_id == str(park.pk) and entry.unit_id == yuzhong.pk
    assert entry.changes["code"] == [None, "P0001"]
    assert ("园区代码", "（空）", "P0001") in audit.display_changes(entry)


def test_create_refuses_another_district_and_other_roles(
    district_staff, shapingba, mediator, auditor, yuzhong
):
    with pytest.raises(PermissionDenied):
        _create(district_staff, shapingba)
    for actor in (mediator, auditor):
        with pytest.raises(PermissionDenied):
            _create(actor, yuzhong)
    assert not IndustrialPark.objects.exists()
    assert not AuditEntry.objects.filter(action="create_park").exists()


def test_create_reports_every_problem_per_field(city_admin, yuzhong, shapingba):
    IndustrialParkFactory(code="P0001")
    other = TownshipFactory(parent=shapingba, name="小龙坎街道")
    with pytest.raises(ValidationError) as caught:
        services.create_park(
            city_admin,
            code="P0001",
            name="",
            unit=yuzhong,
            township=other,
            established_on=TODAY + timedelta(days=1),
        )
    errors = caught.value.message_dict
    assert errors["code"] == ["该园区代码已登记。"]
    assert "name" in errors
    assert errors["township"] == ["小龙坎街道不属于渝中区。"]
    assert errors["established_on"] == ["设立日期不能晚于今天。"]
    with pytest.raises(ValidationError) as caught:
        services.create_park(city_admin, code="P0002", name="园", unit=None)
    assert caught.value.message_dict == {"unit": ["请选择所在区县。"]}


def test_create_refuses_an_ended_district(city_admin, jiangbei):
    with pytest.raises(ValidationError) as caught:
        _create(city_admin, jiangbei)
    assert "已于" in caught.value.message_dict["unit"][0]


# --- edit and history -----------------------------------------------------------------------


def test_a_move_keeps_the_unit_of_the_days_before(city_admin, yuzhong, shapingba):
    park = _create(city_admin, yuzhong, established_on=date(2015, 3, 1))
    moved_on = TODAY - timedelta(days=30)
    park = services.update_park(
        city_admin, park, expected_version=1, effective_on=moved_on, unit=shapingba
    )
    assert (park.unit_id, park.state_since, park.version) == (shapingba.pk, moved_on, 2)
    state = ParkState.objects.get(park=park)
    assert (state.valid_from, state.valid_until, state.unit_id, state.is_active) == (
        date(2015, 3, 1),
        moved_on,
        yuzhong.pk,
        True,
    )
    before = moved_on - timedelta(days=1)
    assert _operating_on(before) == {yuzhong.pk: (0, 1)}
    assert _operating_on(moved_on) == {shapingba.pk: (0, 1)}
    entry = AuditEntry.objects.get(action="update_park")
    assert entry.changes["unit"] == ["渝中区", "沙坪坝区"]
    assert ("变更日期", "（空）", moved_on.isoformat()) in audit.display_changes(entry)


def test_a_correction_keeps_nothing_and_a_name_change_is_no_move(city_admin, yuzhong, shapingba):
    park = _create(city_admin, yuzhong)
    services.update_park(city_admin, park, unit=shapingba, correction=True)
    services.update_park(city_admin, park, name="新名称")
    assert not ParkState.objects.exists()
    assert IndustrialPark.objects.get().name == "新名称"


def test_a_stale_version_is_a_conflict(city_admin, yuzhong):
    park = _create(city_admin, yuzhong)
    services.update_park(city_admin, park, name="甲")
    with pytest.raises(ValidationError) as caught:
        services.update_park(city_admin, park, expected_version=1, name="乙")
    assert caught.value.code == "conflict"


def test_edit_refuses_unknown_fields_and_other_districts(district_staff, shapingba_staff, yuzhong):
    park = _create(district_staff, yuzhong)
    with pytest.raises(ValidationError) as caught:
        services.update_park(district_staff, park, is_active=False)
    assert caught.value.message_dict == {"is_active": ["该字段不能修改。"]}
    with pytest.raises(PermissionDenied):
        services.update_park(shapingba_staff, park, name="外区改名")
    with pytest.raises(PermissionDenied):
        services.close_park(shapingba_staff, park)
    # Moving one's own park into another district is refused too.
    with pytest.raises(PermissionDenied):
        services.update_park(district_staff, park, unit=shapingba_staff.unit)
    assert IndustrialPark.objects.get().name == "渝中数字经济产业园"


# --- close and reopen -----------------------------------------------------------------------


def test_a_closed_park_counts_before_its_closing_day_only(district_staff, yuzhong):
    park = _create(district_staff, yuzhong, established_on=date(2015, 3, 1))
    closed_on = TODAY - timedelta(days=10)
    park = services.close_park(district_staff, park, closed_on=closed_on)
    assert (park.is_active, park.closed_on, park.state_since) == (False, closed_on, closed_on)
    assert _codes_on(closed_on - timedelta(days=1)) == {"P0001"}
    assert _codes_on(closed_on) == set()
    assert _codes_on(TODAY) == set()
    assert _codes_on(date(2015, 2, 28)) == set()  # not yet set up
    entry = AuditEntry.objects.get(action="close_park")
    assert entry.changes["is_active"] == [True, False]
    assert entry.changes["closed_on"] == [None, closed_on.isoformat()]
    with pytest.raises(ValidationError) as caught:
        services.close_park(district_staff, park)
    assert caught.value.message_dict == {"closed_on": ["该园区已撤销。"]}


def test_close_refuses_a_future_day_and_a_day_before_founding(district_staff, yuzhong):
    park = _create(district_staff, yuzhong, established_on=date(2015, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.close_park(district_staff, park, closed_on=TODAY + timedelta(days=1))
    assert caught.value.message_dict == {"closed_on": ["日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as caught:
        services.close_park(district_staff, park, closed_on=date(2015, 1, 1))
    assert "设立日期" in caught.value.message_dict["closed_on"][0]
    assert IndustrialPark.objects.get().is_active


def test_reopen_counts_again_from_its_day(district_staff, yuzhong):
    park = _create(district_staff, yuzhong, established_on=date(2015, 3, 1))
    closed_on, reopened_on = TODAY - timedelta(days=20), TODAY - timedelta(days=5)
    services.close_park(district_staff, park, closed_on=closed_on)
    park = services.reopen_park(district_staff, park, reopened_on=reopened_on)
    assert (park.is_active, park.closed_on) == (True, None)
    assert _codes_on(closed_on - timedelta(days=1)) == {"P0001"}
    assert _codes_on(closed_on + timedelta(days=1)) == set()
    assert _codes_on(reopened_on) == {"P0001"}
    with pytest.raises(ValidationError) as caught:
        services.reopen_park(district_staff, park)
    assert caught.value.message_dict == {"reopened_on": ["该园区运营中，无需恢复。"]}
    entry = AuditEntry.objects.get(action="reopen_park")
    assert ("恢复运营日期", "（空）", reopened_on.isoformat()) in audit.display_changes(entry)


def test_a_park_that_was_closed_before_the_records_stays_uncounted(yuzhong):
    """Parks from before this history (as migration 0009 leaves them): no dates at all."""
    IndustrialParkFactory(code="OPEN", unit=yuzhong)
    IndustrialParkFactory(code="SHUT", unit=yuzhong, is_active=False)
    assert _codes_on(date(2020, 1, 1)) == {"OPEN"}
    assert _codes_on(TODAY) == {"OPEN"}


# --- township accounts ----------------------------------------------------------------------


def test_a_township_account_acts_on_its_townships_parks_only(units, towns):
    x_staff = township_staff(towns.x, roles.DISTRICT_STAFF)
    own = _create(x_staff, units.yuzhong, township=towns.x)
    with pytest.raises(PermissionDenied):
        _create(x_staff, units.yuzhong, code="P0002", township=towns.y)
    with pytest.raises(PermissionDenied):
        _create(x_staff, units.yuzhong, code="P0003")  # no township: the district's business
    neighbour = IndustrialParkFactory(unit=units.yuzhong, township=towns.y)
    with pytest.raises(PermissionDenied):
        services.close_park(x_staff, neighbour)
    services.close_park(x_staff, own)
    assert not IndustrialPark.objects.get(pk=own.pk).is_active


# --- enterprises and closed parks -------------------------------------------------------------


def test_no_enterprise_moves_into_a_closed_park(district_staff, yuzhong, login_client):
    from tests.factories import EnterpriseFactory

    park = _create(district_staff, yuzhong, established_on=date(2015, 3, 1))
    open_park = _create(district_staff, yuzhong, code="P0002", name="渝中第二园区")
    inside = EnterpriseFactory(unit=yuzhong, park=park)
    outside = EnterpriseFactory(unit=yuzhong)
    services.close_park(district_staff, park, closed_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        services.update_enterprise(district_staff, outside, park=park, correction=True)
    assert "已撤销" in caught.value.message_dict["park"][0]
    # An enterprise already in it keeps it through other edits.
    kept = services.update_enterprise(district_staff, inside, name="园区内企业（更名）")
    assert kept.park == park
    # The form offers parks in operation, plus the enterprise's own even if closed.
    client = login_client(district_staff)
    offered = client.get("/registry/enterprises/new/").context["form"].fields["park"].queryset
    assert list(offered) == [open_park]
    edit = client.get(f"/registry/enterprises/{inside.uscc}/edit/").context["form"]
    assert set(edit.fields["park"].queryset) == {park, open_park}
