"""``python -m sphinxext_quicktakes check ...``."""

from .cli import console

raise SystemExit(console())
