"""The Excel exports of the relations lists that lacked one (unions, bargaining, yearly wage
bargaining, workers' congresses, open factory affairs, follow-up items; issue #13): exactly the
rows of the page, filtered, tabbed and sorted as it is, only the reader's district, refused to a
role that cannot read the list, and no phone number in the clear."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.relations.test_lists import records  # noqa: F401 - the fixture of two rows per list

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("records")]

# kind: (list URL name, export URL name, the query, the column, the row's value in that column)
LISTS = {
    "unions": (
        "relations:union_list",
        "relations:union_export",
        {"q": "解放碑", "sort": "-members"},
        "工会名称",
        lambda u: u.name,
    ),
    "bargaining": (
        "relations:bargaining_list",
        "relations:bargaining_export",
        {"queue": "open", "sort": "-requested_on"},
        "企业名称",
        lambda b: b.enterprise.name,
    ),
    "wage_bargaining": (
        "relations:wage_bargaining",
        "relations:wage_bargaining_export",
        {"sort": "-employee_count"},
        "企业名称",
        lambda e: e.name,
    ),
    "congresses": (
        "relations:congress_list",
        "relations:congress_export",
        {"queue": "all", "sort": "staff_count"},
        "名称",
        lambda c: c.name,
    ),
    "disclosures": (
        "relations:disclosure_list",
        "relations:disclosure_export",
        {"sort": "-disclosed_on"},
        "标题",
        lambda d: d.title,
    ),
    "follow_ups": (
        "relations:follow_up_list",
        "relations:follow_up_export",
        {"queue": "open", "sort": "-due_on"},
        "督办事项",
        lambda i: i.task,
    ),
}
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _column(rows: list[tuple], header: str) -> list:
    return [row[rows[0].index(header)] for row in rows[1:]]


@pytest.mark.parametrize("kind", LISTS)
def test_the_export_holds_exactly_the_pages_rows_in_its_order(login_client, union_officer, kind):
    list_name, export_name, query, column, value = LISTS[kind]
    client = login_client(union_officer)
    page = client.get(reverse(list_name), query)
    listed = [value(row) for row in page.context["object_list"]]
    assert len(listed) >= 2  # an order to keep
    rows = _sheet(client.get(reverse(export_name), query))
    assert _column(rows, column) == listed
    assert not any(PHONE.search(str(cell)) for row in rows for cell in row if cell is not None)
    # The page's button carries the query (filters, tab, sort) to the export.
    assert (
        f'href="{reverse(export_name)}?{page.context["querystring"]}"'.replace("&", "&amp;")
        in page.content.decode()
    )


def test_a_tab_and_a_filter_narrow_the_export(login_client, union_officer):
    client = login_client(union_officer)
    done = _sheet(client.get(reverse("relations:follow_up_export"), {"queue": "done"}))
    assert done[1:] == []  # both items are still open
    electronics = _sheet(client.get(reverse("relations:union_export"), {"q": "电子"}))
    assert _column(electronics, "工会名称") == ["解放碑电子有限公司工会委员会"]
    # The workbook is named for the tab or year it holds.
    response = client.get(reverse("relations:wage_bargaining_export"), {"year": "2024"})
    assert "2024" in response["Content-Disposition"]


@pytest.mark.parametrize("kind", LISTS)
def test_another_districts_rows_are_not_exported(login_client, shapingba_staff, kind):
    list_name, export_name, query, _, _ = LISTS[kind]
    client = login_client(shapingba_staff)
    assert list(client.get(reverse(list_name), query).context["object_list"]) == []
    assert _sheet(client.get(reverse(export_name), query))[1:] == []


@pytest.mark.parametrize("kind", LISTS)
def test_a_role_that_cannot_read_the_list_cannot_export_it(
    login_client, mediator, enterprise_user, kind
):
    list_name, export_name, _, _, _ = LISTS[kind]
    assert login_client(mediator).get(reverse(export_name)).status_code == 403
    if kind == "follow_ups":  # the staff's list: an enterprise account reads it not
        assert login_client(enterprise_user).get(reverse(list_name)).status_code == 403
        assert login_client(enterprise_user).get(reverse(export_name)).status_code == 403
