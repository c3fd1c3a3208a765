"""Faults: per request (queue_fault, X-Sandbox-Fault header) and per run (config)."""

from __future__ import annotations

import json
import threading
import time
from email.utils import parsedate_to_datetime

import httpx
import pytest

from criteo_console.sandbox import Fault, SandboxServer
from tests.sandbox.conftest import GUIDE_BODY, TOKEN_FORM, StartSandbox, get_token

URL = "/2026-07/conversions"


def test_rate_limit_is_429_with_criteo_headers_then_recovers(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.RATE_LIMIT, times=1, endpoint="conversions")
    before = time.time()

    limited = client.post(URL, json=GUIDE_BODY, headers=auth)
    after = client.post(URL, json=GUIDE_BODY, headers=auth)

    assert limited.status_code == 429
    assert limited.headers["x-ratelimit-limit"] == "250"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert int(limited.headers["x-ratelimit-reset"]) >= int(before)
    assert "Retry-After" not in limited.headers  # Criteo does not document it
    assert limited.json()["errors"][0]["code"] == "too-many-requests"
    assert after.status_code == 200
    assert sandbox.request_count("conversions") == 2
    assert [r.status for r in sandbox.received()] == [429, 200]
    assert sandbox.received()[0].fault == "rate-limit"


def test_retry_after_is_sent_when_configured(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(retry_after=3)
    server.queue_fault("rate-limit", endpoint="token")
    with httpx.Client(base_url=server.base_url) as c:
        response = c.post("/oauth2/token", data=TOKEN_FORM)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"


def test_server_error_n_times_then_success(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR, times=3, endpoint="conversions")

    statuses = [client.post(URL, json=GUIDE_BODY, headers=auth).status_code for _ in range(4)]

    assert statuses == [503, 503, 503, 200]
    assert sandbox.request_count("conversions") == 4


def test_a_fault_queued_for_one_endpoint_leaves_the_others_alone(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR, endpoint="conversions")
    token = get_token(client)  # not consumed by the token request
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/2026-07/advertisers/me", headers=headers).status_code == 200
    assert client.post(URL, json=GUIDE_BODY, headers=headers).status_code == 503


def test_a_fault_for_any_endpoint_hits_the_next_request(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR)
    assert client.post("/oauth2/token", data=TOKEN_FORM).status_code == 503
    assert client.post("/oauth2/token", data=TOKEN_FORM).status_code == 200


def test_version_faults_skip_the_token_endpoint(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    with pytest.raises(ValueError, match="does not apply"):
        sandbox.queue_fault(Fault.RETIRED, endpoint="token")
    sandbox.queue_fault(Fault.EXPIRED_TOKEN)
    headers = {"Authorization": f"Bearer {get_token(client)}"}  # token endpoint unaffected
    response = client.get("/2026-07/advertisers/me", headers=headers)
    assert response.json()["errors"][0]["code"] == "authorization-token-expired"


def test_drop_connection_closes_without_an_answer(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.DROP_CONNECTION, endpoint="conversions")

    with pytest.raises(httpx.RemoteProtocolError):
        client.post(URL, json=GUIDE_BODY, headers=auth)

    [record] = sandbox.received()
    assert record.status is None and record.accepted is False
    assert record.order_id == "PS-10428"
    assert client.post(URL, json=GUIDE_BODY, headers=auth).status_code == 200


def test_malformed_json_is_a_200_that_does_not_parse(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.MALFORMED_JSON, endpoint="conversions")

    response = client.post(URL, json=GUIDE_BODY, headers=auth)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert sandbox.received()[0].accepted is False


def test_deprecated_fault_adds_headers_to_a_normal_answer(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.DEPRECATED, endpoint="conversions")

    response = client.post(URL, json=GUIDE_BODY, headers=auth)

    assert response.status_code == 200
    assert response.json()["data"][0]["attributes"]["advertiser_id"] == 1234567
    assert response.headers["Deprecation"] == "true"
    assert parsedate_to_datetime(response.headers["Sunset"]).year == 2027
    assert sandbox.received()[0].accepted is True


def test_retired_fault_is_410(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.RETIRED, endpoint="conversions")
    response = client.post(URL, json=GUIDE_BODY, headers=auth)
    assert response.status_code == 410
    assert response.json()["errors"][0]["code"] == "api-version-retired"


def test_expired_token_fault_is_401_expired_with_a_good_token(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.EXPIRED_TOKEN, endpoint="conversions")
    first = client.post(URL, json=GUIDE_BODY, headers=auth)
    second = client.post(URL, json=GUIDE_BODY, headers=auth)
    assert first.status_code == 401
    assert first.json()["errors"][0]["code"] == "authorization-token-expired"
    assert second.status_code == 200


def test_slow_answer_makes_a_client_time_out(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(slow_delay=30)
    server.queue_fault(Fault.SLOW, endpoint="token")
    with (
        httpx.Client(base_url=server.base_url, timeout=0.2) as c,
        pytest.raises(httpx.ReadTimeout),
    ):
        c.post("/oauth2/token", data=TOKEN_FORM)
    # stop() (fixture teardown) must not wait for the 30 s delay: see test_lifecycle.


def test_slow_then_answers_normally(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(slow_delay=0.01)
    server.queue_fault(Fault.SLOW, endpoint="token")
    with httpx.Client(base_url=server.base_url) as c:
        assert c.post("/oauth2/token", data=TOKEN_FORM).status_code == 200


@pytest.mark.parametrize(
    ("header", "status"),
    [("rate-limit", 429), ("server_error", 503), ("RETIRED", 410), ("deprecated, retired", 410)],
)
def test_a_request_header_triggers_a_fault(
    client: httpx.Client, auth: dict[str, str], header: str, status: int
) -> None:
    response = client.post(URL, json=GUIDE_BODY, headers={**auth, "X-Sandbox-Fault": header})
    assert response.status_code == status


def test_an_unknown_fault_header_is_a_400_naming_the_choices(
    client: httpx.Client, auth: dict[str, str]
) -> None:
    response = client.post(URL, json=GUIDE_BODY, headers={**auth, "X-Sandbox-Fault": "boom"})
    assert response.status_code == 400
    [err] = response.json()["errors"]
    assert err["code"] == "unknown-sandbox-fault"
    assert "rate-limit" in err["detail"]


def test_run_faults_hit_every_request(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(run_faults=(Fault.SERVER_ERROR,))
    with httpx.Client(base_url=server.base_url) as c:
        statuses = {c.post("/oauth2/token", data=TOKEN_FORM).status_code for _ in range(3)}
    assert statuses == {503}
    assert server.request_count("token") == 3


def test_run_fault_deprecated_marks_every_versioned_answer(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(run_faults=(Fault.DEPRECATED,))
    with httpx.Client(base_url=server.base_url) as c:
        token = c.post("/oauth2/token", data=TOKEN_FORM)
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        listed = c.get("/2027-01/advertisers/me", headers=headers)
    assert "Deprecation" not in token.headers
    assert listed.status_code == 200 and listed.headers["Deprecation"] == "true"


@pytest.mark.parametrize("name", [f.value for f in Fault])
def test_every_fault_has_a_kebab_case_name(name: str) -> None:
    assert Fault.parse(name).value == name
    assert Fault.parse(name.replace("-", "_").upper()).value == name


def test_queue_fault_rejects_unknown_endpoints(sandbox: SandboxServer) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        sandbox.queue_fault(Fault.SLOW, endpoint="campaigns")
    with pytest.raises(ValueError, match="unknown fault"):
        sandbox.queue_fault("explode")


def test_faults_and_counters_are_safe_under_concurrency(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR, times=10, endpoint="token")
    statuses: list[int] = []
    lock = threading.Lock()

    def hit() -> None:
        with httpx.Client(base_url=sandbox.base_url) as c:
            for _ in range(5):
                code = c.post("/oauth2/token", data=TOKEN_FORM).status_code
                with lock:
                    statuses.append(code)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sandbox.request_count("token") == 40
    assert statuses.count(503) == 10
    assert statuses.count(200) == 30


def test_errors_in_200_is_a_200_envelope_with_errors_and_no_data(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.queue_fault(Fault.ERRORS_IN_200, endpoint="conversions")

    answer = client.post(URL, json=GUIDE_BODY, headers=auth)

    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] == []
    assert body["errors"][0]["code"] == "conversion-not-processed"
    assert body["errors"][0]["traceId"]
    assert sandbox.received()[0].fault == "errors-in-200"
    assert not sandbox.received()[0].accepted
