"""The harmony journey in a browser: an enterprise fills the health check and sees the guidance,
staff enrol it in the creation activity, the enterprise applies for grade A with its self-score
and pack, the district approves, and the enterprise appears on the public list."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD
from yutong.core.models import Organisation, OrgUnit, Role, User
from yutong.harmony.models import DocumentKind, HarmonyEnrollment, ScoringItem
from yutong.registry.models import Enterprise

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NAME = "山城和谐精工有限公司"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def company(transactional_db, uscc_factory):
    yuzhong = OrgUnit.objects.get(code="500103")
    enterprise = Enterprise.objects.create(
        uscc=uscc_factory("500103", 77),
        name=NAME,
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=260,
        status="operating",
    )
    organisation = Organisation.objects.create(
        name=NAME, kind=Organisation.Kind.ENTERPRISE, unit=yuzhong, uscc=enterprise.uscc
    )
    user = User.objects.create_user(
        username="hx_ent",
        password=PASSWORD,
        display_name="企业联络员",
        unit=yuzhong,
        organisation=organisation,
    )
    user.roles.add(Role.objects.get(code="enterprise_user"))
    return enterprise, user


def log_out(page):
    page.get_by_test_id("whoami").click()  # the user menu holds 退出
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_health_check_enrolment_and_grade_a(page, log_in, district_staff, company, tmp_path):
    enterprise, account = company

    # the enterprise fills the health check, weak on wages, and reads the guidance
    log_in(page, account)
    page.get_by_role("link", name="企业体检").click()
    page.get_by_role("link", name="开始体检").click()
    for fieldset in page.locator("fieldset").all():
        weak = "工资支付" in fieldset.locator("legend").inner_text()
        for question in fieldset.get_by_test_id("question").all():
            radios = question.locator("input[type=radio]")
            (radios.last if weak else radios.first).check()
    page.get_by_role("button", name="提交体检").click()
    finding = page.get_by_test_id("finding")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("工资支付")
    expect(finding.get_by_role("link")).to_contain_text("保障农民工工资支付条例")
    page.screenshot(path=str(tmp_path / "check.png"), full_page=True)
    log_out(page)

    # staff of 渝中区 enrol it in this year's creation activity
    log_in(page, district_staff)
    page.get_by_role("link", name="创建活动").first.click()
    page.get_by_role("link", name="登记创建活动").click()
    page.get_by_label("创建类型").select_option("enterprise")
    page.get_by_label("企业统一社会信用代码").fill(enterprise.uscc)
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("enrollment-facts")).to_contain_text(NAME)
    assert HarmonyEnrollment.objects.filter(enterprise=enterprise).exists()
    log_out(page)

    # the enterprise applies for grade A: self-score, pack, submit
    log_in(page, account)
    page.get_by_role("link", name="和谐企业评定").click()
    page.get_by_role("link", name="申报评定").click()
    page.get_by_label("申报等级").select_option("A")
    page.get_by_role("button", name="创建申报").click()
    scores = page.get_by_test_id("action-scores")
    for item in ScoringItem.objects.filter(is_active=True):
        scores.locator(f"#id_scores_item_{item.code}").fill(str(item.max_points - 1))
    scores.get_by_role("button", name="填写自评分").click()
    expect(page.get_by_test_id("self-score")).to_contain_text("90.0")
    for kind in DocumentKind.objects.filter(is_required=True):
        page.locator("#id_kind").select_option(str(kind.pk))
        page.locator("#id_file").set_input_files(
            files=[{"name": f"{kind.code}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_test_id("documents")).to_contain_text(f"{kind.code}.pdf")
    expect(page.get_by_test_id("missing")).to_have_count(0)
    submit = page.get_by_test_id("action-submit")
    submit.locator("summary").click()
    submit.get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("待审核")
    url = page.url
    log_out(page)

    # the district reviews and grants grade A
    log_in(page, district_staff)
    page.goto(url)
    review = page.get_by_test_id("action-review")
    review.locator("summary").click()
    review.get_by_label("通过", exact=True).check()
    review.get_by_label("审核得分").fill("88")
    review.get_by_role("button", name="审核").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("已评定")
    expect(page.get_by_test_id("granted")).to_contain_text("A级")
    page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)
    log_out(page)

    # anyone reads the public list
    page.goto("/harmony/graded/")
    page.screenshot(path=str(tmp_path / "graded.png"), full_page=True)
    row = page.get_by_test_id("graded-table").locator("tr", has_text=NAME)
    expect(row).to_contain_text("A级")
    expect(row).to_contain_text(enterprise.uscc)
    assert page.problems == []
