"""The cyclic garbage collector paused while many acyclic objects are made at once.

The busiest tick makes short-lived objects by the million (pushes, their messages), and loading a
large deployment makes long-lived ones by the million (decoded rows, Subscriptions); almost none is
in a cycle, yet the collections their allocation triggers walk every object held, again and again,
and took a large share of both (docs/benchmarks.md). Paused while any such work runs (the channels' ticks run side by
side on threads, a store may reload meanwhile), resumed when the last is done; refcounting frees
everything meanwhile, and a cycle made then is collected after.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_paused = 0
_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    global _paused
    with _lock:
        _paused += 1
        if _paused == 1:
            gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.enable()
