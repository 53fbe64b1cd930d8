"""``python -m sphinxext_quicktakes check ...``."""

from .cli import main

raise SystemExit(main())
