"""The mediator picker of the registration form: once a body is chosen, only its mediators."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.disputes.test_views import REGISTER, dispute_data, today
from yutong.disputes import services
from yutong.disputes.models import Dispute, MediationBody, Mediator


@pytest.fixture
def staff_client(login_client, district_staff):
    return login_client(district_staff)


@pytest.fixture
def other_body(yuzhong):
    return MediationBody.objects.create(
        code="M500103002", name="七星岗街道劳动争议调解委员会", kind="township", unit=yuzhong
    )


@pytest.fixture
def other_mediator(other_body):
    return Mediator.objects.create(body=other_body, name="调解员乙")


def test_each_option_names_its_body_for_the_script(
    staff_client, body, mediator_person, other_mediator
):
    page = staff_client.get(REGISTER)
    select = page.context["form"]["mediator"]
    html = str(select)
    assert 'data-mediator-of="id_body"' in html
    assert f'value="{mediator_person.pk}" data-body="{mediator_person.body_id}"' in html
    assert f'value="{other_mediator.pk}" data-body="{other_mediator.body_id}"' in html
    assert "onchange" not in page.content.decode()  # the CSP blocks inline handlers


def test_a_chosen_body_offers_and_accepts_only_its_mediators(
    staff_client, body, mediator_person, other_mediator
):
    response = staff_client.post(
        REGISTER,
        dispute_data(
            target="mediation",
            body=body.pk,
            mediator=other_mediator.pk,
            received_on=today().isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["mediator"] == ["该调解员不属于所选调解组织。"]
    assert list(form.fields["mediator"].queryset) == [mediator_person]
    assert f'value="{other_mediator.pk}"' not in str(form["mediator"])
    assert not Dispute.objects.exists()


def test_the_service_refuses_a_mediator_of_another_body(
    district_staff, dispute, body, other_mediator
):
    with pytest.raises(ValidationError) as caught:
        services.open_mediation(
            district_staff,
            dispute,
            body=body,
            received_on=date(2026, 9, 1),
            mediator=other_mediator,
        )
    assert caught.value.message_dict["mediator"] == ["该调解员不属于本调解组织或已不在岗。"]
