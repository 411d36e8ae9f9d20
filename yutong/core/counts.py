"""Kept counts: what a writer that bypasses a model's ``save`` must say.

Some figures are kept as counts per day rather than computed on every page (the stock
indicators, ``indicators/ledger.py``). Saves and deletes of the records they count keep them
through model signals; a writer that adds or changes such records in bulk (``bulk_create``,
``update``, ``COPY``) calls ``records_changed`` in its transaction, and the counts are brought
up to date there. ``core`` names no app: whoever keeps counts listens to ``changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Q
from django.dispatch import Signal

# Sent with the kind of record as sender ("enterprise", "park"), ``among`` (a function of the
# name of the record's id giving a ``Q`` on the records written; None: any) and ``first`` (the
# earliest day from which they count differently; None: from before the records began).
changed = Signal()


def records_changed(
    kind: str, among: Callable[[str], Q] | None = None, first: date | None = None
) -> None:
    changed.send(sender=kind, among=among, first=first)
