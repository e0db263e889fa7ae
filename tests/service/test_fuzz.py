"""Property-based fuzzing of the API against its own OpenAPI schema, on a running server.

Schemathesis generates requests for every documented operation, valid and invalid, sent with an
admin's key (which every route admits). Each answer must not be a server error, must have a
status code the schema documents for that operation, and must match the documented response
schema and content type.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.kit.settings import Settings
from tests.service.live import serving_champions

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_service(tracking_uri, trained, tmp_path_factory):
    yield from serving_champions(tracking_uri, tmp_path_factory.mktemp("fuzz"), "fuzz")


# The schema the service publishes at /openapi.json, built from the app itself (no server or
# database is needed to describe it); the requests go to the running server below.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(database_url="sqlite:///:memory:", load_models=False)).openapi()
)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_contract(case, fuzzed_service):
    token = fuzzed_service.tokens["admin"]
    case.call_and_validate(
        base_url=fuzzed_service.url,
        headers={"Authorization": f"Bearer {token}"},
        checks=CHECKS,
        timeout=60,
    )
