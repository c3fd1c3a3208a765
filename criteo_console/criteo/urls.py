"""The base-URL safety rule, as the client applies it (it lives in the core so that profile
validation applies the very same rule)."""

from criteo_console.core.base_url import UnsafeBaseURL, check_base_url

__all__ = ["UnsafeBaseURL", "check_base_url"]
