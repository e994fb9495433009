"""Property-based contract test: schemathesis generates requests from the OpenAPI schema and checks that
the app never answers 5xx and that every status, media type and body matches the schema.

(The operations are driven with hypothesis directly: schemathesis' pytest plugin does not load under
pytest 9.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from analysis.settings import Settings
from service.app import create_app

EXAMPLES_PER_OPERATION = 12


def test_every_operation_conforms_to_the_schema(analyzer):
    app = create_app(Settings(embedder="fake"), analyzer=analyzer)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            # Schema-valid is not always acceptable: a text in English or an unknown region is a 422 by design.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        conforms()
