"""Loading models and running them: `ferry.load` and `ferry.Model`."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, overload

import numpy as np

from . import _tensors, capi
from ._cancel import Cancel, run_bounds
from ._handle import Handle
from ._signature import Signature, Signatures

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

_FORMATS = {
    capi.FERRY_FORMAT_SAVED_MODEL: "saved_model",
    capi.FERRY_FORMAT_META_GRAPH: "meta_graph",
    capi.FERRY_FORMAT_FROZEN_GRAPH: "frozen_graph",
}

_COLLECTION_KINDS = {
    capi.FERRY_COLLECTION_NODE_LIST: "node_list",
    capi.FERRY_COLLECTION_BYTES_LIST: "bytes_list",
    capi.FERRY_COLLECTION_INT64_LIST: "int64_list",
    capi.FERRY_COLLECTION_FLOAT_LIST: "float_list",
    capi.FERRY_COLLECTION_ANY_LIST: "any_list",
}


@dataclass(frozen=True)
class NodeInfo:
    """A node of the loaded graph (top level, before function inlining)."""

    name: str
    op: str
    device: str
    inputs: Tuple[str, ...]


@dataclass(frozen=True)
class AssetInfo:
    """An asset file of a SavedModel, resolved inside its assets/ dir."""

    filename: str
    tensor: str
    path: str


@dataclass(frozen=True)
class SaverInfo:
    """The MetaGraph's SaverDef."""

    filename_tensor: str
    save_tensor: str
    restore_op: str
    max_to_keep: int
    sharded: bool
    keep_checkpoint_every_n_hours: float
    format_version: int


@dataclass(frozen=True)
class Collection:
    """A MetaGraph collection: `kind` is "node_list", "bytes_list",
    "int64_list", "float_list" or "any_list"; `values` are str, bytes, int,
    float or (type_url, bytes) accordingly."""

    name: str
    kind: str
    values: Tuple[Any, ...]


def _tag_tuple(tags: Optional[str]) -> Optional[Tuple[str, ...]]:
    if tags is None:
        return None
    return tuple(t for t in tags.split(",") if t)


def _join_tags(tags: Union[str, Iterable[str], None]) -> Optional[str]:
    if tags is None or isinstance(tags, str):
        return tags
    return ",".join(sorted(tags))


def _names(value: Union[str, Iterable[str]]) -> List[str]:
    return [value] if isinstance(value, str) else list(value)


