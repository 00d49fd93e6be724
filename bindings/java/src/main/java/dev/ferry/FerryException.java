package dev.ferry;

/**
 * A failure reported by Ferry: {@link #code()} is the C status and {@link #getMessage()} the C
 * error's one-line message. Each code has its own subclass, so callers can catch, say, {@link
 * NotFound} alone.
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;

    FerryException(int status, String message) {
        super(message);
        this.status = status;
        this.code = ErrorCode.of(status);
    }

    /** The status code. */
    public ErrorCode code() {
        return code;
    }

    /** The raw {@code ferry_status} value, also for codes newer than this binding. */
    public int status() {
        return status;
    }

    static FerryException of(int status, String message) {
        return switch (ErrorCode.of(status)) {
            case INVALID_ARGUMENT -> new InvalidArgument(message);
            case NOT_FOUND -> new NotFound(message);
            case IO -> new IO(message);
            case CORRUPT -> new Corrupt(message);
            case UNSUPPORTED -> new Unsupported(message);
            case OUT_OF_MEMORY -> new OutOfMemory(message);
            case REFUSED -> new Refused(message);
            case RUNTIME -> new RunFailed(message);
            case INTERNAL -> new Internal(message);
            case DEADLINE_EXCEEDED -> new DeadlineExceeded(message);
            case CANCELLED -> new Cancelled(message);
            case UNKNOWN -> new FerryException(status, message);
        };
    }

    /** {@link ErrorCode#INVALID_ARGUMENT}: a bad value, such as a wrong dtype or shape fed. */
    public static final class InvalidArgument extends FerryException {
        private static final long serialVersionUID = 1L;

        InvalidArgument(String message) {
            super(ErrorCode.INVALID_ARGUMENT.number(), message);
        }
    }

    /** {@link ErrorCode#NOT_FOUND}: no such file, tensor, variable, signature or tag set. */
    public static final class NotFound extends FerryException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(ErrorCode.NOT_FOUND.number(), message);
        }
    }

    /** {@link ErrorCode#IO}: the operating system failed a read, write, map or rename. */
    public static final class IO extends FerryException {
        private static final long serialVersionUID = 1L;

        IO(String message) {
            super(ErrorCode.IO.number(), message);
        }
    }

    /** {@link ErrorCode#CORRUPT}: a malformed file. */
    public static final class Corrupt extends FerryException {
        private static final long serialVersionUID = 1L;

        Corrupt(String message) {
            super(ErrorCode.CORRUPT.number(), message);
        }
    }

    /** {@link ErrorCode#UNSUPPORTED}: valid TensorFlow input Ferry cannot handle yet. */
    public static final class Unsupported extends FerryException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(ErrorCode.UNSUPPORTED.number(), message);
        }
    }

    /** {@link ErrorCode#OUT_OF_MEMORY}. */
    public static final class OutOfMemory extends FerryException {
        private static final long serialVersionUID = 1L;

        OutOfMemory(String message) {
            super(ErrorCode.OUT_OF_MEMORY.number(), message);
        }
    }

    /** {@link ErrorCode#REFUSED}: refused by policy (file ops, paths escaping a model). */
    public static final class Refused extends FerryException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(ErrorCode.REFUSED.number(), message);
        }
    }

    /** {@link ErrorCode#RUNTIME}: a run failed on its data. */
    public static final class RunFailed extends FerryException {
        private static final long serialVersionUID = 1L;

        RunFailed(String message) {
            super(ErrorCode.RUNTIME.number(), message);
        }
    }

    /** {@link ErrorCode#DEADLINE_EXCEEDED}: a run took longer than its timeout. */
    public static final class DeadlineExceeded extends FerryException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(String message) {
            super(ErrorCode.DEADLINE_EXCEEDED.number(), message);
        }
    }

    /**
     * {@link ErrorCode#CANCELLED}: a run's {@link Cancel} was triggered or its thread
     * interrupted (the interrupt status then stays set).
     */
    public static final class Cancelled extends FerryException {
        private static final long serialVersionUID = 1L;

        Cancelled(String message) {
            super(ErrorCode.CANCELLED.number(), message);
        }
    }

    /** {@link ErrorCode#INTERNAL}: a bug in Ferry. */
    public static final class Internal extends FerryException {
        private static final long serialVersionUID = 1L;

        Internal(String message) {
            super(ErrorCode.INTERNAL.number(), message);
        }
    }
}
