"""The audit trail and the login log refuse UPDATE and DELETE in the database itself.

The models refuse changes through the ORM (``AppendOnlyQuerySet``); these triggers refuse them
for anything that reaches the database (raw SQL, a shell, another program). ``install`` is
idempotent: the migration calls it, and so does ``post_migrate``, because SQLite rebuilds a
table (dropping its triggers) whenever a later migration alters it.

The one escape hatch is Django's ``flush`` (used between transactional tests and by the
``flush`` command): on PostgreSQL it truncates, which fires no row trigger; on SQLite it deletes,
so ``allow_flush`` wraps the connection's flush statements to drop the triggers and create them
again inside the same transaction. Nothing else can delete rows.
"""

from __future__ import annotations

TABLES = ("core_auditentry", "core_loginevent")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION yutong_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def _name(table: str, op: str) -> str:
    return f"yutong_append_only_{table}_{op}"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_name(table, op)} BEFORE {op.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for op in ("update", "delete")
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_name(table, op)}" for op in ("update", "delete")]


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE OR REPLACE TRIGGER {_name(table, 'change')} BEFORE UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION yutong_append_only()"
            for table in TABLES
        ]
    if vendor == "sqlite":
        return [sql for table in TABLES for sql in _sqlite_create(table)]
    return []


def install(connection) -> None:
    existing = set(connection.introspection.table_names())
    if not set(TABLES) <= existing:
        return
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor):
            cursor.execute(sql)


def uninstall(connection) -> None:
    """For the migration's reverse only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_name(table, 'change')} ON {table}")
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for sql in _sqlite_drop(table):
                    cursor.execute(sql)


def allow_flush(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite's flush drops and recreates the triggers."""
    if connection.vendor != "sqlite" or getattr(connection.ops, "_yutong_flush", False):
        return
    plain = connection.ops.sql_flush

    def sql_flush(style, tables, **options):
        statements = plain(style, tables, **options)
        ours = [table for table in TABLES if table in tables]
        if not statements or not ours:
            return statements
        drops = [sql for table in ours for sql in _sqlite_drop(table)]
        creates = [sql for table in ours for sql in _sqlite_create(table)]
        return drops + statements + creates

    connection.ops.sql_flush = sql_flush
    connection.ops._yutong_flush = True


def after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    install(connections[using])
