"""A library handle that can be closed while other threads use it.

Calls that release the GIL (runs, reads, loads) hold the handle through
`use()`; `close()` marks it closed at once, waits for those calls to end,
then frees it, so the library never sees a run on a freed model. Use after
close raises ClosedError."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ._errors import ClosedError


class Handle:
    """Owns one C handle (a SWIG pointer) and its destructor."""

    __slots__ = ("_ptr", "_free", "_what", "_users", "_cond", "_keep")

    def __init__(self, ptr: Any, free: Callable[[Any], None], what: str, keep: Any = None) -> None:
        self._ptr = ptr
        self._keep = keep  # what the C handle points at (a print callable): lives as long
        self._free = free
        self._what = what
        self._users = 0
        self._cond = threading.Condition(threading.Lock())

    @property
    def closed(self) -> bool:
        return self._ptr is None

    @contextmanager
    def use(self) -> Iterator[Any]:
        """Yields the pointer, keeping close() from freeing it meanwhile."""
        with self._cond:
            ptr = self._ptr
            if ptr is None:
                raise ClosedError(f"{self._what} is closed")
            self._users += 1
        try:
            yield ptr
        finally:
            with self._cond:
                self._users -= 1
                if self._users == 0:
                    self._cond.notify_all()

    def close(self) -> None:
        """Frees the handle once no call uses it; a second close is a no-op."""
        with self._cond:
            ptr, self._ptr = self._ptr, None
            if ptr is None:
                return
            while self._users:
                self._cond.wait()
        self._free(ptr)

    def __del__(self) -> None:
        # A handle being collected has no users (use() holds a reference).
        ptr = getattr(self, "_ptr", None)
        if ptr is not None:
            self._ptr = None
            self._free(ptr)
