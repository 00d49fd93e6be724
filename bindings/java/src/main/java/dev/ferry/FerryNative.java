package dev.ferry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every native method of the binding, one-to-one with src/main/c. Handles are the C pointers as
 * longs; strings going to C are UTF-8 byte arrays (NUL-terminated in C), so that any Java string,
 * including NUL and supplementary characters, arrives as the bytes Ferry expects. Failures throw
 * {@link FerryException}s built by {@link #exception}; every {@code ferry_error} is freed in C.
 */
final class FerryNative {
    static {
        NativeLibrary.load();
        init();
    }

    private FerryNative() {}

    /** Forces the class (and so the libraries) to load. */
    static void ensureLoaded() {}

    // ---- called from C -------------------------------------------------------------------
    static Throwable exception(int code, byte[] message) {
        return FerryException.of(code, new String(message, StandardCharsets.UTF_8));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A model's Print output for its sink (see jni_bounds.c); a sink's failure never ends the run. */
    @SuppressWarnings("unchecked")
    static void print(Object sink, byte[] stream, byte[] text) {
        try {
            ((java.util.function.Consumer<String>) sink).accept(utf8(text));
        } catch (Throwable t) {
            Thread me = Thread.currentThread();
            me.getUncaughtExceptionHandler().uncaughtException(me, t);
        }
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] bytes(java.util.List<String> list) {
        byte[][] out = new byte[list.size()][];
        for (int i = 0; i < out.length; i++) {
            String s = list.get(i);
            if (s == null) {
                throw new NullPointerException("name " + i + " is null");
            }
            out[i] = bytes(s);
        }
        return out;
    }

    // ---- library -------------------------------------------------------------------------
    private static native void init();

    static native String version();

    static native int versionNumber();

    static native String statusName(int status);

    static native long dtypeSize(int dtype);

    static native String dtypeName(int dtype);

    // ---- tensors -------------------------------------------------------------------------
    /** Java array kinds for {@link #tensorFromArray} and {@link #tensorToArray}. */
    static final int KIND_BYTE = 1, KIND_SHORT = 2, KIND_INT = 3, KIND_LONG = 4, KIND_FLOAT = 5,
            KIND_DOUBLE = 6, KIND_BOOLEAN = 7;

    static native long tensorNew(int dtype, long[] dims);

    static native long tensorFromArray(int dtype, long[] dims, Object array, int kind);

    static native long tensorFromStrings(long[] dims, byte[][] elements);

    static native long tensorWrap(int dtype, long[] dims, ByteBuffer buffer, long offset, long size);

    static native void tensorFree(long tensor);

    static native int tensorDtype(long tensor);

    static native long[] tensorDims(long tensor);

    static native long tensorByteSize(long tensor);

    static native void tensorToArray(long tensor, Object array, int kind);

    static native byte[][] tensorStrings(long tensor);

    static native void tensorToBuffer(long tensor, ByteBuffer direct, long offset, long size);

    static native void tensorFromBuffer(long tensor, ByteBuffer direct, long offset, long size);

    // ---- checkpoints ---------------------------------------------------------------------
    static native long checkpointOpen(byte[] path);

    static native void checkpointFree(long ckpt);

    static native String checkpointPrefix(long ckpt);

    static native VariableInfo[] checkpointVariables(long ckpt);

    static native long checkpointRead(long ckpt, byte[] name);

    static native void checkpointReadInto(long ckpt, byte[] name, ByteBuffer direct, long offset, long size);

    static native long checkpointReadSlice(long ckpt, byte[] name, long[] start, long[] length);

    static native long writerNew(byte[] prefix, int numShards, boolean updateStateFile);

    static native void writerAdd(long writer, byte[] name, long tensor);

    static native void writerAddSlice(long writer, byte[] name, long[] fullDims, long[] start, long tensor);

    static native void writerFinish(long writer);

    static native void writerFree(long writer);

    // ---- models --------------------------------------------------------------------------
    /** {@code printSink}: 0, or a handle from {@link #printSinkNew}. */
    static native long modelLoad(byte[] path, byte[] tags, byte[] checkpoint, byte[][] mapVariables,
            byte[][] mapKeys, boolean restoreOnlyMapped, int intraOpThreads, int flags, long memoryLimit,
            long maxGraphNodes, long printSink);

    /** A global reference to a {@code Consumer<String>}, for a model's Print ops. */
    static native long printSinkNew(Object sink);

    static native void printSinkFree(long sink);

    static native void modelFree(long model);

    static native int modelFormat(long model);

    static native String modelTensorflowVersion(long model);

    static native String[] modelTagSets(long model);

    static native String modelLoadedTagSet(long model);

    static native long[] modelSignatures(long model);

    static native long modelFindSignature(long model, byte[] key);

    static native String signatureKey(long signature);

    static native String signatureMethod(long signature);

    static native TensorInfo[] signatureTensors(long signature, boolean outputs);

    /**
     * Runs a signature. {@code outputs} has one slot per signature output: 0 asks for a new
     * tensor, otherwise a caller tensor to write into. Returns the output handles.
     */
    static native long[] signatureRun(long signature, byte[][] inputNames, long[] inputs, long[] outputs,
            long timeoutMillis, long cancel);

    static native long[] modelRun(long model, byte[][] feedNames, long[] feeds, byte[][] fetchNames,
            byte[][] targetNames, long timeoutMillis, long cancel);

    // ---- bounds ----------------------------------------------------------------------------
    static native long cancelNew();

    static native void cancelTrigger(long cancel);

    static native boolean cancelIsTriggered(long cancel);

    static native void cancelFree(long cancel);

    static native String[] supportedOps();

    static native boolean opIsSupported(byte[] opType);

    static native NodeInfo[] modelNodes(long model);

    static native String[] modelOps(long model, boolean stripped);

    static native CollectionInfo[] modelCollections(long model);

    static native SaverInfo modelSaver(long model);

    static native AssetInfo[] modelAssets(long model);
}
