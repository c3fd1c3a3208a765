"""The pre-launch sign-off: the six checks for one logged attempt, and a printable report.

Everything is read from the event-log record (``Attempt.to_dict()``), which never holds a
secret, a token or a raw email, so the report cannot either. Pure: no I/O, no Qt.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.reconcile import Reconciliation
from criteo_console.core.verdict import AttemptEvaluation, Destination, evaluate_attempt


@dataclass(frozen=True, slots=True)
class SignOffLine:
    check: Check
    state: CheckState
    detail: str


@dataclass(frozen=True, slots=True)
class SignOff:
    """One attempt's sign-off, read from its evaluation (``core.verdict``) for the report."""

    record: Mapping[str, Any]
    lines: tuple[SignOffLine, ...]
    reconciliation: Reconciliation
    evaluation: AttemptEvaluation

    @property
    def passed(self) -> bool:
        return all(line.state is CheckState.OK for line in self.lines)

    @property
    def posted(self) -> bool:
        """Whether the conversion request went out (an HTTP answer, or a POST step run)."""
        return self.evaluation.posted

    @property
    def on_sandbox(self) -> bool:
        """Not sent to Criteo's own address: a rehearsal, whatever the profile is called."""
        return self.evaluation.destination is not Destination.CRITEO

    @property
    def verdict(self) -> str:
        failed = [
            line.check.title
            for line in self.lines
            if line.state in (CheckState.FAILED, CheckState.NOT_STARTED)
        ]
        if failed:
            return "Not ready: fix " + ", ".join(failed) + " and send again."
        if self.on_sandbox:
            where = self.evaluation.wording.name if self.evaluation.wording else "this target"
            warned = [line.check.title for line in self.lines if line.state is CheckState.WARNING]
            passes = (
                f"The checks pass on {where}, with warnings on {', '.join(warned)}."
                if warned
                else f"All six checks pass on {where}."
            )
            return (
                f"{passes} This is a rehearsal, not a sign-off: repeat it with the "
                "advertiser's Criteo profile to sign off."
            )
        return self.evaluation.sentence


def evaluate_signoff(record: Mapping[str, Any]) -> SignOff:
    """The report's view of ``core.verdict.evaluate_attempt`` (the one evaluation)."""
    evaluation = evaluate_attempt(record)
    lines = tuple(SignOffLine(r.check, r.state, r.detail) for r in evaluation.checks)
    return SignOff(record, lines, evaluation.reconciliation, evaluation)


def _loads(text: object) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None


# -- the printable report ------------------------------------------------------------------

_MARKS = {
    CheckState.OK: ("✓", "ok", "pass"),
    CheckState.WARNING: ("!", "warn", "check"),
    CheckState.FAILED: ("✗", "fail", "fail"),
    CheckState.NOT_STARTED: ("–", "none", "not run"),
}

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;
padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#1a7f37}.warn{color:#9a6700}
.fail{color:#cf222e}.none{color:#6e7781}.verdict{font-size:1.1rem;font-weight:600;padding:.6rem;
border:2px solid currentColor;margin:1rem 0}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;
white-space:pre-wrap;word-break:break-all;font-size:12px}.sign td{height:2.2rem}
@media print{pre{font-size:10px}}
"""


def _e(value: object) -> str:
    return html.escape("—" if value in (None, "") else str(value))


def _pretty(text: object) -> str:
    parsed = _loads(text)
    if parsed is None:
        return str(text or "—")
    from criteo_console.core.jsonfmt import dumps_json

    return dumps_json(parsed, indent=2)


def render_signoff_html(signoff: SignOff, *, signed_by: str = "", signed_on: str = "") -> str:
    """A self-contained HTML page to print or archive (no scripts, no external files)."""
    r = signoff.record
    overall = (
        "ok"
        if signoff.passed and not signoff.on_sandbox
        else ("warn" if signoff.passed else "fail")
    )
    rows = "".join(
        f"<tr><td>{line.check.value}. {_e(line.check.title)}</td>"
        f'<td class="{_MARKS[line.state][1]}">{_MARKS[line.state][0]} {_MARKS[line.state][2]}'
        f"</td><td>{_e(line.detail)}</td></tr>"
        for line in signoff.lines
    )
    answered = signoff.reconciliation.answered_known
    posted = signoff.posted

    def status(match: bool) -> str:
        if not answered:
            return '<td class="fail">✗ no answer from Criteo</td>'
        return '<td class="ok">✓ matches</td>' if match else '<td class="fail">✗ differs</td>'

    comparison = "".join(
        f"<tr><td>{_e(row.label)}</td><td>{_e(row.shop)}</td>"
        f"<td>{_e(row.sent if posted else '— not sent')}</td>"
        f"<td>{_e(row.answered)}</td>{status(row.match)}</tr>"
        for row in signoff.reconciliation.rows
    )
    sent_title = "What was sent" if posted else "Prepared (never sent)"
    facts = [
        ("Profile", r.get("profile")),
        (
            "Environment",
            "Built-in sandbox (no real conversion)" if signoff.on_sandbox else r.get("environment"),
        ),
        ("Advertiser id", r.get("advertiser_id")),
        ("Endpoint", r.get("request_url")),
        (
            "Attempt",
            f"#{r.get('id')} at {str(r.get('created_at') or '')[:19].replace('T', ' ')} UTC",
        ),
        ("Result", f"{r.get('state')} (HTTP {r.get('http_status') or '—'})"),
        (
            "Criteo trace id" if r.get("http_status") else "Console reference",
            r.get("trace_id") if r.get("http_status") else "— (Criteo did not answer)",
        ),
        ("Console version", r.get("app_version")),
    ]
    title = (
        "SANDBOX REHEARSAL — not a sign-off" if signoff.on_sandbox else "Criteo conversion sign-off"
    )
    fact_rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} — order {_e(r.get("order_id"))}</title>
<style>{_STYLE}</style></head><body>
<h1>{title}</h1>
<p>TrackLayer Criteo Console · pre-launch validation of purchase conversions</p>
<p class="verdict {overall}">{_e(signoff.verdict)}</p>
<table>{fact_rows}</table>
<h2>The six checks</h2>
<table><tr><th>Check</th><th>Result</th><th>Detail</th></tr>{rows}</table>
<h2>Shop order, what was sent, what Criteo answered</h2>
<table><tr><th></th><th>Shop's order</th><th>{sent_title}</th><th>What Criteo answered</th>
<th></th></tr>{comparison}</table>
<h2>Request body sent to Criteo</h2><pre>{_e(_pretty(r.get("request_body")))}</pre>
<h2>Criteo's answer</h2><pre>{_e(_pretty(r.get("response_body")))}</pre>
<h2>Sign-off</h2>
<table class="sign"><tr><th>Signed by</th><td>{_e(signed_by) if signed_by else ""}</td></tr>
<tr><th>Date</th><td>{_e(signed_on) if signed_on else ""}</td></tr>
<tr><th>Signature</th><td></td></tr></table>
</body></html>
"""
