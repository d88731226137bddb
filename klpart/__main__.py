"""``python -m klpart``: the command line (``demo`` when no command is given)."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:] or ["demo"]))
