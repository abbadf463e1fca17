"""Python's cyclic garbage collector, kept off what a server loads once and keeps.

Every so often the collector examines every object the process holds: in the Rasa server,
after the model and TensorFlow are loaded, well over half a million objects in one pause of
about 270 ms during which no message moves, so every conversation waiting at that moment
waits that much longer (in the action server, ~135,000 objects and ~65 ms). The objects
loaded at start-up live as long as the process, so once loading is done they are frozen
(``gc.freeze``, which Python provides for this) and the collector examines only what the
conversations create. Loading again unfreezes first, so that what is replaced (a previous
model) can still be collected.
"""

from __future__ import annotations

import functools
import gc
from typing import Any, Callable

_FREEZES = "_freezes_after_loading"


def freeze_after(owner: Any, method_name: str) -> None:
    """``owner.method_name`` loads what the server keeps: freeze the process after it."""
    load: Callable[..., Any] = getattr(owner, method_name)
    if getattr(load, _FREEZES, False):
        return

    @functools.wraps(load)
    def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        gc.unfreeze()
        try:
            return load(*args, **kwargs)
        finally:
            gc.collect()
            gc.freeze()

    setattr(load_then_freeze, _FREEZES, True)
    setattr(owner, method_name, load_then_freeze)
