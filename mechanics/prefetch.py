"""Run an iterator on a background thread, a few items ahead of its consumer.

Decoding a frame (FFmpeg) and converting it to RGB (OpenCV) release the GIL, so a reader
thread overlaps them with pose inference on the other core. The bounded queue keeps memory
flat in clip length.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterable[T], depth: int = 4,
             fn: Callable[[T], Any] | None = None) -> Iterator[Any]:
    """Yield ``fn(item)`` (or ``item``) for each item, produced ``depth`` items ahead.

    An exception raised by the producer is re-raised in the consumer at the same point
    in the sequence. Stopping early (``break`` or an exception in the consumer) stops the
    producer thread.
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                out = fn(item) if fn is not None else item
                while not stop.is_set():
                    try:
                        q.put((out, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((_DONE, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            q.put((_DONE, exc))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            out, exc = q.get()
            if out is _DONE:
                if exc is not None:
                    raise exc
                return
            yield out
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                q.get(timeout=0.1)
        thread.join()
