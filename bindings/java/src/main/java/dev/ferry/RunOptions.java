package dev.ferry;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one run ({@code ferry_run_options}): a timeout, after which the run throws {@link
 * FerryException.DeadlineExceeded}, and a {@link Cancel} another thread may trigger. Immutable;
 * make one with {@link #builder()} or {@link #timeout(Duration)}.
 *
 * <pre>{@code
 * sig.call(inputs, RunOptions.timeout(Duration.ofSeconds(2)));
 * }</pre>
 *
 * <p>Ferry notices both between steps and at every loop iteration, so one long kernel runs to
 * its end first. Every run, with or without options, also stops when its thread is interrupted
 * (see {@link Signature#call(java.util.Map, RunOptions)}).
 */
public final class RunOptions {
    private static final RunOptions DEFAULTS = builder().build();

    private final long timeoutMillis;
    private final Cancel cancel;

    private RunOptions(Builder b) {
        this.timeoutMillis = b.timeoutMillis;
        this.cancel = b.cancel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No timeout, no cancel handle. */
    public static RunOptions defaults() {
        return DEFAULTS;
    }

    /** Just a timeout. */
    public static RunOptions timeout(Duration timeout) {
        return builder().timeout(timeout).build();
    }

    /** The timeout in milliseconds, 0 for none. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** The cancel handle, or null. */
    public Cancel cancel() {
        return cancel;
    }

    /** Builds {@link RunOptions}. */
    public static final class Builder {
        private long timeoutMillis;
        private Cancel cancel;

        private Builder() {}

        /** How long the run may take (rounded up to whole milliseconds); positive. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, not " + timeout);
            }
            long ms;
            try {
                ms = timeout.plusNanos(999_999).toMillis();
            } catch (ArithmeticException e) {
                ms = Long.MAX_VALUE;
            }
            this.timeoutMillis = Math.max(1, ms);
            return this;
        }

        /** A handle that stops the run when cancelled; it must stay open during the run. */
        public Builder cancel(Cancel cancel) {
            this.cancel = Objects.requireNonNull(cancel, "cancel");
            return this;
        }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
