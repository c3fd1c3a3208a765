"""Read a canonical order, report each problem as an Issue, build the payload if no error.

``check_order`` accepts anything JSON can hold and never raises for bad input: a wrong shape
becomes an issue. Messages never quote the email field's value.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from criteo_console.core import identifiers as ids
from criteo_console.core.destinations import (
    DEFAULT_DESTINATION,
    Destination,
    OrderFacts,
    UnknownDestination,
    get_destination,
)
from criteo_console.core.emailforms import EmailForms, email_forms
from criteo_console.core.events import check_event_mapping, resolve_event
from criteo_console.core.eventtime import FUTURE_SKEW, EventTimeError, parse_event_time
from criteo_console.core.identifiers import Coverage, EmailLadder, email_ladder
from criteo_console.core.issues import Issue, Level, error, has_errors, quoted, shown, warning
from criteo_console.core.jsonfmt import MAX_JSON_DEPTH
from criteo_console.core.money import (
    MoneyError,
    currency_info,
    decimal_places,
    parse_amount,
    suggest_currency,
)
from criteo_console.core.order import ITEM_FIELDS, ORDER_FIELDS, LineItem, Order, ProfileContext
from criteo_console.core.reconcile import value_mismatch_text
from criteo_console.core.visit import read_visit

# Common misspellings of input fields, so a typo gets a pointer rather than a silent drop.
_FIELD_HINTS = {
    "event_name": "event",
    "eventname": "event",
    "time": "event_time",
    "timestamp": "event_time",
    "id": "order_id",
    "orderid": "order_id",
    "transaction_id": "order_id",
    "amount": "value",
    "total": "value",
    "item": "items",
    "line_items": "items",
    "products": "items",
    "hashed_email": "email_sha256",
    "email_hash": "email_sha256",
    "sha256_email": "email_sha256",
    "customerid": "customer_id",
    "user_id": "customer_id",
    "maid": "madid",
    "idfa": "madid",
    "gaid": "madid",
    "mapped_user_id": "gum_id",
    "crto_mapped_user_id": "gum_id",
    "gum": "gum_id",
    "ip_address": "ip",
    "useragent": "user_agent",
    "full_url": "page_url",
    "url": "page_url",
}
_ITEM_HINTS = {
    "sku": "id",
    "product_id": "id",
    "item_id": "id",
    "qty": "quantity",
    "amount": "price",
}


@dataclass(slots=True)
class OrderCheck:
    """Everything the UI and the CLI show about one order."""

    issues: list[Issue]
    order: Order | None
    payload: dict[str, Any] | None
    coverage: Coverage
    email: EmailLadder | None = field(repr=False)
    items_total: Decimal | None
    email_forms: EmailForms | None = None
    destination: str = DEFAULT_DESTINATION

    @property
    def ok(self) -> bool:
        return not has_errors(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level is Level.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level is Level.WARNING]

    def as_dict(self) -> dict[str, Any]:
        """The stable shape of ``validate --json``."""
        return {
            "ok": self.ok,
            "issues": [issue.as_dict() for issue in self.issues],
            "payload": self.payload,
        }


def check_order(raw: object, context: ProfileContext, *, now: datetime | None = None) -> OrderCheck:
    return _Reader(context, now or datetime.now(UTC)).read(raw)


def _text(value: object) -> str | None:
    """A trimmed string for id-like fields (numbers allowed); None when absent, blank or not
    an id (NaN, Infinity, an integer longer than any id)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int) and value.bit_length() > _MAX_ID_INTEGER_BITS:
        return None
    if isinstance(value, Decimal) and (
        not value.is_finite()
        or abs(value.adjusted()) > _MAX_ID_DIGITS
        or len(value.as_tuple().digits) > _MAX_ID_DIGITS
    ):
        return None
    if isinstance(value, int | Decimal | str):
        text = str(value).strip()
        return text or None
    return None


