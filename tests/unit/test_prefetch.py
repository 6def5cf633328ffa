"""prefetch: order kept, producer errors re-raised in place, early stop ends the thread."""

from __future__ import annotations

import threading

import pytest

from mechanics.prefetch import prefetch


def test_order_and_mapping():
    assert list(prefetch(range(50), depth=3, fn=lambda x: x * x)) == [x * x for x in range(50)]


def test_producer_error_is_raised_after_earlier_items():
    def items():
        yield 1
        yield 2
        raise ValueError("bad frame")

    got = []
    with pytest.raises(ValueError, match="bad frame"):
        for x in prefetch(items()):
            got.append(x)
    assert got == [1, 2]


def test_early_stop_ends_producer():
    before = threading.active_count()
    for x in prefetch(iter(range(10_000)), depth=2):
        if x == 3:
            break
    assert threading.active_count() == before
