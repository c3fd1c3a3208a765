"""Read an answer's body within size caps, and clip what is stored or shown.

httpx would inflate a gzip body chunk by chunk without a bound (a 64 KiB chunk of a gzip
bomb is 64 MiB of output), so the raw bytes are read here and inflated with ``max_length``:
memory stays within the caps whatever the server sends.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import httpx

# What the console asks for and can unpack (httpx would add br/zstd when installed).
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class AnswerLimits:
    max_wire_bytes: int = 1 << 20  # as received (compressed)
    max_body_bytes: int = 2 << 20  # after unpacking
    stored_chars: int = 32_768  # of a body kept in an exchange (event log, UI)
    shown_chars: int = 500  # of a body quoted in an explanation


DEFAULT_LIMITS = AnswerLimits()


class AnswerUnreadable(Exception):
    """The body was not read whole; ``partial`` holds what was read (within the caps)."""

    def __init__(self, message: str, partial: bytes = b"") -> None:
        super().__init__(message)
        self.partial = partial


async def read_body(response: httpx.Response, limits: AnswerLimits = DEFAULT_LIMITS) -> bytes:
    """The unpacked body; AnswerUnreadable past a cap or for an encoding it cannot unpack."""
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > limits.max_wire_bytes:
        raise AnswerUnreadable(
            f"the answer is {int(length):,} bytes long, more than the console reads "
            f"({_size(limits.max_wire_bytes)}); it was not read"
        )
    try:
        whole = response.content  # a transport that hands over whole, unpacked bodies
    except httpx.ResponseNotRead:
        pass
    else:
        if len(whole) > limits.max_body_bytes:
            raise AnswerUnreadable(
                f"the answer is larger than the console reads ({_size(limits.max_body_bytes)})",
                whole[: limits.max_body_bytes],
            )
        return whole
    unpack = _Unpacker(response.headers.get("content-encoding", ""))
    out = bytearray()
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limits.max_wire_bytes:
            raise AnswerUnreadable(
                f"the answer is larger than the console reads ({_size(limits.max_wire_bytes)}); "
                "reading stopped there",
                bytes(out),
            )
        room = limits.max_body_bytes - len(out)
        piece = unpack(chunk, room)
        if len(piece) > room:
            out += piece[:room]
            raise AnswerUnreadable(
                f"the answer unpacks to more than the console reads "
                f"({_size(limits.max_body_bytes)}); unpacking stopped there",
                bytes(out),
            )
        out += piece
    return bytes(out)


class _Unpacker:
    """Content-Encoding identity, gzip or deflate; each call returns at most ``room + 1``
    bytes, so a caller knows the cap was passed without holding more."""

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise AnswerUnreadable(
                f"the answer is packed as {header.strip()!r}, which the console does not unpack"
            )
        self._coding = codings[0] if codings else None
        self._zlib: zlib._Decompress | None = None
        if self._coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self._coding == "deflate":
            self._zlib = zlib.decompressobj()
        self._first = True

    def __call__(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return data[: room + 1]
        try:
            return self._zlib.decompress(data, room + 1)
        except zlib.error as exc:
            if self._coding == "deflate" and self._first:
                # Some servers send raw deflate without the zlib header.
                self._first = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self(data, room)
            raise AnswerUnreadable(
                f"the answer's body could not be unpacked (it says Content-Encoding: "
                f"{self._coding}, but the data is corrupt)"
            ) from exc
        finally:
            self._first = False


def clip(text: str, limit: int, *, more: bool = False, hidden: int = 0) -> str:
    """``text`` cut to ``limit`` characters with a visible note of what was left out;
    ``more`` says the text was already cut short when read, ``hidden`` how many bytes an
    earlier clip left out."""
    if len(text) <= limit and not hidden:
        return text + (" [… the rest not shown: the answer was too large]" if more else "")
    hidden += len(text[limit:].encode("utf-8"))
    extra = " or more" if more else ""
    return f"{text[:limit]} [… {hidden:,}{extra} bytes not shown]"


_CLIPPED = re.compile(
    r" \[… (?:(?P<count>[\d,]+)(?P<more> or more)? bytes not shown"
    r"|the rest not shown: the answer was too large)\]$"
)


def excerpt(text: str, limit: int) -> str:
    """A shorter clip of a text that may already be clipped (a stored answer): its note
    then counts everything left out, never itself as part of the answer."""
    match = _CLIPPED.search(text)
    if match is None:
        return clip(text, limit)
    body = text[: match.start()]
    if len(body) <= limit:
        return text
    count = match["count"]
    return clip(
        body,
        limit,
        more=count is None or match["more"] is not None,
        hidden=int(count.replace(",", "")) if count else 0,
    )


def _size(count: int) -> str:
    return f"{count / (1 << 20):g} MiB" if count >= 1 << 20 else f"{count:,} bytes"
