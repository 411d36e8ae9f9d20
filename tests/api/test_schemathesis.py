"""Schemathesis over the whole /api/schema/, in-process against the WSGI app.

Every operation gets a bounded number of generated requests (valid and invalid by the schema),
once as the city administrator and once as a district user, with real tokens. The checks: no
5xx, responses conform to the schema, and input the schema forbids is refused with a 4xx.

Each request runs in a savepoint that is rolled back, so examples do not see each other's
writes and a database error in one cannot poison the next. The run is derandomized: CI sees
the same requests every time, so a red run is a real regression, not a lucky draw.

It runs on PostgreSQL only (set YUTONG_SCHEMATHESIS=1 to force it on SQLite): PostgreSQL is
the stricter database (NUL bytes, integer ranges) and running both would double CI time.
YUTONG_SCHEMATHESIS_SURVEY=1 records every failure instead of stopping at the first one per
operation; the summary at the end of the run gives the figures.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from tests.api.figures import record_example, record_failure
from yutong.wsgi import application

MAX_EXAMPLES = int(os.environ.get("YUTONG_SCHEMATHESIS_EXAMPLES", "20"))
SURVEY = os.environ.get("YUTONG_SCHEMATHESIS_SURVEY") == "1"
# The coverage phase (boundary values of every parameter) multiplies the run time.
COVERAGE = os.environ.get("YUTONG_SCHEMATHESIS_COVERAGE") == "1"
LOG = os.environ.get("YUTONG_SCHEMATHESIS_LOG")
ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL and os.environ.get("YUTONG_SCHEMATHESIS") != "1",
    reason="schemathesis runs on PostgreSQL (YUTONG_SCHEMATHESIS=1 forces it here)",
)

CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": COVERAGE},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "no-shrink": True,
            "deterministic": True,
            "database": "none",
        },
    }
)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]


def _load_schema():
    # Generated in-process, as /api/schema/ serves it, so loading it needs neither a signed-in
    # user (API_DOCS_PUBLIC is off in production settings) nor the database at collection.
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(raw)), config=CONFIG
    )
    loaded.app = application
    return loaded


schema = _load_schema()


@pytest.fixture(params=["city_admin", "district_staff"])
def token(request, obtain_token, catalog):
    return obtain_token(request.getfixturevalue(request.param))


def _call(case, headers):
    # A savepoint per request: rolled back whatever happened, so a failed statement on
    # PostgreSQL does not abort the test's transaction for the examples after it. Like
    # Django's test client, keep the WSGI handler from closing the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return response


def _record(exc: BaseException, operation: str) -> None:
    failures = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
    for failure in failures:
        kind = failure.title if isinstance(failure, Failure) else type(failure).__name__
        record_failure(kind, operation)
        if LOG:
            with open(LOG, "a", encoding="utf-8") as log:
                detail = " | ".join(getattr(failure, "message", str(failure)).splitlines()[:12])
                log.write(f"{operation}\t{kind}\t{detail}\n")


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token):
    headers = {"Authorization": f"Token {token}"}
    response = _call(case, headers)
    record_example(case.operation.label)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except (Failure, FailureGroup) as exc:
        _record(exc, case.operation.label)
        if not SURVEY:
            raise
