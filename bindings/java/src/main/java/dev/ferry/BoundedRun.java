package dev.ferry;

import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Runs one native call bounded by {@link RunOptions} and by {@link Thread#interrupt()}.
 *
 * <p>A thread blocked in native code does not notice an interrupt. The JDK's interruptible
 * channels solve the same problem for blocking I/O: between {@code begin()} and {@code end()},
 * interrupting the thread closes the channel from the interrupting thread. This channel's close
 * triggers the run's cancel handle, so the run stops at its next check and throws {@link
 * FerryException.Cancelled}; the thread's interrupt status stays set, as after interrupted I/O.
 * The JDK serialises that close with {@code end()}, so the handle is never triggered after the
 * run has returned and released it.
 */
final class BoundedRun extends AbstractInterruptibleChannel {
    /** The native call, given the run options' timeout and a cancel handle pointer. */
    @FunctionalInterface
    interface Call {
        long[] run(long timeoutMillis, long cancel);
    }

    private final long cancel;

    private BoundedRun(long cancel) {
        this.cancel = cancel;
    }

    static long[] run(RunOptions options, Call call) {
        Cancel given = options.cancel();
        // Without a handle of the caller's, a run gets its own, for interrupts.
        long cancel = given != null ? given.acquire() : FerryNative.cancelNew();
        try {
            BoundedRun watch = new BoundedRun(cancel);
            watch.begin();
            boolean done = false;
            try {
                long[] out = call.run(options.timeoutMillis(), cancel);
                done = true;
                return out;
            } finally {
                watch.finish(done);
            }
        } finally {
            if (given != null) {
                given.release();
            } else {
                FerryNative.cancelFree(cancel);
            }
        }
    }

    private void finish(boolean done) {
        try {
            end(done);
        } catch (ClosedByInterruptException e) {
            // Interrupted: the run has thrown Cancelled, or finished before it noticed.
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run watcher closed unexpectedly", e);
        }
    }

    @Override
    protected void implCloseChannel() {
        FerryNative.cancelTrigger(cancel);
    }
}
