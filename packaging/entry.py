"""Entry point of the frozen programs (build.spec): both Yici and yici run desktop.cli:main.

A windowed Windows program has no console, so sys.stdout and sys.stderr are None there; point
them at the null device so a stray print or an error message cannot raise AttributeError.
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))

from desktop.cli import main  # noqa: E402  (after the streams exist)

sys.exit(main())
