"""The workers' resident ID and phone numbers, masked on the case pages; the staff who handle
disputes reveal one at a time (audited). Auditors read the trail, not the numbers."""

from __future__ import annotations

from django.db.models import Q

from yutong.core import roles
from yutong.core.permissions import can
from yutong.core.personal import PHONE, RESIDENT_ID, Revealable, register_revealable

from . import queries
from .models import DisputeWorker

WORKER_NUMBER_READERS = tuple(r for r in queries.MEDIATION_READERS if r != roles.AUDITOR)


def may_reveal(user) -> bool:
    return can(user, *WORKER_NUMBER_READERS)


def _workers(user):
    if not may_reveal(user):
        return DisputeWorker.objects.none()
    mediated = queries.mediation_cases_visible_to(user).values("dispute_id")
    arbitrated = queries.arbitration_cases_visible_to(user).values("dispute_id")
    return DisputeWorker.objects.select_related("dispute__unit").filter(
        Q(dispute__in=mediated) | Q(dispute__in=arbitrated)
    )


def _unit(worker):
    return worker.dispute.unit


WORKER_RESIDENT_ID = register_revealable(
    Revealable(
        key="dispute-worker-resident-id",
        label="劳动者公民身份号码",
        field="resident_id",
        kind=RESIDENT_ID,
        permitted=may_reveal,
        records=_workers,
        unit=_unit,
    )
)
WORKER_PHONE = register_revealable(
    Revealable(
        key="dispute-worker-phone",
        label="劳动者联系电话",
        field="phone",
        kind=PHONE,
        permitted=may_reveal,
        records=_workers,
        unit=_unit,
    )
)
