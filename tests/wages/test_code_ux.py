"""Issue 12: the public wage-code page's "投诉举报欠薪" button fills in the complaint form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_complaint_button_carries_district_employer_project_and_arrears(project):
    page = Client().get(f"/wages/code/{project.pk}/")
    link = page.content.decode().split('data-testid="complain-link"')[0].rsplit('href="', 1)[1]
    url = urlsplit(link.split('"', 1)[0].replace("&amp;", "&"))
    assert url.path == "/inspection/complain/"
    assert parse_qs(url.query) == {
        "district": [project.unit.code],
        "employer": [project.general_contractor.name],
        "project": [project.code],
        "arrears": ["1"],
    }
    # The form the button opens shows those values.
    form = Client().get(link.split('"', 1)[0].replace("&amp;", "&")).content.decode()
    assert f'value="{project.general_contractor.name}"' in form
