"""An arbitration extension is decided before the 45 days run out (调解仲裁法 Art.43, 办案规则
Art.45): it takes a decision date, is refused once the limit had passed on it, and the overdue
record stays (the queue keeps a refused case; a late-recorded one keeps the old due day)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.disputes.test_views import accept, action_form, arbitration_url, fresh, post, receive
from yutong.core import cases
from yutong.core.models import AuditEntry
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCase

EXTENSION = {"days": 15, "reason": "案情复杂", "approver": "仲裁委主任"}


@pytest.fixture
def overdue(arbitrator_user, commission):
    """Accepted 70 days ago: the 45 days (plus any move to a working day) have run out."""
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=70))
    assert case.due_on < timezone.localdate()
    return case


def in_overdue_queue(case, user) -> bool:
    return cases.queue(ArbitrationCase.objects.all(), user, "overdue").filter(pk=case.pk).exists()


def test_an_extension_after_the_limit_is_refused_and_the_case_stays_overdue(
    overdue, arbitrator_user
):
    due = overdue.due_on
    with pytest.raises(ValidationError) as exc:
        services.extend(arbitrator_user, overdue, **EXTENSION)
    assert f"期限已于 {due} 届满" in exc.value.message_dict["decided_on"][0]
    case = fresh(overdue)
    assert case.due_on == due and not case.clock_changes.exists()
    assert in_overdue_queue(case, arbitrator_user)


def test_the_api_answers_400_on_the_decision_date(overdue, arbitrator_user, api_client):
    response = api_client(arbitrator_user).post(
        f"/api/v1/arbitration-cases/{overdue.pk}/extend/",
        EXTENSION | {"version": overdue.version},
        format="json",
    )
    assert response.status_code == 400
    assert "届满后不能再决定延期" in response.json()["decided_on"][0]
    assert fresh(overdue).due_on == overdue.due_on


def test_the_page_shows_the_error_on_the_decision_date(overdue, arbitrator_user, login_client):
    page = post(
        login_client(arbitrator_user), overdue, "extend", {k: str(v) for k, v in EXTENSION.items()}
    )
    assert "届满后不能再决定延期" in action_form(page, "extend").errors["decided_on"][0]
    assert fresh(overdue).due_on == overdue.due_on


def test_an_extension_decided_in_time_and_recorded_late_keeps_the_overdue_record(
    overdue, arbitrator_user, login_client
):
    due, decided = overdue.due_on, overdue.due_on - timedelta(days=3)
    case = services.extend(arbitrator_user, overdue, decided_on=decided, **EXTENSION)
    change = case.clock_changes.get()
    assert (change.decided_on, change.due_before) == (decided, due)
    assert case.due_on > due
    assert "期间本案显示为超期" in case.events.get(kind="extended").text
    entry = AuditEntry.objects.get(action="extend_arbitration")
    assert entry.changes["due_on"] == [due.isoformat(), case.due_on.isoformat()]
    assert entry.changes["decided_on"] == [None, decided.isoformat()]
    page = login_client(arbitrator_user).get(arbitration_url(case)).content.decode()
    assert f"{decided} 决定" in page and f"记录时原期限 {due} 已过" in page


def test_an_extension_in_time_notes_no_overdue(arbitrator_user, commission):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=2))
    case = services.extend(arbitrator_user, case, **EXTENSION)
    change = case.clock_changes.get()
    assert change.decided_on == timezone.localdate()
    assert "超期" not in case.events.get(kind="extended").text


@pytest.mark.parametrize(
    ("shift", "message"),
    [(1, "不能晚于今天"), (-3, "不能早于期限起算日")],
)
def test_the_decision_date_is_not_in_the_future_nor_before_the_clock(
    arbitrator_user, commission, shift, message
):
    case = accept(arbitrator_user, receive(arbitrator_user, commission, received=2))
    base = timezone.localdate() if shift > 0 else case.clock_start
    day = base + timedelta(days=shift)
    with pytest.raises(ValidationError) as exc:
        services.extend(arbitrator_user, case, decided_on=day, **EXTENSION)
    assert message in exc.value.message_dict["decided_on"][0]
    assert not fresh(case).clock_changes.exists()
