"""Issue 12: every item of the health check scored short of full marks gets its theme's
rectification guidance, not only the themes under the guidance line."""

from __future__ import annotations

import pytest

from yutong.harmony import services
from yutong.harmony.models import HealthQuestion

pytestmark = pytest.mark.django_db


def one_item_short() -> tuple[dict, HealthQuestion]:
    """Full marks everywhere except one question of a multi-question theme, answered with an
    option worth some points but not all (so its theme stays above the guidance line)."""
    chosen, short = {}, None
    for question in HealthQuestion.objects.filter(is_active=True).select_related("theme"):
        options = list(question.options.order_by("-points"))
        middling = [o for o in options if 0 < o.points < options[0].points]
        if short is None and middling and question.theme.questions.count() > 1:
            short, chosen[question.pk] = question, middling[0].pk
        else:
            chosen[question.pk] = options[0].pk
    assert short is not None, "the shipped questionnaire has a middling answer"
    return chosen, short


def test_an_item_scored_short_gets_guidance_even_above_the_line(
    enterprise_user, own_enterprise, login_client
):
    answers, short = one_item_short()
    check = services.submit_health_check(enterprise_user, own_enterprise, answers=answers)
    line = services.setting(services.GUIDANCE_LINE, check.checked_on, check.unit)
    (finding,) = check.findings.all()
    assert finding.theme == short.theme and finding.score >= line
    assert finding.guidance == short.theme.guidance
    page = login_client(enterprise_user).get(f"/harmony/checks/{check.pk}/").content.decode()
    assert short.text in page and 'data-testid="finding-items"' in page
    assert 'data-testid="finding-urgent"' not in page
    assert check.checked_on.isoformat() in page  # dates written one way (core ``day`` filter)


def test_full_marks_give_no_guidance(enterprise_user, own_enterprise):
    answers = {
        q.pk: q.options.order_by("-points").first().pk
        for q in HealthQuestion.objects.filter(is_active=True)
    }
    check = services.submit_health_check(enterprise_user, own_enterprise, answers=answers)
    assert not check.findings.exists()
