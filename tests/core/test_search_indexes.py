"""The global search finds a case by any part of its number through a trigram index on
PostgreSQL (``number LIKE '%…%'``), not by reading every case: checked with sequential scans
switched off, so the plan names the index only if the index can answer the query."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from yutong.disputes.models import ArbitrationCase
from yutong.inspection.models import InspectionCase

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "index"),
    [(ArbitrationCase, "arbitration_number_trgm"), (InspectionCase, "inspection_number_trgm")],
)
def test_a_case_number_search_reads_the_trigram_index(model, index):
    query = model.objects.filter(number__contains="人仲案字〔2025〕第11").values("pk")
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
