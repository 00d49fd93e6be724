package dev.ferry;

/** Library-wide facts: the version of the native Ferry library in use, and where it came from. */
public final class Ferry {
    private Ferry() {}

    /** The loaded libferry's version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return FerryNative.version();
    }

    /** The loaded libferry's version as MAJOR * 10000 + MINOR * 100 + PATCH. */
    public static int versionNumber() {
        return FerryNative.versionNumber();
    }

    /**
     * Where the native libraries were loaded from: the {@code ferry.library.path} directory,
     * "jar:..." for the copies the jar carries, or "java.library.path".
     */
    public static String nativeLibraryOrigin() {
        FerryNative.ensureLoaded();
        return NativeLibrary.origin();
    }

    /** The op types this library can run, sorted. */
    public static java.util.List<String> supportedOps() {
        return java.util.List.of(FerryNative.supportedOps());
    }

    /** True when this library can run ops of type {@code opType}. */
    public static boolean isSupported(String opType) {
        return FerryNative.opIsSupported(FerryNative.bytes(java.util.Objects.requireNonNull(opType, "opType")));
    }

    /** Ferry's short name for a status code, e.g. "not found". */
    public static String statusName(ErrorCode code) {
        return FerryNative.statusName(code.number());
    }
}
