"""Run ``sphinx-build`` counting how often each question file is read and parsed.

Usage::

    QUICKTAKES_BENCH_COUNTS=DIR python benchmarks/_count.py <sphinx-build arguments>

The package is not modified: ``load_question`` and ``parse_question`` are wrapped in
:mod:`sphinxext_quicktakes.model` and wherever a module of the package imported them by
name. Each call appends one line, ``load<TAB>path`` or ``parse<TAB>path``, to
``DIR/calls-<pid>.log``; the file is opened and closed per call, so the workers that
``sphinx-build -j N`` forks write their own counts (they leave with ``os._exit``, which runs
no ``atexit`` handler) and nothing buffered before a fork is written twice. Without the
variable nothing is counted.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable
from typing import Any

ENV = "QUICKTAKES_BENCH_COUNTS"


def _record(folder: str, kind: str, path: Any) -> None:
    line = f"{kind}\t{os.path.realpath(str(path))}\n"
    with open(os.path.join(folder, f"calls-{os.getpid()}.log"), "a", encoding="utf-8") as log:
        log.write(line)


def _counting(kind: str, function: Callable[..., Any], folder: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        _record(folder, kind, path)
        return function(path, *args, **kwargs)

    wrapper.__quicktakes_bench_counting__ = True  # type: ignore[attr-defined]
    return wrapper


def install(folder: str) -> list[str]:
    """Wrap the loaders everywhere the package names them; the modules patched."""
    import sphinxext_quicktakes
    from sphinxext_quicktakes import model

    modules = [model]
    for info in pkgutil.iter_modules(sphinxext_quicktakes.__path__, "sphinxext_quicktakes."):
        if info.name.endswith(".__main__"):  # importing it would run the command line
            continue
        try:
            modules.append(importlib.import_module(info.name))
        except Exception:  # an optional module that does not import here
            continue
    patched: list[str] = []
    for name, kind in (("load_question", "load"), ("parse_question", "parse")):
        original = getattr(model, name, None)
        if original is None:
            continue
        wrapper = _counting(kind, original, folder)
        for module in modules:
            if getattr(module, name, None) is original:
                setattr(module, name, wrapper)
                patched.append(f"{module.__name__}.{name}")
    return patched


def main(argv: list[str]) -> int:
    folder = os.environ.get(ENV)
    if folder:
        os.makedirs(folder, exist_ok=True)
        install(folder)
    from sphinx.cmd.build import main as sphinx_main

    return sphinx_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
