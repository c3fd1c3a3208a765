"""POST /oauth2/token answers like Criteo's: a bearer token, or an OAuth2 error."""

from __future__ import annotations

import httpx

from criteo_console.sandbox import SandboxServer
from tests.sandbox.conftest import TOKEN_FORM, StartSandbox, get_token

INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "The client authentication failed, the provided client_id doesn't "
    "exist or the client_secret is invalid",
}


def test_good_credentials_get_a_bearer_token_shaped_like_criteos(client: httpx.Client) -> None:
    response = client.post("/oauth2/token", data=TOKEN_FORM)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"] is None  # Criteo's SDK reads the key unguarded
    assert len(body["access_token"]) >= 32
    assert response.headers["x-criteo-trace-id"]


def test_each_request_gets_a_different_token(client: httpx.Client) -> None:
    assert get_token(client) != get_token(client)


def test_token_ttl_is_configurable(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(token_ttl=5)
    with httpx.Client(base_url=server.base_url) as c:
        assert c.post("/oauth2/token", data=TOKEN_FORM).json()["expires_in"] == 5


def test_wrong_secret_is_invalid_client(client: httpx.Client) -> None:
    response = client.post("/oauth2/token", data={**TOKEN_FORM, "client_secret": "nope"})
    assert response.status_code == 400
    assert response.json() == INVALID_CLIENT


def test_unknown_client_id_is_invalid_client(client: httpx.Client) -> None:
    response = client.post("/oauth2/token", data={**TOKEN_FORM, "client_id": "someone-else"})
    assert response.status_code == 400
    assert response.json() == INVALID_CLIENT


def test_secret_with_plus_ampersand_equals_works_when_url_encoded(
    start_sandbox: StartSandbox,
) -> None:
    secret = "a+b&c=d e%f/"
    server = start_sandbox(client_secret=secret)
    with httpx.Client(base_url=server.base_url) as c:
        encoded = c.post("/oauth2/token", data={**TOKEN_FORM, "client_secret": secret})
        naive = c.post(
            "/oauth2/token",
            content=f"grant_type=client_credentials&client_id=sandbox-client&client_secret={secret}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert encoded.status_code == 200
    assert naive.status_code == 400  # '+' decodes to a space and '&' splits the secret
    assert naive.json()["error"] == "invalid_client"


def test_wrong_grant_type_is_unsupported(client: httpx.Client) -> None:
    response = client.post("/oauth2/token", data={**TOKEN_FORM, "grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_missing_grant_type_is_invalid_request(client: httpx.Client) -> None:
    form = {k: v for k, v in TOKEN_FORM.items() if k != "grant_type"}
    response = client.post("/oauth2/token", data=form)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_json_instead_of_a_form_is_invalid_request(client: httpx.Client) -> None:
    response = client.post("/oauth2/token", json=TOKEN_FORM)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "x-www-form-urlencoded" in response.json()["error_description"]


def test_token_requests_are_counted_including_failures(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    get_token(client)
    client.post("/oauth2/token", data={**TOKEN_FORM, "client_secret": "x"})
    assert sandbox.request_count("token") == 2
    assert sandbox.request_count("conversions") == 0