class _Reader:
    def __init__(self, context: ProfileContext, now: datetime) -> None:
        self.context = context
        self.now = now
        self.issues: list[Issue] = []
        self.destination = self.find_destination()

    def err(self, field_name: str, code: str, message: str) -> None:
        self.issues.append(error(field_name, code, message))

    def warn(self, field_name: str, code: str, message: str) -> None:
        self.issues.append(warning(field_name, code, message))

    # -- whole order ---------------------------------------------------------------------

    def read(self, raw: object) -> OrderCheck:
        no_coverage = self.destination.coverage(Coverage(False, False, False), read_visit({})[0])
        if not isinstance(raw, Mapping):
            self.err(
                "",
                "order-not-an-object",
                "The order must be a JSON object with fields such as order_id, currency, value "
                "and items. Check that you pasted the whole order.",
            )
            self.check_advertiser()
            return self.result(None, None, no_coverage, None, None, None)

        raw = self.check_text(raw)
        self.check_unknown_fields(raw, ORDER_FIELDS, _FIELD_HINTS, "")
        advertiser_id = self.check_advertiser()
        event, event_name = self.check_event(raw.get("event"))
        event_time = self.check_event_time(raw.get("event_time"))
        is_purchase = event is None or "purchase" in (event, event_name)
        order_id = self.check_order_id(raw.get("order_id"), required=is_purchase)
        currency, minor_units = self.check_currency(raw.get("currency"), required=is_purchase)
        value = self.check_amount(
            raw.get("value"), "value", minor_units, required=is_purchase, what="order value"
        )
        items, items_ok = self.check_items(raw.get("items"), minor_units, required=is_purchase)
        items_total = sum((item.total for item in items), Decimal(0)) if items_ok else None
        mismatch = (
            value_mismatch_text(value, items_total)
            if value is not None and items_total is not None
            else None
        )
        if mismatch is not None:
            self.warn("value", "value-mismatch", mismatch)
        broken = {i.field for i in self.issues if i.code == "text-invalid-characters"}
        ladder, email_digest = self.check_email(
            None if "email" in broken else raw.get("email"),
            None if "email_sha256" in broken else raw.get("email_sha256"),
        )
        customer_id = self.check_customer_id(raw.get("customer_id"))
        madid = self.check_madid(raw.get("madid"))
        visit, visit_issues = read_visit(raw)
        self.issues.extend(visit_issues)
        forms = email_forms(ladder, email_digest)
        coverage = self.destination.coverage(
            Coverage(email_digest is not None, customer_id is not None, madid is not None), visit
        )
        ids_broken = self._has_error_on(("email", "email_sha256", "customer_id", "madid", "gum_id"))
        facts = OrderFacts(event_time, forms, visit, coverage, ids_broken, self.now)
        self.issues.extend(self.destination.order_rules(facts))

        order: Order | None = None
        payload: dict[str, Any] | None = None
        if not has_errors(self.issues):
            assert advertiser_id is not None and event is not None and event_name is not None
            assert event_time is not None
            order = Order(
                advertiser_id=advertiser_id,
                event=event,
                event_name=event_name,
                event_time=event_time,
                order_id=order_id,
                currency=currency,
                value=value,
                items=tuple(items),
                email_sha256=email_digest,
                customer_id=customer_id,
                madid=madid,
                email_forms=forms,
                visit=visit,
            )
            payload = self.destination.build_payload(order, self.context.settings)
        return self.result(order, payload, coverage, ladder, items_total, forms)

    def result(
        self,
        order: Order | None,
        payload: dict[str, Any] | None,
        coverage: Coverage,
        ladder: EmailLadder | None,
        items_total: Decimal | None,
        forms: EmailForms | None,
    ) -> OrderCheck:
        return OrderCheck(
            self.issues,
            order,
            payload,
            coverage,
            ladder,
            items_total,
            email_forms=forms,
            destination=self.destination.name,
        )

    def find_destination(self) -> Destination:
        try:
            return get_destination(self.context.destination)
        except UnknownDestination as exc:
            self.err("destination", "destination-unknown", exc.message)
            return get_destination(DEFAULT_DESTINATION)

    def check_text(self, raw: Mapping[Any, Any]) -> Mapping[Any, Any]:
        """Walk every key and value once, without unbounded recursion.

        Text that cannot be UTF-8 (a lone surrogate from a broken copy-paste), in a value or a
        field name, is an error on its field; the rest of the order is checked with that text
        shown as "?". Nesting deeper than MAX_JSON_DEPTH is an error where it starts and is
        not read further.
        """

        def clean(value: Any, where: str, depth: int) -> Any:
            if isinstance(value, str):
                text = _without_broken_characters(value)
                if text is not value:
                    self.err(
                        where,
                        "text-invalid-characters",
                        "This field holds characters that are not valid text (often a broken "
                        "copy and paste). Type the value again.",
                    )
                return text
            if not isinstance(value, Mapping | list):
                return value
            if depth > MAX_JSON_DEPTH:
                self.err(
                    where,
                    "nested-too-deeply",
                    f"This field is nested more than {MAX_JSON_DEPTH} levels deep, which no "
                    "order is. Remove it, or check that the right data was pasted.",
                )
                return None
            if isinstance(value, list):
                return [clean(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
            cleaned: dict[str, Any] = {}
            for key, item in value.items():
                typed = str(key)
                name = _without_broken_characters(typed)
                path = _field_path(where, name)
                if name is not typed:
                    self.err(
                        path,
                        "text-invalid-characters",
                        "This field's name holds characters that are not valid text (often a "
                        "broken copy and paste). Type the name again.",
                    )
                cleaned[name] = clean(item, path, depth + 1)
            return cleaned

        cleaned = clean(raw, "", 1)
        assert isinstance(cleaned, Mapping)
        return cleaned

    def _has_error_on(self, fields: tuple[str, ...]) -> bool:
        return any(i.field in fields and i.level is Level.ERROR for i in self.issues)

    def check_unknown_fields(
        self, raw: Mapping[Any, Any], known: tuple[str, ...], hints: Mapping[str, str], parent: str
    ) -> None:
        for key in raw:
            if key in known:
                continue
            if ids.may_hold_email(str(key)):
                self.err(
                    parent,
                    "field-name-contains-email",
                    "A field is named with an email address. Remove it: personal data must "
                    "not be sent unhashed.",
                )
                continue
            name = _field_path(parent, key)
            hint = hints.get(str(key).lower().replace("-", "_")) or _closest(str(key), known)
            advice = f" Did you mean “{hint}”?" if hint else " It is ignored."
            self.warn(
                name,
                "unknown-field",
                f"{_quoted(str(key))} is not a field the console knows.{advice}",
            )

    # -- profile -------------------------------------------------------------------------

    def check_advertiser(self) -> int | None:
        """Whose account the order goes to, as the destination reads it from the profile."""
        number, issues = self.destination.read_account(self.context)
        self.issues.extend(issues)
        return number

    # -- event -----------------------------------------------------------------------------

    def check_event(self, raw: object) -> tuple[str | None, str | None]:
        mapping = self.destination.event_names(self.context)
        if raw is None:
            self.warn(
                "event",
                "event-missing",
                "The order does not say which event it is; it is treated as a purchase.",
            )
            raw = "purchase"
        if not isinstance(raw, str) or not raw:
            self.err("event", "event-invalid", "The event must be a name such as “purchase”.")
            return None, None
        canonical, issue = resolve_event(raw, mapping)
        if issue:
            self.issues.append(issue)
            return None, None
        assert canonical is not None
        criteo_name = mapping[canonical]
        if not criteo_name.strip() or criteo_name != criteo_name.strip():
            self.err(
                "event",
                "event-mapping-invalid",
                f"The profile's Criteo name for {_quoted(canonical)} is empty or has spaces around "
                "it. Fix it on the Event mapping page.",
            )
            return None, None
        self.issues.extend(check_event_mapping({canonical: criteo_name}))
        return canonical, criteo_name

    def check_event_time(self, raw: object) -> datetime | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.err(
                "event_time",
                "event-time-missing",
                "The event time is missing. Every event needs the time of the sale, for example "
                "2026-04-24T15:14:58+02:00.",
            )
            return None
        try:
            moment = parse_event_time(raw)
        except EventTimeError as exc:
            if exc.reason == "no-offset":
                self.err(
                    "event_time",
                    "event-time-no-offset",
                    "The event time has no time zone, so it is ambiguous. Add the offset (for "
                    "example +02:00) or Z for UTC.",
                )
            else:
                self.err(
                    "event_time",
                    "event-time-invalid",
                    "The event time is not a date and time the console can read. Use the form "
                    "2026-04-24T15:14:58+02:00.",
                )
            return None
        if moment - self.now > FUTURE_SKEW:
            self.err(
                "event_time",
                "event-time-future",
                "The event time is in the future. Check the date and the time zone of the sale.",
            )
            return None
        if moment.year < EARLIEST_EVENT_YEAR:
            self.err(
                "event_time",
                "event-time-invalid",
                f"The event time is before {EARLIEST_EVENT_YEAR}, which cannot be a real sale. "
                "Check the date.",
            )
            return None
        if self.now - moment > OLD_EVENT:
            self.warn(
                "event_time",
                "event-time-old",
                "The event time is more than a year ago; Criteo may ignore a conversion this "
                "old. For a test order, use the time of the test checkout.",
            )
        return moment

    # -- transaction -----------------------------------------------------------------------

    def check_order_id(self, raw: object, *, required: bool) -> str | None:
        text = _text(raw)
        if raw is not None and text is None and not (isinstance(raw, str)):
            self.err("order_id", "order-id-invalid", "The order id must be text or a number.")
            return None
        if text is None:
            if required:
                self.err(
                    "order_id",
                    "order-id-missing",
                    "A purchase needs the shop's order id, so Criteo can tell sales apart and "
                    "you can find it in Criteo later.",
                )
            return None
        if ids.contains_email(text):
            self.err(
                "order_id",
                "order-id-contains-email",
                "The order id contains an email address, which would send personal data to "
                "Criteo unhashed. Use the shop's order number.",
            )
            return None
        if isinstance(raw, str) and raw != raw.strip():
            self.warn(
                "order_id",
                "order-id-whitespace",
                "The order id had spaces around it; they were removed. Check it matches the "
                "shop's order number exactly.",
            )
        return text

    def check_currency(self, raw: object, *, required: bool) -> tuple[str | None, int | None]:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.err(
                    "currency",
                    "currency-missing",
                    "A purchase needs its currency as a three-letter ISO code, such as EUR.",
                )
            return None, None
        if not isinstance(raw, str):
            self.err(
                "currency",
                "currency-unknown",
                "The currency must be a three-letter ISO code, such as EUR or USD.",
            )
            return None, None
        info = currency_info(raw.strip())
        if info is None:
            guess = suggest_currency(raw.strip())
            advice = (
                f"Did you mean {guess.code} ({guess.name})?"
                if guess
                else "Use a three-letter code such as EUR, USD or GBP."
            )
            self.err(
                "currency",
                "currency-unknown",
                f"{_quoted(raw.strip(), 12)} is not a currency code. {advice}",
            )
            return None, None
        if raw != info.code:
            self.warn(
                "currency",
                "currency-normalized",
                f"The currency was written {_quoted(raw)}; it is sent as “{info.code}”.",
            )
        return info.code, info.minor_units

    def check_amount(
        self, raw: object, field_name: str, minor_units: int | None, *, required: bool, what: str
    ) -> Decimal | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.err(
                    field_name,
                    f"{_code(field_name)}-missing",
                    f"The {what} is missing. Enter it as a number, such as 149.90.",
                )
            return None
        try:
            amount = parse_amount(raw)
        except MoneyError as exc:
            code = f"{_code(field_name)}-not-a-number"
            if exc.reason == "comma-decimal":
                message = (
                    f"The {what} uses a comma. Write the decimal part with a dot, such as "
                    "149.90 (without thousands separators)."
                )
            elif exc.reason == "too-large":
                code = f"{_code(field_name)}-too-large"
                message = f"The {what} is far too large to be a real amount. Check it."
            else:
                message = f"The {what} is not a number. Enter it such as 149.90."
            self.err(field_name, code, message)
            return None
        if amount < 0:
            self.err(
                field_name,
                f"{_code(field_name)}-negative",
                f"The {what} is negative. Send refunds and cancellations another way; a purchase "
                "amount must be zero or more.",
            )
            return None
        if minor_units is not None and decimal_places(amount) > minor_units:
            allowed = "no decimals" if minor_units == 0 else f"at most {minor_units} decimals"
            self.err(
                field_name,
                f"{_code(field_name)}-too-many-decimals",
                f"The {what} {_amount(amount)} has more decimals than the currency allows "
                f"({allowed}). Round it the way the shop charged it.",
            )
            return None
        if field_name == "value" and amount == 0:
            self.warn("value", "value-zero", "The order value is 0. Is this really a test order?")
        return amount

    def check_items(
        self, raw: object, minor_units: int | None, *, required: bool
    ) -> tuple[list[LineItem], bool]:
        if raw is None or raw == []:
            if required:
                self.err(
                    "items",
                    "items-missing",
                    "A purchase needs at least one item line with an id, a price and a quantity.",
                )
            return [], raw == [] or raw is None
        if not isinstance(raw, list):
            self.err("items", "items-invalid", "Items must be a list of item lines.")
            return [], False
        items: list[LineItem] = []
        all_ok = True
        for index, entry in enumerate(raw):
            item = self.check_item(index, entry, minor_units)
            if item is None:
                all_ok = False
            else:
                items.append(item)
        return items, all_ok

    def check_item(self, index: int, raw: object, minor_units: int | None) -> LineItem | None:
        prefix = f"items[{index}]"
        line = f"Item line {index + 1}"
        if not isinstance(raw, Mapping):
            self.err(
                prefix, "item-invalid", f"{line} must be an object with id, price and quantity."
            )
            return None
        self.check_unknown_fields(raw, ITEM_FIELDS, _ITEM_HINTS, prefix)
        before = len(self.issues)
        item_id = _text(raw.get("id"))
        if item_id is None:
            self.err(
                f"{prefix}.id",
                "item-id-missing",
                f"{line} has no product id. Use the SKU or product id of your catalogue feed.",
            )
        elif ids.contains_email(item_id):
            self.err(
                f"{prefix}.id",
                "item-id-contains-email",
                f"{line}'s id contains an email address. Use the product's SKU.",
            )
        price = self.check_amount(
            raw.get("price"),
            f"{prefix}.price",
            minor_units,
            required=True,
            what=f"price of item line {index + 1}",
        )
        quantity = self.check_quantity(raw.get("quantity"), f"{prefix}.quantity", line)
        if len(self.issues) != before and any(
            issue.level is Level.ERROR for issue in self.issues[before:]
        ):
            return None
        assert item_id is not None and price is not None and quantity is not None
        return LineItem(item_id, price, quantity)

    def check_quantity(self, raw: object, field_name: str, line: str) -> int | None:
        message = f"{line}'s quantity must be a whole number of at least 1."
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.err(field_name, "item-quantity-missing", f"{line} has no quantity. {message}")
            return None
        quantity: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            quantity = raw
        elif isinstance(raw, str) and _ascii_digits(raw.strip()) and len(raw.strip()) < 10:
            quantity = int(raw.strip())
        elif isinstance(raw, Decimal | float) and _is_small_whole(raw):
            quantity = int(raw)
        if quantity is None or quantity < 1 or quantity > MAX_QUANTITY:
            self.err(field_name, "item-quantity-invalid", message)
            return None
        return quantity

    # -- identifiers -----------------------------------------------------------------------

    def check_email(
        self, raw_email: object, raw_digest: object
    ) -> tuple[EmailLadder | None, str | None]:
        ladder: EmailLadder | None = None
        from_email: str | None = None
        if raw_email is not None and not isinstance(raw_email, str):
            self.err("email", "email-invalid", "The email must be text.")
        elif isinstance(raw_email, str) and raw_email.strip():
            trimmed = raw_email.strip()
            if ids.is_sha256_hex(trimmed):
                ladder = email_ladder(raw_email)
                from_email = ladder.digest
            elif ids.is_md5_hex(trimmed):
                self.err(
                    "email",
                    "email-md5",
                    "The email field holds an MD5 hash. Criteo needs SHA-256: enter the email "
                    "address itself (it is hashed on this computer) or its SHA-256 hash.",
                )
            elif not ids.looks_like_email(trimmed):
                self.err(
                    "email",
                    "email-invalid",
                    "This does not look like an email address (it needs one @ and a domain, "
                    "with no spaces). Correct it or leave the field empty.",
                )
            else:
                ladder = email_ladder(raw_email)
                from_email = ladder.digest

        from_digest: str | None = None
        if raw_digest is not None and not isinstance(raw_digest, str):
            self.err("email_sha256", "email-sha256-malformed", "The email hash must be text.")
        elif isinstance(raw_digest, str) and raw_digest.strip():
            digest = raw_digest.strip()
            if ids.is_sha256_hex(digest):
                from_digest = digest.lower()
            elif ids.contains_email(digest):
                self.err(
                    "email_sha256",
                    "email-sha256-is-email",
                    "The email hash field holds an email address, not its hash. Put the address "
                    "in the Email field instead: the console hashes it before anything is sent.",
                )
            elif ids.is_md5_hex(digest):
                self.err(
                    "email_sha256",
                    "email-sha256-malformed",
                    "The email hash is an MD5 hash (32 characters). Criteo needs the SHA-256 "
                    "hash: 64 characters from 0-9 and a-f.",
                )
            else:
                self.err(
                    "email_sha256",
                    "email-sha256-malformed",
                    "The email hash is not a SHA-256 hash: it must be 64 characters from 0-9 and "
                    "a-f. Enter the email address instead and the console hashes it for you.",
                )

        if from_email and from_digest and from_email != from_digest:
            self.err(
                "email_sha256",
                "email-hash-mismatch",
                "The email hash does not match the email address. Keep only one of them, or "
                "check which is right.",
            )
            return ladder, None
        return ladder, from_email or from_digest

    def check_customer_id(self, raw: object) -> str | None:
        text = _text(raw)
        if raw is not None and text is None and not isinstance(raw, str):
            self.err("customer_id", "customer-id-invalid", "The customer id must be text.")
            return None
        if text is None:
            return None
        if ids.contains_email(text):
            self.err(
                "customer_id",
                "customer-id-contains-email",
                "The customer id contains an email address, which would send personal data to "
                "Criteo unhashed. Use the shop's internal customer number, and put the email "
                "in the Email field (it is hashed).",
            )
            return None
        return text

    def check_madid(self, raw: object) -> str | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if not isinstance(raw, str):
            self.err("madid", "madid-invalid", "The MADID must be text.")
            return None
        text = raw.strip()
        if ids.contains_email(text):
            self.err(
                "madid",
                "madid-contains-email",
                "The MADID field contains an email address, which would send personal data to "
                "Criteo unhashed. Put the email in the Email field (it is hashed).",
            )
            return None
        if not ids.is_madid(text):
            self.err(
                "madid",
                "madid-invalid",
                "The MADID is not a mobile advertising id. It looks like "
                "AEBE52E7-03EE-455A-B3C4-E57283966239 (IDFA or Google advertising id).",
            )
            return None
        if set(text.replace("-", "")) == {"0"}:
            self.warn(
                "madid",
                "madid-zeroed",
                "The MADID is all zeros: the shopper limited ad tracking, so it cannot be "
                "matched. Leave it empty.",
            )
            return None
        return text


MAX_QUANTITY = 1_000_000
# A number with more digits is not an id (and str() of a 4,301-digit int raises in Python).
_MAX_ID_DIGITS = 300
_MAX_ID_INTEGER_BITS = 1000  # about 300 decimal digits
EARLIEST_EVENT_YEAR = 2000
OLD_EVENT = timedelta(days=365)


def _ascii_digits(text: str) -> bool:
    """``"12"`` yes; ``"²"`` or ``"٣"`` no, though ``str.isdigit`` says yes to both."""
    return text.isascii() and text.isdecimal()


def _is_small_whole(number: Decimal | float) -> bool:
    decimal = Decimal(repr(number)) if isinstance(number, float) else number
    return (
        decimal.is_finite()
        and decimal.copy_abs() <= MAX_QUANTITY  # abs() would overflow on 1E+999999999
        and decimal == decimal.to_integral()
    )


def _closest(key: str, known: tuple[str, ...]) -> str | None:
    """The known field a typo most likely meant ("customer" -> "customer_id")."""
    folded = key.lower().replace("-", "_").replace(" ", "_")
    for name in known:
        if folded and (name.startswith(folded) or folded.startswith(name)):
            return name
    close = difflib.get_close_matches(folded, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _quoted(text: str, limit: int = 40) -> str:
    """Quote what the user typed, unless it holds an email address (never echoed back)."""
    return quoted(
        text, limit, instead="this value (it looks like an email address, which is not shown)"
    )


# How an issue's ``field`` shows a field name that holds an email address: redacted exactly
# like a value, so the address never reaches the screen through the path either.
EMAIL_FIELD_NAME = "(email address)"


def _field_path(parent: str, key: object) -> str:
    """``items[0]`` + ``price`` -> ``items[0].price``; a name with an @ is not shown."""
    name = str(key)
    part = EMAIL_FIELD_NAME if ids.may_hold_email(name) else shown(name)
    return f"{parent}.{part}" if parent else part


def _without_broken_characters(text: str) -> str:
    """``text`` itself when it can be UTF-8; else a copy with each lone surrogate as "?"."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _amount(number: Decimal) -> str:
    """An amount for a message; a 100,000-digit one is cut, not printed whole."""
    return shown(str(number))


def _code(field_name: str) -> str:
    """``items[3].price`` -> ``item-price``; ``value`` -> ``value``."""
    if field_name.startswith("items["):
        return "item-" + field_name.rsplit(".", 1)[-1]
    return field_name.replace("_", "-")
