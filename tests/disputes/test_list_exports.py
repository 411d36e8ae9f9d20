"""The Excel exports of the registry lists (mediation bodies, arbitration commissions, lawyers;
issue #13): exactly the filtered rows in the page's order, only the reader's district, refused
to a role that cannot read the list, phones masked as on the page."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory
from yutong.core import roles
from yutong.disputes.models import ArbitrationCommission, Lawyer, MediationBody

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED = "138****5678"


def _body(unit, name, n):
    return MediationBody.objects.create(code=f"M{n:03d}", name=name, kind="industry", unit=unit)


def _commission(unit, name, n):
    return ArbitrationCommission.objects.create(
        code=f"A{n:03d}", name=name, unit=unit, short_name=f"简{n}"
    )


def _lawyer(unit, name, n):
    return Lawyer.objects.create(name=name, firm=f"律所{n}", phone=PHONE, unit=unit)


# kind: (list URL name, export URL name, make(unit, name, n), the column holding the name)
LISTS = {
    "bodies": ("disputes:body_list", "disputes:body_export", _body, "名称"),
    "commissions": (
        "disputes:commission_list",
        "disputes:commission_export",
        _commission,
        "名称",
    ),
    "lawyers": ("disputes:lawyer_list", "disputes:lawyer_export", _lawyer, "姓名"),
}


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _column(rows: list[tuple], header: str) -> list:
    return [row[rows[0].index(header)] for row in rows[1:]]


@pytest.fixture
def rows(yuzhong, shapingba):
    """Per list: three rows of 渝中 (two match 调解甲) and one of 沙坪坝 that also matches."""

    def make(kind):
        make_row = LISTS[kind][2]
        for n, (unit, name) in enumerate(
            [
                (yuzhong, "调解甲一"),
                (yuzhong, "调解乙二"),
                (yuzhong, "调解甲三"),
                (shapingba, "调解甲四"),
            ]
        ):
            make_row(unit, name, n)

    return make


@pytest.mark.parametrize("kind", LISTS)
def test_the_export_holds_exactly_the_filtered_rows_in_the_pages_order(
    login_client, district_staff, rows, kind
):
    list_name, export_name, _, column = LISTS[kind]
    rows(kind)
    client = login_client(district_staff)
    query = {"q": "甲", "sort": "-name"}
    page = client.get(reverse(list_name), query)
    listed = [row.name for row in page.context["object_list"]]
    assert listed == ["调解甲三", "调解甲一"]  # filtered, sorted, 沙坪坝's row not listed
    exported = _column(_sheet(client.get(reverse(export_name), query)), column)
    assert exported == listed
    # The page's button carries the filters and the sort to the export.
    text = page.content.decode()
    assert 'data-testid="export"' in text
    assert f'href="{reverse(export_name)}?q=%E7%94%B2&amp;sort=-name"' in text


@pytest.mark.parametrize("kind", LISTS)
def test_another_districts_rows_are_not_exported(login_client, shapingba_staff, rows, kind):
    list_name, export_name, _, column = LISTS[kind]
    rows(kind)
    exported = _column(_sheet(login_client(shapingba_staff).get(reverse(export_name))), column)
    assert exported == ["调解甲四"]


@pytest.mark.parametrize("kind", LISTS)
def test_a_role_that_cannot_read_the_list_cannot_export_it(login_client, yuzhong, rows, kind):
    _, export_name, _, _ = LISTS[kind]
    rows(kind)
    inspector = UserFactory(unit=yuzhong, roles=[roles.INSPECTOR])
    assert login_client(inspector).get(reverse(export_name)).status_code == 403


@pytest.mark.parametrize("kind", LISTS)
def test_no_phone_number_is_exported_unmasked(login_client, district_staff, rows, kind):
    _, export_name, _, _ = LISTS[kind]
    rows(kind)
    cells = [
        str(c)
        for row in _sheet(login_client(district_staff).get(reverse(export_name)))
        for c in row
    ]
    assert not any(re.search(r"1\d{10}", cell) for cell in cells)
    if kind == "lawyers":
        assert (
            _column(_sheet(login_client(district_staff).get(reverse(export_name))), "联系电话")
            == [MASKED] * 3
        )


def test_the_lawyer_export_adds_no_lawyer(login_client, district_staff, yuzhong):
    data = {"name": "王律师", "firm": "某律所", "phone": "", "unit": yuzhong.pk}
    response = login_client(district_staff).post(reverse("disputes:lawyer_export"), data)
    assert response.status_code == 405
    assert not Lawyer.objects.exists()
