"""GET /{version}/advertisers/me: the advertisers these credentials reach, or a 401."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import httpx
import pytest

from criteo_console.sandbox import SandboxServer
from tests.sandbox.conftest import StartSandbox, get_token


@pytest.mark.parametrize("version", ["2023-07", "2026-01", "2026-07", "2027-01"])
def test_lists_only_in_scope_advertisers(
    client: httpx.Client, auth: dict[str, str], version: str
) -> None:
    response = client.get(f"/{version}/advertisers/me", headers=auth)

    assert response.status_code == 200
    assert response.json() == {
        "data": [
            {
                # lower case: Criteo's SDK rejects any other spelling (checked with 2027-01)
                "type": "advertiser",
                "id": "1234567",
                "attributes": {"advertiserName": "Sandbox Shop"},
            }
        ],
        "errors": [],
        "warnings": [],
    }
    assert "Deprecation" not in response.headers


def test_scope_follows_the_configuration(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(in_scope=frozenset({"1234567", "7654321"}))
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        data = c.get("/2026-07/advertisers/me", headers=headers).json()["data"]
    assert [(d["id"], d["attributes"]["advertiserName"]) for d in data] == [
        ("1234567", "Sandbox Shop"),
        ("7654321", "Other Shop"),
    ]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic c2FuZGJveA=="}],
    ids=["missing", "unknown", "not-bearer"],
)
def test_bad_bearer_is_401_token_invalid(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.get("/2026-07/advertisers/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    [err] = response.json()["errors"]
    assert err["code"] == "authorization-token-invalid"
    assert err["type"] == "authorization"
    assert err["traceId"] == err["traceIdentifier"] == response.headers["x-criteo-trace-id"]
    assert err["instance"] == "/2026-07/advertisers/me"
    assert err["title"] and err["detail"]


def test_expired_token_is_401_token_expired(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    assert client.get("/2026-07/advertisers/me", headers=auth).status_code == 200
    sandbox.expire_tokens()

    response = client.get("/2026-07/advertisers/me", headers=auth)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authorization-token-expired"
    fresh = {"Authorization": f"Bearer {get_token(client)}"}
    assert client.get("/2026-07/advertisers/me", headers=fresh).status_code == 200


def test_a_token_dies_when_its_ttl_runs_out(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(token_ttl=0)
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        response = c.get("/2026-07/advertisers/me", headers=headers)
    assert response.json()["errors"][0]["code"] == "authorization-token-expired"


def test_unknown_version_is_404(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.get("/2019-01/advertisers/me", headers=auth)
    assert response.status_code == 404
    [err] = response.json()["errors"]
    assert err["code"] == "unknown-api-version"
    assert "2026-07" in err["detail"]


def test_retired_version_is_410_naming_the_version_to_use(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(retired_versions=frozenset({"2023-07"}))
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        response = c.get("/2023-07/advertisers/me", headers=headers)
        current = c.get("/2027-01/advertisers/me", headers=headers)
    assert response.status_code == 410
    [err] = response.json()["errors"]
    assert err["code"] == "api-version-retired"
    assert "Use 2027-01" in err["detail"]
    assert current.status_code == 200


def test_deprecated_version_answers_with_deprecation_and_sunset(
    start_sandbox: StartSandbox,
) -> None:
    server = start_sandbox(deprecated_versions=frozenset({"2026-01"}))
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        old = c.get("/2026-01/advertisers/me", headers=headers)
        new = c.get("/2026-07/advertisers/me", headers=headers)
    assert old.status_code == 200
    assert old.json()["data"][0]["id"] == "1234567"
    assert old.headers["Deprecation"] == "true"
    assert parsedate_to_datetime(old.headers["Sunset"]).strftime("%Y-%m-%d") == "2027-01-01"
    assert "Deprecation" not in new.headers


def test_post_is_not_allowed(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/2026-07/advertisers/me", headers=auth)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


def test_unknown_path_is_404_envelope(client: httpx.Client) -> None:
    response = client.get("/2026-07/campaigns")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "route-not-found"
