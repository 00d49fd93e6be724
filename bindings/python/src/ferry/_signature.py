"""Signatures of a loaded model: what they take and give, and calling them.

Metadata (names, dtypes, shapes) is copied out of the library when the
model loads, so it stays readable after close(); calls go through the
model's handle and fail with ClosedError once the model is closed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, Mapping, Optional, Tuple

import numpy as np

from . import _dtypes, _tensors, capi
from ._cancel import Cancel, run_bounds

if TYPE_CHECKING:
    from ._handle import Handle

_ENCODINGS = {
    capi.FERRY_ENCODING_DENSE: "dense",
    capi.FERRY_ENCODING_COO_SPARSE: "coo_sparse",
    capi.FERRY_ENCODING_COMPOSITE: "composite",
}


@dataclass(frozen=True)
class TensorInfo:
    """A tensor a signature takes or gives.

    `dtype` is a numpy dtype, "string", or None for dtypes without data
    (resource, variant, invalid); `tf_dtype` is TensorFlow's name for it.
    `shape` has None for unknown dims, and is None when the rank is unknown.
    `tensor` is the graph tensor ("serving_default_x:0"; for sparse tensors
    the values), `encoding` "dense", "coo_sparse" or "composite"."""

    name: str
    dtype: Optional[_dtypes.DType]
    shape: Optional[Tuple[Optional[int], ...]]
    tensor: str
    tf_dtype: str
    encoding: str = "dense"
    indices_tensor: Optional[str] = None
    dense_shape_tensor: Optional[str] = None
    dtype_code: int = field(default=0, repr=False)  # the Ferry dtype number

    @classmethod
    def _from_view(cls, view: Any) -> "TensorInfo":
        return cls(
            name=view.name,
            dtype=_dtypes.to_numpy(view.dtype),
            shape=view.shape(),
            tensor=view.tensor,
            tf_dtype=_dtypes.name(view.dtype),
            encoding=_ENCODINGS.get(view.encoding, str(view.encoding)),
            indices_tensor=view.indices_tensor,
            dense_shape_tensor=view.dense_shape_tensor,
            dtype_code=view.dtype,
        )


class Signature:
    """One signature: `inputs` and `outputs` map logical names to
    TensorInfo (sorted by name, as the library lists them).

    Calling it runs it: ``sig(x=np.array(...))`` returns a dict of numpy
    arrays, one per output."""

    def __init__(self, handle: "Handle", index: int, view: Any) -> None:
        # The model's handle, not the Model: no reference cycle, and a
        # signature kept alone keeps the model loaded.
        self._handle = handle
        self._index = index
        self.key: str = capi.ferry_signature_key(view)
        self.method: str = capi.ferry_signature_method(view)
        self.inputs: Dict[str, TensorInfo] = {}
        self.outputs: Dict[str, TensorInfo] = {}
        for i in range(capi.ferry_signature_input_count(view)):
            info = TensorInfo._from_view(capi.ferry_signature_input(view, i))
            self.inputs[info.name] = info
        for i in range(capi.ferry_signature_output_count(view)):
            info = TensorInfo._from_view(capi.ferry_signature_output(view, i))
            self.outputs[info.name] = info

    def __call__(self, /, **inputs: Any) -> Dict[str, np.ndarray]:
        return self.run(inputs)

    def run(self, inputs: Mapping[str, Any], *, timeout: Optional[float] = None,
            cancel: Optional[Cancel] = None) -> Dict[str, np.ndarray]:
        """Runs the signature on `inputs` (logical name -> array or value).

        Values that are not numpy arrays are converted to the input's
        declared dtype; arrays are passed as they are (no silent casts: a
        wrong dtype raises ValueError). Returns output name -> array.

        timeout: seconds; a run still going then raises ferry.DeadlineExceeded
            (a TimeoutError). cancel: a ferry.Cancel another thread may
            trigger; the run then raises ferry.Cancelled. Both are noticed
            between steps and at loop iterations. On the main thread Ctrl-C
            stops the run the same way and raises KeyboardInterrupt."""
        names = list(inputs)
        codes = [self.inputs[n].dtype_code if n in self.inputs else None for n in names]
        with self._handle.use() as model_ptr, run_bounds(timeout, cancel) as bounds:
            sig = capi.ferry_model_signature(model_ptr, self._index)
            with _tensors.new_tensors([inputs[n] for n in names], codes) as tensors:
                results = capi.py_signature_run(sig, names, tensors, *bounds)
        arrays = _tensors.take_tensors(results)
        return dict(zip(self.outputs, arrays))

    def __repr__(self) -> str:
        return (f"<ferry.Signature {self.key!r} method={self.method!r} "
                f"inputs={list(self.inputs)} outputs={list(self.outputs)}>")


class Signatures(Mapping[str, Signature]):
    """The model's signatures by key (sorted). A missing key raises
    KeyError (ferry.NotFoundError) with the library's message, which lists
    the keys present."""

    def __init__(self, handle: "Handle", signatures: Dict[str, Signature]) -> None:
        self._handle = handle
        self._by_key = signatures

    def __getitem__(self, key: str) -> Signature:
        sig = self._by_key.get(key)
        if sig is None:
            if not isinstance(key, str):
                raise KeyError(key)
            with self._handle.use() as model_ptr:
                capi.ferry_model_find_signature(model_ptr, key)  # raises NotFoundError
            raise KeyError(key)  # pragma: no cover - the library found a key we did not list
        return sig

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __repr__(self) -> str:
        return f"<ferry.Signatures {list(self._by_key)}>"
