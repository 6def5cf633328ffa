"""Progress bars on the terminal (stderr), silent when stderr is not a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click


@contextlib.contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield an ``update(n)`` function drawing a bar on a terminal, a no-op otherwise."""
    stream = sys.stderr
    if not stream.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=max(length, 1), label=label, file=stream,
                           show_eta=True, show_pos=True) as bar:
        yield bar.update
