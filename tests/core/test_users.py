"""User administration: the services, the pages, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from yutong.core import queries, roles, services
from yutong.core.models import AuditEntry, Organisation, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jiefangbei-2026-new!"


@pytest.fixture
def yuzhong_admin(yuzhong):
    """A system administrator whose unit is 渝中区: manages 渝中's accounts only."""
    return UserFactory(username="yz_admin", unit=yuzhong, roles=[roles.CITY_ADMIN])


@pytest.fixture
def enterprise_org(yuzhong, own_enterprise):
    return OrganisationFactory(
        name=own_enterprise.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=yuzhong,
        uscc=own_enterprise.uscc,
    )


def messages_of(excinfo):
    return excinfo.value.message_dict


# --- services ------------------------------------------------------------------------------


def test_create_user(city_admin, yuzhong):
    user = services.create_user(
        city_admin,
        username="new_staff",
        password=PASSWORD,
        unit=yuzhong,
        role_codes=[roles.DISTRICT_STAFF, roles.INSPECTOR],
        display_name="新同事",
        email="new@example.gov.cn",
    )
    user = User.objects.get(pk=user.pk)
    assert user.role_codes == {roles.DISTRICT_STAFF, roles.INSPECTOR}
    assert user.unit == yuzhong
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD
    entry = AuditEntry.objects.get(action="create_user")
    assert entry.actor == city_admin
    assert entry.object_id == str(user.pk)
    assert entry.changes == {
        "display_name": [None, "新同事"],
        "email": [None, "new@example.gov.cn"],
        "is_active": [None, True],
        "roles": [None, ["district_staff", "inspector"]],
        "unit": [None, "渝中区"],
        "username": [None, "new_staff"],
    }
    assert PASSWORD not in str(entry.changes)


def test_only_user_admins_create_users(district_staff, auditor, yuzhong):
    for actor in (district_staff, auditor):
        with pytest.raises(PermissionDenied, match="您没有执行此操作的权限。"):
            services.create_user(
                actor, username="x1", password=PASSWORD, unit=yuzhong, role_codes=["mediator"]
            )
    assert not User.objects.filter(username="x1").exists()


def test_a_district_admin_manages_its_own_subtree_only(yuzhong_admin, shapingba, shapingba_staff):
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.create_user(
            yuzhong_admin, username="x2", password=PASSWORD, unit=shapingba, role_codes=["mediator"]
        )
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.update_user(yuzhong_admin, shapingba_staff, display_name="改名")
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.set_user_password(yuzhong_admin, shapingba_staff, NEW_PASSWORD)
    shapingba_staff.refresh_from_db()
    assert shapingba_staff.display_name == "王沙坪"
    assert shapingba_staff.check_password(PASSWORD)
    assert not User.objects.filter(username="x2").exists()


def test_organisation_must_be_in_scope(yuzhong_admin, yuzhong, shapingba):
    foreign = OrganisationFactory(unit=shapingba)
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            yuzhong_admin,
            username="x3",
            password=PASSWORD,
            unit=yuzhong,
            organisation=foreign,
            role_codes=["mediator"],
        )
    assert messages_of(excinfo) == {"organisation": ["该机构不在您的管辖范围内。"]}


@pytest.mark.parametrize(
    ("role_codes", "use_enterprise_org", "errors"),
    [
        (["boss", "mediator"], False, {"roles": ["未知角色：boss"]}),
        (["enterprise_user"], False, {"organisation": ["企业用户必须隶属于一家企业。"]}),
        (
            ["enterprise_user", "district_staff"],
            True,
            {"roles": ["企业用户不能同时担任工作人员角色。"]},
        ),
    ],
)
def test_role_assignment_rules(
    city_admin, yuzhong, enterprise_org, role_codes, use_enterprise_org, errors
):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            city_admin,
            username="x4",
            password=PASSWORD,
            unit=yuzhong,
            organisation=enterprise_org if use_enterprise_org else None,
            role_codes=role_codes,
        )
    assert messages_of(excinfo) == errors
    assert not User.objects.filter(username="x4").exists()


def test_unit_is_required(city_admin):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            city_admin, username="x5", password=PASSWORD, unit=None, role_codes=["mediator"]
        )
    assert messages_of(excinfo) == {"unit": ["请选择所属单位。"]}


