"""Importers used only by the import fault tests (also loaded by their worker subprocesses).

``notes``: one column of text. A row's text decides what the check and the commit do, so a
test can make the check fail (as when Redis is down), block the check until told to go on, or
kill the process in the middle of the commit's transaction."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from yutong.core import audit, imports
from yutong.core.imports import Column, Importer, RowError


class NotesImporter(Importer):
    kind = "test_notes"
    title = "测试"
    columns = (Column("text", "内容", imports.text),)

    def require_permission(self, actor) -> None:
        return None

    def check(self, actor, rows) -> list[RowError]:
        for row in rows:
            note = row.values["text"]
            if note == "cache-down":
                raise ConnectionError("cache unreachable")  # what redis-py raises
            if note.startswith("block:"):
                _wait_for(Path(note.removeprefix("block:")))
        return []

    def commit(self, actor, rows, job) -> int:
        for row in rows:
            audit.record(actor, "test_note", job, changes={"text": [None, row.values["text"]]})
            if row.values["text"] == "die":
                os.kill(os.getpid(), signal.SIGKILL)  # a web or task worker killed mid-write
        return len(rows)


def _wait_for(release: Path) -> None:
    (release.parent / "started").write_text(str(os.getpid()))
    while not release.exists():
        time.sleep(0.05)


imports.register(NotesImporter())
