package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded runs and load limits. tf2_control_flow's "fib" loops n times: n = Integer.MAX_VALUE
 * would run for hours unless a timeout, a {@link Cancel} or an interrupt stops it.
 */
class BoundsTest {
    static final Path CONTROL_FLOW = Fixtures.fixture("tf2_control_flow").resolve("saved_model");

    private static long fib(Signature sig, int n, RunOptions options) {
        try (Tensor in = Tensor.scalar(n); TensorMap out = sig.call(Map.of("n", in), options)) {
            return out.get("fib").asLongArray()[0];
        }
    }

    private static Thread later(long millis, Runnable action) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            action.run();
        });
        t.start();
        return t;
    }

    @Test
    void timeoutEndsARunawayLoop() {
        try (Model m = Model.load(CONTROL_FLOW)) {
            Signature sig = m.signature("fib");
            FerryException.DeadlineExceeded e = assertThrows(FerryException.DeadlineExceeded.class,
                    () -> fib(sig, Integer.MAX_VALUE, RunOptions.timeout(Duration.ofMillis(50))));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            // The model still runs; a short loop ends within its timeout.
            assertEquals(55, fib(sig, 10, RunOptions.timeout(Duration.ofMinutes(1))));
            // Feed/fetch runs take the same options.
            try (Tensor n = Tensor.scalar(Integer.MAX_VALUE)) {
                assertThrows(FerryException.DeadlineExceeded.class, () -> m.run(
                        Map.of(sig.inputs().get("n").tensor(), n), List.of(sig.outputs().get("fib").tensor()),
                        List.of(), RunOptions.timeout(Duration.ofMillis(50))));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> RunOptions.timeout(Duration.ZERO));
    }

    @Test
    void cancelFromAnotherThread() throws InterruptedException {
        try (Model m = Model.load(CONTROL_FLOW); Cancel cancel = new Cancel()) {
            Signature sig = m.signature("fib");
            RunOptions options = RunOptions.builder().cancel(cancel).build();
            assertFalse(cancel.isCancelled());
            Thread trigger = later(30, cancel::cancel);
            FerryException.Cancelled e = assertThrows(FerryException.Cancelled.class,
                    () -> fib(sig, Integer.MAX_VALUE, options));
            trigger.join();
            assertEquals(ErrorCode.CANCELLED, e.code());
            assertTrue(cancel.isCancelled());
            // A cancelled handle stops the next run at once; without it the model runs.
            assertThrows(FerryException.Cancelled.class, () -> fib(sig, 3, options));
            assertEquals(2, fib(sig, 3, RunOptions.defaults()));
        }
    }

    @Test
    void interruptStopsARun() throws InterruptedException {
        try (Model m = Model.load(CONTROL_FLOW)) {
            Signature sig = m.signature("fib");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try (Tensor in = Tensor.scalar(Integer.MAX_VALUE)) {
                    sig.call(Map.of("n", in)).close();
                } catch (Throwable t) {
                    thrown.set(t);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            runner.start();
            Thread.sleep(50);
            runner.interrupt();
            runner.join(60_000);
            assertFalse(runner.isAlive(), "the interrupted run did not stop");
            assertTrue(thrown.get() instanceof FerryException.Cancelled, String.valueOf(thrown.get()));
            assertTrue(stillInterrupted.get());
            // An interrupted thread fails at once and keeps its status; others run on.
            Thread.currentThread().interrupt();
            try {
                assertThrows(FerryException.Cancelled.class, () -> fib(sig, 3, RunOptions.defaults()));
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertEquals(2, fib(sig, 3, RunOptions.defaults()));
        }
    }

    /** A frozen graph whose Fill makes a float tensor of the shape fed as dims:0. */
    private static Path fillGraph(Path dir) throws Exception {
        Path p = dir.resolve("fill.pbtxt");
        Files.writeString(p, String.join("\n",
                "node { name: \"dims\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_INT32 } } }",
                "node { name: \"value\" op: \"Const\" attr { key: \"dtype\" value { type: DT_FLOAT } }",
                "       attr { key: \"value\" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1.5 } } } }",
                "node { name: \"fill\" op: \"Fill\" input: \"dims\" input: \"value\"",
                "       attr { key: \"T\" value { type: DT_FLOAT } } attr { key: \"index_type\" value { type: DT_INT32 } } }",
                ""));
        return p;
    }

    @Test
    void memoryLimitRefusesABigFill(@TempDir Path dir) throws Exception {
        LoadOptions o = LoadOptions.builder().memoryLimit(1 << 20).build();
        try (Model m = Model.load(fillGraph(dir), o)) {
            try (Tensor big = Tensor.of(new int[] {1024, 1024}, 2)) {
                FerryException.OutOfMemory e = assertThrows(FerryException.OutOfMemory.class,
                        () -> m.run(Map.of("dims:0", big), List.of("fill:0")));
                assertTrue(e.getMessage().contains("memory limit"), e.getMessage());
            }
            try (Tensor small = Tensor.of(new int[] {2, 3}, 2); TensorList out = m.run(Map.of("dims:0", small), List.of("fill:0"))) {
                assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f}, out.get(0).asFloatArray());
            }
        }
    }

    @Test
    void graphNodeLimit() {
        FerryException.Unsupported e = assertThrows(FerryException.Unsupported.class,
                () -> Model.load(CONTROL_FLOW, LoadOptions.builder().maxGraphNodes(8).build()));
        assertTrue(e.getMessage().contains("max_graph_nodes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.builder().memoryLimit(-1));
    }

    /** No fixture prints yet: the sink and the discard flag are accepted and the model runs. */
    @Test
    void printOptionsAccepted() {
        List<String> printed = new ArrayList<>();
        try (Model m = Model.load(CONTROL_FLOW, LoadOptions.builder().printSink(printed::add).build())) {
            assertEquals(2, fib(m.signature("fib"), 3, RunOptions.defaults()));
        }
        assertTrue(printed.isEmpty(), printed.toString());
        try (Model m = Model.load(CONTROL_FLOW, LoadOptions.builder().discardPrint().build())) {
            assertEquals(2, fib(m.signature("fib"), 3, RunOptions.defaults()));
        }
    }

    @Test
    void supportedOps() {
        List<String> ops = Ferry.supportedOps();
        assertTrue(ops.size() > 200 && ops.contains("MatMul"), ops.size() + " ops");
        List<String> sorted = new ArrayList<>(ops);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, ops);
        assertTrue(Ferry.isSupported("MatMul"));
        assertFalse(Ferry.isSupported("NoSuchOp"));
    }
}
