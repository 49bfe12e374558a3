"""schemathesis against the published schema, on a live test server: every operation of /api/v1/
(whatever the apps have mounted), no 5xx, every response as the schema says (status, content type,
body). Bounded: a few examples per operation, no shrinking, so the whole run stays near a minute.

An operation that fails here names its app's api.py; allauth's own /_allauth/ endpoints are
described by allauth and tested by its project, and their code limits would spend the SMS budget.
"""

# ruff: noqa: F811

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from tests.api.helpers import session_token_for
from tests.feedback.citizen_world import file_report, fresh_geo_index, world  # noqa: F401

MAX_EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_schema(live_server, world, settings):
    # Throttles are tested on their own (test_access); here they would only cut the run short.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_client": "100000/min",
            "api_user": "100000/min",
            "api_write": "100000/min",
        },
    }
    settings.PAKN_PAGE_CACHE_SECONDS = 0
    file_report(world.alice, world.roads)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    return schema.include(path_regex=r"^/api/v1/")


@pytest.fixture
def token(world):
    return session_token_for(world.alice)


SETTINGS = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def test_every_operation_answers_as_the_schema_says(api_schema, token):
    """Each operation is run on its own, and every failing one is named at the end."""
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers={"X-Session-Token": token}, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is reported together
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations >= 20, operations
    assert not failures, "\n\n".join(failures)
