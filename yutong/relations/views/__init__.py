"""The HTML side of collective labour relations, one module per line of work: the to-do lists
of rules §7 and unions (``unions``), collective bargaining (``bargaining``) and contracts
(``contracts``), workers' congresses and open factory affairs (``congresses``), tripartite
meetings and their follow-up items (``tripartite``), employment filing (``filings``); the record
pages' shared action mechanism is ``records``.

Thin by design: the lists and the create/edit pages are declarations on ``core.generic``
(``common.RelationsList``, ``common.RelationsEdit``); every change is one service call; every
read goes through the scoped querysets of ``queries`` (a record outside the reader's units is a
404, an action outside their roles a 403).
"""

from .common import READERS, STAFF_READERS

__all__ = ["READERS", "STAFF_READERS"]
