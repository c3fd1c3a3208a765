"""TrackLayer Criteo Console: prove before launch that purchase conversions reach Criteo."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "TrackLayer Criteo Console"

try:
    __version__ = version("criteo-console")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
