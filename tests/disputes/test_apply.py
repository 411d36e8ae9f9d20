"""The public online application (/disputes/apply/): no login, a sum as captcha, a rate limit
per address, nothing written on bad input, and nothing revealed about who is registered."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.captcha import fetch
from tests.disputes.conftest import resident_id, worker
from tests.factories import EnterpriseFactory
from yutong.core.models import AuditEntry
from yutong.disputes import views
from yutong.disputes.models import (
    ArbitrationCase,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
)

pytestmark = pytest.mark.django_db

APPLY = "/disputes/apply/"
DONE = "/disputes/apply/done/"
REQUIRED = "该字段是必填项。"


def captcha(client) -> dict:
    """The answered captcha of a fresh showing of the form."""
    return fetch(client, APPLY)


def application(client, place, *, answer=None, workers=None, claims=None, **fields):
    if answer is None:
        answer = captcha(client)
    workers = workers if workers is not None else [worker(1, phone="13812345678")]
    claims = claims if claims is not None else [{"claim_type": "wages", "amount": "6800"}]
    data = {
        "workers-TOTAL_FORMS": str(len(workers)),
        "workers-INITIAL_FORMS": "0",
        "claims-TOTAL_FORMS": str(len(claims)),
        "claims-INITIAL_FORMS": "0",
        "employer_name": "重庆某餐饮管理有限公司",
        "employer_uscc": "",
        "facts": "2026 年 9 月入职当服务员，10 月工资至今未发。",
        "district": place.unit.code,
        "target": ("m" if isinstance(place, MediationBody) else "a") + str(place.pk),
        **answer,
    }
    for i, w in enumerate(workers):
        data |= {
            f"workers-{i}-name": w.get("name", ""),
            f"workers-{i}-resident_id": w.get("resident_id", ""),
            f"workers-{i}-phone": w.get("phone", ""),
        }
    for i, c in enumerate(claims):
        data |= {
            f"claims-{i}-claim_type": c.get("claim_type", ""),
            f"claims-{i}-amount": c.get("amount") or "",
        }
    return client.post(APPLY, data | fields)


def nothing_written():
    return (
        not Dispute.objects.exists()
        and not MediationCase.objects.exists()
        and not ArbitrationCase.objects.exists()
        and not AuditEntry.objects.filter(action="register_dispute").exists()
    )


def test_the_form_is_public_and_asks_a_sum(client, body, commission):
    page = client.get(APPLY)
    assert page.status_code == 200
    html = page.content.decode()
    assert "网上申请劳动争议调解、仲裁" in html and "验证码：" in html
    assert captcha(client)["captcha_token"]
    districts = dict(page.context["form"].fields["district"].choices)
    assert districts[body.unit.code] == "渝中区"
    targets = client.get("/disputes/apply/targets/", {"district": body.unit.code})
    options = targets.content.decode()
    assert body.name in options and commission.name in options


def test_enterprise_committees_are_not_offered(client, yuzhong, body):
    committee = MediationBody.objects.create(
        code="E500103001",
        name="某某科技有限公司劳动争议调解委员会",
        kind="enterprise_committee",
        unit=yuzhong,
        enterprise=EnterpriseFactory(unit=yuzhong),
    )
    options = client.get("/disputes/apply/targets/", {"district": yuzhong.code}).content.decode()
    assert committee.name not in options and body.name in options
    response = application(client, committee)
    assert "target" in response.context["form"].errors
    assert nothing_written()


def test_mediation_application_is_registered_online(client, body):
    response = application(client, body)
    assert response.status_code == 302 and response["Location"] == DONE
    case = MediationCase.objects.get()
    dispute = case.dispute
    assert (dispute.channel, dispute.registered_by, dispute.unit) == ("online", None, body.unit)
    assert (case.body, case.received_on, case.unit) == (body, timezone.localdate(), body.unit)
    assert case.due_on is not None
    assert DisputeWorker.objects.get().phone == "13812345678"
    kinds = list(case.events.values_list("kind", "actor"))
    assert kinds == [("received", None), ("online_application", None)]
    entries = AuditEntry.objects.filter(action__in=["register_dispute", "open_mediation"])
    assert entries.count() == 2 and all(e.actor is None for e in entries)

    done = client.get(DONE)
    html = done.content.decode()
    reference = f"WS{timezone.localdate():%Y%m%d}{dispute.pk:06d}"
    assert reference in html and body.name in html and "15 日" in html
    assert "重庆某餐饮管理有限公司" not in html
    assert resident_id(1) not in html


def test_staff_see_the_reference_and_the_applicant(login_client, district_staff, body):
    application(Client(), body)
    case = MediationCase.objects.get()
    page = login_client(district_staff).get(f"/disputes/mediation/{case.pk}/")
    html = page.content.decode()
    assert f"WS{timezone.localdate():%Y%m%d}" in html
    assert "申请人（网上申请）" in html and "网上申请" in html
    assert resident_id(1) not in html


def test_arbitration_application(client, commission):
    response = application(client, commission)
    assert response["Location"] == DONE
    case = ArbitrationCase.objects.get()
    assert case.dispute.channel == "online" and case.status == "received"
    assert case.decision_due_on is not None
    html = client.get(DONE).content.decode()
    assert commission.name in html and "5 日内决定是否受理" in html


def test_bad_input_shows_chinese_errors_and_writes_nothing(client, body):
    response = application(
        client,
        body,
        workers=[{"name": "", "resident_id": "123", "phone": "12345"}],
        claims=[{"claim_type": "wages", "amount": "很多"}],
        employer_name="",
        employer_uscc="91500000XXXXXXXXXX",
        facts="",
    )
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "公民身份号码无效，请核对 18 位号码。",
        "联系电话格式不正确",
        "输入一个数字。",
        "统一社会信用代码无效，请核对 18 位代码。",
    ):
        assert message in html, message
    form = response.context["form"]
    assert form.errors["employer_name"] == [REQUIRED]
    assert form.errors["facts"] == [REQUIRED]
    assert nothing_written()


def test_phone_is_required_online(client, body):
    response = application(client, body, workers=[worker(1)])
    assert REQUIRED in response.content.decode()
    assert nothing_written()


def test_a_target_is_required(client, body):
    response = application(client, body, target="")
    assert response.context["form"].errors["target"] == [REQUIRED]
    assert nothing_written()


def test_wrong_captcha_writes_nothing_and_asks_a_new_sum(client, body):
    answer = captcha(client)
    wrong = {**answer, "captcha": str(int(answer["captcha"]) + 1)}
    response = application(client, body, answer=wrong)
    assert response.context["form"].errors["captcha"] == ["验证码不正确，请重新计算。"]
    assert nothing_written()
    # The box is emptied and a new sum is asked; the old answer no longer works by itself.
    assert response.context["form"]["captcha"].value() == ""
    assert response.context["form"]["captcha_token"].value() != answer["captcha_token"]


def test_captcha_cannot_be_skipped_without_a_token(body):
    client = Client()
    response = application(client, body, answer={"captcha": "7"})  # never shown the form
    assert "验证码不正确，请重新计算。" in response.content.decode()
    assert nothing_written()


def test_rate_limit_per_address(client, body):
    for n in range(views.APPLY_GUARD.submissions_per_hour):
        response = application(client, body, workers=[worker(n, phone="13812345678")])
        assert response.status_code == 302
    assert Dispute.objects.count() == views.APPLY_GUARD.submissions_per_hour
    blocked = client.post(APPLY, {"employer_name": "x"})
    assert blocked.status_code == 429
    assert "提交过于频繁，请一小时后再试。" in blocked.content.decode()
    assert client.get(APPLY).status_code == 429
    assert Dispute.objects.count() == views.APPLY_GUARD.submissions_per_hour
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(APPLY).status_code == 200


def test_failed_attempts_are_limited_too(client, body):
    for _ in range(views.APPLY_GUARD.attempts_per_hour):
        client.post(APPLY, {"employer_name": "x"})
    assert client.get(APPLY).status_code == 429


def test_the_answer_does_not_depend_on_the_registry(client, yuzhong, body):
    """A USCC in the registry and one that is not give the same page: nothing is revealed."""
    known = EnterpriseFactory(unit=yuzhong, name="真实存在的有限公司")
    unknown = "91500103MA5U000000"
    from stdnum.cn import uscc

    unknown = unknown[:17] + uscc.calc_check_digit(unknown[:17])
    first = application(client, body, employer_uscc=known.uscc)
    second = application(
        client, body, employer_uscc=unknown, workers=[worker(2, phone="13812345678")]
    )
    assert first.status_code == second.status_code == 302
    pages = [client.get(DONE).content.decode()]
    assert "真实存在的有限公司" not in pages[0]
    linked = Dispute.objects.get(employer_uscc=known.uscc)
    assert linked.employer == known  # staff get the link; the applicant never sees it
