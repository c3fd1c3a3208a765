"""Event time: any ISO-8601 time with an offset in, UTC ``YYYY-MM-DDTHH:MM:SSZ`` out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

FUTURE_SKEW = timedelta(minutes=5)


class EventTimeError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_event_time(raw: object) -> datetime:
    """Return an aware UTC datetime. Reasons: ``invalid``, ``no-offset``."""
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise EventTimeError("invalid") from exc
    else:
        raise EventTimeError("invalid")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EventTimeError("no-offset")
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 has no UTC equivalent
        raise EventTimeError("invalid") from exc


def format_event_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
