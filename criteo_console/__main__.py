import sys

from criteo_console.cli import main

sys.exit(main())
