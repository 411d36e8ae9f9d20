"""docs/operations.md and the Makefile say what actually runs (test_production.py runs the
deployment commands themselves)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "operations.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.S)


def blocks(language: str) -> list[str]:
    return [text for lang, text in BLOCKS if lang == language]


def test_every_documented_yutong_command_exists():
    # a command line: at the start of a line, or the installed script's full path
    lines = "\n".join(text for _, text in BLOCKS)
    named = set(re.findall(r"(?m)(?:^|/bin/)yutong ([a-z_]+)", lines))
    assert {"check", "migrate", "collectstatic", "worker"} <= named
    assert named - set(get_commands()) == set()


def test_web_server_and_worker_run_under_systemd_with_restart():
    units = blocks("ini")
    starts = [re.search(r"^ExecStart=(.*)$", unit, re.M).group(1) for unit in units]
    assert any("gunicorn yutong.wsgi:application" in start for start in starts)
    assert any(start.endswith("/yutong worker") for start in starts)
    assert all(re.search(r"^Restart=always$", unit, re.M) for unit in units)
    assert all("EnvironmentFile=/etc/yutong/env" in unit for unit in units)


def test_restore_creates_the_database_before_restoring():
    restore = next(text for text in blocks("sh") if "pg_restore" in text)
    assert restore.index("createdb") < restore.index("pg_restore")
    assert restore.index("pg_restore") < restore.index("yutong migrate")


def test_scheduled_jobs_load_the_production_environment():
    (cron,) = blocks("cron")
    jobs = [line for line in cron.splitlines() if line and not line.startswith("#")]
    assert jobs and all(". /etc/yutong/env;" in job for job in jobs)


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_make_serve_starts_the_background_worker():
    dry_run = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "yutong worker" in dry_run and "yutong runserver" in dry_run