class Model:
    """A loaded model (SavedModel, MetaGraph + checkpoint, or frozen GraphDef).

    Use as a context manager or call close(); anything that needs the
    library after that raises ferry.ClosedError. Metadata read at load time
    (format, tags, signatures' descriptions) stays readable.

    A model may be run from many threads at once (runs release the GIL)."""

    def __init__(self, ptr: Any, path: str, keep: Any = None) -> None:
        self._handle = Handle(ptr, capi.ferry_model_free, f"ferry model {path!r}", keep)
        try:
            self._describe(ptr, path)
        except BaseException:
            self._handle.close()
            raise

    def _describe(self, ptr: Any, path: str) -> None:
        self.path = path
        self.format: str = _FORMATS.get(capi.ferry_model_get_format(ptr), "unknown")
        self.tensorflow_version: Optional[str] = capi.ferry_model_tensorflow_version(ptr) or None
        self.tag_sets: Tuple[Tuple[str, ...], ...] = tuple(
            _tag_tuple(capi.ferry_model_tag_set(ptr, i)) or ()
            for i in range(capi.ferry_model_tag_set_count(ptr)))
        self.loaded_tags: Optional[Tuple[str, ...]] = _tag_tuple(capi.ferry_model_loaded_tag_set(ptr))
        sigs: Dict[str, Signature] = {}
        for i in range(capi.ferry_model_signature_count(ptr)):
            sig = Signature(self._handle, i, capi.ferry_model_signature(ptr, i))
            sigs[sig.key] = sig
        self.signatures: Signatures = Signatures(self._handle, sigs)
        self._cache: Dict[str, Any] = {}

    # ---- running ---------------------------------------------------------

    @overload
    def run(self, feeds: Mapping[str, Any], fetches: str,  # type: ignore[overload-overlap]
            targets: Union[str, Sequence[str]] = ..., *, timeout: Optional[float] = ...,
            cancel: Optional[Cancel] = ...) -> np.ndarray: ...

    @overload
    def run(self, feeds: Mapping[str, Any], fetches: Sequence[str],
            targets: Union[str, Sequence[str]] = ..., *, timeout: Optional[float] = ...,
            cancel: Optional[Cancel] = ...) -> List[np.ndarray]: ...

    def run(self, feeds: Mapping[str, Any], fetches: Union[str, Sequence[str]] = (),
            targets: Union[str, Sequence[str]] = (), *, timeout: Optional[float] = None,
            cancel: Optional[Cancel] = None) -> Union[np.ndarray, List[np.ndarray]]:
        """TF1 Session.run: feeds graph tensors by name ("x:0" -> array),
        fetches tensors by name and runs target nodes. Returns one array
        when `fetches` is a str, else a list in fetch order. `timeout` and
        `cancel` bound the run as in Signature.run."""
        feed_names = list(feeds)
        fetch_names = _names(fetches)
        with self._handle.use() as ptr, run_bounds(timeout, cancel) as bounds:
            with _tensors.new_tensors([feeds[n] for n in feed_names]) as tensors:
                results = capi.py_model_run(ptr, feed_names, tensors, fetch_names, _names(targets), *bounds)
        arrays = _tensors.take_tensors(results)
        return arrays[0] if isinstance(fetches, str) else arrays

    # ---- introspection, for tools ---------------------------------------

    def _cached(self, key: str, build: Any) -> Any:
        if key not in self._cache:
            with self._handle.use() as ptr:
                self._cache[key] = build(ptr)
        return self._cache[key]

    @property
    def ops(self) -> Tuple[str, ...]:
        """Sorted op types of the graph and every function in its library."""
        return self._cached("ops", lambda p: tuple(
            capi.ferry_model_op(p, i) for i in range(capi.ferry_model_op_count(p))))

    @property
    def stripped_ops(self) -> Tuple[str, ...]:
        """Op names in the MetaGraph's stripped_op_list (sorted)."""
        return self._cached("stripped_ops", lambda p: tuple(
            capi.ferry_model_stripped_op(p, i) for i in range(capi.ferry_model_stripped_op_count(p))))

    @property
    def nodes(self) -> Tuple[NodeInfo, ...]:
        """Nodes of the loaded graph, top level, in graph order."""
        def build(p: Any) -> Tuple[NodeInfo, ...]:
            out = []
            for i in range(capi.ferry_model_node_count(p)):
                n = capi.ferry_model_node(p, i)
                out.append(NodeInfo(n.name, n.op, n.device or "", n.input_names()))
            return tuple(out)
        return self._cached("nodes", build)

    @property
    def assets(self) -> Tuple[AssetInfo, ...]:
        """Asset files of a SavedModel."""
        def build(p: Any) -> Tuple[AssetInfo, ...]:
            out = []
            for i in range(capi.ferry_model_asset_count(p)):
                a = capi.ferry_model_asset(p, i)
                out.append(AssetInfo(a.filename, a.tensor, a.path))
            return tuple(out)
        return self._cached("assets", build)

    @property
    def saver(self) -> Optional[SaverInfo]:
        """The MetaGraph's SaverDef, or None."""
        def build(p: Any) -> Optional[SaverInfo]:
            s = capi.ferry_model_saver(p)
            if s is None:
                return None
            return SaverInfo(s.filename_tensor, s.save_tensor, s.restore_op, s.max_to_keep,
                             bool(s.sharded), s.keep_checkpoint_every_n_hours, s.format_version)
        return self._cached("saver", build)

    @property
    def collections(self) -> Dict[str, Collection]:
        """The MetaGraph's collections by name."""
        def build(p: Any) -> Dict[str, Collection]:
            out = {}
            for i in range(capi.ferry_model_collection_count(p)):
                c = capi.ferry_model_collection(p, i)
                out[c.name] = Collection(c.name, _COLLECTION_KINDS.get(c.kind, str(c.kind)), c.items())
            return out
        return dict(self._cached("collections", build))

    # ---- lifetime --------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def close(self) -> None:
        """Frees the model (after any run in progress ends). Idempotent."""
        self._handle.close()

    def __enter__(self) -> "Model":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return f"<ferry.Model {self.format} {self.path!r} signatures={list(self.signatures)}{state}>"


