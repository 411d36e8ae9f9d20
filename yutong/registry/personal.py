"""Contact numbers in the registry, masked on every page; staff who work with the enterprise or
the site reveal one at a time (audited). Auditors read the trail, not the numbers."""

from __future__ import annotations

from yutong.core import roles
from yutong.core.permissions import can
from yutong.core.personal import PHONE, Revealable, register_revealable

from . import queries

CONTACT_READERS = tuple(r for r in roles.STAFF_ROLES if r != roles.AUDITOR)


def may_reveal_contacts(user) -> bool:
    return can(user, *CONTACT_READERS)


def _scoped(visible):
    def records(user):
        found = visible(user)
        return found if may_reveal_contacts(user) else found.none()

    return records


ENTERPRISE_PHONE = register_revealable(
    Revealable(
        key="enterprise-contact-phone",
        label="企业联系电话",
        field="contact_phone",
        kind=PHONE,
        permitted=may_reveal_contacts,
        records=_scoped(queries.enterprises_visible_to),
    )
)
LABOUR_OFFICER_PHONE = register_revealable(
    Revealable(
        key="project-labour-officer-phone",
        label="劳资专管员电话",
        field="labour_officer_phone",
        kind=PHONE,
        permitted=may_reveal_contacts,
        records=_scoped(queries.projects_visible_to),
    )
)
