"""``signoff.html`` from ``signoff.json``: one self-contained, printable page.

The same markup feeds the PDF (Qt's QTextDocument reads a subset of HTML and CSS, so tables
carry their borders and padding as attributes too). Nothing here decides anything: every
word of a verdict comes from the document.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from criteo_console.core.jsonfmt import dumps_json, loads_json
from criteo_console.core.verdict import ROW_STATUS_WORDS

MARKS = {
    "ok": ("✓", "ok"),
    "warning": ("!", "warn"),
    "failed": ("✗", "fail"),
    "not-started": ("–", "none"),
}
VERDICT_CLASS = {
    "signed-off": "ok",
    "signed-off-with-warnings": "warn",
    "not-signed-off": "fail",
    "rehearsal": "rehearsal",
}
KEY_KEPT = {
    "os-secret-store": "kept in this computer's secret store",
    "session-only": "made for this session only",
}
SUPPORT_WORDS = {
    "supported": "supported by Criteo",
    "out-of-support": "OUT OF SUPPORT",
    "not-applicable": "not applicable (not Criteo's address)",
    "unknown": "unknown",
}

_BROWSER_STYLE = """
body{font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;color:#1b1b1b;max-width:62rem;
margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:1.8rem 0 .5rem;
border-bottom:1px solid #bbb}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem}
td,th{border:1px solid #c8c8c8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f1f1}.facts th{width:13rem}.num{text-align:right}
.ok{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e}.none{color:#6e7781}
.verdict{font-size:1.1rem;font-weight:600;padding:.6rem .8rem;border:2px solid currentColor}
.rehearsal{color:#8250df}.small{font-size:12px;color:#444}.code{font-family:monospace}
pre{background:#f6f8fa;padding:.6rem;white-space:pre-wrap;word-break:break-all;font-size:11px;
border:1px solid #e1e4e8}.appendix,.order{page-break-before:always}
.watermark{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:7rem;
font-weight:700;color:rgba(130,80,223,.12);transform:rotate(-30deg);pointer-events:none;
z-index:-1}
@media print{body{margin:0;max-width:none}pre{font-size:9px}}
"""
# QTextDocument: no rgba, no transform, no max-width; sizes in points print predictably.
_QT_STYLE = """
body{font-family:"DejaVu Sans";font-size:9pt;color:#1b1b1b}
h1{font-size:17pt;margin-bottom:2pt}h2{font-size:12.5pt;margin-top:14pt;margin-bottom:4pt}
h3{font-size:10.5pt;margin-top:10pt;margin-bottom:4pt}
.gap{font-size:3pt}
th{background-color:#eeeeee;text-align:left;font-weight:bold}
.ok{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e}.none{color:#6e7781}
.verdict{font-size:11pt;font-weight:bold}.rehearsal{color:#8250df}
.small{font-size:7.5pt;color:#444444}.code{font-family:"DejaVu Sans Mono"}
pre{font-family:"DejaVu Sans Mono";font-size:6.5pt;background-color:#f6f8fa;white-space:pre-wrap}
.appendix,.order{page-break-before:always}.num{text-align:right}
"""
_TABLE = '<table class="{cls}" width="100%" border="1" cellspacing="0" cellpadding="4">'


# Each comparison row's status is decided by core.verdict.row_status; this is only its look.
_ROW_MARKS = {
    "matches": ("✓", "ok"),
    "no-answer": ("–", "none"),
    "not-recorded": ("–", "none"),
    "differs": ("✗", "fail"),
}


def render_html(document: Mapping[str, Any], *, for_qt: bool = False) -> str:
    """The whole report as HTML; ``for_qt`` picks the stylesheet QTextDocument understands."""
    d = document
    rehearsal = d.get("verdict") == "rehearsal"
    style = _QT_STYLE if for_qt else _BROWSER_STYLE
    watermark = (
        '<div class="watermark" aria-hidden="true">REHEARSAL</div>'
        if rehearsal and not for_qt
        else ""
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(d.get('title'))} — {_e(_advertiser_line(d))}</title>",
        f"<style>{style}</style></head><body>",
        watermark,
        _cover(d),
        _checks(d),
        _all_warnings(d.get("warnings") or []),
        *(_order(order) for order in d.get("orders") or []),
        _appendix(d),
        _sign_block(d),
        "</body></html>",
    ]
    page = "\n".join(part for part in parts if part) + "\n"
    # QTextDocument ignores a table's bottom margin: a small empty line keeps headings apart.
    return page.replace("</table>", '</table><p class="gap">&nbsp;</p>') if for_qt else page


# -- cover ------------------------------------------------------------------------------------


def _cover(d: Mapping[str, Any]) -> str:
    verdict_class = VERDICT_CLASS.get(str(d.get("verdict")), "fail")
    api = d.get("api") or {}
    destination = d.get("destination") or {}
    key = d.get("signing_key") or {}
    key_line = (
        f"{_e(key.get('fingerprint'))} (Ed25519, {_e(KEY_KEPT.get(str(key.get('kept')), ''))})"
        if key
        else "— (not signed)"
    )
    if key.get("note"):
        key_line += f'<br><span class="small">{_e(key.get("note"))}</span>'
    support = SUPPORT_WORDS.get(str(api.get("support")), str(api.get("support") or ""))
    facts = [
        ("Advertiser", _e(_advertiser_line(d))),
        ("Client", _e(d.get("client"))),
        ("Agency", _e(d.get("agency"))),
        ("Profile", _e(d.get("profile"))),
        (
            "Destination",
            f'<span class="code">{_e(destination.get("address"))}</span><br>'
            f"{_e(destination.get('meaning'))}",
        ),
        (
            "API version",
            f"{_e(api.get('version'))} — {_e(support)}"
            + (f'<br><span class="small">{_e(api.get("note"))}</span>' if api.get("note") else ""),
        ),
        ("Orders covered", _e(_orders_line(d.get("orders") or []))),
        ("Date", _e(_date(d.get("created_at")))),
        ("Reviewer", _e(d.get("reviewer"))),
        ("Console version", _e(f"TrackLayer Criteo Console {d.get('console_version') or ''}")),
        ("Signing key", key_line),
    ]
    rows = "".join(f'<tr><th width="26%">{_e(k)}</th><td>{v}</td></tr>' for k, v in facts)
    subtitle = "TrackLayer Criteo Console · pre-launch validation of purchase conversions"
    return (
        f"<h1>{_e(d.get('title'))}</h1>"
        f'<p class="small">{subtitle}</p>'
        f'{_TABLE.format(cls="verdict-box")}<tr><td class="verdict {verdict_class}">'
        f"{_e(_verdict_mark(d))} {_e(d.get('verdict_sentence'))}</td></tr></table>"
        f"{_TABLE.format(cls='facts')}{rows}</table>"
    )


def _checks(d: Mapping[str, Any]) -> str:
    orders = d.get("orders") or []
    rows = []
    for summary in d.get("checks") or []:
        number = summary.get("number")
        lines = []
        for order in orders:
            for result in order.get("checks") or []:
                if result.get("number") == number:
                    mark, cls = MARKS.get(str(result.get("state")), ("?", "none"))
                    evidence = " · ".join(
                        str(item.get("value")) for item in result.get("evidence") or []
                    )
                    lines.append(
                        f'<span class="{cls}">{mark}</span> {_e(order.get("order_id"))}'
                        + (f" — {_e(evidence)}" if evidence else "")
                    )
        rows.append(
            f"<tr><td>{_e(number)}. <b>{_e(summary.get('title'))}</b><br>"
            f'<span class="small">{_e(summary.get("proves"))}</span></td>'
            f"<td>{_counts(summary.get('orders') or {})}</td>"
            f"<td class='small'>{'<br>'.join(lines) or '—'}</td></tr>"
        )
    return (
        "<h2>The six checks</h2>"
        f"{_TABLE.format(cls='checks')}"
        '<tr><th width="32%">Check and what it proves</th><th width="12%">Orders</th>'
        '<th width="56%">Evidence per order</th></tr>'
        f"{''.join(rows)}</table>"
    )


def _all_warnings(warnings: Sequence[Mapping[str, Any]]) -> str:
    if not warnings:
        return "<h2>Warnings</h2><p class='ok'>✓ No warning on any order.</p>"
    items = "".join(
        f"<li><b>{_e(w.get('order_id'))}</b> <span class='code'>[{_e(w.get('code'))}]</span> "
        f"{_e(w.get('message'))}</li>"
        for w in warnings
    )
    count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    return f"<h2>Warnings ({count}, to read before launch)</h2><ul class='warn'>{items}</ul>"


def _counts(counts: Mapping[str, Any]) -> str:
    """How many orders stand in each state, e.g. "✓ 2 pass / ✗ 1 fail"."""
    words = {"ok": "pass", "warning": "warning", "failed": "fail", "not-started": "not run"}
    shown = [
        f'<span class="{MARKS[state][1]}">{MARKS[state][0]} {_e(counts.get(state))} {word}</span>'
        for state, word in words.items()
        if counts.get(state)
    ]
    return "<br>".join(shown) or "—"


# -- per order --------------------------------------------------------------------------------


def _order(order: Mapping[str, Any]) -> str:
    codes = {str(w.get("code")) for w in order.get("warnings") or []}
    result = str(order.get("result") or "")
    status = order.get("http_status")
    heading = f"Order {order.get('order_id') or '(no id)'} — {result}" + (
        f" (HTTP {status})" if status else ""
    )
    trace = order.get("trace_id")
    facts = (
        f'<p class="small">Attempt #{_e(order.get("attempt"))} · sent '
        f"{_e(_date(order.get('sent_at'), seconds=True))} · profile {_e(order.get('profile'))}"
        f" · advertiser {_e(order.get('advertiser_id'))}<br>"
        f'<span class="code">{_e(order.get("address"))}</span>'
        + (f" · trace id <span class='code'>{_e(trace)}</span>" if trace else "")
        + "</p>"
    )
    checks = "".join(
        f"<tr><td>{_e(c.get('number'))}. {_e(c.get('title'))}</td>"
        f'<td class="{MARKS.get(str(c.get("state")), ("?", "none"))[1]}">'
        f"{MARKS.get(str(c.get('state')), ('?', 'none'))[0]} {_e(c.get('result'))}</td>"
        f"<td>{_e(c.get('detail'))}{_evidence(c.get('evidence') or [])}</td></tr>"
        for c in order.get("checks") or []
    )
    return (
        f'<h2 class="order">{_e(heading)}</h2>{facts}'
        f"{_TABLE.format(cls='order-checks')}"
        '<tr><th width="26%">Check</th><th width="14%">Result</th><th>Detail</th></tr>'
        f"{checks}</table>"
        f"{_items(order.get('items') or {}, posted=bool(order.get('posted')), warned=codes)}"
        f"{_comparison(order)}"
        f"{_warnings(order.get('warnings') or [])}"
    )


def _evidence(evidence: Sequence[Mapping[str, Any]]) -> str:
    if not evidence:
        return ""
    lines = "<br>".join(f"{_e(e.get('label'))}: {_e(e.get('value'))}" for e in evidence)
    return f'<br><span class="small">{lines}</span>'


def _items(items: Mapping[str, Any], *, posted: bool, warned: set[str]) -> str:
    rows = items.get("rows") or []
    title = "Items sent" if posted else "Items prepared (never sent)"
    if not rows:
        return f"<h3>{title}</h3><p>No item lines.</p>"
    currency = _e(items.get("currency"))
    mismatch = "value-mismatch" in warned
    value_note = " — differs from the items total (warning)" if mismatch else ""
    value_class = " warn" if mismatch else ""
    body = "".join(
        f"<tr><td class='code'>{_e(r.get('id'))}</td><td class='num'>{_e(r.get('price'))}</td>"
        f"<td class='num'>{_e(r.get('quantity'))}</td>"
        f"<td class='num'>{_e(r.get('line_total'))}</td></tr>"
        for r in rows
    )
    return (
        f"<h3>{title}</h3>"
        f"{_TABLE.format(cls='items')}"
        f"<tr><th>Item id</th><th class='num'>Price ({currency})</th>"
        "<th class='num'>Quantity</th><th class='num'>Line total</th></tr>"
        f"{body}<tr><th colspan='3'>Items total</th>"
        f"<th class='num'>{_e(items.get('total'))}</th></tr>"
        f"<tr><th colspan='3'>Order value{value_note}</th>"
        f"<th class='num{value_class}'>{_e(items.get('order_value'))}</th></tr></table>"
    )


def _comparison(order: Mapping[str, Any]) -> str:
    comparison = order.get("comparison") or {}
    answered = bool(comparison.get("answered"))
    sent = "Sent" if order.get("posted") else "Prepared (never sent)"
    rows = []
    for row in comparison.get("rows") or []:
        code = str(row.get("status") or "")
        mark, css = _ROW_MARKS.get(code, ("–", "none"))
        status = f'<td class="{css}">{mark} {_e(ROW_STATUS_WORDS.get(code, code))}</td>'
        rows.append(
            f"<tr><td>{_e(row.get('field'))}</td><td>{_e(row.get('shop'))}</td>"
            f"<td>{_e(row.get('sent'))}</td><td>{_e(row.get('answered'))}</td>{status}</tr>"
        )
    mismatches = order.get("mismatches") or []
    summary = (
        f'<p class="fail">Differs: {_e(", ".join(mismatches))}.</p>'
        if mismatches and answered
        else ""
    )
    return (
        "<h3>Shop's order, what was sent, what the server answered</h3>"
        f"{_TABLE.format(cls='comparison')}"
        f"<tr><th></th><th>Shop's order</th><th>{sent}</th><th>Answered</th><th></th></tr>"
        f"{''.join(rows)}</table>{summary}"
    )


def _warnings(warnings: Sequence[Mapping[str, Any]]) -> str:
    if not warnings:
        return "<p class='ok'>No warning for this order.</p>"
    items = "".join(
        f"<li><span class='code'>[{_e(w.get('code'))}]</span> {_e(w.get('message'))}</li>"
        for w in warnings
    )
    return f"<h3>Warnings</h3><ul class='warn'>{items}</ul>"


# -- appendix and signature --------------------------------------------------------------------


def _appendix(d: Mapping[str, Any]) -> str:
    parts = ['<h2 class="appendix">Appendix: exact requests and answers</h2>']
    parts.append(
        '<p class="small">As recorded in the event log. Credentials and tokens were never '
        "stored (shown as •••); emails left this computer only as SHA-256.</p>"
    )
    for order in d.get("orders") or []:
        parts.append(
            f"<h3>Order {_e(order.get('order_id'))} (attempt #{_e(order.get('attempt'))})</h3>"
        )
        exchanges = order.get("exchanges") or []
        if not exchanges:
            parts.append("<p>No request left this computer.</p>")
        for exchange in exchanges:
            status = exchange.get("status")
            answer = f"HTTP {status}" if status is not None else "no answer"
            trace = exchange.get("trace_id")
            parts.append(
                f"<p><b>{_e(exchange.get('method'))}</b> "
                f"<span class='code'>{_e(exchange.get('url'))}</span> → {_e(answer)}"
                + (f" · trace id <span class='code'>{_e(trace)}</span>" if trace else "")
                + (f" · {_e(exchange.get('error'))}" if exchange.get("error") else "")
                + "</p>"
            )
            for key, label in (("request_body", "Request body"), ("response_body", "Answer")):
                if exchange.get(key):
                    body = _e(_pretty(exchange[key]))
                    parts.append(f"<p class='small'>{label}</p><pre>{body}</pre>")
    return "".join(parts)


def _sign_block(d: Mapping[str, Any]) -> str:
    key = d.get("signing_key") or {}
    fingerprint_row = (
        f"<tr><th>Key fingerprint</th><td class='code'>{_e(key.get('fingerprint'))}</td></tr>"
        if key
        else ""
    )
    return (
        "<h2>Sign-off</h2>"
        f"{_TABLE.format(cls='sign')}"
        f'<tr><th width="26%">Reviewer</th><td>{_e(d.get("reviewer"))}</td></tr>'
        f"<tr><th>Date</th><td>{_e(_date(d.get('created_at')))}</td></tr>"
        f"{fingerprint_row}"
        "<tr><th>Signature</th><td><br><br></td></tr></table>"
        f'<p class="small">{_SIGNED if key else _UNSIGNED}</p>'
    )


_SIGNED = (
    "This report is signed (Ed25519). Check that it is unaltered with "
    "<span class='code'>criteo-console report verify signoff.pdf</span> (or signoff.json)."
)
_UNSIGNED = (
    "This page is not signed. For a signed report (PDF, HTML and JSON) run "
    "<span class='code'>criteo-console report</span> or use “Export sign-off report…” "
    "on the Event log page."
)


# -- helpers ----------------------------------------------------------------------------------


def _advertiser_line(d: Mapping[str, Any]) -> str:
    advertiser = d.get("advertiser") or {}
    ident, name = advertiser.get("id") or "", advertiser.get("name") or ""
    return f"{ident} — {name}" if ident and name else str(ident or name or "—")


def _orders_line(orders: Sequence[Mapping[str, Any]]) -> str:
    ids = [str(o.get("order_id") or "(no id)") for o in orders]
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return f"{len(ids)}: {shown}" if ids else "0"


def _verdict_mark(d: Mapping[str, Any]) -> str:
    return {"signed-off": "✓", "signed-off-with-warnings": "!", "not-signed-off": "✗"}.get(
        str(d.get("verdict")), "◇"
    )


def _date(value: object, *, seconds: bool = False) -> str:
    text = str(value or "")
    if len(text) < 16:
        return text
    return text[: 19 if seconds else 16].replace("T", " ") + " UTC"


def _pretty(text: object) -> str:
    if not isinstance(text, str):
        return ""
    try:
        return dumps_json(loads_json(text), indent=2)
    except ValueError:
        return text


def _e(value: object) -> str:
    return html.escape("—" if value in (None, "") else str(value))
