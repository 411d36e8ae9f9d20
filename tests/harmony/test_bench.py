"""The work bench (#13) of an enterprise account: this year's health check (to do, then the
themes it scored short on) and a grade coming to its end, for its own enterprise only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.bench import queues
from tests.harmony.conftest import granted
from yutong.harmony.models import HealthQuestion

pytestmark = pytest.mark.django_db

NOT_CHECKED, SHORT, EXPIRING = "本年度尚未体检", "体检待改进主题", "和谐企业等级即将到期"


def fill_check(client, *, short_on: str) -> None:
    data = {}
    for question in HealthQuestion.objects.select_related("theme"):
        options = list(question.options.order_by("-points"))
        data[f"q{question.pk}"] = (
            options[-1] if question.theme.code == short_on else options[0]
        ).pk
    assert client.post("/harmony/checks/new/", data).status_code == 302


def test_health_check_of_the_year_then_its_short_themes(
    login_client, enterprise_user, other_enterprise_user
):
    client = login_client(enterprise_user)
    bench = queues(client)
    assert bench[NOT_CHECKED]["value"] == 1
    assert client.get(bench[NOT_CHECKED]["url"]).status_code == 200

    fill_check(client, short_on="wages")
    bench = queues(client)
    assert NOT_CHECKED not in bench and bench[SHORT]["value"] >= 1
    detail = client.get(bench[SHORT]["url"])
    assert detail.status_code == 200
    assert bench[SHORT]["value"] == len(detail.context["check"].findings.all())
    # Another enterprise's check is not this one's.
    assert queues(login_client(other_enterprise_user))[NOT_CHECKED]["value"] == 1


def test_grade_expiring_within_three_months(
    login_client, enterprise_user, own_enterprise, other_enterprise_user, today
):
    granted(own_enterprise, "A", today - timedelta(days=35 * 30), months=36)
    bench = queues(login_client(enterprise_user))
    assert bench[EXPIRING]["value"] == 1
    assert EXPIRING not in queues(login_client(other_enterprise_user))


def test_staff_do_not_get_an_enterprise_s_tasks(login_client, district_staff):
    bench = queues(login_client(district_staff))
    assert NOT_CHECKED not in bench and EXPIRING not in bench
