"""Guards for the e2e fixtures themselves (see conftest.py): they need no browser.

pytest-django runs plain ``db`` tests first, transactional (browser) tests next and tests
without a database last, so these two bracket the browser tests in any run of tests/e2e.
"""

import asyncio

import pytest

from yutong.core.models import OrgUnit, Role

pytestmark = pytest.mark.e2e


@pytest.mark.django_db
def test_migration_data_is_there_before_the_browser_tests():
    # Opening the test database's connection before Chromium starts is the order in which
    # the ORM used to lose pytest-django's serialized rollback (the second browser test
    # then found no org units).
    assert OrgUnit.objects.filter(code__in=["500103", "500106"]).count() == 2
    assert Role.objects.filter(code="district_staff").exists()


def test_no_event_loop_is_left_running_after_the_browser_tests():
    assert asyncio._get_running_loop() is None
    assert asyncio.run(asyncio.sleep(0, result="ok")) == "ok"
