"""The retry policy as a pure function: which answers are retried, and after how long."""

from __future__ import annotations

import pytest

from criteo_console.criteo.policy import Outcome, Retry, RetryPolicy, Stop, decide

POLICY = RetryPolicy(max_attempts=4, max_total_seconds=30, base_delay=0.5, max_delay=8)
NOW = 1_800_000_000.0


def test_expired_token_is_refreshed_once_then_given_up() -> None:
    expired = Outcome(status=401, error_codes=frozenset({"authorization-token-expired"}))
    assert decide(POLICY, 1, expired) == Retry(0.0, refresh_token=True)
    assert decide(POLICY, 2, expired, token_refreshed=True) == Stop()


def test_invalid_token_is_refreshed_once() -> None:
    invalid = Outcome(status=401, error_codes=frozenset({"authorization-token-invalid"}))
    assert decide(POLICY, 1, invalid) == Retry(0.0, refresh_token=True)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 200])
def test_client_errors_and_success_are_not_retried(status: int) -> None:
    codes = frozenset({"insufficient-advertisers-permissions"}) if status == 403 else frozenset()
    assert decide(POLICY, 1, Outcome(status=status, error_codes=codes)) == Stop()


def test_rate_limit_waits_what_retry_after_says() -> None:
    assert decide(POLICY, 1, Outcome(status=429, retry_after="3"), now=NOW) == Retry(3.0)


def test_rate_limit_waits_until_x_ratelimit_reset_unix_time() -> None:
    outcome = Outcome(status=429, ratelimit_reset=str(int(NOW) + 5))
    assert decide(POLICY, 1, outcome, now=NOW) == Retry(5.0)


def test_rate_limit_reset_too_far_away_is_reported_not_waited() -> None:
    outcome = Outcome(status=429, ratelimit_reset=str(int(NOW) + 3600))
    assert decide(POLICY, 1, outcome, now=NOW) == Stop()


def test_rate_limit_without_headers_backs_off_exponentially() -> None:
    delays = [decide(POLICY, n, Outcome(status=429), rand=lambda: 1.0) for n in (1, 2, 3)]
    assert delays == [Retry(0.5), Retry(1.0), Retry(2.0)]


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome(status=503),
        Outcome(status=500),
        Outcome(transport="timeout"),
        Outcome(transport="network"),
    ],
)
def test_transient_failures_back_off_with_full_jitter(outcome: Outcome) -> None:
    assert decide(POLICY, 3, outcome, rand=lambda: 1.0) == Retry(2.0)
    assert decide(POLICY, 3, outcome, rand=lambda: 0.25) == Retry(0.5)
    assert decide(POLICY, 10 - 6, outcome, rand=lambda: 1.0) == Stop()  # attempt 4 of 4


def test_backoff_is_capped_by_max_delay() -> None:
    policy = RetryPolicy(max_attempts=20, max_total_seconds=1000, base_delay=1, max_delay=8)
    assert decide(policy, 10, Outcome(status=503), rand=lambda: 1.0) == Retry(8.0)


def test_total_time_budget_stops_retries() -> None:
    policy = RetryPolicy(max_attempts=10, max_total_seconds=2.5, base_delay=1, max_delay=8)
    assert decide(policy, 1, Outcome(status=503), elapsed=0.0, rand=lambda: 1.0) == Retry(1.0)
    assert decide(policy, 2, Outcome(status=503), elapsed=1.0, rand=lambda: 1.0) == Stop()


def test_retry_after_as_http_date() -> None:
    outcome = Outcome(status=429, retry_after="Fri, 15 Jan 2027 08:00:10 GMT")
    now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    assert decide(POLICY, 1, outcome, now=now) == Retry(10.0)
