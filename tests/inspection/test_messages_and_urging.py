"""站内信 caused by case work: assignment, urging (催办) and the deadline reminders, on
complaints and inspection cases (the mechanism is core's; these cases exercise it)."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from yutong.core import inbox
from yutong.core import services as core_services
from yutong.core.models import AuditEntry, Message
from yutong.inspection import services
from yutong.inspection.models import Complaint

pytestmark = pytest.mark.django_db


class FailingChannel:
    """A gateway that is down (configured like a real one, through settings)."""

    def deliver(self, message):
        raise ConnectionError("gateway down")


def test_assigning_a_complaint_tells_the_handler(complaint, district_staff, inspector2):
    services.assign_complaint(district_staff, complaint, handler=inspector2)
    (message,) = Message.objects.filter(recipient=inspector2)
    assert message.kind == Message.Kind.ASSIGNMENT and message.sender == district_staff
    assert message.url == reverse("inspection:complaint_detail", args=[complaint.pk])
    assert complaint.reference in message.title
    assert not Message.objects.exclude(recipient=inspector2).exists()


def test_nobody_is_told_of_their_own_assignment(complaint, inspector):
    services.assign_complaint(inspector, complaint, handler=inspector)
    assert not Message.objects.exists()


def test_a_refused_assignment_leaves_no_message(complaint, district_staff, shapingba_inspector):
    with pytest.raises(ValidationError):
        services.assign_complaint(district_staff, complaint, handler=shapingba_inspector)
    assert not Message.objects.exists()


def test_assigning_the_case_tells_the_new_lead(case, district_staff, inspector, inspector2):
    Message.objects.all().delete()
    services.assign_inspectors(district_staff, case, lead=inspector2, inspectors=[inspector])
    (message,) = Message.objects.filter(recipient=inspector2)
    assert message.url == reverse("inspection:case_detail", args=[case.pk])
    assert case.number in message.title


# --- urging -------------------------------------------------------------------------------------


def test_staff_urge_the_handler_once_a_day(case, district_staff, inspector):
    core_services.urge_case(district_staff, case, note="请于本周内完成调查。")
    (message,) = Message.objects.filter(kind=Message.Kind.URGE)
    assert message.recipient == inspector and "请于本周内完成调查" in message.title
    assert message.url == reverse("inspection:case_detail", args=[case.pk])
    assert case.events.filter(kind="urged").count() == 1
    assert AuditEntry.objects.filter(action="urge_case", object_id=str(case.pk)).exists()
    with pytest.raises(ValidationError, match="今天已催办"):
        core_services.urge_case(district_staff, case, note="再次催办")
    assert Message.objects.filter(kind=Message.Kind.URGE).count() == 1
    assert case.events.filter(kind="urged").count() == 1


@pytest.mark.parametrize("note", ["", "   "])
def test_urging_needs_a_note(case, district_staff, note):
    with pytest.raises(ValidationError) as refused:
        core_services.urge_case(district_staff, case, note=note)
    assert "note" in refused.value.message_dict


def test_urging_is_refused_where_it_makes_no_sense(complaint, case, district_staff, inspector):
    with pytest.raises(ValidationError, match="尚未分派"):
        core_services.urge_case(district_staff, complaint, note="x")  # no handler yet
    with pytest.raises(PermissionDenied):
        core_services.urge_case(inspector, case, note="x")  # an inspector is not a superior
    type(case).objects.filter(pk=case.pk).update(ended_on=timezone.localdate())
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="已办结"):
        core_services.urge_case(district_staff, case, note="x")
    assert not Message.objects.filter(kind=Message.Kind.URGE).exists()


def test_another_district_cannot_urge(case, shapingba_staff, api_client):
    with pytest.raises(PermissionDenied):
        core_services.urge_case(shapingba_staff, case, note="越权催办")
    url = f"/api/v1/inspection-cases/{case.pk}/urge/"
    assert api_client(shapingba_staff).post(url, {"note": "越权催办"}).status_code == 404
    assert not Message.objects.filter(kind=Message.Kind.URGE).exists()


def test_urging_through_the_page_and_the_api(
    case, complaint, district_staff, inspector, login_client, api_client
):
    page = login_client(district_staff).get(reverse("inspection:case_detail", args=[case.pk]))
    assert 'data-testid="action-urge"' in page.content.decode()
    lead_page = login_client(inspector).get(reverse("inspection:case_detail", args=[case.pk]))
    assert 'data-testid="action-urge"' not in lead_page.content.decode()  # not one's own case
    response = login_client(district_staff).post(
        reverse("inspection:case_urge", args=[case.pk]), {"note": "抓紧办理"}
    )
    assert response.status_code == 302
    assert Message.objects.filter(kind=Message.Kind.URGE, recipient=inspector).count() == 1
    empty = api_client(district_staff).post(
        f"/api/v1/complaints/{complaint.pk}/urge/", {"note": ""}, format="json"
    )
    assert empty.status_code == 400 and "note" in empty.json()


# --- deadline reminders ------------------------------------------------------------------------


def _due(obj, days: int) -> None:
    type(obj).objects.filter(pk=obj.pk).update(due_on=timezone.localdate() + timedelta(days))


def test_reminders_once_per_case_and_due_day(
    case, inspector, caplog, django_capture_on_commit_callbacks
):
    _due(case, 1)
    logged = caplog.at_level(logging.INFO, logger="yutong.core.inbox")
    with logged, django_capture_on_commit_callbacks(execute=True):
        assert inbox.remind_deadlines() == 1
    (message,) = Message.objects.filter(kind=Message.Kind.DEADLINE)
    assert message.recipient == inspector and "将于" in message.title
    assert f"message {message.pk} (deadline)" in caplog.text  # handed to the channel
    assert case.number not in caplog.text  # no content in the log
    assert inbox.remind_deadlines() == 0  # the same day again: nothing new
    _due(case, -1)
    assert inbox.remind_deadlines() == 1
    assert Message.objects.filter(kind=Message.Kind.OVERDUE, recipient=inspector).count() == 1


def test_no_reminder_for_far_ended_or_unassigned_cases(case, complaint):
    _due(case, 30)
    Complaint.objects.filter(pk=complaint.pk).update(
        due_on=timezone.localdate(), ended_on=timezone.localdate()
    )
    assert inbox.remind_deadlines() == 0


def test_a_failing_gateway_keeps_the_message(
    case, settings, caplog, django_capture_on_commit_callbacks
):
    settings.YUTONG_MESSAGE_CHANNELS = [f"{__name__}.FailingChannel"]
    _due(case, 0)
    logged = caplog.at_level(logging.ERROR, logger="yutong.core.inbox")
    with logged, django_capture_on_commit_callbacks(execute=True):
        assert inbox.remind_deadlines() == 1
    assert Message.objects.filter(kind=Message.Kind.DEADLINE).count() == 1
    assert "FailingChannel failed" in caplog.text
