"""``python -m tui_reader`` runs the ``digest-reader`` command."""

import sys

from .cli import main

sys.exit(main())
