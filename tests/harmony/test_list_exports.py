"""The Excel export of the health-check list (issue #13): exactly the page's rows, filtered and
sorted as it is, only the reader's district (an enterprise: its own checks), refused to a role
that cannot read the list, no phone number."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.harmony.test_lists import records  # noqa: F401 - two checks in 渝中, one in 沙坪坝
from yutong.core import roles
from yutong.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("records")]

LIST = "/harmony/checks/"
EXPORT = "/harmony/checks/export/"
ANY_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _names(rows: list[tuple]) -> list:
    return [row[rows[0].index("企业名称")] for row in rows[1:]]


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "score"}, {"sort": "-enterprise"}, {"q": "B渝中"}, {"q": "沙坪坝"}],
)
def test_the_export_holds_exactly_the_pages_rows_in_its_order(login_client, district_staff, query):
    client = login_client(district_staff)
    page = client.get(LIST, query)
    listed = [c.enterprise.name for c in page.context["object_list"]]
    rows = _sheet(client.get(EXPORT, query))
    assert _names(rows) == listed
    assert "C沙坪坝企业" not in _names(rows)  # another district's check
    assert not any(ANY_PHONE.search(str(cell)) for row in rows for cell in row if cell)
    assert (
        f'href="{EXPORT}?{page.context["querystring"]}"'.replace("&", "&amp;")
        in page.content.decode()
    )


def test_the_sort_and_the_filter_change_the_export(login_client, district_staff):
    client = login_client(district_staff)
    assert _names(_sheet(client.get(EXPORT, {"sort": "enterprise"}))) == [
        "A渝中早报名",
        "B渝中晚报名",
    ]
    assert _names(_sheet(client.get(EXPORT, {"sort": "-enterprise"}))) == [
        "B渝中晚报名",
        "A渝中早报名",
    ]
    filtered = _sheet(client.get(EXPORT, {"q": "B渝中"}))
    assert _names(filtered) == ["B渝中晚报名"]
    assert filtered[1][filtered[0].index("需整改主题")]  # the weak theme is named


def test_another_district_and_an_enterprise_export_only_their_own(login_client, shapingba_staff):
    assert _names(_sheet(login_client(shapingba_staff).get(EXPORT))) == ["C沙坪坝企业"]
    own = User.objects.get(username="ent_a")
    assert _names(_sheet(login_client(own).get(EXPORT))) == ["A渝中早报名"]


@pytest.mark.parametrize("role", [roles.MEDIATOR, roles.INSPECTOR])
def test_a_role_that_cannot_read_the_list_cannot_export_it(login_client, yuzhong, role):
    user = UserFactory(unit=yuzhong, roles=[role])
    assert login_client(user).get(EXPORT).status_code == 403
