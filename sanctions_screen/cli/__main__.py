"""`python -m sanctions_screen.cli`: the command line."""

import sys

from . import main

sys.exit(main())
