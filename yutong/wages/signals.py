"""Keeping stored wage codes current when their inputs change elsewhere.

* A project registered or edited (``registry.services.project_changed``, sent inside the
  service's transaction): its code is recomputed in that same transaction.
* An inspection complaint or case saved (``post_save`` of the inspection models): the open
  wage-arrears complaints of its project may have changed, so that project's code is
  recomputed after the inspection service's transaction commits (a failure here must never
  undo the inspection record).
Everything else that ages a colour (a month passing, a time limit running out) is caught by
the daily ``recompute_wage_codes`` command.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)


def _project_changed(sender, project, **kwargs) -> None:
    from .services import refresh_wage_code

    refresh_wage_code(project)


def _inspection_saved(sender, instance, **kwargs) -> None:
    project_id = getattr(instance, "project_id", None)
    if project_id is None:
        return

    def recompute() -> None:
        from .facts import recompute as recompute_codes

        try:
            recompute_codes([project_id])
        except Exception:  # the nightly run will catch up; the complaint stands
            logger.exception("wage code of project %s not recomputed", project_id)

    transaction.on_commit(recompute)


def connect() -> None:
    from yutong.inspection.models import Complaint, InspectionCase
    from yutong.registry.models import ConstructionProject
    from yutong.registry.services import project_changed

    project_changed.connect(
        _project_changed, sender=ConstructionProject, dispatch_uid="wages_project_changed"
    )
    for model in (Complaint, InspectionCase):
        post_save.connect(
            _inspection_saved, sender=model, dispatch_uid=f"wages_{model._meta.model_name}_saved"
        )
