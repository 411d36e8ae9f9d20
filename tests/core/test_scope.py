"""Data scope: a user's unit subtree, merged units, the cache of subtrees, the unit tree itself."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import EnterpriseFactory, TownshipFactory, UserFactory
from yutong.core import roles, scope, services
from yutong.core.models import AuditEntry, OrgUnit
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def codes(ids):
    return set(OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))


def test_migrations_load_the_city_and_41_district_level_units(units):
    assert OrgUnit.objects.filter(level=OrgUnit.Level.CITY).count() == 1
    assert OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT).count() == 41
    assert units.city.path == "500000/"
    assert units.yuzhong.path == "500000/500103/"
    assert units.jiangbei.valid_to == date(2025, 11, 5)
    assert units.jiangbei.successor == units.liangjiang
    assert units.jiangbei.current == units.liangjiang
    assert units.yubei.current == units.liangjiang
    assert units.liangjiang.current == units.liangjiang
    assert units.jiangbei.is_current is False
    assert units.yuzhong.is_current is True


def test_district_subtree_is_the_district_and_its_townships_only(units):
    street = TownshipFactory(parent=units.yuzhong, name="解放碑街道")
    other_street = TownshipFactory(parent=units.shapingba, name="小龙坎街道")
    assert codes(scope.subtree_ids(units.yuzhong)) == {"500103", street.code}
    assert other_street.code not in codes(scope.subtree_ids(units.yuzhong))


def test_merged_units_belong_to_their_successor(units):
    jiangbei_street = TownshipFactory(parent=units.jiangbei, name="观音桥街道")
    yubei_street = TownshipFactory(parent=units.yubei, name="龙溪街道")
    assert codes(scope.subtree_ids(units.liangjiang)) == {
        "500157",
        "500105",
        "500112",
        jiangbei_street.code,
        yubei_street.code,
    }
    # The ended district itself does not gain its successor's files.
    assert codes(scope.subtree_ids(units.jiangbei)) == {"500105", jiangbei_street.code}


def test_city_users_and_superusers_see_everything(units, city_admin, district_staff):
    superuser = UserFactory(is_superuser=True, unit=None)
    assert scope.unit_ids_for(city_admin) is None
    assert scope.unit_ids_for(superuser) is None
    assert scope.sees_everything(district_staff) is False
    assert codes(scope.unit_ids_for(district_staff)) == {"500103"}


def test_users_without_a_unit_and_anonymous_users_see_nothing(units):
    no_unit = UserFactory(unit=None, roles=[roles.DISTRICT_STAFF])
    assert scope.unit_ids_for(no_unit) == []
    assert scope.unit_ids_for(AnonymousUser()) == []
    assert scope.unit_in_scope(no_unit, units.yuzhong) is False
    assert scope.unit_in_scope(no_unit, None) is False


def test_unit_in_scope(units, district_staff, liangjiang_staff, city_admin):
    assert scope.unit_in_scope(district_staff, units.yuzhong) is True
    assert scope.unit_in_scope(district_staff, units.shapingba) is False
    assert scope.unit_in_scope(district_staff, None) is False
    assert scope.unit_in_scope(liangjiang_staff, units.jiangbei) is True
    assert scope.unit_in_scope(liangjiang_staff, units.yuzhong) is False
    assert scope.unit_in_scope(city_admin, None) is True
    assert scope.unit_in_scope(city_admin, units.shapingba) is True


def test_restrict_to_units_filters_a_queryset(units, district_staff, liangjiang_staff):
    in_yuzhong = EnterpriseFactory(unit=units.yuzhong)
    EnterpriseFactory(unit=units.shapingba)
    in_jiangbei = EnterpriseFactory(unit=units.jiangbei)
    in_yubei = EnterpriseFactory(unit=units.yubei)
    in_liangjiang = EnterpriseFactory(unit=units.liangjiang)
    assert list(scope.restrict_to_units(Enterprise.objects.all(), district_staff)) == [in_yuzhong]
    assert set(scope.restrict_to_units(Enterprise.objects.all(), liangjiang_staff)) == {
        in_jiangbei,
        in_yubei,
        in_liangjiang,
    }


def test_units_visible_to(units, district_staff, city_admin):
    assert set(scope.units_visible_to(district_staff).values_list("code", flat=True)) == {"500103"}
    assert scope.units_visible_to(city_admin).count() == OrgUnit.objects.count() == 42


def test_subtree_cache_is_invalidated_when_the_tree_changes(units, city_admin):
    assert codes(scope.subtree_ids(units.yuzhong)) == {"500103"}
    # A division change: 沙坪坝区 (hypothetically) merged into 渝中区.
    services.end_org_unit(
        city_admin, units.shapingba, valid_to=date(2026, 1, 1), successor=units.yuzhong
    )
    assert codes(scope.subtree_ids(units.yuzhong)) == {"500103", "500106"}
    units.shapingba.refresh_from_db()
    assert units.shapingba.current == units.yuzhong
    entry = AuditEntry.objects.get(action="end_org_unit")
    assert entry.object_id == "500106"
    assert entry.changes == {"successor": [None, "渝中区"], "valid_to": [None, "2026-01-01"]}


def test_end_org_unit_rules(units, city_admin, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.end_org_unit(
            city_admin, units.yuzhong, valid_to=date(2026, 1, 1), successor=units.yuzhong
        )
    assert excinfo.value.message_dict == {"successor": ["承继单位不能是其自身。"]}
    units.shapingba.valid_from = date(2020, 1, 1)
    units.shapingba.save()
    with pytest.raises(ValidationError) as excinfo:
        services.end_org_unit(
            city_admin, units.shapingba, valid_to=date(2019, 12, 31), successor=units.yuzhong
        )
    assert excinfo.value.message_dict == {"valid_to": ["终止日期不能早于生效日期。"]}
    with pytest.raises(PermissionDenied):
        services.end_org_unit(
            district_staff, units.yuzhong, valid_to=date(2026, 1, 1), successor=units.shapingba
        )
    units.yuzhong.refresh_from_db()
    assert units.yuzhong.valid_to is None


def test_rebuild_unit_tree_repairs_paths_and_successor_chains(units):
    street = OrgUnit.objects.create(
        code="500103001",
        name="七星岗街道",
        level=OrgUnit.Level.TOWNSHIP,
        kind=OrgUnit.Kind.STREET,
        parent=units.yuzhong,
        path="wrong/",
    )
    # A hypothetical chain street → 沙坪坝区 → 两江新区: ``current`` follows every link.
    street.successor = units.shapingba
    street.save()
    units.shapingba.successor = units.liangjiang
    units.shapingba.save()
    services.rebuild_unit_tree()
    street.refresh_from_db()
    assert street.path == "500000/500103/500103001/"
    assert street.current == units.liangjiang
    units.yuzhong.refresh_from_db()
    assert units.yuzhong.path == "500000/500103/"
    assert units.yuzhong.current == units.yuzhong


def test_valid_on(units):
    assert units.jiangbei.is_valid_on(date(2025, 11, 5)) is True
    assert units.jiangbei.is_valid_on(date(2025, 11, 6)) is False
    in_force = OrgUnit.objects.filter(OrgUnit.valid_on_q(date(2025, 11, 6)), level="district")
    assert in_force.count() == 39
    assert not in_force.filter(code__in=["500105", "500112"]).exists()


def test_unit_page_shows_the_users_units_only(units, district_staff, city_admin, login_client):
    street = TownshipFactory(parent=units.yuzhong, name="解放碑街道")
    response = login_client(district_staff).get("/core/units/")
    assert response.status_code == 200
    assert [u.code for u in response.context["units"]] == ["500103"]
    response = login_client(district_staff).get("/core/units/", {"parent": "500103"})
    assert [u.code for u in response.context["units"]] == [street.code]
    response = login_client(city_admin).get("/core/units/")
    districts = {u.code: u for u in response.context["units"]}
    assert len(districts) == 42
    assert districts["500105"].current.code == "500157"
    assert "两江新区" in response.content.decode()
