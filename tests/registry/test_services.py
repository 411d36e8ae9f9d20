"""Registering and editing enterprises through the services: rules, scope, audit, concurrency."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tests.factories import (
    PHONE,
    EnterpriseFactory,
    IndustrialParkFactory,
    OrganisationFactory,
    TownshipFactory,
    UserFactory,
    make_uscc,
)
from yutong.core import roles
from yutong.core.models import AuditEntry, Organisation
from yutong.core.personal import blind_index
from yutong.registry import queries, services
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

USCC = make_uscc("500103", 77)
CONFLICT = "该企业信息已被他人修改，请刷新页面查看最新内容后再保存。"


def valid(unit, **overrides):
    data = {
        "uscc": USCC,
        "name": "山城精密制造有限公司",
        "unit": unit,
        "industry": "C",
        "ownership": "private",
        "employee_count": 320,
    }
    data.update(overrides)
    return data


def refused(excinfo):
    return excinfo.value.message_dict


# --- register ------------------------------------------------------------------------------


def test_register_normalises_and_audits(district_staff, yuzhong):
    street = TownshipFactory(parent=yuzhong, name="解放碑街道")
    park = IndustrialParkFactory(unit=yuzhong, name="渝中楼宇产业园")
    enterprise = services.register_enterprise(
        district_staff,
        **valid(
            yuzhong,
            uscc=" " + USCC[:9].lower() + " " + USCC[9:].lower(),
            name="  山城精密制造有限公司 ",
            township=street,
            park=park,
            contact_phone="138 1234 5678",
        ),
    )
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    assert enterprise.uscc == USCC
    assert enterprise.name == "山城精密制造有限公司"
    assert enterprise.contact_phone == PHONE
    assert enterprise.contact_phone_hash == blind_index(PHONE)
    assert enterprise.version == 1
    assert enterprise.status == "operating"
    entry = AuditEntry.objects.get()
    assert entry.action == "register_enterprise"
    assert entry.actor == district_staff
    assert entry.unit == yuzhong
    assert entry.object_id == str(enterprise.pk)
    assert entry.changes == {
        "contact_phone": [None, "138****5678"],
        "employee_count": [None, 320],
        "industry": [None, "C"],
        "name": [None, "山城精密制造有限公司"],
        "ownership": [None, "private"],
        "park": [None, "渝中楼宇产业园"],
        "status": [None, "operating"],
        "township": [None, "解放碑街道"],
        "union_established": [None, False],  # kept by the union services (relations)
        "unit": [None, "渝中区"],
        "uscc": [None, USCC],
    }
    assert PHONE not in str(entry.changes)


def test_invalid_uscc_is_refused(district_staff, yuzhong):
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    for code in (bad, "12345", "91500103ABCDEFGHI!"):
        with pytest.raises(ValidationError) as excinfo:
            services.register_enterprise(district_staff, **valid(yuzhong, uscc=code))
        assert refused(excinfo) == {"uscc": ["统一社会信用代码无效：应为 18 位，且校验位正确。"]}
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_uscc_is_refused_and_nothing_is_written(district_staff, yuzhong):
    existing = EnterpriseFactory(uscc=USCC, unit=yuzhong, name="先登记的企业")
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(district_staff, **valid(yuzhong, name="后来的企业"))
    assert refused(excinfo) == {"uscc": ["该统一社会信用代码已登记。"]}
    assert list(Enterprise.objects.all()) == [existing]
    assert not AuditEntry.objects.exists()


def test_duplicate_uscc_is_refused_even_when_registered_in_another_district(
    district_staff, yuzhong, shapingba
):
    EnterpriseFactory(uscc=USCC, unit=shapingba)
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(district_staff, **valid(yuzhong))
    assert refused(excinfo) == {"uscc": ["该统一社会信用代码已登记。"]}


def test_township_must_lie_in_the_unit(city_admin, yuzhong, shapingba):
    other = TownshipFactory(parent=shapingba, name="小龙坎街道")
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(city_admin, **valid(yuzhong, township=other))
    assert refused(excinfo) == {"township": ["小龙坎街道不属于渝中区。"]}
    assert not Enterprise.objects.exists()


def test_ended_township_is_refused(city_admin, yuzhong):
    from datetime import date

    old = TownshipFactory(parent=yuzhong, name="旧街道", valid_to=date(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(city_admin, **valid(yuzhong, township=old))
    assert refused(excinfo) == {"township": ["旧街道已撤销。"]}


def test_park_must_lie_in_the_unit(city_admin, yuzhong, shapingba):
    park = IndustrialParkFactory(unit=shapingba, name="西永微电园")
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(city_admin, **valid(yuzhong, park=park))
    assert refused(excinfo) == {"park": ["西永微电园不在渝中区。"]}


def test_ended_unit_is_refused(city_admin, jiangbei, liangjiang):
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(city_admin, **valid(jiangbei, uscc=make_uscc("500105", 1)))
    assert refused(excinfo) == {"unit": ["江北区已于 2025-11-05 撤销，请选择承继单位。"]}
    assert not Enterprise.objects.exists()
    # The successor is accepted.
    services.register_enterprise(city_admin, **valid(liangjiang, uscc=make_uscc("500105", 1)))
    assert Enterprise.objects.get().unit == liangjiang


def test_unit_must_be_district_level(city_admin, city, yuzhong):
    street = TownshipFactory(parent=yuzhong)
    for unit in (city, street):
        with pytest.raises(ValidationError) as excinfo:
            services.register_enterprise(city_admin, **valid(unit))
        assert refused(excinfo) == {"unit": ["所属区县必须是区县级单位。"]}


def test_phone_and_other_field_rules(district_staff, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(
            district_staff, **valid(yuzhong, contact_phone="12345", industry="Z", name="")
        )
    errors = refused(excinfo)
    assert errors["contact_phone"] == [
        "联系电话格式不正确：手机号为 11 位，固定电话如 023-12345678。"
    ]
    assert set(errors) == {"contact_phone", "industry", "name"}
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(district_staff, **valid(yuzhong, secret="x"))
    assert refused(excinfo) == {"secret": ["未知字段。"]}
    data = valid(yuzhong)
    del data["unit"]
    with pytest.raises(ValidationError) as excinfo:
        services.register_enterprise(district_staff, **data)
    assert refused(excinfo) == {"unit": ["请选择所属区县。"]}
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "role", [roles.MEDIATOR, roles.AUDITOR, roles.INSPECTOR, roles.ENTERPRISE_USER]
)
def test_only_registry_editors_register(role, yuzhong):
    user = UserFactory(unit=yuzhong, roles=[role])
    with pytest.raises(PermissionDenied, match="您没有执行此操作的权限。"):
        services.register_enterprise(user, **valid(yuzhong))
    assert not Enterprise.objects.exists()


def test_district_staff_register_only_in_their_district(district_staff, shapingba):
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.register_enterprise(district_staff, **valid(shapingba))
    assert not Enterprise.objects.exists()


# --- update --------------------------------------------------------------------------------


@pytest.fixture
def enterprise(district_staff, yuzhong):
    return services.register_enterprise(
        district_staff, **valid(yuzhong, contact_phone=PHONE, address="渝中区民族路 1 号")
    )


def test_update_writes_before_and_after_with_masked_phone(district_staff, enterprise):
    registered_at = enterprise.updated_at
    updated = services.update_enterprise(
        district_staff,
        enterprise,
        expected_version=1,
        employee_count=350,
        contact_phone="13900001111",
    )
    assert updated.version == 2
    assert updated.updated_at > registered_at
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.employee_count, stored.contact_phone) == (350, "13900001111")
    assert stored.contact_phone_hash == blind_index("13900001111")
    entry = AuditEntry.objects.get(action="update_enterprise")
    today = timezone.localdate().isoformat()
    assert entry.changes == {
        "contact_phone": ["138****5678", "139****1111"],
        "employee_count": [320, 350],
        # A head count is tracked: it changed today, and the old one is kept before that.
        "state_since": [None, today],
        "effective_on": [None, today],
    }
    assert "13900001111" not in str(entry.changes)
    assert PHONE not in str(entry.changes)


def test_update_without_changes_writes_nothing(district_staff, enterprise):
    updated = services.update_enterprise(district_staff, enterprise, employee_count=320)
    assert updated.version == 1
    assert not AuditEntry.objects.filter(action="update_enterprise").exists()


def test_stale_version_is_a_conflict_and_changes_nothing(district_staff, city_admin, enterprise):
    services.update_enterprise(city_admin, enterprise, expected_version=1, name="新名称有限公司")
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(
            district_staff, enterprise, expected_version=1, employee_count=999
        )
    assert excinfo.value.messages == [CONFLICT]
    assert excinfo.value.code == "conflict"
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.name, stored.employee_count, stored.version) == ("新名称有限公司", 320, 2)
    assert AuditEntry.objects.filter(action="update_enterprise").count() == 1


def test_update_refuses_uscc_and_unknown_fields(district_staff, enterprise):
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(district_staff, enterprise, uscc=make_uscc("500103", 78))
    assert refused(excinfo) == {"uscc": ["该字段不能修改。"]}
    assert Enterprise.objects.get(pk=enterprise.pk).uscc == USCC


def test_update_validation_error_changes_nothing(district_staff, enterprise):
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(district_staff, enterprise, contact_phone="not-a-phone")
    assert set(refused(excinfo)) == {"contact_phone"}
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == PHONE


def test_staff_cannot_move_an_enterprise_out_of_their_scope(district_staff, enterprise, shapingba):
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.update_enterprise(district_staff, enterprise, unit=shapingba)
    assert Enterprise.objects.get(pk=enterprise.pk).unit.code == "500103"


def test_staff_cannot_edit_another_districts_enterprise(shapingba_staff, enterprise):
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.update_enterprise(shapingba_staff, enterprise, employee_count=1)
    assert Enterprise.objects.get(pk=enterprise.pk).employee_count == 320


def test_successor_staff_can_move_a_merged_districts_enterprise_to_their_unit(
    liangjiang_staff, jiangbei, liangjiang
):
    old = EnterpriseFactory(unit=jiangbei, name="观音桥商贸有限公司")
    moved = services.update_enterprise(liangjiang_staff, old, unit=liangjiang, employee_count=60)
    assert moved.unit == liangjiang
    today = timezone.localdate().isoformat()
    assert AuditEntry.objects.get(action="update_enterprise").changes == {
        "employee_count": [50, 60],
        "unit": ["江北区", "两江新区"],
        "state_since": [None, today],
        "effective_on": [None, today],
    }
    past = old.states.get()
    assert (past.unit, past.employee_count, past.valid_until) == (
        jiangbei,
        50,
        timezone.localdate(),
    )


# --- read side -----------------------------------------------------------------------------


def test_who_sees_which_enterprises(
    units,
    city_admin,
    auditor,
    district_staff,
    liangjiang_staff,
    mediator,
    enterprise_user,
    own_enterprise,
):
    in_shapingba = EnterpriseFactory(unit=units.shapingba)
    in_jiangbei = EnterpriseFactory(unit=units.jiangbei)
    in_yubei = EnterpriseFactory(unit=units.yubei)
    other_yuzhong = EnterpriseFactory(unit=units.yuzhong)
    everyone = {own_enterprise, in_shapingba, in_jiangbei, in_yubei, other_yuzhong}
    assert set(queries.enterprises_visible_to(city_admin)) == everyone
    assert set(queries.enterprises_visible_to(auditor)) == everyone
    assert set(queries.enterprises_visible_to(district_staff)) == {own_enterprise, other_yuzhong}
    assert set(queries.enterprises_visible_to(mediator)) == {own_enterprise, other_yuzhong}
    assert set(queries.enterprises_visible_to(liangjiang_staff)) == {in_jiangbei, in_yubei}
    assert list(queries.enterprises_visible_to(enterprise_user)) == [own_enterprise]


def test_accounts_without_a_registry_role_see_nothing(yuzhong, own_enterprise):
    no_role = UserFactory(unit=yuzhong)
    assert list(queries.enterprises_visible_to(no_role)) == []
    public = UserFactory(
        unit=yuzhong,
        organisation=OrganisationFactory(kind=Organisation.Kind.PUBLIC, unit=yuzhong),
        roles=[roles.ENTERPRISE_USER],
    )
    # An enterprise role without an enterprise organisation sees nothing at all.
    assert list(queries.enterprises_visible_to(public)) == []


def test_registry_summary(district_staff, yuzhong, shapingba):
    EnterpriseFactory(unit=yuzhong, status="operating")
    EnterpriseFactory(unit=yuzhong, status="suspended")
    EnterpriseFactory(unit=shapingba, status="operating")
    assert queries.registry_summary(district_staff) == {"total": 2, "operating": 1}


def test_uscc_is_unique_in_the_database_too(yuzhong):
    from django.db import IntegrityError, transaction

    EnterpriseFactory(uscc=USCC, unit=yuzhong)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(uscc=USCC, unit=yuzhong)
    assert Enterprise.objects.count() == 1


NAME_CHARS = (
    "重庆市渝中区解放碑朝天门沙坪坝两江新区精密机械制造商贸物流餐饮科技有限责任公司集团股份"
)


@hyp_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_part_of_a_chinese_name_finds_the_enterprise(yuzhong, data):
    from django.db import transaction

    name = data.draw(st.text(alphabet=NAME_CHARS, min_size=1, max_size=40))
    start = data.draw(st.integers(min_value=0, max_value=len(name) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(name)))
    with transaction.atomic():
        enterprise = EnterpriseFactory(unit=yuzhong, name=name)
        found = queries.filter_enterprises(Enterprise.objects.all(), {"q": name[start:end]})
        assert enterprise in found
        transaction.set_rollback(True)


def test_edit_keeps_the_ended_unit_of_its_time(city_admin, jiangbei, liangjiang):
    """An enterprise recorded under 江北区 stays editable without being moved, and can be
    moved to 两江新区; moving another record into 江北区 is refused."""
    old = EnterpriseFactory(unit=jiangbei, uscc=make_uscc("500105", 7))
    edited = services.update_enterprise(city_admin, old, employee_count=321)
    assert (edited.unit, edited.employee_count) == (jiangbei, 321)

    other = EnterpriseFactory(unit=liangjiang, uscc=make_uscc("500157", 8))
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(city_admin, other, unit=jiangbei)
    assert refused(excinfo) == {"unit": ["江北区已于 2025-11-05 撤销，请选择承继单位。"]}

    moved = services.update_enterprise(city_admin, edited, unit=liangjiang)
    assert moved.unit == liangjiang


def test_union_flag_set_by_a_union_officer_of_the_unit(yuzhong, shapingba):
    from tests.factories import EnterpriseFactory, UserFactory
    from yutong.core import roles
    from yutong.core.models import AuditEntry

    officer = UserFactory(username="yz_union_flag", unit=yuzhong, roles=[roles.UNION_OFFICER])
    own = EnterpriseFactory(unit=yuzhong, union_established=False)
    other = EnterpriseFactory(unit=shapingba, union_established=False)
    changed = services.set_union_established(officer, own, True)
    assert changed.union_established is True and changed.version == own.version + 1
    entry = AuditEntry.objects.get(action="set_union_established")
    assert entry.changes == {"union_established": [False, True]}
    with pytest.raises(PermissionDenied):
        services.set_union_established(officer, other, True)
    with pytest.raises(PermissionDenied):
        services.update_enterprise(officer, own, employee_count=5)  # nothing else of it
