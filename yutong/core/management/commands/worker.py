"""yutong worker: the background worker, surviving database restarts.

django-tasks-db's `db_worker` re-raises any database error other than SQLite's "database is
locked", so one PostgreSQL restart ends the process and background imports and reports wait
until someone starts it again. This command is `db_worker` with the same options, whose loop,
on a database error, logs it, closes the connections and tries again with a growing pause
(1 s, 2 s, 4 s … up to `--max-backoff`) until the database answers, then picks up the queue.
The service manager still restarts it if it dies for another reason (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.db import Error as DatabaseError
from django.db import connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from yutong.core import imports

logger = logging.getLogger("yutong.worker")


class ReconnectingWorker(db_worker.Worker):
    def __init__(self, *, max_backoff: float, **kwargs):
        super().__init__(**kwargs)
        self.max_backoff = max_backoff

    def run(self) -> None:
        while True:
            try:
                # A task this worker was running when the database went away is still marked
                # RUNNING under its id: nobody else will pick it up, so hand it back to the
                # queue. Imports whose worker died hold an expired lease: a starting (or
                # reconnected) worker queues them again rather than waiting for the cron.
                self.release_own_running()
                imports.reclaim_stale()
                return super().run()
            except DatabaseError as error:
                if not self.running:
                    raise  # asked to stop while the database failed: stop
                logger.warning("worker: database error (%s); reconnecting", describe(error))
                self.wait_for_database()

    def release_own_running(self) -> int:
        """Put this worker's tasks left RUNNING back to READY; returns how many. (A fixed
        ``--worker-id`` also finds those of the process it replaces.) An import run handed
        out again claims its job only if its lease ran out (``imports._claim``)."""
        released = 0
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        for pk, worker_ids in running.values_list("pk", "worker_ids"):
            if worker_ids and worker_ids[-1] == self.worker_id:
                released += DBTaskResult.objects.filter(
                    pk=pk, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.READY, started_at=None)
        if released:
            logger.warning("worker: %s task(s) left running by this worker queued again", released)
        return released

    def wait_for_database(self) -> None:
        delay = min(1.0, self.max_backoff)
        while True:
            self.close_connections()
            time.sleep(delay)
            try:
                # the queue's table answers, not only the server (a database being restored
                # or not yet migrated keeps the back-off growing)
                DBTaskResult.objects.exists()
            except DatabaseError as error:
                delay = min(delay * 2, self.max_backoff)
                logger.warning(
                    "worker: database unreachable (%s); next try in %g s", describe(error), delay
                )
            else:
                logger.warning("worker: database reachable again; resuming the queue")
                return

    @staticmethod
    def close_connections() -> None:
        for connection in connections.all(initialized_only=True):
            # already broken: closing it is all we want
            with contextlib.suppress(DatabaseError):
                connection.close()


def describe(error: Exception) -> str:
    """The error's class and first line ("connection refused", "no such table"), short: the
    log handler masks ID and phone numbers, and a connection error quotes no row values."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:160]}" if lines else type(error).__name__


class Command(db_worker.Command):
    help = "Run the background worker; it reconnects when the database restarts."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            type=db_worker.valid_interval,
            default=30,
            help="longest pause in seconds between reconnection attempts (default: %(default)s)",
        )

    def handle(self, *args, max_backoff: float, **options):
        original = db_worker.Worker
        # db_worker.Command.handle builds its Worker by module-level name; swap ours in for it.
        db_worker.Worker = _bind(max_backoff)
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original


def _bind(max_backoff: float):
    def make(**kwargs) -> ReconnectingWorker:
        return ReconnectingWorker(max_backoff=max_backoff, **kwargs)

    return make
