"""Issue 12: the relations pages — unions, bargaining, contracts, congresses, disclosures,
tripartite meetings and follow-ups, the to-do lists — write dates one way
(``{% load display %}``)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.display_checks import assert_written_one_way
from tests.relations.conftest import draft, follow_up, meeting, to_stage
from yutong.relations import services

pytestmark = pytest.mark.django_db


def test_relations_pages_write_values_one_way(login_client, union_officer, firms, unions, yuzhong):
    services.dissolve_union(
        union_officer, unions.mid, dissolved_on=date(2025, 9, 1), reason="企业改制"
    )
    bargaining = services.request_bargaining(
        union_officer,
        enterprise=firms.big,
        topic="wages",
        year=2025,
        requested_by="union",
        requested_on=date(2025, 3, 5),
    )
    contract = to_stage(union_officer, draft(union_officer, firms.big), "filed")
    congress = services.establish_congress(
        union_officer,
        scope="enterprise",
        form="congress",
        name="职代会",
        enterprise=firms.big,
        established_on=date(2024, 6, 1),
        staff_count=300,
        delegates=30,
    )
    services.disclose_affairs(
        union_officer,
        enterprise=firms.big,
        category="wages",
        channel="notice_board",
        disclosed_on=date(2025, 4, 7),
        title="工资分配方案",
    )
    held = meeting(union_officer, yuzhong, follow_ups=[follow_up("督办欠薪", date(2025, 6, 30))])
    client = login_client(union_officer)
    pages = {
        "/relations/": "",
        "/relations/unions/": "2024-06-01",
        f"/relations/unions/{unions.big.pk}/": "2024-06-01",
        f"/relations/unions/{unions.mid.pk}/": "2025-09-01",
        "/relations/bargaining/": "2025-03-05",
        f"/relations/bargaining/{bargaining.pk}/": "2025-03-25",  # the 20-day reply
        "/relations/contracts/": "2025-04-01",
        f"/relations/contracts/{contract.pk}/": "2025-03-03",
        "/relations/congresses/": "2024-06-01",
        f"/relations/congresses/{congress.pk}/": "2024-06-01",
        "/relations/disclosures/": "2025-04-07",
        "/relations/tripartite/": "2025-05-20",
        f"/relations/tripartite/{held.pk}/": "2025-06-30",
        "/relations/follow-ups/": "2025-06-30",
        "/relations/filings/": "",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in assert_written_one_way(response.content.decode()), url
