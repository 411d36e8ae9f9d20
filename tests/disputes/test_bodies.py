"""Registries of mediation bodies and mediators, arbitration commissions and arbitrators, and
the lawyer pool: services (validation, scope, audit with masked phones) and their pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import (
    MASKED_PHONE,
    PHONE,
    EnterpriseFactory,
    IndustrialParkFactory,
    TownshipFactory,
    UserFactory,
)
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCommission, Arbitrator, Lawyer, MediationBody

NEW_PHONE = "13987654321"

# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def jiefangbei(yuzhong):
    return TownshipFactory(parent=yuzhong, name="解放碑街道")


@pytest.fixture
def township_body(district_staff, yuzhong, jiefangbei):
    return services.create_mediation_body(
        district_staff,
        code="m500103101",
        name="解放碑街道劳动争议调解委员会",
        kind="township",
        unit=yuzhong,
        township=jiefangbei,
    )


@pytest.fixture
def spb_body(shapingba_staff, shapingba):
    return services.create_mediation_body(
        shapingba_staff,
        code="M500106101",
        name="沙坪坝区新就业形态劳动纠纷一站式调解中心",
        kind="joint_centre",
        unit=shapingba,
    )


@pytest.fixture
def yz_commission(district_staff, yuzhong):
    return services.create_commission(
        district_staff,
        code="A500103",
        name="渝中区劳动人事争议仲裁委员会",
        short_name="渝中劳人仲",
        unit=yuzhong,
    )


@pytest.fixture
def spb_commission(shapingba_staff, shapingba):
    return services.create_commission(
        shapingba_staff,
        code="A500106",
        name="沙坪坝区劳动人事争议仲裁委员会",
        short_name="沙坪坝劳人仲",
        unit=shapingba,
    )


@pytest.fixture
def inspector(yuzhong):
    return UserFactory(username="yz_inspector", unit=yuzhong, roles=[roles.INSPECTOR])


@pytest.fixture
def yz_arbitrator_account(yuzhong):
    return UserFactory(username="yz_arb", unit=yuzhong, roles=[roles.ARBITRATOR])


def _errors(caught) -> dict:
    return caught.value.message_dict


# --- mediation bodies: service -------------------------------------------------------------


def test_create_township_body_normalises_and_audits(township_body, jiefangbei):
    assert (township_body.code, township_body.township, township_body.is_active) == (
        "M500103101",
        jiefangbei,
        True,
    )
    entry = AuditEntry.objects.get(action="create_mediation_body")
    assert entry.unit == township_body.unit
    assert entry.changes["township"] == [None, "解放碑街道"]
    assert entry.changes["code"] == [None, "M500103101"]


def test_enterprise_committee_needs_an_enterprise_of_the_unit(district_staff, yuzhong):
    own = EnterpriseFactory(unit=yuzhong, name="解放碑百货有限公司")
    body = services.create_mediation_body(
        district_staff,
        code="E1",
        name="解放碑百货有限公司劳动争议调解委员会",
        kind="enterprise_committee",
        unit=yuzhong,
        enterprise=own,
    )
    assert body.enterprise == own
    with pytest.raises(ValidationError) as caught:
        services.create_mediation_body(
            district_staff,
            code="E2",
            name="第二个调解委员会",
            kind="enterprise_committee",
            unit=yuzhong,
            enterprise=own,
        )
    assert _errors(caught) == {"enterprise": ["解放碑百货有限公司已设有调解委员会。"]}


def test_merged_district_keeps_enterprises_of_the_districts_it_absorbed(
    liangjiang_staff, liangjiang, jiangbei
):
    enterprise = EnterpriseFactory(unit=jiangbei, name="观音桥商贸有限公司")
    body = services.create_mediation_body(
        liangjiang_staff,
        code="E500157001",
        name="观音桥商贸有限公司劳动争议调解委员会",
        kind="enterprise_committee",
        unit=liangjiang,
        enterprise=enterprise,
    )
    assert body.unit == liangjiang


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": " "}, "code", "请填写编号。"),
        ({"code": "调解一号"}, "code", "编号只能由字母、数字和连字符组成，2 至 24 位。"),
        ({"code": "M500103001"}, "code", "该编号已被使用。"),
        ({"name": ""}, "name", "请填写调解组织名称。"),
        ({"kind": "bogus"}, "kind", "请选择调解组织类型。"),
        ({"kind": "township"}, "township", "乡镇（街道）调解组织须选择所属镇街。"),
        (
            {"kind": "enterprise_committee"},
            "enterprise",
            "企业劳动争议调解委员会须关联企业名录中的企业。",
        ),
        ({"kind": "park"}, "park", "园区调解组织须选择所属园区。"),
        ({"unit": None}, "unit", "请选择所属区县。"),
    ],
)
def test_create_body_bad_input(district_staff, yuzhong, body, change, field, message):
    data = {"code": "M1", "name": "某调解中心", "kind": "industry", "unit": yuzhong} | change
    with pytest.raises(ValidationError) as caught:
        services.create_mediation_body(district_staff, **data)
    assert message in _errors(caught)[field]
    assert not AuditEntry.objects.filter(action="create_mediation_body").exists()


def test_placement_must_lie_inside_the_unit(district_staff, yuzhong, shapingba):
    other_township = TownshipFactory(parent=shapingba, code="500106001", name="渝碚路街道")
    other_park = IndustrialParkFactory(unit=shapingba, name="西永微电园")
    other_enterprise = EnterpriseFactory(unit=shapingba, name="沙坪坝重工有限公司")
    cases = [
        (
            {"kind": "township", "township": other_township},
            "township",
            "渝碚路街道不是渝中区的镇街。",
        ),
        ({"kind": "park", "park": other_park}, "park", "西永微电园不在渝中区。"),
        (
            {"kind": "enterprise_committee", "enterprise": other_enterprise},
            "enterprise",
            "沙坪坝重工有限公司不在渝中区。",
        ),
        (
            {"kind": "industry", "enterprise": EnterpriseFactory(unit=yuzhong)},
            "enterprise",
            "只有企业劳动争议调解委员会关联企业。",
        ),
    ]
    for change, field, message in cases:
        data = {"code": "M1", "name": "某调解组织", "unit": yuzhong} | change
        with pytest.raises(ValidationError) as caught:
            services.create_mediation_body(district_staff, **data)
        assert _errors(caught)[field] == [message]


def test_body_unit_is_district_level_and_in_force(city_admin, jiangbei, jiefangbei):
    with pytest.raises(ValidationError) as caught:
        services.create_mediation_body(
            city_admin, code="M1", name="某调解中心", kind="industry", unit=jiefangbei
        )
    assert _errors(caught) == {"unit": ["所属区县应为全市或区县级单位，不能是镇街。"]}
    with pytest.raises(ValidationError) as caught:
        services.create_mediation_body(
            city_admin, code="M1", name="某调解中心", kind="industry", unit=jiangbei
        )
    assert _errors(caught)["unit"][0].startswith("江北区已于 2025-11-05 撤销")


def test_body_services_check_role_and_scope(shapingba_staff, mediator, yuzhong, township_body):
    with pytest.raises(PermissionDenied):
        services.create_mediation_body(
            shapingba_staff, code="M1", name="越界调解中心", kind="industry", unit=yuzhong
        )
    with pytest.raises(PermissionDenied):
        services.update_mediation_body(shapingba_staff, township_body, name="改名")
    with pytest.raises(PermissionDenied):
        services.create_mediation_body(
            mediator, code="M1", name="调解员建的组织", kind="industry", unit=yuzhong
        )
    assert MediationBody.objects.count() == 1


def test_update_and_deactivate_body(district_staff, township_body):
    body = services.update_mediation_body(district_staff, township_body, name="解放碑调解中心")
    assert body.name == "解放碑调解中心"
    entry = AuditEntry.objects.filter(action="update_mediation_body").get()
    assert entry.changes == {"name": ["解放碑街道劳动争议调解委员会", "解放碑调解中心"]}
    body = services.update_mediation_body(district_staff, body, is_active=False)
    assert MediationBody.objects.get(pk=body.pk).is_active is False
    with pytest.raises(ValidationError) as caught:
        services.update_mediation_body(district_staff, body, version=3)
    assert _errors(caught) == {"version": ["该字段不能修改。"]}


def test_a_body_of_an_ended_district_can_still_be_edited(liangjiang_staff, jiangbei):
    old = MediationBody.objects.create(
        code="M500105001", name="江北区劳动争议调解中心", kind="industry", unit=jiangbei
    )
    body = services.update_mediation_body(liangjiang_staff, old, name="原江北区劳动争议调解中心")
    assert (body.unit, body.name) == (jiangbei, "原江北区劳动争议调解中心")


# --- mediators -----------------------------------------------------------------------------


def test_add_mediator_masks_the_phone_in_the_audit(district_staff, township_body, mediator):
    person = services.add_mediator(
        district_staff, township_body, name="周调解", phone=" 138 1234 5678", user=mediator
    )
    assert (person.phone, person.user) == (PHONE, mediator)
    entry = AuditEntry.objects.get(action="add_mediator")
    assert entry.changes["phone"] == [None, MASKED_PHONE]
    assert PHONE not in str(entry.changes)
    assert entry.unit == township_body.unit

    services.update_mediator(district_staff, person, phone="13900001111")
    entry = AuditEntry.objects.get(action="update_mediator")
    assert entry.changes == {"phone": [MASKED_PHONE, "139****1111"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": " "}, "name", "请填写调解员姓名。"),
        (
            {"phone": "12345"},
            "phone",
            "联系电话格式不正确，请填写 11 位手机号码或带区号的固定电话。",
        ),
    ],
)
def test_add_mediator_bad_input(district_staff, township_body, change, field, message):
    data = {"name": "周调解", "phone": ""} | change
    with pytest.raises(ValidationError) as caught:
        services.add_mediator(district_staff, township_body, **data)
    assert _errors(caught) == {field: [message]}


def test_mediator_account_must_be_a_mediator_in_scope(
    district_staff, township_body, inspector, mediator, shapingba
):
    with pytest.raises(ValidationError) as caught:
        services.add_mediator(district_staff, township_body, name="甲", user=inspector)
    assert _errors(caught) == {"user": ["该平台账号没有调解员角色。"]}
    outsider = UserFactory(unit=shapingba, roles=[roles.MEDIATOR])
    with pytest.raises(ValidationError) as caught:
        services.add_mediator(district_staff, township_body, name="乙", user=outsider)
    assert _errors(caught) == {"user": ["该平台账号不在您的管辖范围内。"]}
    services.add_mediator(district_staff, township_body, name="丙", user=mediator)
    with pytest.raises(ValidationError) as caught:
        services.add_mediator(district_staff, township_body, name="丁", user=mediator)
    assert _errors(caught) == {"user": ["该平台账号已关联本调解组织的其他调解员。"]}


def test_no_mediators_for_a_deactivated_body(district_staff, township_body):
    person = services.add_mediator(district_staff, township_body, name="周调解")
    services.update_mediator(district_staff, person, is_active=False)
    services.update_mediation_body(district_staff, township_body, is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.add_mediator(district_staff, township_body, name="吴调解")
    assert "已停用，不能添加或启用调解员" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        services.update_mediator(district_staff, person, is_active=True)
    assert "is_active" in _errors(caught)


def test_mediator_of_another_district_is_out_of_scope(shapingba_staff, district_staff, spb_body):
    person = services.add_mediator(shapingba_staff, spb_body, name="沙调解")
    with pytest.raises(PermissionDenied):
        services.update_mediator(district_staff, person, name="改名")
    with pytest.raises(PermissionDenied):
        services.add_mediator(district_staff, spb_body, name="越界调解员")


# --- commissions and arbitrators -----------------------------------------------------------


def test_create_commission_and_audit(yz_commission):
    assert (yz_commission.code, yz_commission.short_name) == ("A500103", "渝中劳人仲")
    entry = AuditEntry.objects.get(action="create_commission")
    assert entry.changes["short_name"] == [None, "渝中劳人仲"]


def test_city_commission_is_the_city_admins(city_admin, district_staff, city):
    with pytest.raises(PermissionDenied):
        services.create_commission(
            district_staff,
            code="A500000",
            name="重庆市劳动人事争议仲裁委员会",
            short_name="渝劳人仲",
            unit=city,
        )
    commission = services.create_commission(
        city_admin,
        code="A500000",
        name="重庆市劳动人事争议仲裁委员会",
        short_name="渝劳人仲",
        unit=city,
    )
    assert commission.unit == city


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "A500103"}, "code", "该编号已被使用。"),
        (
            {"short_name": "渝中劳人仲"},
            "short_name",
            "该案号简称已由渝中区劳动人事争议仲裁委员会使用。",
        ),
        ({"short_name": ""}, "short_name", "请填写案号简称（如“渝中劳人仲”）。"),
        ({"name": ""}, "name", "请填写仲裁委员会名称。"),
        ({"unit": "yuzhong"}, "unit", "渝中区已设有渝中区劳动人事争议仲裁委员会。"),
        ({"unit": "township"}, "unit", "所在单位应为全市或区县级单位，不能是镇街。"),
    ],
)
def test_create_commission_bad_input(
    city_admin, yz_commission, yuzhong, shapingba, jiefangbei, change, field, message
):
    units = {"yuzhong": yuzhong, "township": jiefangbei}
    data = {
        "code": "A500106",
        "name": "沙坪坝区仲裁委",
        "short_name": "沙劳人仲",
        "unit": shapingba,
    }
    data |= {k: units.get(v, v) if k == "unit" else v for k, v in change.items()}
    with pytest.raises(ValidationError) as caught:
        services.create_commission(city_admin, **data)
    assert _errors(caught)[field] == [message]


def test_commission_of_an_ended_district_is_refused(city_admin, jiangbei):
    with pytest.raises(ValidationError) as caught:
        services.create_commission(
            city_admin, code="A500105", name="江北区仲裁委", short_name="江北劳人仲", unit=jiangbei
        )
    assert "撤销" in _errors(caught)["unit"][0]


def test_deactivated_commission_frees_its_unit(district_staff, yz_commission, yuzhong):
    services.update_commission(district_staff, yz_commission, is_active=False)
    replacement = services.create_commission(
        district_staff, code="A500103B", name="渝中区新仲裁委", short_name="渝中新仲", unit=yuzhong
    )
    assert replacement.is_active
    with pytest.raises(ValidationError) as caught:
        services.update_commission(district_staff, yz_commission, is_active=True)
    assert "已设有" in _errors(caught)["unit"][0]


def test_add_arbitrators_and_clerks(district_staff, yz_commission, yz_arbitrator_account):
    arbitrator = services.add_arbitrator(
        district_staff, yz_commission, name="钱仲裁", user=yz_arbitrator_account
    )
    clerk = services.add_arbitrator(
        district_staff,
        yz_commission,
        name="孙书记",
        role="clerk",
        is_full_time=False,
        user=district_staff,
    )
    assert (arbitrator.role, arbitrator.is_full_time) == ("arbitrator", True)
    assert (clerk.role, clerk.is_full_time, clerk.user) == ("clerk", False, district_staff)
    entry = AuditEntry.objects.filter(action="add_arbitrator").order_by("id").last()
    assert entry.changes["role"] == [None, "clerk"]
    assert entry.unit == yz_commission.unit

    with pytest.raises(ValidationError) as caught:
        services.update_arbitrator(district_staff, clerk, role="arbitrator")
    assert _errors(caught) == {"user": ["该平台账号没有仲裁员角色。"]}
    services.update_arbitrator(district_staff, clerk, is_active=False)
    assert Arbitrator.objects.get(pk=clerk.pk).is_active is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "请填写姓名。"),
        ({"role": "judge"}, "role", "请选择身份（仲裁员或书记员）。"),
    ],
)
def test_add_arbitrator_bad_input(district_staff, yz_commission, change, field, message):
    data = {"name": "钱仲裁", "role": "arbitrator"} | change
    with pytest.raises(ValidationError) as caught:
        services.add_arbitrator(district_staff, yz_commission, **data)
    assert _errors(caught) == {field: [message]}


def test_arbitrators_of_another_district_are_out_of_scope(
    district_staff, spb_commission, shapingba_staff
):
    with pytest.raises(PermissionDenied):
        services.add_arbitrator(district_staff, spb_commission, name="越界仲裁员")
    person = services.add_arbitrator(shapingba_staff, spb_commission, name="沙仲裁")
    with pytest.raises(PermissionDenied):
        services.update_arbitrator(district_staff, person, name="改名")


# --- lawyers -------------------------------------------------------------------------------


def test_add_lawyer_masks_the_phone_and_refuses_duplicates(district_staff, yuzhong):
    lawyer = services.add_lawyer(
        district_staff, name="郑律师", firm="重庆某某律师事务所", unit=yuzhong, phone=PHONE
    )
    assert lawyer.phone == PHONE
    entry = AuditEntry.objects.get(action="add_lawyer")
    assert entry.changes["phone"] == [None, MASKED_PHONE]
    with pytest.raises(ValidationError) as caught:
        services.add_lawyer(district_staff, name="郑律师", firm="重庆某某律师事务所", unit=yuzhong)
    assert _errors(caught) == {"name": ["该律师已在本区县律师库中。"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "请填写律师姓名。"),
        ({"firm": ""}, "firm", "请填写律师事务所。"),
        (
            {"phone": "023-12"},
            "phone",
            "联系电话格式不正确，请填写 11 位手机号码或带区号的固定电话。",
        ),
        ({"unit": None}, "unit", "请选择服务区县。"),
    ],
)
def test_add_lawyer_bad_input(district_staff, yuzhong, change, field, message):
    data = {"name": "郑律师", "firm": "重庆某某律师事务所", "unit": yuzhong} | change
    with pytest.raises(ValidationError) as caught:
        services.add_lawyer(district_staff, **data)
    assert _errors(caught) == {field: [message]}


def test_lawyer_scope_and_update(district_staff, shapingba_staff, yuzhong, shapingba):
    with pytest.raises(PermissionDenied):
        services.add_lawyer(district_staff, name="越界", firm="某所", unit=shapingba)
    lawyer = services.add_lawyer(district_staff, name="郑律师", firm="某所", unit=yuzhong)
    with pytest.raises(PermissionDenied):
        services.update_lawyer(shapingba_staff, lawyer, firm="他所")
    with pytest.raises(PermissionDenied):
        services.update_lawyer(district_staff, lawyer, unit=shapingba)
    lawyer = services.update_lawyer(district_staff, lawyer, firm="重庆新所", phone="023-63001234")
    entry = AuditEntry.objects.get(action="update_lawyer")
    assert entry.changes == {"firm": ["某所", "重庆新所"], "phone": [None, "********1234"]}


# --- pages ---------------------------------------------------------------------------------


def test_body_list_is_scoped_and_filtered(
    login_client, district_staff, township_body, spb_body, mediator
):
    services.create_mediation_body(
        district_staff,
        code="I1",
        name="渝中区餐饮行业调解委员会",
        kind="industry",
        unit=township_body.unit,
    )
    client = login_client(district_staff)
    page = client.get("/disputes/bodies/").content.decode()
    assert "解放碑街道劳动争议调解委员会" in page and "渝中区餐饮行业调解委员会" in page
    assert "沙坪坝区" not in page.split('data-testid="body-table"')[1]
    page = client.get("/disputes/bodies/", {"kind": "industry"}).content.decode()
    assert "渝中区餐饮行业调解委员会" in page and "解放碑街道劳动争议" not in page
    page = client.get("/disputes/bodies/", {"q": "解放碑"}).content.decode()
    assert "餐饮行业" not in page
    services.update_mediation_body(district_staff, township_body, is_active=False)
    page = client.get("/disputes/bodies/", {"status": "inactive"}).content.decode()
    assert "解放碑街道劳动争议调解委员会" in page and "餐饮行业" not in page
    # Mediators read the registry; they do not see the edit buttons.
    page = login_client(mediator).get("/disputes/bodies/").content.decode()
    assert "解放碑街道" in page and "登记调解组织" not in page


def test_body_list_pages(login_client, city_admin, yuzhong):
    for n in range(21):
        MediationBody.objects.create(
            code=f"B{n:03d}", name=f"调解组织{n:03d}", kind="industry", unit=yuzhong
        )
    client = login_client(city_admin)
    first = client.get("/disputes/bodies/", {"page_size": 20}).content.decode()
    second = client.get("/disputes/bodies/", {"page_size": 20, "page": 2}).content.decode()
    assert "调解组织019" in first and "调解组织020" not in first
    assert "调解组织020" in second and "1 / 2" in first


@pytest.mark.parametrize(
    "url", ["/disputes/bodies/", "/disputes/commissions/", "/disputes/lawyers/"]
)
def test_other_roles_may_not_read(login_client, inspector, enterprise_user, url):
    assert login_client(inspector).get(url).status_code == 403
    assert login_client(enterprise_user).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/disputes/bodies/new/", "/disputes/commissions/new/"])
def test_readers_may_not_create(login_client, mediator, url):
    assert login_client(mediator).get(url).status_code == 403


def test_create_body_page(login_client, district_staff, yuzhong, jiefangbei):
    client = login_client(district_staff)
    assert client.get("/disputes/bodies/new/").status_code == 200
    response = client.post(
        "/disputes/bodies/new/",
        {
            "code": "M9",
            "name": "某企业调解委员会",
            "kind": "enterprise_committee",
            "unit": yuzhong.pk,
            "enterprise_uscc": "91500103MA5U000000",
        },
    )
    assert response.status_code == 200
    assert "企业名录中没有该统一社会信用代码的企业。" in response.content.decode()
    response = client.post(
        "/disputes/bodies/new/",
        {"code": "M9", "name": "某街道调解委员会", "kind": "township", "unit": yuzhong.pk},
    )
    assert "乡镇（街道）调解组织须选择所属镇街。" in response.content.decode()
    enterprise = EnterpriseFactory(unit=yuzhong, name="较场口实业有限公司")
    response = client.post(
        "/disputes/bodies/new/",
        {
            "code": "M9",
            "name": "较场口实业调解委员会",
            "kind": "enterprise_committee",
            "unit": yuzhong.pk,
            "enterprise_uscc": enterprise.uscc.lower(),
        },
    )
    body = MediationBody.objects.get(code="M9")
    assert response.status_code == 302 and response.url == f"/disputes/bodies/{body.pk}/"
    assert body.enterprise == enterprise


def test_edit_and_deactivate_body_pages(login_client, district_staff, township_body, jiefangbei):
    client = login_client(district_staff)
    url = f"/disputes/bodies/{township_body.pk}/"
    assert client.get(url + "edit/").status_code == 200
    response = client.post(
        url + "edit/",
        {
            "code": "M500103101",
            "name": "解放碑调解中心",
            "kind": "township",
            "unit": township_body.unit_id,
            "township": jiefangbei.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert MediationBody.objects.get(pk=township_body.pk).name == "解放碑调解中心"
    assert client.get(url + "deactivate/").status_code == 405
    response = client.post(url + "deactivate/", follow=True)
    assert "已停用解放碑调解中心。" in response.content.decode()
    assert MediationBody.objects.get(pk=township_body.pk).is_active is False


def test_other_district_body_is_not_found(login_client, district_staff, spb_body):
    client = login_client(district_staff)
    url = f"/disputes/bodies/{spb_body.pk}/"
    for path in ("", "edit/", "mediators/new/"):
        assert client.get(url + path).status_code == 404
    assert client.post(url + "deactivate/").status_code == 404
    assert MediationBody.objects.get(pk=spb_body.pk).is_active is True


def test_mediator_pages_show_the_phone_masked(
    login_client, district_staff, township_body, mediator
):
    client = login_client(district_staff)
    url = f"/disputes/bodies/{township_body.pk}/mediators/new/"
    response = client.post(url, {"name": "周调解", "phone": "1381234", "user": ""})
    assert "联系电话格式不正确" in response.content.decode()
    response = client.post(url, {"name": "周调解", "phone": PHONE, "user": mediator.pk})
    assert response.status_code == 302
    person = township_body.mediators.get()
    detail = client.get(f"/disputes/bodies/{township_body.pk}/").content.decode()
    assert MASKED_PHONE in detail and PHONE not in detail
    edit = client.get(f"/disputes/mediators/{person.pk}/edit/").content.decode()
    assert f'value="{MASKED_PHONE}"' in edit and PHONE not in edit  # the mask pre-filled
    # The mask posted back unchanged keeps the number (core's MaskedFieldsMixin).
    url = f"/disputes/mediators/{person.pk}/edit/"
    data = {"name": "周调解员", "phone": MASKED_PHONE, "user": mediator.pk, "is_active": "on"}
    response = client.post(url, data)
    person.refresh_from_db()
    assert (response.status_code, person.name, person.phone) == (302, "周调解员", PHONE)
    # Shown again after an error, the form still shows the mask, never the number.
    again = client.post(url, {**data, "name": ""}).content.decode()
    assert f'value="{MASKED_PHONE}"' in again and PHONE not in again
    # A new number replaces it; a wrong one is refused in Chinese.
    assert "联系电话格式不正确" in client.post(url, {**data, "phone": "1381234"}).content.decode()
    assert client.post(url, {**data, "phone": NEW_PHONE}).status_code == 302
    person.refresh_from_db()
    assert person.phone == NEW_PHONE
    # Emptied, the number is removed.
    assert client.post(url, {**data, "phone": ""}).status_code == 302
    person.refresh_from_db()
    assert person.phone == ""
    client.post(f"/disputes/mediators/{person.pk}/deactivate/")
    person.refresh_from_db()
    assert person.is_active is False


def test_commission_pages(
    login_client, district_staff, yuzhong, yz_arbitrator_account, spb_commission
):
    client = login_client(district_staff)
    response = client.post(
        "/disputes/commissions/new/",
        {
            "code": "A500103",
            "name": "渝中区劳动人事争议仲裁委员会",
            "short_name": "渝中劳人仲",
            "unit": yuzhong.pk,
        },
    )
    commission = ArbitrationCommission.objects.get(code="A500103")
    assert response.url == f"/disputes/commissions/{commission.pk}/"
    response = client.post(
        f"/disputes/commissions/{commission.pk}/arbitrators/new/",
        {
            "name": "钱仲裁",
            "role": "arbitrator",
            "is_full_time": "on",
            "user": yz_arbitrator_account.pk,
        },
    )
    assert response.status_code == 302
    page = client.get("/disputes/commissions/").content.decode()
    assert "渝中区劳动人事争议仲裁委员会" in page and "沙坪坝区劳动人事争议仲裁委员会" not in page
    detail = client.get(f"/disputes/commissions/{commission.pk}/").content.decode()
    assert "钱仲裁" in detail and "专职" in detail
    person = commission.arbitrators.get()
    response = client.post(
        f"/disputes/arbitrators/{person.pk}/edit/",
        {
            "name": "钱仲裁",
            "role": "arbitrator",
            "user": yz_arbitrator_account.pk,
            "is_active": "on",
        },
    )
    person.refresh_from_db()
    assert (response.status_code, person.is_full_time) == (302, False)
    response = client.post(
        f"/disputes/commissions/{commission.pk}/edit/",
        {
            "code": "A500103",
            "name": "渝中区仲裁委",
            "short_name": "渝中劳人仲",
            "unit": yuzhong.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.post(f"/disputes/commissions/{commission.pk}/deactivate/")
    assert ArbitrationCommission.objects.get(pk=commission.pk).is_active is False
    assert client.get(f"/disputes/commissions/{spb_commission.pk}/").status_code == 404
    assert client.get(f"/disputes/commissions/{spb_commission.pk}/edit/").status_code == 404


def test_lawyer_pages(login_client, district_staff, shapingba_staff, yuzhong, shapingba, mediator):
    client = login_client(district_staff)
    response = client.post(
        "/disputes/lawyers/",
        {"name": "郑律师", "firm": "重庆某某律师事务所", "phone": PHONE, "unit": yuzhong.pk},
    )
    assert response.status_code == 302
    other = services.add_lawyer(
        shapingba_staff, name="沙律师", firm="沙坪坝律师事务所", unit=shapingba
    )
    page = client.get("/disputes/lawyers/").content.decode()
    assert "郑律师" in page and MASKED_PHONE in page and PHONE not in page and "沙律师" not in page
    assert "重庆某某" in client.get("/disputes/lawyers/", {"q": "某某"}).content.decode()
    lawyer = Lawyer.objects.get(name="郑律师")
    url = f"/disputes/lawyers/{lawyer.pk}/edit/"
    edit = client.get(url).content.decode()
    assert f'value="{MASKED_PHONE}"' in edit and PHONE not in edit
    data = {
        "name": "郑律师",
        "firm": "重庆新律师事务所",
        "phone": MASKED_PHONE,
        "unit": yuzhong.pk,
        "is_active": "on",
    }
    response = client.post(url, data)
    lawyer.refresh_from_db()
    assert (response.status_code, lawyer.firm, lawyer.phone) == (302, "重庆新律师事务所", PHONE)
    response = client.post(url, {**data, "phone": NEW_PHONE})
    lawyer.refresh_from_db()
    assert (response.status_code, lawyer.phone) == (302, NEW_PHONE)
    client.post(f"/disputes/lawyers/{lawyer.pk}/deactivate/")
    assert Lawyer.objects.get(pk=lawyer.pk).is_active is False
    assert client.get(f"/disputes/lawyers/{other.pk}/edit/").status_code == 404
    # A mediator reads the pool but has no form and cannot post one.
    reader = login_client(mediator)
    assert "加入律师库" not in reader.get("/disputes/lawyers/").content.decode()
    response = reader.post("/disputes/lawyers/", {"name": "x", "firm": "y", "unit": yuzhong.pk})
    assert response.status_code == 403
