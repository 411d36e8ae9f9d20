"""The audit trail and the login log refuse UPDATE and DELETE in the database itself."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from tests.factories import EnterpriseFactory
from yutong.core import audit
from yutong.core.models import AuditEntry, LoginEvent

pytestmark = pytest.mark.django_db

TABLES = ("core_auditentry", "core_loginevent")


@pytest.fixture
def rows(district_staff, yuzhong):
    audit.record(district_staff, "touch", EnterpriseFactory(unit=yuzhong))
    LoginEvent.objects.create(username="yz_staff", kind="failure", ip="127.0.0.1")


def refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


@pytest.mark.parametrize("table", TABLES)
def test_raw_update_is_refused(rows, table):
    column = "action" if table == "core_auditentry" else "kind"
    assert refused(f"UPDATE {table} SET {column} = 'rewritten'")
    assert not AuditEntry.objects.filter(action="rewritten").exists()
    assert not LoginEvent.objects.filter(kind="rewritten").exists()


@pytest.mark.parametrize("table", TABLES)
def test_raw_delete_is_refused(rows, table):
    assert refused(f"DELETE FROM {table}")
    assert AuditEntry.objects.count() == 1
    assert LoginEvent.objects.count() == 1


def test_inserts_still_work(rows):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_loginevent (at, username, kind, channel, request_id) "
            "VALUES (CURRENT_TIMESTAMP, 'raw', 'failure', 'ui', '')"
        )
    assert LoginEvent.objects.count() == 2


def test_flush_empties_the_tables_and_keeps_the_triggers(rows, district_staff, yuzhong):
    """The escape hatch: Django's flush (between transactional tests) still works, and the
    tables refuse changes again right after it (the test's transaction undoes the flush)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE waits for no deferred FK check
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    statements = connection.ops.sql_flush(no_style(), list(TABLES))
    connection.ops.execute_sql_flush(statements)
    assert AuditEntry.objects.count() == 0
    assert LoginEvent.objects.count() == 0
    LoginEvent.objects.create(username="after", kind="failure")
    audit.record(district_staff, "after", EnterpriseFactory(unit=yuzhong))
    assert refused("DELETE FROM core_loginevent")
    assert refused("UPDATE core_auditentry SET action = 'x'")