def test_enterprise_user_with_its_enterprise(city_admin, yuzhong, enterprise_org):
    user = services.create_user(
        city_admin,
        username="ent2",
        password=PASSWORD,
        unit=yuzhong,
        organisation=enterprise_org,
        role_codes=[roles.ENTERPRISE_USER],
    )
    assert user.organisation == enterprise_org


def test_usernames_are_unique_whatever_the_case(city_admin, district_staff, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            city_admin,
            username="YZ_Staff",
            password=PASSWORD,
            unit=yuzhong,
            role_codes=["mediator"],
        )
    assert messages_of(excinfo) == {"username": ["该用户名已被使用。"]}


def test_weak_passwords_are_refused(city_admin, yuzhong):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            city_admin, username="x6", password="12345678901", unit=yuzhong, role_codes=["mediator"]
        )
    assert messages_of(excinfo) == {
        "password": [
            "这个密码太常见了。",
            "密码只包含数字。",
            "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。",
        ]
    }
    assert not User.objects.filter(username="x6").exists()
    assert not AuditEntry.objects.exists()


def test_update_user_audits_roles_before_and_after(city_admin, district_staff, shapingba):
    services.update_user(
        city_admin,
        district_staff,
        role_codes=[roles.MEDIATOR],
        display_name="李渝中（调解）",
        unit=shapingba,
    )
    district_staff = User.objects.get(pk=district_staff.pk)
    assert district_staff.role_codes == {roles.MEDIATOR}
    assert district_staff.unit == shapingba
    entry = AuditEntry.objects.get(action="update_user")
    assert entry.changes == {
        "display_name": ["李渝中", "李渝中（调解）"],
        "roles": [["district_staff"], ["mediator"]],
        "unit": ["渝中区", "沙坪坝区"],
    }


