package dev.ferry;

/** The status codes of Ferry's C ABI ({@code ferry_status}), with their fixed numbers. */
public enum ErrorCode {
    /** The caller passed a bad value: a wrong dtype or shape fed, a bad name. */
    INVALID_ARGUMENT(1),
    /** A file, tensor, variable, signature or tag set does not exist. */
    NOT_FOUND(2),
    /** The operating system failed a read, write, map or rename. */
    IO(3),
    /** A file is malformed: bad magic, checksum, protobuf, offsets. */
    CORRUPT(4),
    /** Valid TensorFlow input that Ferry cannot handle (an op, a dtype). */
    UNSUPPORTED(5),
    OUT_OF_MEMORY(6),
    /** Refused by policy: file or network ops, paths escaping a model. */
    REFUSED(7),
    /** A run failed on its data (for example a bad index fed to a gather). */
    RUNTIME(8),
    /** A bug in Ferry. */
    INTERNAL(9),
    /** A run took longer than its {@link RunOptions} timeout. */
    DEADLINE_EXCEEDED(10),
    /** A run's {@link Cancel} was triggered, or its thread interrupted. */
    CANCELLED(11),
    /** A code this binding does not know yet (the C enum may grow). */
    UNKNOWN(-1);

    private final int number;

    ErrorCode(int number) {
        this.number = number;
    }

    /** The {@code ferry_status} value. */
    public int number() {
        return number;
    }

    /** The code for a {@code ferry_status} value; {@link #UNKNOWN} for values this binding lacks. */
    public static ErrorCode of(int number) {
        for (ErrorCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
