"""Frozen-app entry point: the same `main` as the `criteo-console` console script."""

import sys

from criteo_console.cli import main

if __name__ == "__main__":
    sys.exit(main())
