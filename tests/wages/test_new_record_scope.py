"""Wage records take their place from their project: another district's project cannot be
given a deposit through the service (403) or the API (404, nothing leaks)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.wages.test_api import deposit, safeguards_url
from yutong.wages import services
from yutong.wages.models import WageDeposit

pytestmark = pytest.mark.django_db


def test_another_districts_project_takes_no_deposit(district_staff, spb_project, api_client):
    response = api_client(district_staff).post(
        safeguards_url(spb_project, "deposit/"), deposit(), format="json"
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_safeguard(
            district_staff, spb_project, "real_name", in_place_since=date(2026, 3, 1)
        )
    assert not WageDeposit.objects.exists()
