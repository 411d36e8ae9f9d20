"""The Excel exports of the staff's rating and blacklist lists (issue #13): exactly the page's
rows, filtered and sorted as it is, only the reader's district, refused to a role that cannot
read the list, and nothing of a complainant (name, phone, ID number)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.inspection.conftest import PHONE, resident_id
from tests.inspection.test_lists import listings, rated, shapingba_pair  # noqa: F401
from yutong.core import roles
from yutong.inspection import services
from yutong.inspection.models import InspectionCase

pytestmark = pytest.mark.django_db

# kind: (list URL name, export URL name, fixture, the query, the enterprise column)
LISTS = {
    "ratings": ("inspection:ratings", "inspection:rating_export", "rated", {"sort": "-grade"}),
    "ratings_filtered": (
        "inspection:ratings",
        "inspection:rating_export",
        "rated",
        {"grade": "C"},
    ),
    "blacklist": (
        "inspection:blacklist",
        "inspection:blacklist_export",
        "listings",
        {"sort": "-amount_owed"},
    ),
    "blacklist_all": (
        "inspection:blacklist",
        "inspection:blacklist_export",
        "listings",
        {"show": "all", "sort": "listed_on"},
    ),
}
COLUMN = {"ratings": "企业名称", "blacklist": "用人单位"}
ANY_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _column(rows: list[tuple], header: str) -> list:
    return [row[rows[0].index(header)] for row in rows[1:]]


@pytest.mark.parametrize("kind", LISTS)
def test_the_export_holds_exactly_the_pages_rows_in_its_order(
    request, login_client, inspector, kind
):
    list_name, export_name, fixture, query = LISTS[kind]
    request.getfixturevalue(fixture)
    client = login_client(inspector)
    page = client.get(reverse(list_name), query)
    listed = [row.enterprise.name for row in page.context["object_list"]]
    assert listed  # something to export
    rows = _sheet(client.get(reverse(export_name), query))
    assert _column(rows, COLUMN[kind.split("_")[0]]) == listed
    assert "沙坪坝" not in "".join(listed)  # another district's rows are not in it
    assert not any(ANY_PHONE.search(str(cell)) for row in rows for cell in row if cell)
    text = page.content.decode()
    assert (
        f'href="{reverse(export_name)}?{page.context["querystring"]}"'.replace("&", "&amp;") in text
    )


@pytest.mark.usefixtures("rated")
def test_the_filters_narrow_the_export(login_client, inspector):
    client = login_client(inspector)
    rows = _sheet(client.get(reverse("inspection:rating_export"), {"grade": "C"}))
    assert _column(rows, "企业名称") == ["Y丙级企业"]
    assert _column(rows, "等级") == ["C"]


@pytest.mark.parametrize("kind", ["ratings", "blacklist"])
def test_another_districts_rows_are_not_exported(request, login_client, shapingba_inspector, kind):
    _, export_name, fixture, query = LISTS[kind]
    request.getfixturevalue(fixture)
    rows = _sheet(login_client(shapingba_inspector).get(reverse(export_name), query))
    names = _column(rows, COLUMN[kind])
    assert names and all("沙坪坝" in name for name in names)


@pytest.mark.parametrize("kind", ["ratings", "blacklist"])
def test_a_role_that_cannot_read_the_list_cannot_export_it(request, login_client, yuzhong, kind):
    _, export_name, fixture, _ = LISTS[kind]
    request.getfixturevalue(fixture)
    for role in (roles.MEDIATOR, roles.UNION_OFFICER):
        user = UserFactory(unit=yuzhong, roles=[role])
        assert login_client(user).get(reverse(export_name)).status_code == 403


def test_a_listing_from_a_complaint_exports_nothing_of_the_complainant(
    login_client, inspector, case, employer
):
    # The complaint named its employer by text; the case is linked to the registry's record.
    InspectionCase.objects.filter(pk=case.pk).update(employer=employer)
    case.refresh_from_db()
    today = timezone.localdate()
    closed = services.close_case(
        inspector,
        case,
        outcome="order",
        closed_on=today,
        refused_order=True,
        amount_owed="36000",
    )
    services.list_in_blacklist(
        inspector, closed, condition="criminal_threshold", basis="拒不支付", listed_on=today
    )
    rows = _sheet(login_client(inspector).get(reverse("inspection:blacklist_export")))
    assert len(rows) == 2
    cells = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "张三" not in cells and PHONE not in cells and resident_id(1) not in cells
    assert closed.number in cells  # the case is named by its number
