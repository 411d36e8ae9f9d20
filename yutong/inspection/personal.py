"""The complainant's numbers, masked on every page; inspection staff reveal them one at a time
(audited). Never the employer, never an auditor (``queries.IDENTITY_READERS``)."""

from __future__ import annotations

from yutong.core.personal import PHONE, RESIDENT_ID, Revealable, register_revealable

from . import queries


def _records(user):
    if not queries.can_see_complainant(user):
        return queries.complaints_visible_to(user).none()
    return queries.complaints_visible_to(user).filter(is_anonymous=False)


COMPLAINANT_PHONE = register_revealable(
    Revealable(
        key="complainant-phone",
        label="投诉人电话",
        field="complainant_phone",
        kind=PHONE,
        permitted=queries.can_see_complainant,
        records=_records,
    )
)
COMPLAINANT_RESIDENT_ID = register_revealable(
    Revealable(
        key="complainant-resident-id",
        label="投诉人公民身份号码",
        field="complainant_resident_id",
        kind=RESIDENT_ID,
        permitted=queries.can_see_complainant,
        records=_records,
    )
)
