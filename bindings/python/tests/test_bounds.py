"""Bounded runs and load limits: timeouts, ferry.Cancel from another thread,
Ctrl-C, a memory limit, a graph-size limit, the print sink, and the list of
supported ops. tf2_control_flow's "fib" loops n times: n = 2**31 - 1 would run
for hours unless something stops it."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import ferry
import support

CONTROL_FLOW = support.FIXTURES / "tf2_control_flow" / "saved_model"
RUNAWAY = np.int32(2**31 - 1)


def _later(seconds: float, action) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action()
    t = threading.Thread(target=run)
    t.start()
    return t


def test_timeout_ends_a_runaway_loop() -> None:
    with ferry.load(CONTROL_FLOW) as m:
        fib = m.signatures["fib"]
        with pytest.raises(ferry.DeadlineExceeded) as info:
            fib.run({"n": RUNAWAY}, timeout=0.05)
        assert isinstance(info.value, TimeoutError)
        assert info.value.code == ferry.Status.DEADLINE_EXCEEDED
        # The model still runs; a short loop ends within its timeout.
        assert fib.run({"n": np.int32(10)}, timeout=60)["fib"] == 55
        with pytest.raises(ValueError, match="timeout"):
            fib.run({"n": np.int32(10)}, timeout=0)
        # Session-style runs take the same bounds.
        n, out = fib.inputs["n"].tensor, fib.outputs["fib"].tensor
        with pytest.raises(ferry.DeadlineExceeded):
            m.run({n: RUNAWAY}, out, timeout=0.05)


def test_cancel_from_another_thread() -> None:
    with ferry.load(CONTROL_FLOW) as m, ferry.Cancel() as cancel:
        fib = m.signatures["fib"]
        assert not cancel.cancelled
        trigger = _later(0.03, cancel.cancel)
        with pytest.raises(ferry.Cancelled) as info:
            fib.run({"n": RUNAWAY}, cancel=cancel)
        trigger.join()
        assert info.value.code == ferry.Status.CANCELLED and cancel.cancelled
        # A triggered handle stops the next run at once; without it the model runs.
        with pytest.raises(ferry.Cancelled):
            m.run({fib.inputs["n"].tensor: np.int32(3)}, fib.outputs["fib"].tensor, cancel=cancel)
        assert fib.run({"n": np.int32(3)})["fib"] == 2
        with pytest.raises(TypeError, match="ferry.Cancel"):
            fib.run({"n": np.int32(3)}, cancel=True)  # type: ignore[arg-type]
    with pytest.raises(ferry.ClosedError):
        cancel.cancel()


def test_runs_release_the_gil() -> None:
    # A thread counting while the main thread runs the loop proves the GIL is free.
    ticks = []
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    with ferry.load(CONTROL_FLOW) as m:
        t = threading.Thread(target=count)
        t.start()
        with pytest.raises(ferry.DeadlineExceeded):
            m.signatures["fib"].run({"n": RUNAWAY}, timeout=0.3)
        stop.set()
        t.join()
    assert len(ticks) > 10


def test_keyboard_interrupt_cancels_a_run() -> None:
    if not callable(signal.getsignal(signal.SIGINT)):
        pytest.skip("SIGINT is not handled by Python in this process")
    with ferry.load(CONTROL_FLOW) as m:
        fib = m.signatures["fib"]
        sender = _later(0.05, lambda: os.kill(os.getpid(), signal.SIGINT))
        with pytest.raises(KeyboardInterrupt):
            fib.run({"n": RUNAWAY})
        sender.join()
        # The handler is Python's again, and runs go on.
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert fib.run({"n": np.int32(10)})["fib"] == 55


def _fill_graph(tmp_path: Path) -> Path:
    """A frozen graph whose Fill makes a float tensor of the shape fed as dims:0."""
    path = tmp_path / "fill.pbtxt"
    path.write_text('''
node { name: "dims" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
node { name: "value" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1.5 } } } }
node { name: "fill" op: "Fill" input: "dims" input: "value"
       attr { key: "T" value { type: DT_FLOAT } } attr { key: "index_type" value { type: DT_INT32 } } }
''')
    return path


def test_memory_limit_refuses_a_big_fill(tmp_path: Path) -> None:
    with ferry.load(_fill_graph(tmp_path), memory_limit=1 << 20) as m:
        with pytest.raises(ferry.OutOfMemoryError, match="memory limit"):
            m.run({"dims:0": np.array([1024, 1024], np.int32)}, "fill:0")
        np.testing.assert_array_equal(m.run({"dims:0": np.array([2, 3], np.int32)}, "fill:0"),
                                      np.full((2, 3), 1.5, np.float32))


def test_max_graph_nodes() -> None:
    with pytest.raises(ferry.UnsupportedError, match="max_graph_nodes"):
        ferry.load(CONTROL_FLOW, max_graph_nodes=8)
    with pytest.raises(ferry.InvalidArgumentError, match="must not be negative"):
        ferry.load(CONTROL_FLOW, memory_limit=-1)


def test_print_options_are_accepted() -> None:
    # No fixture prints yet: the sink and the discard flag are accepted and
    # the model runs with them.
    printed = []
    with ferry.load(CONTROL_FLOW, print_sink=lambda stream, text: printed.append((stream, text))) as m:
        assert m.signatures["fib"].run({"n": np.int32(3)})["fib"] == 2
    assert printed == []
    with ferry.load(CONTROL_FLOW, discard_print=True) as m:
        assert m.signatures["fib"].run({"n": np.int32(3)})["fib"] == 2
    with pytest.raises(TypeError, match="print_sink"):
        ferry.load(CONTROL_FLOW, print_sink="stderr")  # type: ignore[arg-type]


def test_supported_ops() -> None:
    ops = ferry.supported_ops()
    assert len(ops) > 200 and "MatMul" in ops and list(ops) == sorted(ops)
    assert ferry.is_supported("MatMul") and not ferry.is_supported("NoSuchOp")