def load(path: PathLike, tags: Union[str, Iterable[str], None] = None, *,
         checkpoint: Optional[PathLike] = None,
         restore_map: Optional[Mapping[str, str]] = None,
         restore_only_mapped: bool = False,
         metadata_only: bool = False,
         allow_file_ops: bool = False,
         threads: int = 0,
         memory_limit: int = 0,
         max_graph_nodes: int = 0,
         print_sink: Optional[Callable[[str, str], None]] = None,
         discard_print: bool = False) -> Model:
    """Loads a model, detecting its format: a SavedModel directory, a
    MetaGraphDef file (binary or text; its variables restored from a
    checkpoint), or a frozen GraphDef (.pb or .pbtxt).

    tags: the tag set to load, as "serve,gpu" or ["serve", "gpu"]; "" is the
        empty set; None is the library's default ("serve"; with
        metadata_only, "serve" if present, else the first MetaGraph).
    checkpoint: MetaGraph files: the checkpoint to restore (prefix, directory
        or .index); None uses the .meta's own prefix or the latest in its dir.
    restore_map: {graph variable: checkpoint key} renames for restoring.
    restore_only_mapped: restore only the variables named in restore_map.
    metadata_only: parse and describe only; runs then fail.
    allow_file_ops: allow ops that read or write files or print.
    threads: threads one run may use; 0 means the number of cores.
    memory_limit: most bytes the tensors of all the model's runs may hold at
        once; a run that would pass it raises ferry.OutOfMemoryError. 0: no
        limit but the system's.
    max_graph_nodes: most nodes the graph may have once its functions are
        inlined; a bigger model raises ferry.UnsupportedError. 0: the
        library's default (1,000,000).
    print_sink: called as print_sink(stream, text) with what the model's
        Print and PrintV2 ops write (default: standard error). It runs on
        the thread of the run, maybe for several runs at once, and must not
        use the model.
    discard_print: Print and PrintV2 write nothing.

    Raises ferry.FerryFileNotFoundError (an OSError and a KeyError) when
    something to load is missing, ferry.CorruptError, ferry.UnsupportedError
    (naming every op Ferry lacks), ferry.RefusedError or ferry.FerryOSError."""
    flags = 0
    if metadata_only:
        flags |= capi.FERRY_LOAD_METADATA_ONLY
    if allow_file_ops:
        flags |= capi.FERRY_LOAD_ALLOW_FILE_OPS
    if discard_print:
        flags |= capi.FERRY_LOAD_DISCARD_PRINT
    if print_sink is not None and not callable(print_sink):
        raise TypeError(f"print_sink must be callable, not {type(print_sink).__name__}")
    pairs = [(str(var), str(key)) for var, key in (restore_map or {}).items()]
    ptr = capi.py_model_load(path, _join_tags(tags), checkpoint, pairs,
                             1 if restore_only_mapped else 0, flags, int(threads),
                             int(memory_limit), int(max_graph_nodes), print_sink)
    # The C model borrows print_sink: its handle keeps it alive.
    return Model(ptr, os.fsdecode(path), keep=print_sink)
