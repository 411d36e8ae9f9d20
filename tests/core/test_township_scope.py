"""The township part of the data scope (core/scope.py): a township account's records are those
its model places in that township; district accounts keep theirs, through the same filter."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, UserFactory, township_staff
from yutong.core import roles, scope
from yutong.core.models import OrgUnit, User
from yutong.core.permissions import require_record
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(units, towns):
    return {
        "x": EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="X 企业"),
        "y": EnterpriseFactory(unit=units.yuzhong, township=towns.y, name="Y 企业"),
        "none": EnterpriseFactory(unit=units.yuzhong, name="无镇街企业"),
        "z": EnterpriseFactory(unit=units.shapingba, township=towns.z, name="Z 企业"),
    }


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_a_township_account_reads_its_townships_records(towns, placed):
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    assert names(scope.restrict_to_units(Enterprise.objects.all(), user)) == {"X 企业"}


def test_a_district_account_reads_its_whole_district_as_before(district_staff, placed):
    assert names(scope.restrict_to_units(Enterprise.objects.all(), district_staff)) == {
        "X 企业",
        "Y 企业",
        "无镇街企业",
    }


def test_the_district_filter_stays_on_the_unit_column_alone(district_staff, towns, placed):
    # unit_id IN (district) only: the townships of the subtree add nothing for a district
    # account, and leaving them out keeps the (unit, name, id) index usable.
    sql = str(scope.restrict_to_units(Enterprise.objects.all(), district_staff).query)
    assert "township_id" not in sql.split(" WHERE ")[1]


def test_a_model_without_townships_is_filtered_on_its_unit(towns, units):
    # Users carry their own unit: a township account sees the accounts of its township.
    colleague = UserFactory(unit=towns.x)
    UserFactory(unit=towns.y)
    UserFactory(unit=units.yuzhong)
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    visible = scope.restrict_to_units(User.objects.all(), user)
    assert set(visible) == {colleague, user}


def test_record_in_scope_agrees_with_the_filter(towns, placed, district_staff, city_admin):
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    for key, enterprise in placed.items():
        assert scope.record_in_scope(user, enterprise) is (key == "x")
        assert scope.record_in_scope(district_staff, enterprise) is (key != "z")
        assert scope.record_in_scope(city_admin, enterprise) is True
    require_record(user, placed["x"])
    with pytest.raises(PermissionDenied):
        require_record(user, placed["y"])


def test_an_unsaved_record_is_judged_by_where_it_would_be_placed(units, towns, district_staff):
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    assert scope.record_in_scope(user, Enterprise(unit=units.yuzhong, township=towns.x))
    assert not scope.record_in_scope(user, Enterprise(unit=units.yuzhong, township=towns.y))
    assert not scope.record_in_scope(user, Enterprise(unit=units.yuzhong))
    assert scope.record_in_scope(district_staff, Enterprise(unit=units.yuzhong, township=towns.y))
    assert not scope.record_in_scope(district_staff, Enterprise(unit=units.shapingba))


def test_a_township_account_picks_its_district_as_the_unit_of_new_records(
    units, towns, district_staff
):
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    codes = set(scope.units_visible_to(user).values_list("code", flat=True))
    assert codes == {units.yuzhong.code, towns.x.code}
    # ... which does not make the district's records its own.
    assert scope.unit_in_scope(user, units.yuzhong) is False
    assert set(scope.units_visible_to(district_staff)) == {units.yuzhong, towns.x, towns.y}


def test_a_township_merged_across_a_district_boundary_goes_with_its_successor(
    units, towns, placed, shapingba_staff
):
    # A street of 渝中区 merged into a street of 沙坪坝区: 沙坪坝's staff and the successor
    # street's staff keep its records, though those records still name 渝中区 as their unit.
    towns.y.current = towns.z
    towns.y.save(update_fields=["current"])
    scope.invalidate_unit_cache()
    assert names(scope.restrict_to_units(Enterprise.objects.all(), shapingba_staff)) == {
        "Z 企业",
        "Y 企业",
    }
    z_user = township_staff(towns.z, roles.DISTRICT_STAFF)
    assert names(scope.restrict_to_units(Enterprise.objects.all(), z_user)) == {"Z 企业", "Y 企业"}
    assert scope.record_in_scope(z_user, placed["y"]) is True


def test_reach_splits_the_subtree(units, towns):
    reach = scope.reach_of(units.yuzhong)
    assert set(reach.units) == {units.yuzhong.pk, towns.x.pk, towns.y.pk}
    assert reach.districts == (units.yuzhong.pk,)
    assert reach.townships == ()
    town = scope.reach_of(towns.x)
    assert (town.units, town.districts, town.townships) == ((towns.x.pk,), (), (towns.x.pk,))
    assert OrgUnit.objects.get(pk=towns.x.pk).level == OrgUnit.Level.TOWNSHIP


def test_an_account_without_a_unit_still_sees_nothing(placed):
    user = UserFactory(unit=None, roles=[roles.DISTRICT_STAFF])
    assert not scope.restrict_to_units(Enterprise.objects.all(), user).exists()
    assert scope.record_in_scope(user, placed["x"]) is False


def test_a_new_record_is_judged_by_its_district_as_well_as_its_township(
    units, towns, district_staff
):
    # A township account files under its own district only: naming its township is not
    # enough to file the record under another district.
    user = township_staff(towns.x, roles.DISTRICT_STAFF)
    assert scope.record_in_scope(user, Enterprise(unit=units.yuzhong, township=towns.x))
    assert not scope.record_in_scope(user, Enterprise(unit=units.shapingba, township=towns.x))
    # A district account does not name another district's township in a field of the record.
    assert not scope.record_in_scope(
        district_staff, Enterprise(unit=units.yuzhong, township=towns.z)
    )
    assert not scope.record_in_scope(
        district_staff, Enterprise(unit=units.shapingba, township=towns.z)
    )


def test_a_township_merged_in_does_not_let_a_district_file_under_another_district(
    units, towns, shapingba_staff, placed
):
    towns.y.current = towns.z
    towns.y.save(update_fields=["current"])
    scope.invalidate_unit_cache()
    # 沙坪坝 keeps the merged street's old records (filed under 渝中区) ...
    assert scope.record_in_scope(shapingba_staff, placed["y"]) is True
    # ... but files nothing new under 渝中区 through it.
    new = Enterprise(unit=units.yuzhong, township=towns.y)
    assert scope.record_in_scope(shapingba_staff, new) is False
    assert scope.record_in_scope(shapingba_staff, Enterprise(unit=units.shapingba)) is True
    # The unit pickers offer what may be filed: not 渝中区.
    assert units.yuzhong not in set(scope.units_visible_to(shapingba_staff))
