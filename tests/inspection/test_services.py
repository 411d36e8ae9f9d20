"""Complaint and inspection-case services: the 5-working-day decision, accept / refuse /
materials / redirect, the 60 + 30 working-day case clock, inspectors, closure and its checks,
the wage code's open-arrears query and the indicators' closure counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.inspection.conftest import PHONE, complaint_data, resident_id, working_days_ago
from yutong.core import clocks
from yutong.core.models import AuditEntry, DatedParameter
from yutong.inspection import queries, services
from yutong.inspection.models import Complaint, InspectionCase

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def errors_of(exc) -> dict:
    return exc.value.message_dict


# --- registration -----------------------------------------------------------------------------


def test_registration_starts_a_five_working_day_decision_clock(complaint):
    assert complaint.status == "received"
    assert complaint.clock_unit == clocks.WORKING
    assert complaint.due_on == clocks.add_working_days(complaint.received_on, 5)
    assert complaint.is_open and complaint.workers_count == 3
    assert complaint.events.get().kind == "received"


def test_decision_clock_counts_the_holiday_calendar(inspector, yuzhong):
    # Received the day before the 2025 National Day week: 1-8 October do not count, the
    # make-up Saturday 11 October does: 9, 10, 11, 13, 14 October.
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="letter",
        received_on=date(2025, 9, 30),
        **complaint_data(),
    )
    assert complaint.due_on == date(2025, 10, 14)


def test_complainant_identity_is_encrypted_and_never_in_the_audit(complaint):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT complainant_name, complainant_phone, complainant_resident_id "
            "FROM inspection_complaint WHERE id = %s",
            [complaint.pk],
        )
        stored = cursor.fetchone()
    assert "张三" not in stored[0] and PHONE not in stored[1]
    assert resident_id(1) not in stored[2]
    complaint.refresh_from_db()
    assert complaint.complainant_name == "张三" and complaint.complainant_phone == PHONE
    trail = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "张三" not in trail and PHONE not in trail and resident_id(1) not in trail
    assert "139****5678" in trail


def test_anonymous_complaint_keeps_no_identity(inspector, yuzhong):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12345",
        received_on=today(),
        **complaint_data(is_anonymous=True),
    )
    assert complaint.is_anonymous
    assert (complaint.complainant_name, complaint.complainant_phone) == ("", "")
    assert complaint.complainant_resident_id == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"complainant_name": ""}, "complainant_name"),
        ({"complainant_phone": "12345"}, "complainant_phone"),
        ({"complainant_resident_id": "500103198505120000"}, "complainant_resident_id"),
        ({"matter": "  "}, "matter"),
        ({"violation_types": []}, "violation_types"),
        ({"violation_types": ["bribery"]}, "violation_types"),
        ({"amount_owed": "-1"}, "amount_owed"),
        ({"amount_owed": "abc"}, "amount_owed"),
        ({"workers_affected": 0}, "workers_affected"),
        ({"employer_name": ""}, "employer_name"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(
    inspector, yuzhong, overrides, field
):
    with pytest.raises(ValidationError) as exc:
        services.register_complaint(
            inspector,
            unit=yuzhong,
            channel="visit",
            received_on=today(),
            **complaint_data(**overrides),
        )
    assert field in errors_of(exc)
    assert not Complaint.objects.exists() and not AuditEntry.objects.exists()


def test_future_receipt_and_online_channel_are_refused(inspector, yuzhong):
    with pytest.raises(ValidationError) as exc:
        services.register_complaint(
            inspector,
            unit=yuzhong,
            channel="visit",
            received_on=today() + timedelta(days=1),
            **complaint_data(),
        )
    assert "received_on" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.register_complaint(
            inspector, unit=yuzhong, channel="online", received_on=today(), **complaint_data()
        )
    assert "channel" in errors_of(exc)


def test_wage_arrears_adds_the_wage_matter_and_links_a_project(inspector, yuzhong, project):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=today(),
        project=project,
        **complaint_data(violation_types=["labour_contracts"]),
    )
    assert complaint.violation_types == ["labour_contracts", "wages"]
    assert complaint.project == project
    with pytest.raises(ValidationError) as exc:
        services.register_complaint(
            inspector,
            unit=yuzhong,
            channel="visit",
            received_on=today(),
            project=project,
            **complaint_data(is_wage_arrears=False),
        )
    assert "project" in errors_of(exc)


def test_registered_employer_is_linked_by_its_code(inspector, yuzhong, employer):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=today(),
        **complaint_data(employer_name="随便写的名字", employer_uscc=employer.uscc),
    )
    assert complaint.employer == employer and complaint.employer_name == employer.name


def test_other_district_and_other_roles_cannot_register(
    shapingba_inspector, yuzhong, mediator, enterprise_user, auditor
):
    for actor in (shapingba_inspector, mediator, enterprise_user, auditor):
        with pytest.raises(PermissionDenied):
            services.register_complaint(
                actor, unit=yuzhong, channel="visit", received_on=today(), **complaint_data()
            )


def test_online_complaint_has_no_actor_and_is_received_today(yuzhong):
    complaint = services.submit_online_complaint(unit=yuzhong, **complaint_data(is_anonymous=True))
    assert complaint.channel == "online" and complaint.received_on == today()
    assert complaint.registered_by is None
    assert AuditEntry.objects.get().actor is None


# --- decisions --------------------------------------------------------------------------------


def test_accept_opens_the_case_with_a_sixty_working_day_clock(complaint, inspector):
    case = services.accept_complaint(inspector, complaint, accepted_on=today())
    complaint.refresh_from_db()
    assert complaint.status == "accepted" and complaint.ended_on == today()
    assert complaint.due_on is None and complaint.accepted_on == today()
    assert case.origin == "complaint" and case.complaint == complaint
    assert case.accepted_on == today() and case.received_on == complaint.received_on
    assert case.due_on == clocks.add_working_days(today(), 60)
    assert case.number == f"渝中区人社监〔{today().year}〕1号"
    assert case.is_wage_arrears and case.amount_owed == Decimal("36000.00")
    second = services.register_complaint(
        inspector, unit=complaint.unit, channel="visit", received_on=today(), **complaint_data()
    )
    other = services.accept_complaint(inspector, second, accepted_on=today())
    assert other.number.endswith("〕2号")


def test_accept_twice_or_with_a_stale_version_is_refused(complaint, inspector):
    with pytest.raises(ValidationError) as exc:
        services.accept_complaint(inspector, complaint, accepted_on=today(), expected_version=99)
    assert exc.value.code == "conflict"
    services.accept_complaint(inspector, complaint, accepted_on=today(), expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.accept_complaint(inspector, complaint, accepted_on=today())
    assert exc.value.code == "invalid_state"
    assert InspectionCase.objects.count() == 1


def test_a_violation_older_than_two_years_must_be_refused(inspector, yuzhong):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=today(),
        violation_ended_on=today().replace(year=today().year - 3),
        **complaint_data(),
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_complaint(inspector, complaint, accepted_on=today())
    assert "不予受理" in exc.value.messages[0]
    services.refuse_complaint(
        inspector, complaint, refused_on=today(), reason="违法行为已超过两年追溯期限"
    )
    complaint.refresh_from_db()
    assert complaint.status == "refused" and complaint.ended_on == today()
    assert not InspectionCase.objects.exists()


def test_refusal_needs_a_reason(complaint, inspector):
    with pytest.raises(ValidationError) as exc:
        services.refuse_complaint(inspector, complaint, refused_on=today(), reason=" ")
    assert "reason" in errors_of(exc)
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.version == 1


def test_materials_stop_then_restart_the_decision_clock(complaint, inspector):
    complaint = services.request_materials(inspector, complaint, items="劳动关系证明")
    assert complaint.status == "materials_requested" and complaint.due_on is None
    assert complaint.is_open
    complaint = services.materials_supplied(inspector, complaint, on=today())
    assert complaint.status == "received"
    assert complaint.due_on == clocks.add_working_days(today(), 5)
    with pytest.raises(ValidationError):
        services.request_materials(inspector, complaint, items="")


def test_redirect_tells_where_to_go(complaint, inspector):
    complaint = services.redirect_complaint(
        inspector,
        complaint,
        redirected_on=today(),
        redirect_to="请向渝中区劳动人事争议仲裁院申请仲裁",
    )
    assert complaint.status == "redirected" and not complaint.is_open
    with pytest.raises(ValidationError):
        services.accept_complaint(inspector, complaint, accepted_on=today())


def test_another_district_cannot_decide(complaint, shapingba_inspector, shapingba_staff):
    for actor in (shapingba_inspector, shapingba_staff):
        with pytest.raises(PermissionDenied):
            services.accept_complaint(actor, complaint, accepted_on=today())


def test_assign_a_complaint_to_a_handler_of_the_unit(
    complaint, inspector, inspector2, shapingba_inspector
):
    complaint = services.assign_complaint(inspector, complaint, handler=inspector2)
    assert complaint.assigned_to == inspector2
    with pytest.raises(ValidationError) as exc:
        services.assign_complaint(inspector, complaint, handler=shapingba_inspector)
    assert "handler" in errors_of(exc)


# --- cases ------------------------------------------------------------------------------------


def test_at_least_two_inspectors_is_a_setting(complaint, inspector, inspector2, city):
    case = services.accept_complaint(inspector, complaint, accepted_on=today())
    with pytest.raises(ValidationError) as exc:
        services.assign_inspectors(inspector, case, lead=inspector, inspectors=[])
    assert "至少应由 2 名" in errors_of(exc)["inspectors"][0]
    DatedParameter.objects.create(
        code="inspection_min_inspectors", valid_from=date(2020, 1, 1), value=3, source="测试"
    )
    with pytest.raises(ValidationError) as exc:
        services.assign_inspectors(inspector, case, lead=inspector, inspectors=[inspector2])
    assert "至少应由 3 名" in errors_of(exc)["inspectors"][0]


def test_one_extension_of_at_most_thirty_working_days(case, inspector):
    with pytest.raises(ValidationError) as exc:
        services.extend_case(inspector, case, days=31, reason="案情复杂", approver="局长")
    assert "days" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.extend_case(inspector, case, days=10, reason="案情复杂", approver="")
    assert "approver" in errors_of(exc)
    case = services.extend_case(inspector, case, days=30, reason="案情复杂", approver="王局长")
    assert case.due_on == clocks.add_working_days(case.accepted_on, 90)
    with pytest.raises(ValidationError) as exc:
        services.extend_case(inspector, case, days=5, reason="再延", approver="王局长")
    assert "只能延长 1 次" in errors_of(exc)["days"][0]


def test_suspension_stops_the_clock(case, inspector):
    case = services.suspend_case(
        inspector, case, from_day=today(), reason="等待工伤认定结论", approver="王局长"
    )
    assert case.due_on is None
    case = services.resume_case(inspector, case, to_day=today())
    assert case.due_on is not None


def test_close_with_an_order_and_the_amount_recovered(case, inspector):
    case = services.close_case(
        inspector,
        case,
        outcome="order",
        closed_on=today(),
        amount_recovered="36000",
        workers_paid=3,
    )
    assert case.closed_on == today() and case.closure == "order" and not case.is_open
    assert case.amount_recovered == Decimal("36000.00") and case.workers_paid == 3
    assert case.due_on is None and case.status == "closed"
    with pytest.raises(ValidationError):
        services.close_case(inspector, case, outcome="order", closed_on=today())


def test_close_needs_the_inspectors(complaint, inspector):
    case = services.accept_complaint(inspector, complaint, accepted_on=today())
    with pytest.raises(ValidationError) as exc:
        services.close_case(inspector, case, outcome="order", closed_on=today())
    assert "监察员" in errors_of(exc)["outcome"][0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "penalty"}, "penalty_amount"),
        ({"outcome": "fine"}, "outcome"),
        (
            {"outcome": "no_violation", "note": "查无实据", "amount_recovered": "5"},
            "amount_recovered",
        ),
        ({"outcome": "no_violation", "note": "查无实据", "mass_incident": True}, "mass_incident"),
        ({"outcome": "no_violation"}, "note"),
        ({"outcome": "order", "additional_damages": "10000"}, "additional_damages"),
        ({"outcome": "order", "additional_damages": "40000"}, "additional_damages"),
        ({"outcome": "order", "workers_paid": -1}, "workers_paid"),
    ],
)
def test_bad_closures_change_nothing(case, inspector, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.close_case(inspector, case, closed_on=today(), **kwargs)
    assert field in errors_of(exc)
    case.refresh_from_db()
    assert case.is_open and case.version == 2  # opened (1), inspectors assigned (2)


def test_additional_damages_between_half_and_all_of_the_arrears(case, inspector):
    case = services.close_case(
        inspector, case, outcome="order", closed_on=today(), additional_damages="18000"
    )
    assert case.additional_damages == Decimal("18000.00")


def test_proactive_case_is_recorded_the_same_way(inspector, yuzhong, employer):
    case = services.open_inspection(
        inspector,
        unit=yuzhong,
        origin="campaign",
        opened_on=today(),
        employer=employer,
        campaign="2026 年根治欠薪冬季专项行动",
        matter="专项检查发现未按月足额支付工资。",
        violation_types=["wages"],
        is_wage_arrears=True,
        workers_affected=12,
    )
    assert case.complaint is None and case.origin == "campaign"
    assert case.due_on == clocks.add_working_days(today(), 60)
    assert case.is_collective and case.assigned_to == inspector
    with pytest.raises(ValidationError) as exc:
        services.open_inspection(
            inspector,
            unit=yuzhong,
            origin="complaint",
            opened_on=today(),
            employer=employer,
            matter="x",
            violation_types=["wages"],
        )
    assert "origin" in errors_of(exc)


# --- read side for other apps -----------------------------------------------------------------


def test_open_wage_arrears_complaints(inspector, yuzhong, project, inspector2):
    def new(**overrides):
        return services.register_complaint(
            inspector,
            unit=yuzhong,
            channel="visit",
            received_on=today(),
            project=project,
            **complaint_data(**overrides),
        )

    pending, refused, accepted, closed = new(), new(), new(), new()
    not_wages = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=today(),
        **complaint_data(is_wage_arrears=False, violation_types=["working_time"]),
    )
    services.refuse_complaint(inspector, refused, refused_on=today(), reason="重复投诉")
    services.accept_complaint(inspector, accepted, accepted_on=today())
    done = services.accept_complaint(inspector, closed, accepted_on=today())
    done = services.assign_inspectors(inspector, done, lead=inspector, inspectors=[inspector2])
    services.close_case(inspector, done, outcome="order", closed_on=today())
    found = queries.open_wage_arrears_complaints()
    assert set(found.values_list("id", flat=True)) == {pending.pk, accepted.pk}
    assert not_wages.pk not in set(found.values_list("id", flat=True))
    assert list(found.order_by().values_list("project_id", flat=True).distinct()) == [project.pk]


def test_closure_counts_for_the_indicators(inspector, inspector2, yuzhong, shapingba):
    start, end = date(2025, 1, 1), date(2025, 12, 31)

    def case(accepted_on, closed_on=None, wages=True):
        row = InspectionCase.objects.create(
            origin="patrol" if accepted_on is None else "complaint",
            complaint=Complaint.objects.create(
                unit=yuzhong,
                channel="visit",
                received_on=accepted_on,
                employer_name="x",
                matter="x",
                is_anonymous=True,
            ),
            unit=yuzhong,
            number=f"N{InspectionCase.objects.count()}",
            received_on=accepted_on,
            accepted_on=accepted_on,
            employer_name="x",
            matter="x",
            is_wage_arrears=wages,
            closed_on=closed_on,
            closure="order" if closed_on else "",
        )
        return row

    case(date(2024, 11, 1), date(2025, 2, 1))  # pending at start, closed in the period
    case(date(2024, 12, 1))  # pending at start, still open
    case(date(2024, 10, 1), date(2024, 12, 31), wages=False)  # closed before: not counted
    case(date(2025, 3, 1), date(2025, 4, 1), wages=False)  # accepted and closed in the period
    case(date(2025, 6, 1))  # accepted in the period, open
    case(date(2026, 1, 2), date(2026, 1, 3))  # after the period
    counts = queries.closure_counts(start, end)
    assert (counts.closed, counts.pending_at_start, counts.accepted) == (2, 2, 2)
    assert counts.denominator == 4
    arrears = queries.closure_counts(start, end, wage_arrears=True)
    assert (arrears.closed, arrears.pending_at_start, arrears.accepted) == (1, 2, 1)
    assert queries.closure_counts(start, end, unit_ids=[shapingba.pk]).denominator == 0


def test_decision_day_is_a_working_day_before_due(inspector, yuzhong):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=working_days_ago(7),
        **complaint_data(),
    )
    assert complaint.due_on < today()