def test_update_user_refuses_username_and_self_deactivation(city_admin, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(city_admin, district_staff, username="renamed")
    assert messages_of(excinfo) == {"username": ["该字段不能修改。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(city_admin, city_admin, is_active=False)
    assert messages_of(excinfo) == {"is_active": ["不能停用自己的账号。"]}
    city_admin.refresh_from_db()
    assert city_admin.is_active is True


def test_deactivated_users_cannot_log_in(city_admin, district_staff):
    services.update_user(city_admin, district_staff, is_active=False)
    response = Client().post("/login/", {"username": "yz_staff", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_set_password(city_admin, district_staff, mediator):
    services.set_user_password(district_staff, district_staff, NEW_PASSWORD)  # one's own
    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.set_user_password(district_staff, mediator, NEW_PASSWORD)
    services.set_user_password(city_admin, mediator, NEW_PASSWORD)
    mediator.refresh_from_db()
    assert mediator.check_password(NEW_PASSWORD)
    entries = AuditEntry.objects.filter(action="set_password")
    assert entries.count() == 2
    assert all(e.changes == {"password": ["***", "***"]} for e in entries)


def test_ensure_organisation_is_idempotent_and_audited(city_admin, yuzhong):
    first = services.ensure_organisation(
        city_admin, kind=Organisation.Kind.TRADE_UNION, unit=yuzhong, name="渝中区总工会"
    )
    second = services.ensure_organisation(
        city_admin, kind=Organisation.Kind.TRADE_UNION, unit=yuzhong, name="渝中区总工会"
    )
    assert first == second
    assert AuditEntry.objects.filter(action="create_organisation").count() == 1


def test_users_visible_to(yuzhong_admin, city_admin, district_staff, shapingba_staff, mediator):
    assert set(queries.users_visible_to(yuzhong_admin)) == {yuzhong_admin, district_staff, mediator}
    assert {district_staff, shapingba_staff, city_admin} <= set(
        queries.users_visible_to(city_admin)
    )
    assert list(queries.users_visible_to(district_staff)) == []


# --- pages ---------------------------------------------------------------------------------


def test_user_list_and_filters(city_admin, district_staff, mediator, login_client):
    client = login_client(city_admin)
    response = client.get("/core/users/")
    assert response.status_code == 200
    assert {u.username for u in response.context["object_list"]} == {
        "city_admin",
        "yz_staff",
        "yz_mediator",
    }
    response = client.get("/core/users/", {"q": "渝中"})
    assert [u.username for u in response.context["object_list"]] == ["yz_staff"]
    response = client.get("/core/users/", {"role": roles.MEDIATOR})
    assert [u.username for u in response.context["object_list"]] == ["yz_mediator"]


def test_create_user_through_the_form(city_admin, yuzhong, login_client):
    client = login_client(city_admin)
    assert client.get("/core/users/new/").status_code == 200
    response = client.post(
        "/core/users/new/",
        {
            "username": "form_user",
            "display_name": "表单用户",
            "email": "",
            "unit": yuzhong.pk,
            "roles": [roles.INSPECTOR],
            "password": PASSWORD,
            "is_active": "on",
        },
    )
    user = User.objects.get(username="form_user")
    assert response.status_code == 302
    assert response["Location"] == f"/core/users/{user.pk}/"
    assert user.role_codes == {roles.INSPECTOR}
    detail = client.get(response["Location"])
    assert "已创建用户 form_user。" in detail.content.decode()
    assert "劳动保障监察员（inspector）" in detail.content.decode()
    # The new account can log in.
    assert Client().post(
        "/login/", {"username": "form_user", "password": PASSWORD}
    ).status_code == (302)


def test_create_user_form_shows_service_errors_on_the_field(city_admin, yuzhong, login_client):
    response = login_client(city_admin).post(
        "/core/users/new/",
        {
            "username": "no_org",
            "unit": yuzhong.pk,
            "roles": [roles.ENTERPRISE_USER],
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"organisation": ["企业用户必须隶属于一家企业。"]}
    assert not User.objects.filter(username="no_org").exists()


def test_create_user_form_requires_a_role(city_admin, yuzhong, login_client):
    response = login_client(city_admin).post(
        "/core/users/new/", {"username": "no_role", "unit": yuzhong.pk, "password": PASSWORD}
    )
    assert response.context["form"].errors == {"roles": ["请至少选择一个角色。"]}


def test_edit_user_and_reset_password(city_admin, district_staff, yuzhong, login_client):
    client = login_client(city_admin)
    url = f"/core/users/{district_staff.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "ignored-because-disabled",
            "display_name": "李渝中二",
            "email": "",
            "unit": yuzhong.pk,
            "roles": [roles.DISTRICT_STAFF, roles.MEDIATOR],
            "password": NEW_PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    district_staff = User.objects.get(pk=district_staff.pk)
    assert district_staff.username == "yz_staff"
    assert district_staff.display_name == "李渝中二"
    assert district_staff.role_codes == {roles.DISTRICT_STAFF, roles.MEDIATOR}
    assert district_staff.check_password(NEW_PASSWORD)
    assert list(
        AuditEntry.objects.filter(object_id=str(district_staff.pk)).values_list("action", flat=True)
    ) == ["set_password", "update_user"]


def test_district_admin_cannot_open_other_districts_accounts(
    yuzhong_admin, shapingba_staff, login_client
):
    client = login_client(yuzhong_admin)
    assert client.get(f"/core/users/{shapingba_staff.pk}/").status_code == 404
    assert client.get(f"/core/users/{shapingba_staff.pk}/edit/").status_code == 404
    response = client.get("/core/users/")
    assert "spb_staff" not in {u.username for u in response.context["object_list"]}


@pytest.mark.parametrize("fixture", ["district_staff", "auditor", "mediator", "enterprise_user"])
def test_user_pages_are_forbidden_to_non_admins(request, fixture, city_admin, login_client):
    client = login_client(request.getfixturevalue(fixture))
    for url in (
        "/core/users/",
        "/core/users/new/",
        f"/core/users/{city_admin.pk}/",
        f"/core/users/{city_admin.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/core/users/new/",
        {
            "username": "sneaky",
            "unit": city_admin.unit_id,
            "roles": [roles.CITY_ADMIN],
            "password": PASSWORD,
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


GATED = ("企业名录", "批量导入", "时效参数", "用户管理", "机构管理", "审计日志", "登录日志")


@pytest.mark.parametrize(
    ("fixture", "labels"),
    [
        (
            "city_admin",
            ["企业名录", "批量导入", "时效参数", "用户管理", "机构管理", "审计日志", "登录日志"],
        ),
        ("auditor", ["企业名录", "时效参数", "审计日志", "登录日志"]),
        ("district_staff", ["企业名录", "批量导入", "时效参数"]),
        ("mediator", ["企业名录", "时效参数"]),
        ("enterprise_user", ["企业名录"]),
    ],
)
def test_navigation_follows_the_roles(request, fixture, labels, login_client):
    response = login_client(request.getfixturevalue(fixture)).get("/")
    assert response.status_code == 200
    groups = response.context["nav_groups"]
    shown = [item["label"] for group in groups for item in group["items"]]
    assert shown[0] == "工作台" and groups[-1]["label"] == "系统管理"
    assert [label for label in shown if label in GATED] == labels


# --- organisations -------------------------------------------------------------------------


def test_create_organisation(city_admin, yuzhong):
    from tests.factories import make_uscc

    organisation = services.create_organisation(
        city_admin,
        kind=Organisation.Kind.ENTERPRISE,
        unit=yuzhong,
        name=" 解放碑商贸有限公司 ",
        uscc=make_uscc("500103", 42).lower(),
    )
    assert (organisation.name, organisation.uscc) == ("解放碑商贸有限公司", make_uscc("500103", 42))
    assert AuditEntry.objects.get(action="create_organisation").changes == {
        "kind": [None, "enterprise"],
        "name": [None, "解放碑商贸有限公司"],
        "uscc": [None, make_uscc("500103", 42)],
    }


@pytest.mark.parametrize(
    ("kind", "name", "uscc", "errors"),
    [
        (
            "enterprise",
            "某企业",
            "91500103MA5U7AB12Z",
            {"uscc": ["企业机构必须填写有效的统一社会信用代码。"]},
        ),
        ("enterprise", "某企业", "", {"uscc": ["企业机构必须填写有效的统一社会信用代码。"]}),
        (
            "trade_union",
            "渝中区总工会",
            "91500000MA5U7AB121",
            {"uscc": ["只有企业机构填写统一社会信用代码。"]},
        ),
        ("trade_union", "  ", "", {"name": ["请填写机构名称。"]}),
        ("club", "某俱乐部", "", {"kind": ["请选择机构类型。"]}),
        ("hrss_bureau", "渝中区人力资源和社会保障局", "", {"name": ["该单位下已有同名同类机构。"]}),
    ],
)
def test_create_organisation_rules(city_admin, district_staff, yuzhong, kind, name, uscc, errors):
    # district_staff's fixture created 渝中区人力资源和社会保障局 already.
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.create_organisation(city_admin, kind=kind, unit=yuzhong, name=name, uscc=uscc)
    assert messages_of(excinfo) == errors
    assert Organisation.objects.count() == before


def test_create_organisation_permissions(yuzhong_admin, district_staff, shapingba, yuzhong):
    with pytest.raises(PermissionDenied, match="该记录不在您的管辖范围内。"):
        services.create_organisation(
            yuzhong_admin, kind="trade_union", unit=shapingba, name="沙坪坝区总工会"
        )
    with pytest.raises(PermissionDenied, match="您没有执行此操作的权限。"):
        services.create_organisation(
            district_staff, kind="trade_union", unit=yuzhong, name="渝中区总工会"
        )
    assert not Organisation.objects.filter(kind="trade_union").exists()


def test_organisation_page(city_admin, yuzhong, login_client):
    client = login_client(city_admin)
    assert client.get("/core/organisations/").status_code == 200
    response = client.post(
        "/core/organisations/", {"kind": "trade_union", "unit": yuzhong.pk, "name": "渝中区总工会"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(kind="trade_union", name="渝中区总工会").exists()
    listing = client.get("/core/organisations/", {"q": "总工会"})
    assert [o.name for o in listing.context["object_list"]] == ["渝中区总工会"]


def test_organisation_page_is_for_user_admins(district_staff, auditor, login_client):
    for user in (district_staff, auditor):
        assert login_client(user).get("/core/organisations/").status_code == 403


def test_users_are_placed_only_at_units_in_force(city_admin, jiangbei):
    with pytest.raises(ValidationError) as caught:
        services.create_user(
            city_admin,
            username="old_jb",
            password=PASSWORD,
            unit=jiangbei,
            role_codes=[roles.DISTRICT_STAFF],
        )
    assert caught.value.message_dict == {"unit": ["江北区已撤销，请选择现行单位。"]}
    assert not User.objects.filter(username="old_jb").exists()
