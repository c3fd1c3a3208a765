"""Per-send overhead of CriteoClient over a bare httpx.AsyncClient POST to the same sandbox.

Both run in this process against one embedded sandbox over loopback, on the same kind of
httpx client, with the body serialised the same way (exact Decimal JSON). Runs alternate in
small rounds (bare, client, client, bare, ...) so drift in the machine hits both equally.
Target: the client costs at most 1.10x the bare POST, sequentially and 20 at a time.

    .venv/bin/python bench/client_overhead.py
"""

from __future__ import annotations

import asyncio
import copy
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from criteo_console.core import dumps_json
from criteo_console.criteo import CriteoClient, make_http_client
from criteo_console.sandbox import SandboxConfig, SandboxServer

SENDS = 1000
ROUNDS = 20
CONCURRENCY = 20
TARGET = 1.10
VERSION = "2026-01"

_PAYLOAD: dict[str, Any] = {
    "data": [
        {
            "type": "Conversion",
            "attributes": {
                "advertiser_id": 1234567,
                "event_name": "purchase",
                "event_time": "",
                "identifiers": {
                    "email_sha256": (
                        "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"
                    ),
                    "customer_id": "cust_78421",
                },
                "transaction_data": {
                    "id": "",
                    "currency": "EUR",
                    "value": Decimal("149.90"),
                    "item": [
                        {"id": "SKU-BLK-42", "price": Decimal("79.95"), "quantity": 1},
                        {"id": "SKU-GRN-11", "price": Decimal("69.95"), "quantity": 1},
                    ],
                },
            },
        }
    ]
}


def _payloads(prefix: str, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = []
    for i in range(count):
        body = copy.deepcopy(_PAYLOAD)
        attrs = body["data"][0]["attributes"]
        attrs["event_time"] = now
        attrs["transaction_data"]["id"] = f"{prefix}-{i}"
        out.append(body)
    return out


Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _run(send: Send, payloads: list[dict[str, Any]], concurrency: int) -> float:
    """Seconds to send all payloads, at most ``concurrency`` at a time."""
    start = time.perf_counter()
    if concurrency == 1:
        for body in payloads:
            await send(body)
    else:
        gate = asyncio.Semaphore(concurrency)

        async def one(body: dict[str, Any]) -> None:
            async with gate:
                await send(body)

        await asyncio.gather(*(one(b) for b in payloads))
    return time.perf_counter() - start


async def _measure(concurrency: int) -> dict[str, float]:
    with SandboxServer(SandboxConfig()) as sandbox:
        async with make_http_client() as http_bare, make_http_client() as http_client:
            base = sandbox.base_url
            token_answer = await http_bare.post(
                f"{base}/oauth2/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": "sandbox-client",
                    "client_secret": "sandbox-secret",
                },
            )
            bearer = {
                "Authorization": f"Bearer {token_answer.json()['access_token']}",
                "Content-Type": "application/json",
            }
            url = f"{base}/{VERSION}/conversions"

            async def bare(body: dict[str, Any]) -> None:
                response = await http_bare.post(
                    url, content=dumps_json(body).encode(), headers=bearer
                )
                response.json()
                if response.status_code != 200:
                    raise RuntimeError(f"bare send failed: {response.status_code}")

            client = CriteoClient(http_client, base, VERSION, "sandbox-client", "sandbox-secret")

            retries = 0

            async def subject(body: dict[str, Any]) -> None:
                nonlocal retries
                result = await client.send_conversion(body)
                if not result.ok:
                    raise RuntimeError(f"client send failed: {result.explanation}")
                retries += len(result.exchanges) - 1 - (result.exchanges[0].step == "token")

            # Warm both (connections, token, code paths) before timing. Ramp up: the sandbox's
            # listen backlog is small, and 20 simultaneous new connections can be reset.
            for ramp in sorted({1, min(4, concurrency), concurrency}):
                await _run(bare, _payloads(f"warm-b{ramp}", 40), ramp)
                await _run(subject, _payloads(f"warm-c{ramp}", 40), ramp)
            per_round = SENDS // ROUNDS
            times: dict[str, list[float]] = {"bare": [], "client": []}
            for r in range(ROUNDS):
                order = [("bare", bare), ("client", subject)]
                if r % 2:
                    order.reverse()
                for name, send in order:
                    times[name].append(
                        await _run(
                            send, _payloads(f"{name}-{concurrency}-{r}", per_round), concurrency
                        )
                    )
                sandbox.reset()  # keep the sandbox's memory (and its lookups) the same size
    # The median of per-round ratios: a burst from another process spoils one round, not all.
    if retries:
        print(f"note: the client retried {retries} time(s) (dropped connections) in this run")
    ratios = [c / b for b, c in zip(times["bare"], times["client"], strict=True)]
    return {
        "bare_ms": sum(times["bare"]) / SENDS * 1000,
        "client_ms": sum(times["client"]) / SENDS * 1000,
        "ratio": statistics.median(ratios),
    }


def results() -> list[dict[str, Any]]:
    out = []
    for label, concurrency in (("sequential", 1), (f"concurrent-{CONCURRENCY}", CONCURRENCY)):
        figures = asyncio.run(_measure(concurrency))
        out.append(
            {
                "name": f"client overhead, {SENDS} sends {label}",
                "value": round(figures["client_ms"], 3),
                "unit": "ms/send",
                "ratio": round(figures["ratio"], 3),
                "target": TARGET,
                "baseline": round(figures["bare_ms"], 3),
            }
        )
    return out


def main() -> None:
    rows = results()
    print(f"{'case':<45} {'bare ms':>9} {'client ms':>10} {'ratio*':>7} {'target':>7}")
    for row in rows:
        verdict = "ok" if row["ratio"] <= row["target"] else "OVER"
        print(
            f"{row['name']:<45} {row['baseline']:>9.3f} {row['value']:>10.3f} "
            f"{row['ratio']:>6.3f}x {row['target']:>6.2f}x {verdict}"
        )
    print(f"* median of {ROUNDS} interleaved rounds' client/bare time ratios")


if __name__ == "__main__":
    main()
