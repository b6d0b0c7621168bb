"""`python -m demo_world serve ...`."""

import sys

from .cli import main

sys.exit(main())
