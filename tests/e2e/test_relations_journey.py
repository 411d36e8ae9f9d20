"""The relations journey in a browser: a 渝中区 union officer finds an enterprise on the to-do
list, registers its union, records the bargaining, the draft contract and the workers'
congress vote (a vote without quorum first), signs and files it; after the 15-day review the
contract is in force and the enterprise leaves the "no contract" list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from yutong.core.models import OrgUnit, Role, User
from yutong.registry.models import Enterprise
from yutong.relations.models import CollectiveContract, Union

pytestmark = [
    pytest.mark.e2e,
    # See test_registry_journey.py: live_server needs committed data; serialized_rollback
    # restores what migrations load (org units, roles, the dated parameters).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "Chongqing-e2e-2025!"
FIRM = "解放碑精密机械有限公司"


@pytest.fixture
def union_officer(transactional_db):
    user = User.objects.create_user(
        username="yz_union",
        password=PASSWORD,
        display_name="渝中工会干部",
        unit=OrgUnit.objects.get(code="500103"),
    )
    user.roles.add(Role.objects.get(code="union_officer"))
    return user


@pytest.fixture
def firm(transactional_db, uscc_factory):
    yuzhong = OrgUnit.objects.get(code="500103")
    Enterprise.objects.create(
        uscc=uscc_factory("500106", 9),
        name="沙坪坝其他机械有限公司",
        unit=OrgUnit.objects.get(code="500106"),
        industry="C",
        ownership="private",
        employee_count=400,
    )
    return Enterprise.objects.create(
        uscc=uscc_factory("500103", 7),
        name=FIRM,
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=260,
    )


def day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def open_action(page, name: str):
    action = page.get_by_test_id(f"action-{name}")
    action.locator("summary").click()
    return action


def test_union_to_effective_collective_contract(page, log_in, union_officer, firm):
    log_in(page, union_officer)
    page.get_by_test_id("sidebar").get_by_role("link", name="建会建制待办").click()
    expect(page.get_by_role("heading", name="建会建制待办")).to_be_visible()
    table = page.get_by_test_id("todo-table")
    expect(table).to_contain_text(FIRM)
    expect(page.locator("main")).not_to_contain_text("沙坪坝其他机械有限公司")

    # Register the union from the to-do list.
    table.get_by_role("row", name=re.compile(FIRM)).get_by_role("link", name="登记工会").click()
    expect(page.locator("#id_enterprise")).to_have_value(firm.uscc)
    page.locator("#id_name").fill(f"{FIRM}工会委员会")
    page.locator("#id_form").select_option("committee")
    page.locator("#id_established_on").fill(day(120))
    page.locator("#id_members").fill("180")
    page.locator("#id_chair").fill("陈主席")
    page.locator("#id_fulltime_staff").fill("1")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("record-title")).to_have_text(f"{FIRM}工会委员会")
    expect(page.get_by_test_id("status")).to_have_text("存续")
    assert Enterprise.objects.get(pk=firm.pk).union_established

    # The enterprise is now a key enterprise without a contract: start bargaining from there.
    page.goto("/relations/?list=no_contract")
    row = page.get_by_test_id("todo-table").get_by_role("row", name=re.compile(FIRM))
    row.get_by_role("link", name="发起协商").click()
    page.locator("#id_topic").select_option("general")
    page.locator("#id_requested_by").select_option("union")
    page.locator("#id_requested_on").fill(day(90))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("待答复")
    expect(page.get_by_test_id("reply-due")).to_be_visible()

    action = open_action(page, "reply")
    action.locator("#id_reply_replied_on").fill(day(85))
    action.locator("#id_reply_reply").fill("同意就集体合同开展协商")
    action.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("协商中")
    action = open_action(page, "round")
    action.locator("#id_round_held_on").fill(day(80))
    action.locator("#id_round_summary").fill("双方就工资、工时、休假条款达成一致")
    action.locator("#id_round_outcome").select_option("agree")
    action.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("达成一致")
    bargaining_id = re.search(r"/bargaining/(\d+)/", page.url).group(1)

    # The draft contract.
    page.get_by_role("link", name=re.compile("据此登记集体合同草案")).click()
    page.locator("#id_scope").select_option("enterprise")
    page.locator("#id_kind").select_option("general")
    page.locator("#id_title").fill(f"{FIRM}集体合同")
    page.locator("#id_term_start").fill(day(60))
    page.locator("#id_expires_on").fill(day(60 - 365 * 3 - 5))  # over 3 years: refused
    page.locator("#id_bargaining").fill(bargaining_id)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("集体合同期限为 1 至 3 年")
    assert not CollectiveContract.objects.exists()
    page.locator("#id_expires_on").fill(day(60 - 365 * 2))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("草案")

    # The workers' congress: without quorum first, then adopted.
    action = open_action(page, "approve")
    action.locator("#id_approve_adopted_on").fill(day(75))
    action.locator("#id_approve_congress_total").fill("60")
    action.locator("#id_approve_congress_attending").fill("35")
    action.locator("#id_approve_congress_approving").fill("33")
    action.get_by_role("button", name="登记通过").click()
    expect(page.get_by_test_id("action-approve")).to_contain_text("不足全体 60 人的三分之二")
    expect(page.get_by_test_id("status")).to_have_text("草案")
    action = page.get_by_test_id("action-approve")
    action.locator("#id_approve_congress_attending").fill("52")
    action.locator("#id_approve_congress_approving").fill("47")
    action.get_by_role("button", name="登记通过").click()
    expect(page.get_by_test_id("status")).to_have_text("职代会已通过")
    expect(page.get_by_test_id("congress-vote")).to_contain_text("实到 52")

    action = open_action(page, "sign")
    action.locator("#id_sign_signed_on").fill(day(74))
    action.get_by_role("button", name="登记签字").click()
    expect(page.get_by_test_id("status")).to_have_text("已签订待报送")

    action = open_action(page, "file")
    action.locator("#id_file_filed_on").fill(day(60))  # 14 days after signing: late
    action.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("filed-late")).to_be_visible()

    # Filed 60 days ago: the 15-day review is over with no objection, the contract is in force.
    expect(page.get_by_test_id("status")).to_have_text("生效中")
    expect(page.get_by_test_id("effective-from")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("报送")
    contract = CollectiveContract.objects.get()
    assert contract.effective_from <= timezone.localdate()
    assert Union.objects.get().enterprise_id == firm.pk

    page.goto("/relations/?list=no_contract")
    expect(page.get_by_test_id("todo-table")).not_to_contain_text(FIRM)
    page.goto("/relations/contracts/?queue=effective")
    expect(page.get_by_test_id("contract-table")).to_contain_text(f"{FIRM}集体合同")
    assert not page.problems, page.problems
