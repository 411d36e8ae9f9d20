"""The staff shell: grouped navigation, breadcrumbs, the message inbox and bell, the global
search and the work bench."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import EnterpriseFactory
from yutong.core import inbox, navigation
from yutong.core.models import Message
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db


def _groups(response) -> dict[str, list[str]]:
    return {g["label"]: [i["label"] for i in g["items"]] for g in response.context["nav_groups"]}


# --- navigation -------------------------------------------------------------------------------


def test_sidebar_groups_follow_the_roles(login_client, city_admin, enterprise_user, mediator):
    admin = _groups(login_client(city_admin).get("/"))
    assert list(admin)[0] == "工作台" and list(admin)[-1] == "系统管理"
    assert {"企业与项目", "争议调处", "监察执法", "根治欠薪", "和谐创建", "指标监测"} <= set(admin)
    assert "调解组织" in admin["争议调处"] and "用户管理" in admin["系统管理"]
    company = _groups(login_client(enterprise_user).get("/"))
    # A group with nothing for the role disappears.
    assert "监察执法" not in company and "争议调处" not in company
    assert "用户管理" not in company.get("系统管理", [])
    assert "监察执法" not in _groups(login_client(mediator).get("/"))


def test_unknown_group_is_a_programming_error():
    with pytest.raises(ValueError):
        navigation.Entry("home", "x", "bi-x", "nowhere")


def test_current_entry_and_breadcrumbs(login_client, district_staff):
    client = login_client(district_staff)
    red = client.get(reverse("registry:project_list") + "?colour=red")
    active = [i["label"] for g in red.context["nav_groups"] for i in g["items"] if i["active"]]
    assert active == ["红码项目"]
    assert [c["label"] for c in red.context["breadcrumbs"]] == ["根治欠薪", "红码项目"]
    plain = client.get(reverse("registry:project_list"))
    active = [i["label"] for g in plain.context["nav_groups"] for i in g["items"] if i["active"]]
    assert active == ["工程项目"]
    page = client.get(reverse("inspection:complaint_queue")).content.decode()
    assert 'data-testid="breadcrumbs"' in page and "监察执法" in page
    assert 'aria-current="page"' in page


def test_user_menu_shows_unit_roles_and_sign_out(login_client, district_staff):
    page = login_client(district_staff).get("/").content.decode()
    assert "渝中区" in page and "人社业务人员" in page
    assert reverse("core:password_change") in page and reverse("logout") in page


def test_public_pages_have_no_shell(client):
    page = client.get(reverse("login")).content.decode()
    assert 'data-testid="sidebar"' not in page and 'data-testid="bell"' not in page


# --- messages ---------------------------------------------------------------------------------


def _send(user, title="测试消息", url="/registry/", kind=Message.Kind.ASSIGNMENT):
    (message,) = inbox.send([user], kind, title, url=url)
    return message


def test_bell_counts_unread_and_opening_marks_read(login_client, district_staff):
    message = _send(district_staff, url=reverse("registry:enterprise_list"))
    _send(district_staff, title="第二条")
    client = login_client(district_staff)
    assert client.get("/").context["unread_messages"] == 2
    response = client.post(reverse("core:message_open", args=[message.pk]))
    assert response.status_code == 302 and response.url == reverse("registry:enterprise_list")
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get("/").context["unread_messages"] == 1
    client.post(reverse("core:message_read_all"))
    assert client.get("/").context["unread_messages"] == 0


def test_message_list_filters_and_explains_when_empty(login_client, district_staff):
    _send(district_staff, title="分派的消息")
    _send(district_staff, title="催办的消息", kind=Message.Kind.URGE)
    client = login_client(district_staff)
    page = client.get(reverse("core:message_list") + "?kind=urge").content.decode()
    assert "催办的消息" in page and "分派的消息" not in page
    bad = client.get(reverse("core:message_list") + "?kind=nonsense")
    assert bad.status_code == 200 and len(bad.context["object_list"]) == 2
    client.post(reverse("core:message_read_all"))
    empty = client.get(reverse("core:message_list") + "?unread=1").content.decode()
    assert "没有符合筛选条件的站内信。" in empty and "清除筛选条件" in empty


def test_nobody_opens_another_persons_message(login_client, api_client, district_staff, mediator):
    message = _send(district_staff)
    response = login_client(mediator).post(reverse("core:message_open", args=[message.pk]))
    assert response.status_code == 404
    api = api_client(mediator)
    assert api.get(f"/api/v1/messages/{message.pk}/").status_code == 404
    assert api.post(f"/api/v1/messages/{message.pk}/read/").status_code == 404
    assert api.get("/api/v1/messages/").json()["count"] == 0
    message.refresh_from_db()
    assert message.read_at is None


def test_an_external_link_is_not_followed(login_client, district_staff):
    message = _send(district_staff, url="https://evil.example/")
    response = login_client(district_staff).post(reverse("core:message_open", args=[message.pk]))
    assert response.url == reverse("core:message_list")


def test_messages_api(api_client, district_staff):
    first = _send(district_staff)
    _send(district_staff, kind=Message.Kind.URGE)
    api = api_client(district_staff)
    assert api.get("/api/v1/messages/").json()["count"] == 2
    assert api.get("/api/v1/messages/?kind=urge").json()["count"] == 1
    bad = api.get("/api/v1/messages/?kind=nonsense")
    assert bad.status_code == 400 and "kind" in bad.json()
    read = api.post(f"/api/v1/messages/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert api.get("/api/v1/messages/?unread=true").json()["count"] == 1
    assert api.post("/api/v1/messages/read-all/").json() == {"marked": 1}


# --- global search ----------------------------------------------------------------------------


@pytest.fixture
def firms(yuzhong, shapingba):
    return (
        EnterpriseFactory(name="渝中山城机械有限公司", unit=yuzhong),
        EnterpriseFactory(name="沙坪坝山城机械有限公司", unit=shapingba),
    )


def test_search_finds_within_the_users_scope(login_client, api_client, district_staff, firms):
    own, other = firms
    page = login_client(district_staff).get(reverse("core:search") + "?q=山城机械")
    labels = [h["label"] for g in page.context["groups"] for h in g["hits"]]
    assert labels == [own.name]
    by_code = login_client(district_staff).get(reverse("core:search") + f"?q={own.uscc}")
    assert [h["label"] for g in by_code.context["groups"] for h in g["hits"]] == [own.name]
    api = api_client(district_staff).get("/api/v1/search/?q=山城机械").json()
    assert [h["label"] for g in api for h in g["hits"]] == [own.name]
    outside = login_client(district_staff).get(reverse("core:search") + f"?q={other.uscc}")
    assert outside.context["groups"] == [] and "没有找到" in outside.content.decode()


def test_search_finds_projects_by_code(login_client, district_staff, firms, yuzhong):
    project = ConstructionProject.objects.create(
        code="500103202612070001",
        name="较场口改造项目",
        unit=yuzhong,
        owner=firms[0],
        general_contractor=firms[0],
        contract_amount=Decimal("5000000"),
        status="under_construction",
    )
    page = login_client(district_staff).get(reverse("core:search") + f"?q={project.code}")
    hits = [h for g in page.context["groups"] for h in g["hits"]]
    assert hits[0]["url"] == reverse("registry:project_detail", args=[project.pk])


def test_search_refuses_a_one_character_query(login_client, api_client, district_staff):
    page = login_client(district_staff).get(reverse("core:search") + "?q=山")
    assert "请至少输入 2 个字" in page.content.decode()
    response = api_client(district_staff).get("/api/v1/search/?q=山")
    assert response.status_code == 400 and "q" in response.json()


def test_an_enterprise_account_finds_only_its_own(login_client, enterprise_user, own_enterprise):
    EnterpriseFactory(name="渝中自有科技分公司", unit=own_enterprise.unit)
    page = login_client(enterprise_user).get(reverse("core:search") + "?q=渝中自有科技")
    assert [h["label"] for g in page.context["groups"] for h in g["hits"]] == [own_enterprise.name]


# --- the bench --------------------------------------------------------------------------------


def test_bench_shows_urgings_and_unread_messages(login_client, district_staff):
    _send(district_staff, title="请尽快办理", kind=Message.Kind.URGE)
    page = login_client(district_staff).get("/")
    queues = {q["label"]: q.get("value") for q in page.context["todo"]}
    assert queues["被催办（未读）"] == 1
    assert "请尽快办理" in page.content.decode()
