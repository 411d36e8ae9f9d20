"""The harmony pages: enrolment, coverage, health check, evaluation, public list and settings,
and the role boundaries through the UI and the exports."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import EnterpriseFactory
from tests.harmony.conftest import full_scores, granted, pdf, ready_evaluation
from yutong.core.models import AuditEntry
from yutong.harmony import services
from yutong.harmony.models import (
    DocumentKind,
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthCheck,
    HealthQuestion,
    ScoringItem,
)


def sheet_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


# --- enrolment and coverage -------------------------------------------------------------------


def test_staff_enrol_a_township_through_the_form(login_client, district_staff, street_a):
    EnterpriseFactory(unit=street_a.parent, township=street_a, name="解放碑商贸有限公司")
    client = login_client(district_staff)
    page = client.get("/harmony/enrollments/new/")
    assert page.status_code == 200 and "解放碑街道" in page.content.decode()
    response = client.post(
        "/harmony/enrollments/new/",
        {"scope": "region", "township": street_a.pk, "year": 2026, "note": "整街创建"},
    )
    enrollment = HarmonyEnrollment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/harmony/enrollments/{enrollment.pk}/"
    assert enrollment.scope == "region" and enrollment.township == street_a
    coverage = client.get("/harmony/coverage/", {"as_of": "2026-06-30", "covered": "yes"})
    html = coverage.content.decode()
    assert "解放碑商贸有限公司" in html and "已覆盖" in html


def test_enrolment_form_errors_are_shown_in_chinese(login_client, district_staff):
    client = login_client(district_staff)
    response = client.post("/harmony/enrollments/new/", {"scope": "region", "year": 2026})
    assert response.status_code == 200
    assert "请选择镇街。" in response.content.decode()
    response = client.post(
        "/harmony/enrollments/new/",
        {"scope": "enterprise", "enterprise_uscc": "91500000MA5UNKNOWN", "year": 2026},
    )
    assert "未找到该企业" in response.content.decode()
    assert HarmonyEnrollment.objects.count() == 0


def test_enterprise_user_enrols_itself(login_client, enterprise_user, own_enterprise):
    client = login_client(enterprise_user)
    page = client.get("/harmony/enrollments/new/")
    assert own_enterprise.name in page.content.decode()
    response = client.post("/harmony/enrollments/new/", {"year": 2026})
    assert response.status_code == 302
    enrollment = HarmonyEnrollment.objects.get()
    assert enrollment.enterprise == own_enterprise and enrollment.self_enrolled
    assert client.get("/harmony/coverage/").status_code == 403


def test_withdraw_through_the_page_with_a_stale_version(login_client, district_staff, street_a):
    enrollment = services.enrol(district_staff, scope="region", township=street_a, year=2026)
    client = login_client(district_staff)
    url = f"/harmony/enrollments/{enrollment.pk}/withdraw/"
    response = client.post(url, {"on": "2026-05-01", "reason": "", "version": 1})
    assert response.status_code == 400 and "请填写退出原因" in response.content.decode()
    response = client.post(url, {"on": "2026-05-01", "reason": "调整", "version": 7})
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "已被他人修改" in follow.content.decode()
    client.post(url, {"on": "2026-05-01", "reason": "调整", "version": 1})
    enrollment.refresh_from_db()
    assert enrollment.withdrawn_on == date(2026, 5, 1)


def test_other_districts_enrolments_are_invisible(
    login_client, district_staff, shapingba_staff, shapingba_enterprise, street_a
):
    mine = services.enrol(district_staff, scope="region", township=street_a, year=2026)
    theirs = services.enrol(
        shapingba_staff, scope="enterprise", enterprise=shapingba_enterprise, year=2026
    )
    client = login_client(district_staff)
    listing = client.get("/harmony/enrollments/").content.decode()
    assert street_a.name in listing and shapingba_enterprise.name not in listing
    assert client.get(f"/harmony/enrollments/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/harmony/enrollments/{theirs.pk}/withdraw/",
        {"on": "2026-05-01", "reason": "越权", "version": 1},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_on is None
    rows = sheet_rows(client.get("/harmony/enrollments/export/"))
    assert [r[0] for r in rows[1:]] == [mine.pk]
    coverage = client.get("/harmony/coverage/").content.decode()
    assert shapingba_enterprise.name not in coverage and "沙坪坝" not in coverage


# --- health check -----------------------------------------------------------------------------


def test_enterprise_fills_the_health_check_and_sees_guidance(
    login_client, enterprise_user, district_staff, shapingba_staff
):
    client = login_client(enterprise_user)
    page = client.get("/harmony/checks/new/")
    assert page.status_code == 200 and "社会保险" in page.content.decode()
    data = {}
    for question in HealthQuestion.objects.select_related("theme"):
        options = list(question.options.order_by("-points"))
        data[f"q{question.pk}"] = (options[-1] if question.theme.code == "wages" else options[0]).pk
    response = client.post("/harmony/checks/new/", data)
    check = HealthCheck.objects.get()
    assert response["Location"] == f"/harmony/checks/{check.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "工资支付" in html and "整改指导" in html and "保障农民工工资支付条例" in html
    assert login_client(district_staff).get(f"/harmony/checks/{check.pk}/").status_code == 200
    assert login_client(shapingba_staff).get(f"/harmony/checks/{check.pk}/").status_code == 404
    assert login_client(district_staff).get("/harmony/checks/new/").status_code == 403


def test_missing_answers_are_marked(login_client, enterprise_user):
    response = login_client(enterprise_user).post("/harmony/checks/new/", {})
    assert response.status_code == 200 and "请选择一项。" in response.content.decode()
    assert HealthCheck.objects.count() == 0


# --- evaluation -------------------------------------------------------------------------------


def test_evaluation_through_the_pages(
    login_client, enterprise_user, own_enterprise, district_staff
):
    client = login_client(enterprise_user)
    response = client.post("/harmony/evaluations/new/", {"grade": "AA"})
    assert "不得越级申报" in response.content.decode()
    response = client.post("/harmony/evaluations/new/", {"grade": "A"})
    evaluation = HarmonyEvaluation.objects.get()
    url = f"/harmony/evaluations/{evaluation.pk}/"
    assert response["Location"] == url
    scores = {f"item_{code}": points for code, points in full_scores(0.9).items()}
    response = client.post(url + "scores/", {**scores, "version": 1})
    assert response.status_code == 302
    response = client.post(url + "submit/", {"version": 2})
    assert "申报材料不全" in client.get(response["Location"]).content.decode()
    for kind in DocumentKind.objects.filter(is_required=True):
        client.post(url + "documents/", {"kind": kind.pk, "file": pdf(f"{kind.code}.pdf")})
    evaluation.refresh_from_db()
    response = client.post(url + "submit/", {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted"
    assert client.post(url + "review/", {"version": evaluation.version}).status_code == 403
    staff = login_client(district_staff)
    response = staff.post(
        url + "review/",
        {"version": evaluation.version, "decision": "approve", "score": "87", "reason": ""},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "approved" and evaluation.is_current
    public = Client().get("/harmony/graded/").content.decode()
    assert own_enterprise.name in public


def test_bad_upload_is_refused_with_a_message(login_client, enterprise_user, own_enterprise):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login_client(enterprise_user).post(
        f"/harmony/evaluations/{evaluation.pk}/documents/",
        {
            "kind": DocumentKind.objects.first().pk,
            "file": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 400 and "不符" in response.content.decode()
    assert evaluation.documents.count() == 0


def test_documents_are_served_only_inside_the_scope(
    login_client,
    enterprise_user,
    own_enterprise,
    shapingba_staff,
    district_staff,
    other_enterprise_user,
):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    document = services.add_document(
        enterprise_user, evaluation, kind=DocumentKind.objects.first(), file=pdf("申报表.pdf")
    )
    url = f"/harmony/evaluations/{evaluation.pk}/documents/{document.pk}/"
    response = login_client(district_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login_client(shapingba_staff).get(url).status_code == 404
    assert login_client(other_enterprise_user).get(url).status_code == 404
    assert login_client(other_enterprise_user).post(url + "delete/").status_code == 404
    assert evaluation.documents.count() == 1


def test_review_of_another_district_is_a_404(
    login_client, enterprise_user, own_enterprise, shapingba_staff
):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    services.submit_evaluation(enterprise_user, evaluation)
    evaluation.refresh_from_db()
    client = login_client(shapingba_staff)
    response = client.post(
        f"/harmony/evaluations/{evaluation.pk}/review/",
        {"version": evaluation.version, "decision": "approve", "score": "90"},
    )
    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted"
    assert own_enterprise.name not in client.get("/harmony/evaluations/").content.decode()
    rows = sheet_rows(client.get("/harmony/evaluations/export/"))
    assert rows[1:] == []


def test_evaluation_export_for_the_unit(login_client, district_staff, own_enterprise, today):
    granted(own_enterprise, "A", today - timedelta(days=10))
    rows = sheet_rows(login_client(district_staff).get("/harmony/evaluations/export/"))
    assert rows[1][1] == own_enterprise.name and rows[1][4] == "A级"


def test_public_list_filters_and_needs_no_login(yuzhong, shapingba, today):
    a = EnterpriseFactory(unit=yuzhong, name="渝中甲公司")
    b = EnterpriseFactory(unit=shapingba, name="沙坪坝乙公司")
    c = EnterpriseFactory(unit=yuzhong, name="渝中过期公司")
    granted(a, "AA", today - timedelta(days=30))
    granted(b, "A", today - timedelta(days=30))
    granted(c, "A", date(2020, 1, 1))  # expired
    client = Client()
    html = client.get("/harmony/graded/").content.decode()
    assert "渝中甲公司" in html and "沙坪坝乙公司" in html and "渝中过期公司" not in html
    html = client.get("/harmony/graded/", {"unit": yuzhong.pk, "grade": "AA"}).content.decode()
    assert "渝中甲公司" in html and "沙坪坝乙公司" not in html


# --- settings -------------------------------------------------------------------------------------


def test_settings_pages_are_the_city_admins(login_client, city_admin, district_staff):
    assert login_client(district_staff).get("/harmony/settings/").status_code == 403
    client = login_client(city_admin)
    assert "评分项目" in client.get("/harmony/settings/").content.decode()
    response = client.post(
        "/harmony/settings/items/new/",
        {
            "code": "party",
            "category": "党建",
            "name": "党建引领",
            "description": "",
            "max_points": 5,
            "order": 200,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ScoringItem.objects.filter(code="party").exists()
    assert AuditEntry.objects.filter(action="save_harmony_items").exists()
    question = HealthQuestion.objects.first()
    response = client.post(
        f"/harmony/settings/questions/{question.pk}/",
        {"theme": question.theme_id, "text": "改过的问题", "order": 1, "options": "只有一个=3"},
    )
    assert "至少需要两个选项" in response.content.decode()
    response = client.post(
        f"/harmony/settings/questions/{question.pk}/",
        {
            "theme": question.theme_id,
            "text": "改过的问题",
            "order": 1,
            "is_active": "on",
            "options": "是=10\n否=0",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "改过的问题" and question.options.count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "/harmony/enrollments/",
        "/harmony/checks/",
        "/harmony/evaluations/",
        "/harmony/coverage/",
    ],
)
def test_pages_render_for_staff(login_client, district_staff, path):
    assert login_client(district_staff).get(path).status_code == 200


def test_home_cards(login_client, district_staff, enterprise_user):
    assert "创建活动覆盖率" in login_client(district_staff).get("/").content.decode()
    assert "本企业和谐企业等级" in login_client(enterprise_user).get("/").content.decode()
