"""What this library can run."""
from __future__ import annotations

from typing import Tuple

from . import capi


def supported_ops() -> Tuple[str, ...]:
    """The op types this library can run, sorted."""
    return tuple(capi.ferry_supported_op(i) for i in range(capi.ferry_supported_op_count()))


def is_supported(op: str) -> bool:
    """True when this library can run ops of type `op`."""
    return bool(capi.ferry_op_is_supported(op))
