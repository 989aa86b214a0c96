"""``python -m generator``: the same commands as ``pmgen``."""

from .cli import main

raise SystemExit(main())
