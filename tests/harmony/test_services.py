"""The harmony services: enrolment rules and roles, the health check's scoring and guidance,
the evaluation's sequence, holding, thresholds, pack, vetoes, validity and revocation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import EnterpriseFactory
from tests.harmony.conftest import (
    complete_pack,
    full_scores,
    granted,
    pdf,
    ready_evaluation,
)
from yutong.core.models import AuditEntry, Message
from yutong.harmony import queries, services
from yutong.harmony.models import (
    DocumentKind,
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthQuestion,
    HealthTheme,
    ScoringItem,
    VetoItem,
)


def messages(exc: ValidationError) -> str:
    return (
        " ".join(m for ms in exc.message_dict.values() for m in ms)
        if hasattr(exc, "error_dict")
        else " ".join(exc.messages)
    )


# --- enrolment ---------------------------------------------------------------------------------


def test_enterprise_user_enrols_own_enterprise_only(
    enterprise_user, own_enterprise, shapingba_enterprise, street_a
):
    enrollment = services.enrol(
        enterprise_user, scope="enterprise", enterprise=own_enterprise, year=2026
    )
    assert enrollment.self_enrolled
    assert (enrollment.starts_on, enrollment.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert enrollment.unit == own_enterprise.unit
    entry = AuditEntry.objects.get(action="enrol_harmony")
    assert entry.changes["scope"] == [None, "enterprise"]
    with pytest.raises(PermissionDenied):
        services.enrol(enterprise_user, scope="enterprise", enterprise=shapingba_enterprise)
    with pytest.raises(PermissionDenied):
        services.enrol(enterprise_user, scope="region", township=street_a, year=2026)


def test_staff_enrol_in_their_unit_only(district_staff, union_officer, shapingba_enterprise, park):
    enrollment = services.enrol(union_officer, scope="park", park=park, year=2025)
    assert enrollment.unit == park.unit and not enrollment.self_enrolled
    with pytest.raises(PermissionDenied):
        services.enrol(
            district_staff, scope="enterprise", enterprise=shapingba_enterprise, year=2025
        )
    assert HarmonyEnrollment.objects.count() == 1


def test_one_target_is_not_enrolled_twice_on_a_day(district_staff, street_a):
    services.enrol(district_staff, scope="region", township=street_a, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.enrol(
            district_staff, scope="region", township=street_a, starts_on=date(2025, 12, 1)
        )
    assert "不能重复登记" in messages(exc.value)
    # the next year is fine
    services.enrol(district_staff, scope="region", township=street_a, year=2026)
    assert HarmonyEnrollment.objects.count() == 2


@pytest.mark.parametrize(
    "data, field",
    [
        ({"scope": "region"}, "township"),
        ({"scope": "industry", "industry": "Z"}, "industry"),
        ({"scope": "enterprise"}, "enterprise"),
        ({"scope": "park"}, "park"),
        ({"scope": "nonsense"}, "scope"),
    ],
)
def test_enrolment_needs_its_target(district_staff, data, field):
    with pytest.raises(ValidationError) as exc:
        services.enrol(district_staff, year=2025, **data)
    assert field in exc.value.message_dict
    assert HarmonyEnrollment.objects.count() == 0


def test_enrolment_dates_and_deregistered_enterprise(district_staff, yuzhong):
    dead = EnterpriseFactory(unit=yuzhong, status="deregistered")
    with pytest.raises(ValidationError) as exc:
        services.enrol(district_staff, scope="enterprise", enterprise=dead, year=2025)
    assert "已注销" in exc.value.message_dict["enterprise"][0]
    live = EnterpriseFactory(unit=yuzhong)
    with pytest.raises(ValidationError) as exc:
        services.enrol(
            district_staff,
            scope="enterprise",
            enterprise=live,
            starts_on=date(2025, 5, 1),
            ends_on=date(2025, 4, 1),
        )
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.enrol(district_staff, scope="industry", industry="C", unit=yuzhong)
    assert HarmonyEnrollment.objects.count() == 0


def test_withdrawal_rules_and_version(district_staff, street_a):
    enrollment = services.enrol(district_staff, scope="region", township=street_a, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_enrollment(district_staff, enrollment, on=date(2025, 3, 1), reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.withdraw_enrollment(
            district_staff, enrollment, on=date(2025, 3, 1), reason="x", expected_version=9
        )
    assert exc.value.code == "conflict"
    done = services.withdraw_enrollment(
        district_staff, enrollment, on=date(2025, 3, 1), reason="合并", expected_version=1
    )
    assert done.covered_until == date(2025, 2, 28) and done.version == 2
    with pytest.raises(ValidationError) as exc:
        services.withdraw_enrollment(district_staff, done, on=date(2025, 4, 1), reason="again")
    assert "已于" in messages(exc.value)


# --- health check -------------------------------------------------------------------------------


def answers(best: bool = True, weak_theme: str | None = None) -> dict:
    chosen = {}
    for question in HealthQuestion.objects.filter(is_active=True).select_related("theme"):
        options = list(question.options.order_by("-points"))
        weak = not best or question.theme.code == weak_theme
        chosen[question.pk] = (options[-1] if weak else options[0]).pk
    return chosen


def test_health_check_scores_and_classifies_guidance(enterprise_user, own_enterprise):
    check = services.submit_health_check(
        enterprise_user, own_enterprise, answers=answers(weak_theme="insurance")
    )
    assert check.max_points == HealthQuestion.objects.count() * 10
    assert check.points == check.max_points - 20  # the two insurance questions score 0
    findings = list(check.findings.all())
    assert [f.theme_name for f in findings] == ["社会保险"]
    assert "社会保险法" in findings[0].rule_reference
    assert findings[0].guidance and findings[0].rule_url
    assert check.answers.count() == HealthQuestion.objects.count()


def test_health_check_needs_every_answer_and_is_the_enterprises_own(
    enterprise_user, own_enterprise, district_staff
):
    partial = answers()
    partial.pop(next(iter(partial)))
    with pytest.raises(ValidationError) as exc:
        services.submit_health_check(enterprise_user, own_enterprise, answers=partial)
    assert "请回答" in messages(exc.value)
    with pytest.raises(PermissionDenied):
        services.submit_health_check(district_staff, own_enterprise, answers=answers())


def test_guidance_follows_configured_themes(enterprise_user, own_enterprise, city_admin):
    theme = HealthTheme.objects.get(code="wages")
    services.save_setting(
        city_admin,
        "themes",
        theme,
        code="wages",
        name="工资支付",
        order=1,
        guidance="新的指导意见",
        rule_reference="《保障农民工工资支付条例》",
        rule_url="https://flk.npc.gov.cn/",
    )
    check = services.submit_health_check(
        enterprise_user, own_enterprise, answers=answers(best=False)
    )
    texts = {f.theme_name: f.guidance for f in check.findings.all()}
    assert texts["工资支付"] == "新的指导意见"
    assert len(texts) == HealthTheme.objects.count()


# --- evaluation: sequence, thresholds, pack -----------------------------------------------------


def test_grade_a_from_draft_to_public_list(enterprise_user, own_enterprise, district_staff, today):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    assert evaluation.self_score == Decimal("95.0")
    evaluation = services.submit_evaluation(
        enterprise_user, evaluation, expected_version=evaluation.version
    )
    assert evaluation.status == "submitted" and evaluation.submitted_on == today
    evaluation = services.review_evaluation(
        district_staff, evaluation, decision="approve", score=Decimal("88"), reason="材料齐全"
    )
    assert evaluation.status == "approved" and evaluation.is_current
    assert evaluation.granted_on == today
    assert evaluation.valid_until == services.add_months(today, 36) - timedelta(days=1)
    assert list(queries.graded_enterprises()) == [evaluation]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"submit_harmony_evaluation", "review_harmony_evaluation"} <= actions
    # The applicant hears of the decision (站内信), with a link to the application.
    (message,) = Message.objects.filter(recipient=enterprise_user)
    assert message.kind == "decision" and evaluation.get_status_display() in message.title
    assert message.url.endswith(f"/evaluations/{evaluation.pk}/")


def test_grade_skipping_a_level_is_refused(enterprise_user, own_enterprise):
    with pytest.raises(ValidationError) as exc:
        services.start_evaluation(enterprise_user, own_enterprise, grade="AA")
    assert "不得越级" in exc.value.message_dict["grade"][0]
    granted(own_enterprise, "A", date(2020, 1, 1), months=120)
    with pytest.raises(ValidationError) as exc:
        services.start_evaluation(enterprise_user, own_enterprise, grade="AAA")
    assert "不得越级" in exc.value.message_dict["grade"][0]
    assert HarmonyEvaluation.objects.filter(status="draft").count() == 0


def test_grade_held_less_than_a_year_is_refused(enterprise_user, own_enterprise, today):
    granted(own_enterprise, "A", today - timedelta(days=200))
    with pytest.raises(ValidationError) as exc:
        services.start_evaluation(enterprise_user, own_enterprise, grade="AA")
    assert "持有不满 12 个月" in exc.value.message_dict["grade"][0]


def test_aa_after_a_year_supersedes_a(enterprise_user, own_enterprise, district_staff, today):
    old = granted(own_enterprise, "A", services.add_months(today, -13))
    evaluation = ready_evaluation(enterprise_user, own_enterprise, grade="AA", ratio=0.9)
    services.submit_evaluation(enterprise_user, evaluation)
    result = services.review_evaluation(
        district_staff, evaluation, decision="approve", score=Decimal("86")
    )
    old.refresh_from_db()
    assert result.is_current and not old.is_current
    assert [e.grade for e in queries.graded_enterprises()] == ["AA"]


def test_an_expired_grade_is_not_held(enterprise_user, own_enterprise, today):
    granted(own_enterprise, "A", date(2020, 1, 1), months=36)  # expired 2022
    with pytest.raises(ValidationError):
        services.start_evaluation(enterprise_user, own_enterprise, grade="AA")
    assert not queries.graded_enterprises().exists()


def test_self_score_under_threshold_is_refused(enterprise_user, own_enterprise, today):
    evaluation = ready_evaluation(enterprise_user, own_enterprise, grade="A", ratio=0.7)
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(enterprise_user, evaluation)
    assert "低于申报A级所需的 80 分" in exc.value.message_dict["self_score"][0]
    assert HarmonyEvaluation.objects.get(pk=evaluation.pk).status == "draft"


def test_aa_needs_85(enterprise_user, own_enterprise, today):
    granted(own_enterprise, "A", services.add_months(today, -13))
    evaluation = ready_evaluation(enterprise_user, own_enterprise, grade="AA", ratio=0.82)
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(enterprise_user, evaluation)
    assert "85 分" in exc.value.message_dict["self_score"][0]


def test_incomplete_pack_is_refused(enterprise_user, own_enterprise):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    services.set_self_scores(enterprise_user, evaluation, scores=full_scores())
    services.add_document(
        enterprise_user,
        evaluation,
        kind=DocumentKind.objects.get(code="application_form"),
        file=pdf(),
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(enterprise_user, evaluation)
    message = exc.value.message_dict["documents"][0]
    assert "申报材料不全" in message and "自评打分表" in message
    assert "和谐劳动关系企业申报表" not in message


def test_self_scores_are_checked_per_item(enterprise_user, own_enterprise):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    scores = full_scores()
    scores["contracts"] = 99
    scores.pop("care")
    with pytest.raises(ValidationError) as exc:
        services.set_self_scores(enterprise_user, evaluation, scores=scores)
    errors = exc.value.message_dict["scores"]
    assert any("0 至 15 分" in e for e in errors) and any("人文关怀" in e for e in errors)


def test_uploads_are_checked_for_type_and_content(enterprise_user, own_enterprise, settings):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    kind = DocumentKind.objects.get(code="statement")
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            enterprise_user, evaluation, kind=kind, file=SimpleUploadedFile("a.exe", b"MZ..")
        )
    assert "只能上传" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            enterprise_user, evaluation, kind=kind, file=SimpleUploadedFile("a.pdf", b"hello")
        )
    assert "不符" in exc.value.message_dict["file"][0]
    document = services.add_document(enterprise_user, evaluation, kind=kind, file=pdf("声明.pdf"))
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))
    assert evaluation.documents.count() == 1


def test_veto_blocks_a_grade(enterprise_user, own_enterprise, district_staff):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    services.submit_evaluation(enterprise_user, evaluation)
    veto = VetoItem.objects.get(code="arrears")
    with pytest.raises(ValidationError) as exc:
        services.review_evaluation(
            district_staff, evaluation, decision="approve", score=Decimal(90), vetoes=[veto]
        )
    assert "一票否决" in exc.value.message_dict["vetoes"][0]
    result = services.review_evaluation(
        district_staff,
        evaluation,
        decision="reject",
        score=Decimal(90),
        reason="存在拖欠工资",
        vetoes=[veto],
    )
    assert result.status == "rejected" and list(result.vetoes.all()) == [veto]
    assert not queries.graded_enterprises().exists()


def test_review_score_threshold_and_wrong_state(enterprise_user, own_enterprise, district_staff):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    with pytest.raises(ValidationError) as exc:
        services.review_evaluation(district_staff, evaluation, decision="approve", score=90)
    assert "不能审核" in messages(exc.value)
    services.submit_evaluation(enterprise_user, evaluation)
    with pytest.raises(ValidationError) as exc:
        services.review_evaluation(district_staff, evaluation, decision="approve", score=75)
    assert "score" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.review_evaluation(district_staff, evaluation, decision="reject", score=75)
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.review_evaluation(enterprise_user, evaluation, decision="approve", score=90)


def test_review_is_the_districts(enterprise_user, own_enterprise, shapingba_staff):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    services.submit_evaluation(enterprise_user, evaluation)
    with pytest.raises(PermissionDenied):
        services.review_evaluation(shapingba_staff, evaluation, decision="approve", score=90)


def test_stale_version_is_a_conflict(enterprise_user, own_enterprise):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(enterprise_user, evaluation, expected_version=1)
    assert exc.value.code == "conflict"
    assert HarmonyEvaluation.objects.get(pk=evaluation.pk).status == "draft"


def test_revocation_takes_the_grade_off_the_list(
    enterprise_user, own_enterprise, district_staff, today
):
    evaluation = granted(own_enterprise, "A", today - timedelta(days=30))
    with pytest.raises(ValidationError):
        services.revoke_evaluation(district_staff, evaluation, reason="")
    result = services.revoke_evaluation(district_staff, evaluation, reason="发生拖欠工资事件")
    assert result.status == "revoked" and not result.is_current
    assert not queries.graded_enterprises().exists()
    with pytest.raises(ValidationError):
        services.revoke_evaluation(district_staff, result, reason="again")
    # after revocation the enterprise starts again from A
    with pytest.raises(ValidationError):
        services.start_evaluation(enterprise_user, own_enterprise, grade="AA")


def test_withdraw_and_one_open_application(enterprise_user, own_enterprise):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    with pytest.raises(ValidationError):
        services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    services.withdraw_evaluation(enterprise_user, evaluation)
    with pytest.raises(ValidationError):
        services.withdraw_evaluation(enterprise_user, evaluation)
    assert services.start_evaluation(enterprise_user, own_enterprise, grade="A").pk


def test_changed_items_need_rescoring(enterprise_user, own_enterprise, city_admin):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    services.set_self_scores(enterprise_user, evaluation, scores=full_scores())
    complete_pack(enterprise_user, evaluation)
    services.save_setting(
        city_admin, "items", code="party", category="党建", name="党建引领", max_points=5, order=99
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(enterprise_user, evaluation)
    assert "重新填写" in exc.value.message_dict["scores"][0]
    assert ScoringItem.objects.filter(is_active=True).count() == 11


def test_settings_are_the_city_admins(district_staff, city_admin):
    with pytest.raises(PermissionDenied):
        services.save_setting(district_staff, "vetoes", code="x", name="某事项", order=1)
    veto = services.save_setting(city_admin, "vetoes", code="x", name="某事项", order=1)
    assert AuditEntry.objects.filter(action="save_harmony_vetoes", object_id=str(veto.pk))
    with pytest.raises(ValidationError):
        services.save_setting(city_admin, "vetoes", veto, code="y", name="改代码", order=1)
