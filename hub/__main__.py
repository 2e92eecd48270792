"""`python -m hub` is `yici-hub`."""

import sys

from hub.cli import main

sys.exit(main())
