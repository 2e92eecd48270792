"""`python -m desktop.cli ARGS`: the same as `yici ARGS`."""

import sys

from desktop.cli import main

sys.exit(main())
