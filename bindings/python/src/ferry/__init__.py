"""Ferry: load TensorFlow models and checkpoints and run them, without
TensorFlow. A thin Pythonic layer over the Ferry C library (ferry.h).

    import numpy as np, ferry

    with ferry.load("examples/models/half_plus_two") as m:
        y = m.signatures["serving_default"](x=np.array([1.0, 2.0], np.float32))["y"]

    with ferry.Checkpoint("model.ckpt-100") as ckpt:
        for name, shape in ckpt.shapes.items():
            print(name, shape, ckpt[name].mean())
"""
from __future__ import annotations

from . import capi
from ._cancel import Cancel
from ._checkpoint import Checkpoint, SlotInfo, VariableInfo
from ._dtypes import STRING, USES_ML_DTYPES
from ._errors import (
    Cancelled,
    ClosedError,
    CorruptError,
    DeadlineExceeded,
    FerryError,
    FerryFileNotFoundError,
    FerryOSError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfMemoryError,
    RefusedError,
    RunError,
    Status,
    UnsupportedError,
)
from ._model import AssetInfo, Collection, Model, NodeInfo, SaverInfo, load
from ._ops import is_supported, supported_ops
from ._signature import Signature, Signatures, TensorInfo
from ._writer import CheckpointWriter

__version__: str = capi.ferry_version()
"""The version of the Ferry library this package carries."""

__all__ = [
    "AssetInfo",
    "Cancel",
    "Cancelled",
    "Checkpoint",
    "CheckpointWriter",
    "ClosedError",
    "Collection",
    "CorruptError",
    "DeadlineExceeded",
    "FerryError",
    "FerryFileNotFoundError",
    "FerryOSError",
    "InternalError",
    "InvalidArgumentError",
    "Model",
    "NodeInfo",
    "NotFoundError",
    "OutOfMemoryError",
    "RefusedError",
    "RunError",
    "STRING",
    "SaverInfo",
    "Signature",
    "Signatures",
    "SlotInfo",
    "Status",
    "TensorInfo",
    "USES_ML_DTYPES",
    "UnsupportedError",
    "VariableInfo",
    "is_supported",
    "load",
    "supported_ops",
]
