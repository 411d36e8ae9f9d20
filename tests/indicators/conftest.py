"""Case records written directly with the dates an indicator test needs (the services date
their steps today; the indicators count the past)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.factories import TownshipFactory
from yutong.disputes.models import (
    ArbitrationCase,
    ArbitrationCommission,
    Dispute,
    MediationBody,
    MediationCase,
)


def _dispute(unit) -> Dispute:
    return Dispute.objects.create(
        unit=unit, channel="staff", employer_name="重庆测试有限公司", facts="拖欠工资。"
    )


class Cases:
    """Arbitration and mediation cases of one unit on the dates a test gives."""

    def __init__(self):
        self._commissions: dict = {}
        self._bodies: dict = {}

    def commission(self, unit) -> ArbitrationCommission:
        if unit.pk not in self._commissions:
            self._commissions[unit.pk] = ArbitrationCommission.objects.create(
                code=f"A{unit.code}", name=f"{unit.name}仲裁委", unit=unit, short_name=unit.name
            )
        return self._commissions[unit.pk]

    def body(self, unit, township=None) -> MediationBody:
        key = (unit.pk, getattr(township, "pk", None))
        if key not in self._bodies:
            self._bodies[key] = MediationBody.objects.create(
                code=f"M{unit.code}{len(self._bodies):03d}",
                name=f"{(township or unit).name}调解中心",
                kind="township",
                unit=unit,
                township=township,
            )
        return self._bodies[key]

    def arbitration(self, unit, accepted: str | None, closed: str | None = None, closure=""):
        accepted_on = date.fromisoformat(accepted) if accepted else None
        closed_on = date.fromisoformat(closed) if closed else None
        return ArbitrationCase.objects.create(
            dispute=_dispute(unit),
            commission=self.commission(unit),
            unit=unit,
            received_on=accepted_on or date(2026, 1, 5),
            accepted_on=accepted_on,
            status="closed" if closed_on else ("accepted" if accepted_on else "received"),
            closed_on=closed_on,
            ended_on=closed_on,
            closure=(closure or "award") if closed_on else "",
        )

    def mediation(self, unit, closed: str | None, closure: str, township=None):
        closed_on = date.fromisoformat(closed) if closed else None
        return MediationCase.objects.create(
            dispute=_dispute(unit),
            body=self.body(unit, township),
            unit=unit,
            received_on=date(2026, 1, 2),
            status="closed" if closed_on else "mediating",
            closed_on=closed_on,
            ended_on=closed_on,
            closure=closure if closed_on else "",
        )


@pytest.fixture
def cases(db):
    return Cases()


@pytest.fixture
def township(yuzhong):
    return TownshipFactory(parent=yuzhong, name="解放碑街道")


# --- page and report tests (issue #6 pages) ---------------------------------------------------


@pytest.fixture
def year_2025(cases, yuzhong, shapingba, jiangbei, liangjiang, township):
    """A finished year of disputes: 渝中 below its arbitration target, 沙坪坝 above it,
    江北 (ended 2025-11-05) and 两江新区 one case each; mediation in 渝中 and its street."""
    for _ in range(9):
        cases.arbitration(yuzhong, "2025-02-01", "2025-03-01")
    cases.arbitration(yuzhong, "2025-02-01", "2025-08-01", "mediation_document")
    cases.arbitration(yuzhong, "2025-06-01")  # still open: 10 / 11
    for _ in range(3):
        cases.arbitration(shapingba, "2025-04-01", "2025-05-01")  # 3 / 3
    cases.arbitration(jiangbei, "2025-03-01", "2025-04-01")
    cases.arbitration(liangjiang, "2025-12-01")
    cases.mediation(yuzhong, "2025-03-05", "agreement", township)
    cases.mediation(yuzhong, "2025-04-05", "no_agreement", township)
    cases.mediation(yuzhong, "2025-05-05", "settlement")
    return SimpleNamespace(yuzhong=yuzhong, shapingba=shapingba, township=township)


@pytest.fixture
def unkept(monkeypatch):
    """An indicator whose records the platform does not keep yet (as each was before its
    capability was built): its source is taken out of the registry for the test, so the
    pages' "数据来源建设中" is tested whichever sources exist by now."""
    from yutong.indicators.sources import SOURCES

    code = "collective_contract_rate"
    monkeypatch.delitem(SOURCES, code, raising=False)
    return code
