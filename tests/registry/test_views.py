"""The registry's pages: scope on list/detail/edit, registering and editing, filters."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    PHONE,
    EnterpriseFactory,
    IndustrialParkFactory,
    TownshipFactory,
    make_uscc,
)
from yutong.core.models import AuditEntry
from yutong.registry import services
from yutong.registry.models import Enterprise, EnterpriseState

pytestmark = pytest.mark.django_db

LIST = "/registry/enterprises/"
NEW = "/registry/enterprises/new/"
NOT_FOUND_TEXT = "您要查看的内容不存在，或不在您的管辖范围内。"
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"
CONFLICT = "该企业信息已被他人修改，请刷新页面查看最新内容后再保存。"


def detail(e):
    return f"/registry/enterprises/{e.uscc}/"


def edit(e):
    return f"/registry/enterprises/{e.uscc}/edit/"


def listed(response):
    assert response.status_code == 200
    return {e.name for e in response.context["page_obj"].paginator.object_list}


def form_data(unit, **overrides):
    data = {
        "uscc": make_uscc(unit.code, 501),
        "name": "表单登记有限公司",
        "unit": unit.pk,
        "township": "",
        "park": "",
        "industry": "C",
        "ownership": "private",
        "employee_count": "88",
        "status": "operating",
        "address": "",
        "legal_representative": "",
        "contact_phone": "",
    }
    data.update({key: ("" if value is None else value) for key, value in overrides.items()})
    return data


def edit_data(enterprise, **overrides):
    data = {
        "name": enterprise.name,
        "unit": enterprise.unit_id,
        "township": enterprise.township_id or "",
        "park": enterprise.park_id or "",
        "industry": enterprise.industry,
        "ownership": enterprise.ownership,
        "employee_count": str(enterprise.employee_count),
        "status": enterprise.status,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
        "contact_phone": enterprise.contact_phone,
        "version": str(enterprise.version),
    }
    if enterprise.union_established:
        data["union_established"] = "on"
    data.update(overrides)
    return data


# --- scope ---------------------------------------------------------------------------------


def test_district_staff_see_only_their_district(district_staff, catalog, login_client):
    client = login_client(district_staff)
    response = client.get(LIST)
    assert listed(response) == {"解放碑精密仪器有限公司", "朝天门物流有限公司"}
    body = response.content.decode()
    assert "沙坪坝重工有限公司" not in body
    assert "共 2 家企业" in body
    assert client.get(detail(catalog.A)).status_code == 200


def test_other_districts_enterprise_is_not_found_on_detail_and_edit(
    district_staff, catalog, login_client
):
    client = login_client(district_staff)
    response = client.get(detail(catalog.C))
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()
    assert "沙坪坝重工有限公司" not in response.content.decode()
    assert client.get(edit(catalog.C)).status_code == 404
    response = client.post(edit(catalog.C), edit_data(catalog.C, employee_count="1"))
    assert response.status_code == 404
    assert Enterprise.objects.get(pk=catalog.C.pk).employee_count == 1200
    # Even searching by its exact USCC finds nothing.
    assert listed(client.get(LIST, {"q": catalog.C.uscc})) == set()


def test_successor_district_sees_the_merged_districts_enterprises(
    liangjiang_staff, catalog, login_client
):
    client = login_client(liangjiang_staff)
    assert listed(client.get(LIST)) == {
        "观音桥商贸有限公司",
        "两江智能制造有限公司",
        "渝北航空服务有限公司",
    }
    response = client.get(detail(catalog.D))
    assert response.status_code == 200
    assert "江北区（现属 两江新区）" in response.content.decode()
    assert client.get(detail(catalog.A)).status_code == 404


def test_city_admin_sees_everything(city_admin, catalog, login_client):
    assert len(listed(login_client(city_admin).get(LIST))) == 6


def test_enterprise_user_sees_only_its_own_enterprise(
    enterprise_user, own_enterprise, catalog, login_client
):
    client = login_client(enterprise_user)
    response = client.get(LIST)
    assert listed(response) == {own_enterprise.name}
    assert response.context["page_obj"].paginator.count == 1
    assert client.get(detail(own_enterprise)).status_code == 200
    assert client.get(detail(catalog.A)).status_code == 404  # same district, other enterprise
    assert client.get(edit(own_enterprise)).status_code == 403
    assert client.get(NEW).status_code == 403
    home = client.get("/")
    # Its own record, not counts of the registry (issue 12).
    own_card = home.context["cards"][0]
    assert (own_card["label"], own_card["value"]) == ("本企业登记信息", "存续经营")


def test_mediator_reads_but_cannot_register_or_edit(mediator, catalog, login_client, yuzhong):
    client = login_client(mediator)
    assert listed(client.get(LIST)) == {"解放碑精密仪器有限公司", "朝天门物流有限公司"}
    response = client.get(detail(catalog.A))
    assert response.status_code == 200
    assert "/edit/" not in response.content.decode()
    assert client.get(NEW).status_code == 403
    response = client.post(NEW, form_data(yuzhong))
    assert response.status_code == 403
    assert "您没有执行此操作的权限。" in response.content.decode()
    assert client.post(edit(catalog.A), edit_data(catalog.A, name="改名")).status_code == 403
    assert Enterprise.objects.get(pk=catalog.A.pk).name == "解放碑精密仪器有限公司"


def test_detail_shows_the_phone_masked(district_staff, yuzhong, login_client):
    enterprise = EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)
    body = login_client(district_staff).get(detail(enterprise)).content.decode()
    assert "138****5678" in body
    assert PHONE not in body


def test_list_never_shows_phone_numbers(city_admin, catalog, login_client):
    body = login_client(city_admin).get(LIST).content.decode()
    assert PHONE not in body


# --- register ------------------------------------------------------------------------------


def test_register_through_the_form(district_staff, yuzhong, login_client):
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    client = login_client(district_staff)
    page = client.get(NEW).content.decode()
    assert "七星岗街道" in page
    assert "江北区" not in page  # ended units are not offered
    assert "沙坪坝区" not in page  # nor units outside the user's scope
    uscc = make_uscc("500103", 501)
    response = client.post(
        NEW,
        form_data(
            yuzhong,
            uscc=uscc.lower(),
            township=street.pk,
            contact_phone="13812345678",
            union_established="on",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/registry/enterprises/{uscc}/"
    enterprise = Enterprise.objects.get()
    # The form has no union flag any more: a posted one is ignored (kept by the union records).
    assert (enterprise.uscc, enterprise.township, enterprise.union_established) == (
        uscc,
        street,
        False,
    )
    assert "已登记 表单登记有限公司。" in client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(action="register_enterprise")
    assert entry.changes["contact_phone"] == [None, "138****5678"]


def test_invalid_uscc_on_the_form(district_staff, yuzhong, login_client):
    response = login_client(district_staff).post(NEW, form_data(yuzhong, uscc="91500103MA5U7AB12Z"))
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == [
        "统一社会信用代码无效：应为 18 位，且校验位正确。"
    ]
    assert "统一社会信用代码无效：应为 18 位，且校验位正确。" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_duplicate_uscc_on_the_form(district_staff, yuzhong, shapingba, login_client):
    existing = EnterpriseFactory(unit=shapingba, uscc=make_uscc("500103", 501))
    response = login_client(district_staff).post(NEW, form_data(yuzhong))
    assert response.status_code == 200
    assert response.context["form"].errors == {"uscc": ["该统一社会信用代码已登记。"]}
    assert "该统一社会信用代码已登记。" in response.content.decode()
    assert list(Enterprise.objects.all()) == [existing]
    assert not AuditEntry.objects.exists()


def test_township_outside_the_unit_on_the_form(city_admin, yuzhong, shapingba, login_client):
    other = TownshipFactory(parent=shapingba, name="小龙坎街道")
    response = login_client(city_admin).post(NEW, form_data(yuzhong, township=other.pk))
    assert response.status_code == 200
    assert response.context["form"].errors == {"township": ["小龙坎街道不属于渝中区。"]}
    assert not Enterprise.objects.exists()


def test_ended_unit_is_not_a_choice(city_admin, jiangbei, login_client):
    response = login_client(city_admin).post(NEW, form_data(jiangbei, uscc=make_uscc("500105", 1)))
    assert response.status_code == 200
    assert response.context["form"].errors == {"unit": [INVALID_CHOICE]}
    assert not Enterprise.objects.exists()


def test_unit_outside_scope_is_not_a_choice(district_staff, shapingba, login_client):
    response = login_client(district_staff).post(NEW, form_data(shapingba))
    assert response.context["form"].errors == {"unit": [INVALID_CHOICE]}
    assert not Enterprise.objects.exists()


def test_required_fields_on_the_form(district_staff, yuzhong, login_client):
    response = login_client(district_staff).post(
        NEW, form_data(yuzhong, name="", employee_count="很多")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"name", "employee_count"}
    assert errors["name"] == ["该字段是必填项。"]
    assert not Enterprise.objects.exists()


# --- edit ----------------------------------------------------------------------------------


@pytest.fixture
def registered(district_staff, yuzhong):
    return services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 601),
        name="较场口餐饮有限公司",
        unit=yuzhong,
        industry="H",
        ownership="private",
        employee_count=40,
        contact_phone=PHONE,
    )


def test_edit_through_the_form(district_staff, registered, login_client):
    client = login_client(district_staff)
    page = client.get(edit(registered))
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == 1
    response = client.post(
        edit(registered), edit_data(registered, employee_count="45", contact_phone="13900001111")
    )
    assert response.status_code == 302
    assert response["Location"] == detail(registered)
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.contact_phone, stored.version) == (45, "13900001111", 2)
    entry = AuditEntry.objects.get(action="update_enterprise")
    today = timezone.localdate().isoformat()
    assert entry.changes == {
        "contact_phone": ["138****5678", "139****1111"],
        "employee_count": [40, 45],
        # No change date posted: the head count changed today.
        "state_since": [None, today],
        "effective_on": [None, today],
    }


def test_edit_ignores_a_posted_uscc(district_staff, registered, login_client):
    response = login_client(district_staff).post(
        edit(registered),
        edit_data(registered, uscc=make_uscc("500103", 999), name="新名字有限公司"),
    )
    assert response.status_code == 302
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.uscc, stored.name) == (registered.uscc, "新名字有限公司")


def test_stale_edit_is_refused_with_the_conflict_message(
    district_staff, city_admin, registered, login_client
):
    client = login_client(district_staff)
    stale = edit_data(registered, employee_count="99")  # read at version 1
    services.update_enterprise(city_admin, registered, expected_version=1, name="别人改过的名称")
    response = client.post(edit(registered), stale)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [CONFLICT]
    assert CONFLICT in response.content.decode()
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.name, stored.employee_count, stored.version) == ("别人改过的名称", 40, 2)
    assert AuditEntry.objects.filter(action="update_enterprise").count() == 1


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "500103"}, {"A", "B"}),
        ({"unit": "500157"}, {"E"}),
        ({"unit": "500157", "unit_basis": "recorded"}, {"E"}),
        ({"unit": "500157", "unit_basis": "current"}, {"D", "E", "F"}),
        ({"unit": "500105"}, {"D"}),
        ({"unit": "500105", "unit_basis": "current"}, set()),
        ({"industry": "C"}, {"A", "C", "E"}),
        ({"size": "lt20"}, {"A"}),
        ({"size": "20_99"}, {"D", "F"}),
        ({"size": "100_299"}, {"B"}),
        ({"size": "300_999"}, {"E"}),
        ({"size": "1000plus"}, {"C"}),
        ({"status": "suspended"}, {"B"}),
        ({"status": "deregistered"}, {"D"}),
        ({"union": "yes"}, {"A", "C", "E"}),
        ({"union": "no"}, {"B", "D", "F"}),
        ({"q": "物流"}, {"B"}),
        ({"q": "有限公司"}, {"A", "B", "C", "D", "E", "F"}),
        ({"q": "91500106"}, {"C"}),
        ({"industry": "C", "union": "yes", "size": "300_999"}, {"E"}),
    ],
)
def test_filters(city_admin, catalog, login_client, params, expected):
    names = {key: getattr(catalog, key).name for key in "ABCDEF"}
    response = login_client(city_admin).get(LIST, params)
    assert listed(response) == {names[key] for key in expected}


def test_search_by_exact_uscc_in_any_case(city_admin, catalog, login_client):
    client = login_client(city_admin)
    assert listed(client.get(LIST, {"q": catalog.D.uscc})) == {catalog.D.name}
    assert listed(client.get(LIST, {"q": catalog.D.uscc.lower()})) == {catalog.D.name}


def test_search_by_an_18_character_chinese_name(district_staff, yuzhong, login_client):
    name = "重庆市渝中区解放碑大商贸有限责任公司"
    assert len(name) == 18
    EnterpriseFactory(unit=yuzhong, name=name)
    assert listed(login_client(district_staff).get(LIST, {"q": name})) == {name}


def test_invalid_filter_value_is_shown_not_applied(city_admin, catalog, login_client):
    response = login_client(city_admin).get(LIST, {"industry": "Z"})
    assert "筛选条件有误" in response.content.decode()
    assert len(listed(response)) == 6


def test_district_staff_cannot_filter_by_other_districts(district_staff, catalog, login_client):
    response = login_client(district_staff).get(LIST, {"unit": "500106"})
    assert "筛选条件有误" in response.content.decode()
    assert listed(response) == {catalog.A.name, catalog.B.name}


def test_htmx_request_gets_only_the_table(city_admin, catalog, login_client):
    response = login_client(city_admin).get(LIST, {"industry": "G"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-testid="enterprise-table"' in body
    assert "共 2 家企业" in body


def test_pagination_keeps_the_filters(city_admin, yuzhong, login_client):
    for _ in range(25):
        EnterpriseFactory(unit=yuzhong, industry="K", employee_count=30)
    EnterpriseFactory(unit=yuzhong, industry="K", employee_count=500)
    client = login_client(city_admin)
    # The page size must not collide with the size-band filter (both used to be "size").
    params = {"industry": "K", "size": "20_99", "page_size": "20"}
    response = client.get(LIST, params)
    assert "筛选条件有误" not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 25
    assert len(response.context["object_list"]) == 20
    assert response.context["page_obj"].paginator.num_pages == 2
    assert "?industry=K&amp;size=20_99&amp;page_size=20&amp;page=2" in response.content.decode()
    second = client.get(LIST, {**params, "page": "2"})
    assert len(second.context["object_list"]) == 5
    # Out-of-range pages show the last page; unknown sizes fall back to 50.
    assert client.get(LIST, {**params, "page": "9"}).context["page_obj"].number == 2
    assert len(client.get(LIST, {"page_size": "7"}).context["object_list"]) == 26


# --- change dates and history --------------------------------------------------------------


def test_create_form_has_the_founding_day_but_no_change_date(district_staff, login_client):
    page = login_client(district_staff).get(NEW)
    assert 'data-testid="change-date-note"' not in page.content.decode()
    form = page.context["form"]
    assert "effective_on" not in form.fields
    assert "correction" not in form.fields
    assert form.fields["established_on"].label == "成立日期"
    assert 'type="date"' in str(form["established_on"])


def test_register_with_a_founding_day(district_staff, yuzhong, login_client):
    response = login_client(district_staff).post(
        NEW, form_data(yuzhong, established_on="2015-06-30")
    )
    assert response.status_code == 302
    stored = Enterprise.objects.get()
    assert (stored.established_on, stored.state_since) == (date(2015, 6, 30),) * 2


def test_register_with_a_founding_day_in_the_future(district_staff, yuzhong, login_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login_client(district_staff).post(
        NEW, form_data(yuzhong, established_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"established_on": ["成立日期不能晚于今天。"]}
    assert not Enterprise.objects.exists()


def test_edit_form_offers_a_change_date_defaulting_to_today(
    district_staff, registered, login_client
):
    page = login_client(district_staff).get(edit(registered))
    assert 'data-testid="change-date-note"' in page.content.decode()
    form = page.context["form"]
    assert form["effective_on"].value() == timezone.localdate()
    assert form.fields["effective_on"].label == "变更日期"
    assert "职工人数" in form.fields["effective_on"].help_text
    assert 'type="date"' in str(form["effective_on"])
    assert form.fields["correction"].label == "更正录入错误（不保留原值）"
    assert 'type="checkbox"' in str(form["correction"])
    assert "checked" not in str(form["correction"])


def test_edit_with_a_past_change_date_keeps_the_old_values(
    district_staff, registered, login_client
):
    client = login_client(district_staff)
    response = client.post(
        edit(registered),
        edit_data(
            registered,
            established_on="2010-01-01",
            employee_count="55",
            status="suspended",
            effective_on="2024-03-01",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.status, stored.state_since) == (
        55,
        "suspended",
        date(2024, 3, 1),
    )
    past = EnterpriseState.objects.get(enterprise=registered)
    assert (past.valid_from, past.valid_until) == (date(2010, 1, 1), date(2024, 3, 1))
    assert (past.employee_count, past.status) == (40, "operating")
    body = client.get(detail(registered)).content.decode()
    assert "（现）自 2024-03-01" in body
    assert "2010-01-01 至 2024-02-29" in body  # the last day of the old period, 2024 is leap
    assert "暂无变更记录" not in body


def test_a_correction_on_the_form_keeps_no_history(district_staff, registered, login_client):
    response = login_client(district_staff).post(
        edit(registered),
        edit_data(registered, employee_count="14", effective_on="2024-03-01", correction="on"),
    )
    assert response.status_code == 302
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.state_since) == (14, None)
    assert not EnterpriseState.objects.exists()
    entry = AuditEntry.objects.get(action="update_enterprise")
    assert entry.changes == {"employee_count": [40, 14], "effective_on": [None, "更正"]}


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"effective_on": "2099-01-01"}, "变更日期不能晚于今天。"),
        (
            {"established_on": "2020-05-01", "effective_on": "2019-12-31"},
            "变更日期不能早于成立日期。",
        ),
    ],
)
def test_bad_change_dates_are_shown_on_the_field(
    district_staff, registered, login_client, posted, message
):
    response = login_client(district_staff).post(
        edit(registered), edit_data(registered, employee_count="99", **posted)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"effective_on": [message]}
    assert message in response.content.decode()
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.version, stored.established_on) == (40, 1, None)
    assert not EnterpriseState.objects.exists()


def test_a_late_change_of_a_field_that_moved_since_is_shown_on_the_field(
    district_staff, registered, login_client
):
    services.update_enterprise(
        district_staff, registered, effective_on=date(2025, 1, 1), employee_count=41
    )
    stored = Enterprise.objects.get(pk=registered.pk)
    response = login_client(district_staff).post(
        edit(stored), edit_data(stored, employee_count="42", effective_on="2024-12-31")
    )
    assert response.context["form"].errors == {
        "effective_on": [
            "职工人数在 2025-01-01 另有变更，不能登记更早的变更。请按时间顺序登记，或勾选“更正”。"
        ]
    }
    assert EnterpriseState.objects.count() == 1


def test_an_unreadable_change_date_is_a_form_error(district_staff, registered, login_client):
    response = login_client(district_staff).post(
        edit(registered), edit_data(registered, employee_count="99", effective_on="昨天")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"effective_on"}
    assert Enterprise.objects.get(pk=registered.pk).employee_count == 40


def _state(enterprise, valid_from, valid_until, **values):
    """A past period written straight to the table (set-up data for the page)."""
    fields = {
        "unit": enterprise.unit,
        "industry": enterprise.industry,
        "status": enterprise.status,
        "employee_count": enterprise.employee_count,
    }
    fields.update(values)
    return EnterpriseState.objects.create(
        enterprise=enterprise, valid_from=valid_from, valid_until=valid_until, **fields
    )


def test_detail_lists_the_history_newest_first(district_staff, yuzhong, login_client):
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    park = IndustrialParkFactory(unit=yuzhong, name="渝中楼宇产业园")
    enterprise = EnterpriseFactory(
        unit=yuzhong,
        employee_count=80,
        established_on=date(2012, 5, 1),
        state_since=date(2023, 7, 1),
    )
    _state(enterprise, date(2012, 5, 1), date(2020, 1, 1), employee_count=12, industry="F")
    _state(
        enterprise,
        date(2020, 1, 1),
        date(2023, 7, 1),
        employee_count=33,
        status="suspended",
        township=street,
        park=park,
    )
    response = login_client(district_staff).get(detail(enterprise))
    body = response.content.decode()
    assert '成立日期</dt><dd class="col-sm-4">2012-05-01' in body
    assert [s.employee_count for s in response.context["states"]] == [33, 12]
    current = body.index("（现）自 2023-07-01")
    newer = body.index("2020-01-01 至 2023-06-30")
    older = body.index("2012-05-01 至 2019-12-31")
    assert current < newer < older
    panel = body[current:]
    assert "七星岗街道" in panel and "渝中楼宇产业园" in panel and "停业歇业" in panel
    assert "F 批发和零售业" in panel
    assert "仅显示最近" not in body


def test_detail_without_history(district_staff, yuzhong, login_client):
    enterprise = EnterpriseFactory(unit=yuzhong)
    body = login_client(district_staff).get(detail(enterprise)).content.decode()
    assert "登记事项变更记录" in body
    assert "暂无变更记录" in body
    assert '成立日期</dt><dd class="col-sm-4">—' in body


def test_detail_caps_the_history(district_staff, yuzhong, login_client):
    enterprise = EnterpriseFactory(unit=yuzhong, state_since=date(2025, 1, 1))
    start = date(2020, 1, 1)
    for n in range(51):
        _state(enterprise, start + timedelta(days=n), start + timedelta(days=n + 1))
    response = login_client(district_staff).get(detail(enterprise))
    states = response.context["states"]
    assert len(states) == 50
    assert states[0].valid_until == start + timedelta(days=51)  # the newest are kept
    assert "仅显示最近 50 条变更记录。" in response.content.decode()


def test_other_districts_history_is_neither_shown_nor_changed(
    district_staff, shapingba, login_client
):
    other = EnterpriseFactory(unit=shapingba, name="沙坪坝重工有限公司", employee_count=1200)
    _state(other, None, date(2024, 1, 1), employee_count=900)
    client = login_client(district_staff)
    response = client.get(detail(other))
    assert response.status_code == 404
    assert "900" not in response.content.decode()
    response = client.post(
        edit(other),
        edit_data(other, employee_count="1", effective_on="2025-01-01", correction="on"),
    )
    assert response.status_code == 404
    stored = Enterprise.objects.get(pk=other.pk)
    assert (stored.employee_count, stored.state_since) == (1200, None)
    assert EnterpriseState.objects.filter(enterprise=other).count() == 1


def test_enterprise_user_sees_its_own_history(enterprise_user, own_enterprise, login_client):
    _state(own_enterprise, None, date(2024, 1, 1), employee_count=7)
    response = login_client(enterprise_user).get(detail(own_enterprise))
    assert [s.employee_count for s in response.context["states"]] == [7]
