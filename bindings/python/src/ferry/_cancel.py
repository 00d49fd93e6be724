"""Bounding runs: a timeout in seconds and `ferry.Cancel`, a flag another
thread sets to stop the runs given it."""
from __future__ import annotations

import math
import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Tuple

from . import capi
from ._handle import Handle


class Cancel:
    """A cancel handle: give it to runs (``sig.run(inputs, cancel=c)``) and
    call ``c.cancel()`` from any thread; each run fails with
    ferry.Cancelled at its next step or loop iteration. It stays set once
    triggered: make a new one for later runs. close() (or the end of a
    ``with`` block) waits for runs using it to return."""

    def __init__(self) -> None:
        self._handle = Handle(capi.ferry_cancel_new(), capi.ferry_cancel_free, "ferry.Cancel")

    def cancel(self) -> None:
        """Stops the runs given this handle; safe from any thread."""
        with self._handle.use() as ptr:
            capi.ferry_cancel_trigger(ptr)

    @property
    def cancelled(self) -> bool:
        """True once cancel() was called."""
        with self._handle.use() as ptr:
            return bool(capi.ferry_cancel_is_triggered(ptr))

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "Cancel":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._handle.closed:
            return "<ferry.Cancel closed>"
        return f"<ferry.Cancel cancelled={self.cancelled}>"


def _timeout_ms(timeout: Optional[float]) -> int:
    if timeout is None:
        return 0
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return max(1, math.ceil(timeout * 1000))


def _interruptible() -> bool:
    # KeyboardInterrupt only ever reaches the main thread, and only when
    # Python handles SIGINT (not ignored, not the OS default).
    return (threading.current_thread() is threading.main_thread()
            and callable(signal.getsignal(signal.SIGINT)))


@contextmanager
def run_bounds(timeout: Optional[float], cancel: Optional[Cancel]) -> Iterator[Tuple[int, Any, int]]:
    """Yields the (timeout_ms, cancel pointer, interrupt) a run call takes,
    keeping `cancel` from being freed meanwhile."""
    ms = _timeout_ms(timeout)
    interrupt = 1 if _interruptible() else 0
    if cancel is None:
        yield ms, None, interrupt
        return
    if not isinstance(cancel, Cancel):
        raise TypeError(f"cancel must be a ferry.Cancel, not {type(cancel).__name__}")
    with cancel._handle.use() as ptr:
        yield ms, ptr, interrupt
