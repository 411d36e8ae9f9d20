"""Compliance credit rating (rules §6) and the wage-arrears blacklist (rules §4.4): grades from
the previous year's records, settings, overrides with reasons, listing conditions, the 3-year
term, early removal, scope, and the public list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import EnterpriseFactory
from yutong.core.models import AuditEntry, DatedParameter
from yutong.inspection import services
from yutong.inspection.models import ArrearsBlacklist, ComplianceRating, RatingRun

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
YEAR = LAST_YEAR + 1


def closed_case(actor, helper, employer, outcome="order", on=None, **close):
    """A proactive case about ``employer`` closed on ``on`` (default: 1 July last year)."""
    on = on or date(LAST_YEAR, 7, 1)
    case = services.open_inspection(
        actor,
        unit=employer.unit,
        origin="patrol",
        opened_on=on,
        employer=employer,
        matter="巡视检查发现问题。",
        violation_types=["wages"],
        is_wage_arrears=True,
        workers_affected=4,
        amount_owed="40000",
    )
    case = services.assign_inspectors(actor, case, lead=actor, inspectors=[helper])
    if outcome == "penalty":
        close.setdefault("penalty_amount", "5000")
    if outcome in ("no_violation", "police"):
        close.setdefault("note", "说明")
    return services.close_case(actor, case, outcome=outcome, closed_on=on, **close)


@pytest.fixture
def firms(yuzhong, shapingba):
    return {
        "clean": EnterpriseFactory(unit=yuzhong, name="守法企业"),
        "once": EnterpriseFactory(unit=yuzhong, name="一次处理企业"),
        "thrice": EnterpriseFactory(unit=yuzhong, name="三次处理企业"),
        "child": EnterpriseFactory(unit=yuzhong, name="童工企业"),
        "nothing": EnterpriseFactory(unit=yuzhong, name="查无违法企业"),
        "other": EnterpriseFactory(unit=shapingba, name="沙坪坝企业"),
    }


def test_grades_from_the_previous_years_records(inspector, inspector2, firms, yuzhong):
    closed_case(inspector, inspector2, firms["once"], "penalty")
    for _ in range(3):
        closed_case(inspector, inspector2, firms["thrice"])
    child = closed_case(inspector, inspector2, firms["child"], child_or_forced_labour=True)
    closed_case(inspector, inspector2, firms["nothing"], "no_violation")
    closed_case(inspector, inspector2, firms["once"], on=date(YEAR - 2, 7, 1))  # too early
    run = services.compute_ratings(inspector, unit=yuzhong, year=YEAR)
    grades = dict(
        ComplianceRating.objects.filter(year=YEAR).values_list("enterprise__name", "grade")
    )
    assert grades == {"一次处理企业": "B", "三次处理企业": "C", "童工企业": "C"}
    assert (run.with_records, run.rated_b, run.rated_c) == (3, 1, 2)
    reasons = ComplianceRating.objects.get(enterprise=firms["child"]).reasons
    assert child.number in reasons[0] and "童工" in reasons[0]
    thrice = ComplianceRating.objects.get(enterprise=firms["thrice"])
    assert thrice.handled_count == 3 and "3 次" in thrice.reasons[0]
    assert any("compliance_c_min_handled" not in t and "次" in t for t in run.rules)
    assert AuditEntry.objects.filter(action="compute_compliance_ratings").count() == 1


def test_the_rules_are_settings(inspector, inspector2, firms, yuzhong):
    for _ in range(2):
        closed_case(inspector, inspector2, firms["thrice"])
    closed_case(inspector, inspector2, firms["child"], child_or_forced_labour=True)
    DatedParameter.objects.create(
        code="compliance_c_min_handled", valid_from=date(2020, 1, 1), value=2, source="测试"
    )
    DatedParameter.objects.create(
        code="compliance_c_child_forced_labour",
        valid_from=date(2020, 1, 1),
        value=0,
        source="测试",
    )
    services.compute_ratings(inspector, unit=yuzhong, year=YEAR)
    grades = dict(
        ComplianceRating.objects.filter(year=YEAR).values_list("enterprise__name", "grade")
    )
    assert grades == {"三次处理企业": "C", "童工企业": "B"}


def test_override_needs_a_reason_and_survives_recomputation(inspector, inspector2, firms, yuzhong):
    closed_case(inspector, inspector2, firms["once"])
    with pytest.raises(ValidationError) as exc:
        services.override_rating(
            inspector, enterprise=firms["once"], year=YEAR, grade="A", reason="x"
        )
    assert "尚未计算" in exc.value.message_dict["year"][0]
    services.compute_ratings(inspector, unit=yuzhong, year=YEAR)
    with pytest.raises(ValidationError) as exc:
        services.override_rating(
            inspector, enterprise=firms["once"], year=YEAR, grade="A", reason=" "
        )
    assert "reason" in exc.value.message_dict
    rating = services.override_rating(
        inspector, enterprise=firms["once"], year=YEAR, grade="A", reason="经复核已整改到位"
    )
    assert (rating.grade, rating.computed_grade, rating.reviewed_by) == ("A", "B", inspector)
    # An enterprise without a record (A) may be set to C by a reviewer too.
    clean = services.override_rating(
        inspector, enterprise=firms["clean"], year=YEAR, grade="C", reason="信用信息共享通报"
    )
    assert clean.computed_grade == "A" and clean.grade == "C"
    services.compute_ratings(inspector, unit=yuzhong, year=YEAR)
    assert ComplianceRating.objects.get(enterprise=firms["once"]).grade == "A"
    assert ComplianceRating.objects.get(enterprise=firms["clean"]).grade == "C"
    entry = AuditEntry.objects.filter(action="override_compliance_rating").first()
    assert entry.changes["grade"] == ["A", "C"]
    with pytest.raises(ValidationError) as exc:
        services.override_rating(
            inspector,
            enterprise=firms["once"],
            year=YEAR,
            grade="B",
            reason="x",
            expected_version=1,
        )
    assert exc.value.code == "conflict"


def test_rating_scope(inspector, shapingba_inspector, city_admin, city, firms, yuzhong):
    with pytest.raises(PermissionDenied):
        services.compute_ratings(shapingba_inspector, unit=yuzhong, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.override_rating(
            shapingba_inspector, enterprise=firms["once"], year=YEAR, grade="C", reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.compute_ratings(city_admin, unit=city, year=YEAR)
    assert "区县" in exc.value.message_dict["unit"][0]


def test_rating_pages(login_client, inspector, inspector2, shapingba_inspector, firms, yuzhong):
    closed_case(inspector, inspector2, firms["thrice"], "police")
    client = login_client(inspector)
    response = client.post("/inspection/ratings/compute/", {"unit": yuzhong.pk, "year": YEAR})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "三次处理企业" in page and "涉嫌犯罪移送公安机关" in page
    bad = client.post(
        "/inspection/ratings/override/",
        {"uscc": firms["thrice"].uscc, "year": YEAR, "grade": "B", "reason": ""},
    )
    assert bad.status_code == 400 and "该字段是必填项。" in bad.content.decode()
    done = client.post(
        "/inspection/ratings/override/",
        {"uscc": firms["thrice"].uscc, "year": YEAR, "grade": "B", "reason": "已移送并整改"},
    )
    assert done.status_code == 302
    assert ComplianceRating.objects.get().grade == "B"
    other = login_client(shapingba_inspector).get(f"/inspection/ratings/?year={YEAR}")
    assert "三次处理企业" not in other.content.decode()
    response = login_client(shapingba_inspector).post(
        "/inspection/ratings/override/",
        {"uscc": firms["thrice"].uscc, "year": YEAR, "grade": "A", "reason": "x"},
    )
    assert "不在您的管辖范围内" in response.content.decode()


# --- blacklist ------------------------------------------------------------------------------------


def test_listing_needs_an_unpaid_order_and_a_condition(inspector, inspector2, firms):
    today = timezone.localdate()
    paid = closed_case(inspector, inspector2, firms["once"], on=today)
    with pytest.raises(ValidationError) as exc:
        services.list_in_blacklist(
            inspector, paid, condition="criminal_threshold", basis="拖欠 40000 元", listed_on=today
        )
    assert "逾期仍未支付" in exc.value.message_dict["case"][0]
    unpaid = closed_case(inspector, inspector2, firms["thrice"], on=today, refused_order=True)
    with pytest.raises(ValidationError) as exc:
        services.list_in_blacklist(
            inspector, unpaid, condition="mass_incident", basis="x", listed_on=today
        )
    assert "condition" in exc.value.message_dict
    listing = services.list_in_blacklist(
        inspector,
        unpaid,
        condition="criminal_threshold",
        basis="拒不支付 4 名劳动者工资 40000 元，经责令限期支付逾期仍未支付",
        listed_on=today,
    )
    assert listing.term_ends_on == services.add_years(today, 3) - timedelta(days=1)
    assert listing.amount_owed == Decimal("40000.00") and listing.workers_affected == 4
    with pytest.raises(ValidationError):
        services.list_in_blacklist(
            inspector, unpaid, condition="criminal_threshold", basis="again", listed_on=today
        )


def test_early_removal_after_six_months_paid_and_pledged(inspector, inspector2, firms):
    listed = timezone.localdate() - timedelta(days=200)
    case = closed_case(inspector, inspector2, firms["once"], on=listed, refused_order=True)
    listing = services.list_in_blacklist(
        inspector, case, condition="criminal_threshold", basis="拖欠", listed_on=listed
    )
    too_soon = listed + timedelta(days=100)
    with pytest.raises(ValidationError) as exc:
        services.remove_from_blacklist(
            inspector,
            listing,
            removal="early",
            removed_on=too_soon,
            reason="已清偿",
            paid_on=too_soon,
            pledged_on=too_soon,
        )
    assert "满 6 个月" in exc.value.message_dict["removed_on"][0]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.remove_from_blacklist(
            inspector, listing, removal="early", removed_on=today, reason="已清偿"
        )
    assert {"paid_on", "pledged_on"} <= set(exc.value.message_dict)
    listing = services.remove_from_blacklist(
        inspector,
        listing,
        removal="early",
        removed_on=today,
        reason="已全额清偿并作出信用承诺",
        paid_on=today - timedelta(days=10),
        pledged_on=today,
    )
    assert listing.removed_on == today and not listing.is_active_on(today)


def test_blacklist_pages_and_public_list(
    client, login_client, inspector, inspector2, shapingba_inspector, firms
):
    today = timezone.localdate()
    case = closed_case(inspector, inspector2, firms["thrice"], on=today, refused_order=True)
    staff = login_client(inspector)
    page = staff.get(f"/inspection/cases/{case.pk}/").content.decode()
    assert "列入失信联合惩戒名单" in page
    response = staff.post(
        f"/inspection/cases/{case.pk}/blacklist/",
        {
            "version": case.version,
            "condition": "criminal_threshold",
            "basis": "拒不支付 4 名劳动者工资 40000 元",
            "listed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    listing = ArrearsBlacklist.objects.get()
    public = client.get("/inspection/blacklist/public/").content.decode()
    assert "三次处理企业" in public and firms["thrice"].uscc in public
    assert "40000" not in public  # the facts stay with staff
    assert (
        login_client(shapingba_inspector).get(f"/inspection/blacklist/{listing.pk}/").status_code
        == 404
    )
    response = staff.post(
        f"/inspection/blacklist/{listing.pk}/remove/",
        {"version": 1, "removal": "early", "removed_on": today.isoformat(), "reason": "x"},
    )
    assert response.status_code == 200 and "满 6 个月" in response.content.decode()
    response = staff.post(
        f"/inspection/blacklist/{listing.pk}/remove/",
        {"version": 1, "removal": "error", "removed_on": today.isoformat(), "reason": "列入错误"},
    )
    assert response.status_code == 302
    assert "三次处理企业" not in client.get("/inspection/blacklist/public/").content.decode()
    assert RatingRun.objects.count() == 0
