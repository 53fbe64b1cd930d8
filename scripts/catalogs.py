"""Re-extract, update and compile the extension's own message catalog.

Usage (from the repository root, after changing a label in ``labels.py``)::

    python scripts/catalogs.py

It runs the three ``pybabel`` commands documented in ``docs/translations.md``:

1. ``extract``: the msgids of ``sphinxext_quicktakes/labels.py`` (keyword ``_``, see
   ``babel.cfg``) into ``sphinxext_quicktakes/locale/sphinxext_quicktakes.pot``;
2. ``update``: every ``locale/<language>/LC_MESSAGES/sphinxext_quicktakes.po`` merged with
   the template (new msgids untranslated, changed ones marked fuzzy: translate them);
3. ``compile``: each ``.po`` into the ``.mo`` Sphinx reads (commit both).

``tests/test_i18n.py`` fails while a catalog is behind ``labels.py`` or a ``.mo`` behind
its ``.po``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "sphinxext_quicktakes"
LOCALE = f"{DOMAIN}/locale"
TEMPLATE = f"{LOCALE}/{DOMAIN}.pot"

COMMANDS = [
    [
        "extract",
        "--mapping-file=babel.cfg",
        "--keyword=_",
        "--no-default-keywords",
        "--project=sphinxext-quicktakes",
        "--copyright-holder=sphinxext-quicktakes contributors",
        "--no-wrap",
        "--sort-by-file",
        f"--output-file={TEMPLATE}",
        ".",
    ],
    [
        "update",
        f"--domain={DOMAIN}",
        f"--input-file={TEMPLATE}",
        f"--output-dir={LOCALE}",
        "--no-wrap",
    ],
    ["compile", f"--domain={DOMAIN}", f"--directory={LOCALE}", "--statistics"],
]


def main() -> int:
    os.chdir(ROOT)
    for command in COMMANDS:
        CommandLineInterface().run(["pybabel", *command])
    return 0


if __name__ == "__main__":
    sys.exit(main())
