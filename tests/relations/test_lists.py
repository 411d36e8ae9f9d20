"""The relations lists as declared lists (core/generic.py, issue #13): each sorts by its
column headers both ways, says why it is empty, exports exactly the filtered rows, and keeps
to the reader's district; the tripartite-meeting form offers only parks in operation."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.relations.conftest import draft, establish, follow_up, meeting
from yutong.registry import services as registry_services
from yutong.relations import forms, services
from yutong.relations.models import TripartiteMeeting, Union

pytestmark = pytest.mark.django_db


def _sheet(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.fixture
def records(union_officer, district_staff, firms, yuzhong):
    """Two records of 渝中 in every list, told apart by the column each list is sorted by:
    the first of each pair is the smaller (earlier) one."""
    unions = SimpleNamespace(
        big=establish(union_officer, firms.big, members=100),
        mid=establish(union_officer, firms.mid, members=60, fulltime_staff=0),
    )
    for enterprise, day in ((firms.big, date(2025, 3, 5)), (firms.mid, date(2025, 3, 10))):
        services.request_bargaining(
            union_officer,
            enterprise=enterprise,
            topic="general",
            year=2025,
            requested_by="union",
            requested_on=day,
        )
    draft(union_officer, firms.big)
    draft(union_officer, firms.mid)
    for enterprise, staff in ((firms.mid, 120), (firms.big, 300)):
        services.establish_congress(
            union_officer,
            scope="enterprise",
            form="all_staff",
            name=f"{enterprise.name}职工大会",
            enterprise=enterprise,
            established_on=date(2025, 1, 6),
            staff_count=staff,
        )
    for enterprise, day in ((firms.big, date(2025, 4, 1)), (firms.mid, date(2025, 5, 1))):
        services.disclose_affairs(
            union_officer,
            enterprise=enterprise,
            category="wages",
            channel="notice_board",
            disclosed_on=day,
            title=f"{enterprise.name}工资公示",
        )
    meeting(union_officer, yuzhong, title="一季度三方例会", held_on=date(2025, 3, 20))
    meeting(
        union_officer,
        yuzhong,
        title="二季度三方例会",
        held_on=date(2025, 6, 20),
        follow_ups=[
            follow_up("督办甲：排查欠薪", date(2025, 7, 1)),
            follow_up("督办乙：复查整改", date(2025, 8, 1)),
        ],
    )
    for enterprise, employees in ((firms.mid, 120), (firms.big, 300)):
        services.file_employment(
            district_staff,
            enterprise=enterprise,
            period=date(2025, 6, 1),
            employees=employees,
            contracted=employees,
            dispatched=0,
            insured=employees,
        )
    return unions


# (list, sort key, what is listed first ascending, what second)
SORTS = [
    (
        "/relations/unions/",
        "members",
        "解放碑电子有限公司工会委员会",
        "解放碑重工有限公司工会委员会",
    ),
    ("/relations/unions/", "established_on", "解放碑重工有限公司工会", "解放碑电子有限公司工会"),
    ("/relations/bargaining/", "requested_on", "解放碑重工有限公司", "解放碑电子有限公司"),
    ("/relations/bargaining/wages/", "employee_count", "解放碑电子有限公司", "解放碑重工有限公司"),
    (
        "/relations/contracts/",
        "employees_covered",
        "解放碑电子有限公司集体",
        "解放碑重工有限公司集体",
    ),
    ("/relations/contracts/", "number", "解放碑重工有限公司集体", "解放碑电子有限公司集体"),
    (
        "/relations/congresses/",
        "staff_count",
        "解放碑电子有限公司职工大会",
        "解放碑重工有限公司职工大会",
    ),
    (
        "/relations/disclosures/",
        "disclosed_on",
        "解放碑重工有限公司工资公示",
        "解放碑电子有限公司工资公示",
    ),
    ("/relations/tripartite/", "held_on", "一季度三方例会", "二季度三方例会"),
    ("/relations/follow-ups/?queue=open", "due_on", "督办甲", "督办乙"),
    ("/relations/filings/", "employees", "解放碑电子有限公司", "解放碑重工有限公司"),
    ("/relations/?list=no_committee", "employee_count", "朝天门餐饮有限公司", "解放碑重工有限公司"),
]


def _positions(text: str, *names: str) -> list[int]:
    table = text[text.index("<table") :]
    return [table.index(name) for name in names]


@pytest.mark.parametrize(("url", "key", "first", "second"), SORTS)
def test_a_list_sorts_by_its_column_both_ways(
    login_client, union_officer, records, firms, url, key, first, second
):
    if "no_committee" in url:
        # Two organiser unions grown past 25 members: both owe a committee (members count).
        Union.objects.filter(pk=records.big.pk).update(form="organiser")
        small = establish(union_officer, firms.small, form="organiser", members=20)
        Union.objects.filter(pk=small.pk).update(members=26)
    client = login_client(union_officer)
    joiner = "&" if "?" in url else "?"
    ascending = client.get(f"{url}{joiner}sort={key}").content.decode()
    assert f'data-sort="{key}"' in ascending  # the header links the sort
    a, b = _positions(ascending, first, second)
    assert a < b
    descending = client.get(f"{url}{joiner}sort=-{key}").content.decode()
    a, b = _positions(descending, first, second)
    assert a > b


LISTS = [
    "/relations/",
    "/relations/bargaining/wages/",
    "/relations/unions/",
    "/relations/bargaining/",
    "/relations/contracts/",
    "/relations/congresses/",
    "/relations/disclosures/",
    "/relations/tripartite/",
    "/relations/follow-ups/?queue=open",
    "/relations/filings/",
]


@pytest.mark.parametrize("url", LISTS)
def test_another_district_lists_none_of_them_and_is_told_why(
    login_client, shapingba_staff, records, url
):
    text = login_client(shapingba_staff).get(url).content.decode()
    assert "解放碑" not in text and "季度三方例会" not in text and "督办甲" not in text
    if url == "/relations/":
        assert "沙坪坝机械有限公司" in text  # its own firm without a union
        return
    assert 'data-testid="empty-state"' in text
    assert "没有符合筛选条件" not in text  # a tab or the default month is not a filter


@pytest.mark.parametrize(
    ("url", "noun"),
    [
        ("/relations/unions/?q=不存在", "工会"),
        ("/relations/contracts/?q=不存在", "集体合同"),
        ("/relations/tripartite/?q=不存在", "三方会议"),
        ("/relations/filings/?q=不存在", "用工备案"),
    ],
)
def test_a_filter_that_excludes_everything_says_so(login_client, union_officer, records, url, noun):
    text = login_client(union_officer).get(url).content.decode()
    assert f"没有符合筛选条件的{noun}。" in text
    assert "清除筛选条件" in text


def test_a_list_with_nothing_yet_says_so_in_the_readers_district(login_client, union_officer):
    text = login_client(union_officer).get("/relations/unions/").content.decode()
    assert f"{union_officer.unit}范围内尚无工会。" in text
    wages = login_client(union_officer).get("/relations/bargaining/wages/?year=2024")
    assert "2024 年度没有未完成工资集体协商的企业。" in wages.content.decode()


@pytest.mark.parametrize(
    ("url", "column", "expected"),
    [
        ("/relations/contracts/export/?q=电子", "合同名称", ["解放碑电子有限公司集体合同"]),
        (
            "/relations/contracts/export/?sort=employees_covered",
            "合同名称",
            ["解放碑电子有限公司集体合同", "解放碑重工有限公司集体合同"],
        ),
        ("/relations/tripartite/export/?q=一季度", "会议名称", ["一季度三方例会"]),
        (
            "/relations/filings/export/?sort=-employees",
            "企业名称",
            ["解放碑重工有限公司", "解放碑电子有限公司"],
        ),
        ("/relations/filings/export/?q=电子", "企业名称", ["解放碑电子有限公司"]),
    ],
)
def test_the_export_holds_the_filtered_rows_in_the_lists_order(
    login_client, union_officer, district_staff, records, url, column, expected
):
    reader = district_staff if "filings" in url else union_officer
    rows = _sheet(login_client(reader).get(url))
    header = rows[0]
    assert [r[header.index(column)] for r in rows[1:]] == expected


def test_a_draft_of_another_district_is_not_editable(
    login_client, union_officer, shapingba_staff, firms, unions
):
    contract = draft(union_officer, firms.big)
    url = f"/relations/contracts/{contract.pk}/edit/"
    assert login_client(shapingba_staff).get(url).status_code == 404
    assert login_client(union_officer).get(url).status_code == 200


# --- the tripartite-meeting form offers parks in operation --------------------------------------


def _park(actor, unit, code, name):
    return registry_services.create_park(
        actor, code=code, name=name, unit=unit, established_on=date(2020, 1, 1)
    )


@pytest.fixture
def parks(district_staff, shapingba_staff, yuzhong, shapingba):
    open_ = _park(district_staff, yuzhong, "YZ01", "渝中数字园")
    closed = _park(district_staff, yuzhong, "YZ02", "渝中旧园")
    registry_services.close_park(district_staff, closed, closed_on=date(2025, 1, 1))
    other = _park(shapingba_staff, shapingba, "SPB1", "沙坪坝科技园")
    return SimpleNamespace(open=open_, closed=closed, other=other)


def test_the_meeting_form_offers_only_parks_in_operation(
    login_client, union_officer, yuzhong, parks
):
    client = login_client(union_officer)
    page = client.get("/relations/tripartite/new/")
    offered = set(page.context["form"].fields["park"].queryset)
    assert offered == {parks.open}  # not the closed one, nor another district's
    data = {
        "level": "park",
        "park": parks.closed.pk,
        "held_on": "2025-05-20",
        "title": "渝中旧园三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "p_hrss_name": "王局长",
        "p_trade_union_name": "李主席",
        "p_enterprise_confederation_name": "赵会长",
        "p_commerce_federation_name": "钱副主席",
    }
    refused = client.post("/relations/tripartite/new/", data)
    assert refused.status_code == 400
    assert "park" in refused.context["form"].errors
    assert not TripartiteMeeting.objects.exists()
    saved = client.post("/relations/tripartite/new/", {**data, "park": parks.open.pk})
    assert saved.status_code == 302
    assert TripartiteMeeting.objects.get().park == parks.open


def test_a_meetings_own_closed_park_stays_offered_when_editing(union_officer, yuzhong, parks):
    from yutong.registry.queries import parks_visible_to

    held = TripartiteMeeting(park=parks.closed, unit=yuzhong)
    form = forms.MeetingForm(
        user=union_officer, parks=parks_visible_to(union_officer), meeting=held
    )
    assert set(form.fields["park"].queryset) == {parks.open, parks.closed}


def test_the_congress_tab_names_the_year_it_counts(login_client, district_staff):
    page = login_client(district_staff).get(
        "/relations/congresses/", {"queue": "no_session", "year": "2024"}
    )
    text = page.content.decode()
    assert "按 2024 年度统计" in text and "本年度" not in text


def test_an_empty_filing_month_is_not_a_filter(login_client, district_staff):
    page = login_client(district_staff).get("/relations/filings/", {"period": "2024-01"})
    assert "没有符合筛选条件" not in page.content.decode()


def test_the_service_refuses_a_meeting_in_a_park_after_it_closed(union_officer, parks):
    """The rule is the service's, so the API keeps it too; a meeting held while the park still
    operated may be recorded late."""
    from django.core.exceptions import ValidationError

    from yutong.relations import services

    people = [
        {"body": b, "name": f"{b}代表", "position": "科长"}
        for b in ("hrss", "trade_union", "enterprise_confederation", "commerce_federation")
    ]
    parks.closed.refresh_from_db()
    data = {"level": "park", "park": parks.closed, "title": "旧园会议", "agenda": "欠薪治理"}
    data.update(decisions="专项行动", participants=people)
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(union_officer, held_on=date(2025, 5, 20), **data)
    assert "park" in refused.value.message_dict
    earlier = services.record_meeting(union_officer, held_on=date(2024, 11, 5), **data)
    assert earlier.park == parks.closed
