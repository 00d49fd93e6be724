package dev.ferry;

/**
 * A flag that stops the runs given it ({@code ferry_cancel}): pass it in {@link
 * RunOptions.Builder#cancel(Cancel)} and call {@link #cancel()} from any thread; each such run
 * throws {@link FerryException.Cancelled} at its next step or loop iteration. It stays set once
 * cancelled, so make a new one for later runs. {@link #close()} waits for runs using it.
 */
public final class Cancel extends NativeHandle {
    public Cancel() {
        super(FerryNative.cancelNew(), FerryNative::cancelFree, null, "Cancel");
    }

    /** Stops the runs given this handle, now and later. Safe from any thread. */
    public void cancel() {
        long p = acquire();
        try {
            FerryNative.cancelTrigger(p);
        } finally {
            release();
        }
    }

    /** True once {@link #cancel()} was called (or an interrupt stopped a run given it). */
    public boolean isCancelled() {
        long p = acquire();
        try {
            return FerryNative.cancelIsTriggered(p);
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "Cancel(closed)" : "Cancel(cancelled=" + isCancelled() + ")";
    }
}
