"""Watch my shop: a local endpoint the shop's staging integration points at.

Every request the shop sends is answered (as Criteo would, or by Criteo itself in forward
mode), judged by the core's rules, recorded in the event log as a ``shop`` attempt and
reported live. No Qt here; see docs/capture.md.
"""

from criteo_console.capture.config import DEFAULT_ADVERTISER_ID, CaptureConfig, CaptureMode
from criteo_console.capture.record import CapturedRequest
from criteo_console.capture.server import CaptureServer

__all__ = [
    "DEFAULT_ADVERTISER_ID",
    "CaptureConfig",
    "CaptureMode",
    "CaptureServer",
    "CapturedRequest",
]
