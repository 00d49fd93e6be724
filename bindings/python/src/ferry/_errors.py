"""Exceptions: one class per ferry_status, each also a built-in exception
where Python has a matching one, so callers can catch what they expect
(KeyError for a missing name, OSError for a file problem, ValueError for a
bad value). The C library's message is the exception's message, unchanged."""
from __future__ import annotations

import enum
import errno

from . import capi


class Status(enum.IntEnum):
    """ferry_status values (see ferry.h)."""

    OK = capi.FERRY_OK
    INVALID_ARGUMENT = capi.FERRY_ERR_INVALID_ARGUMENT
    NOT_FOUND = capi.FERRY_ERR_NOT_FOUND
    IO = capi.FERRY_ERR_IO
    CORRUPT = capi.FERRY_ERR_CORRUPT
    UNSUPPORTED = capi.FERRY_ERR_UNSUPPORTED
    OUT_OF_MEMORY = capi.FERRY_ERR_OUT_OF_MEMORY
    REFUSED = capi.FERRY_ERR_REFUSED
    RUNTIME = capi.FERRY_ERR_RUNTIME
    INTERNAL = capi.FERRY_ERR_INTERNAL
    DEADLINE_EXCEEDED = capi.FERRY_ERR_DEADLINE_EXCEEDED
    CANCELLED = capi.FERRY_ERR_CANCELLED


class FerryError(Exception):
    """An error reported by the Ferry library.

    `code` is the ferry_status (an int for values this binding does not
    know), `message` the library's one-line message, also given by str()."""

    def __init__(self, code: Status | int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        # KeyError would quote the message; keep it exactly as the library wrote it.
        return self.message

    def __reduce__(self):  # pickling keeps the class, code and message
        return (type(self), (self.code, self.message))


class InvalidArgumentError(FerryError, ValueError):
    """A bad value was passed: wrong dtype or shape fed, duplicate name..."""


class NotFoundError(FerryError, KeyError):
    """A name does not exist: signature, input, tensor, node or variable."""


class FerryOSError(FerryError, OSError):
    """The operating system failed a read, write, map or rename."""


class FerryFileNotFoundError(FerryOSError, FileNotFoundError, NotFoundError):
    """NOT_FOUND while opening, loading or writing files (errno ENOENT).

    Usually a missing file or directory; the C status also covers a tag set
    or checkpoint entry that loading needs, hence also a KeyError."""

    def __init__(self, code: Status | int, message: str) -> None:
        # FileNotFoundError's own __init__ precedes FerryError's in the MRO.
        FerryError.__init__(self, code, message)
        self.errno = errno.ENOENT
        self.strerror = message

    __str__ = FerryError.__str__


class CorruptError(FerryError):
    """A file is malformed: bad magic, checksum, protobuf or offsets."""


class UnsupportedError(FerryError):
    """Valid TensorFlow input that Ferry cannot handle (an op, a dtype)."""


class OutOfMemoryError(FerryError, MemoryError):
    """The library could not allocate memory."""


class RefusedError(FerryError):
    """Refused by policy: file or network ops, paths escaping a model."""


class RunError(FerryError, RuntimeError):
    """A run failed on its data (e.g. a bad index fed to a gather)."""


class InternalError(FerryError):
    """A bug in Ferry; please report it."""


class DeadlineExceeded(FerryError, TimeoutError):
    """A run took longer than its timeout."""

    def __init__(self, code: Status | int, message: str) -> None:
        FerryError.__init__(self, code, message)

    __str__ = FerryError.__str__


class Cancelled(FerryError):
    """A run's ferry.Cancel was triggered."""


class ClosedError(FerryError, ValueError):
    """A model, checkpoint or writer was used after close() (or a writer
    after finish()). Raised by the binding, not the library."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.INVALID_ARGUMENT, message)


_BY_STATUS: dict[int, type[FerryError]] = {
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.NOT_FOUND: NotFoundError,
    Status.IO: FerryOSError,
    Status.CORRUPT: CorruptError,
    Status.UNSUPPORTED: UnsupportedError,
    Status.OUT_OF_MEMORY: OutOfMemoryError,
    Status.REFUSED: RefusedError,
    Status.RUNTIME: RunError,
    Status.INTERNAL: InternalError,
    Status.DEADLINE_EXCEEDED: DeadlineExceeded,
    Status.CANCELLED: Cancelled,
}

# C functions whose NOT_FOUND means a path (file, directory, checkpoint).
_PATH_FUNCTIONS = frozenset({
    "ferry_model_load",
    "ferry_checkpoint_open",
    "ferry_checkpoint_writer_new",
    "ferry_checkpoint_writer_finish",
})


def make_error(code: int, message: str, function: str) -> FerryError:
    """Builds the exception for a ferry_error that C function `function`
    returned. Called by the extension (registered below)."""
    try:
        status: Status | int = Status(code)
    except ValueError:
        status = code  # a status added to the library after this binding
    if status == Status.NOT_FOUND and function in _PATH_FUNCTIONS:
        return FerryFileNotFoundError(status, message)
    return _BY_STATUS.get(status, FerryError)(status, message)


capi.py_set_error_factory(make_error)
