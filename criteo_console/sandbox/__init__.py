"""A local stand-in for Criteo's token, advertisers and conversions endpoints.

It plays Criteo and checks the conversions contract on its own: nothing here imports the
rest of ``criteo_console``. See docs/sandbox.md.
"""

from criteo_console.sandbox.config import Fault, SandboxConfig
from criteo_console.sandbox.faults import FAULT_HEADER
from criteo_console.sandbox.server import SandboxServer
from criteo_console.sandbox.state import ReceivedConversion

__all__ = ["FAULT_HEADER", "Fault", "ReceivedConversion", "SandboxConfig", "SandboxServer"]
