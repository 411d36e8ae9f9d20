"""An inspection case's extension is decided before its 60 working days run out (劳动保障监察条例
Art.17): refused once they have, and the case stays overdue; one decided in time but recorded
late keeps the old due day on its record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.core import cases, clocks
from yutong.inspection import services
from yutong.inspection.models import InspectionCase

EXTENSION = {"days": 30, "reason": "案情复杂", "approver": "王局长"}


@pytest.fixture
def overdue(inspector, yuzhong):
    """A complaint received and accepted 70 working days ago: past its 60 working days."""
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12333",
        received_on=working_days_ago(70),
        **complaint_data(),
    )
    case = services.accept_complaint(inspector, complaint, accepted_on=complaint.received_on)
    assert case.due_on < timezone.localdate()
    return case


def test_an_extension_after_the_limit_is_refused(overdue, inspector):
    due = overdue.due_on
    with pytest.raises(ValidationError) as exc:
        services.extend_case(inspector, overdue, **EXTENSION)
    assert f"期限已于 {due} 届满" in exc.value.message_dict["decided_on"][0]
    case = InspectionCase.objects.get(pk=overdue.pk)
    assert case.due_on == due and not case.clock_changes.exists()
    overdue_queue = cases.queue(InspectionCase.objects.all(), inspector, "overdue")
    assert overdue_queue.filter(pk=case.pk).exists()


def test_the_api_answers_400_on_the_decision_date(overdue, inspector, api_client):
    response = api_client(inspector).post(
        f"/api/v1/inspection-cases/{overdue.pk}/extend/",
        EXTENSION | {"version": overdue.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "届满后不能再决定延期" in response.json()["decided_on"][0]


def test_decided_in_time_and_recorded_late_keeps_the_overdue_record(overdue, inspector):
    due = overdue.due_on
    decided = clocks.add_working_days(overdue.accepted_on, 50)
    case = services.extend_case(inspector, overdue, decided_on=decided, **EXTENSION)
    change = case.clock_changes.get()
    assert (change.decided_on, change.due_before) == (decided, due)
    assert case.due_on == clocks.add_working_days(overdue.accepted_on, 90)
    assert "期间本案显示为超期" in case.events.get(kind="extended").text
