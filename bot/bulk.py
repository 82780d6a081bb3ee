"""Work that builds a great many small objects, with the cyclic garbage collector paused.

A metrics file's rows, a month's cards for a large team: the collector's full passes
over every live object made the time grow faster than the work. Reference counting
still frees whatever is dropped; the collector runs again as soon as the work ends.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def bulk(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `work` with the cyclic garbage collector paused."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return work(*args, **kwargs)
    finally:
        if paused:
            gc.enable()
