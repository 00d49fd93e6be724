package dev.ferry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SignatureDef of a loaded {@link Model}: named inputs and outputs, runnable with {@link
 * #call}. A signature belongs to its model and fails with {@link IllegalStateException} once the
 * model is closed. Calls may run from many threads at once.
 */
public final class Signature {
    private final Model model;
    private final long pointer; // borrowed from the model; used only while the model is acquired
    private final String key;
    private final String method;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> outputs;
    private final String[] outputNames;

    Signature(Model model, long pointer) {
        this.model = model;
        this.pointer = pointer;
        this.key = FerryNative.signatureKey(pointer);
        this.method = FerryNative.signatureMethod(pointer);
        this.inputs = index(FerryNative.signatureTensors(pointer, false));
        TensorInfo[] outs = FerryNative.signatureTensors(pointer, true);
        this.outputs = index(outs);
        this.outputNames = new String[outs.length];
        for (int i = 0; i < outs.length; i++) {
            outputNames[i] = outs[i].name();
        }
    }

    private static Map<String, TensorInfo> index(TensorInfo[] infos) {
        LinkedHashMap<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : infos) {
            m.put(t.name(), t);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The signature's key, e.g. "serving_default". */
    public String key() {
        return key;
    }

    /** The method name, e.g. "tensorflow/serving/predict". */
    public String method() {
        return method;
    }

    /** Inputs by logical name, sorted by name. */
    public Map<String, TensorInfo> inputs() {
        return inputs;
    }

    /** Outputs by logical name, sorted by name. */
    public Map<String, TensorInfo> outputs() {
        return outputs;
    }

    public Model model() {
        return model;
    }

    /**
     * Runs the signature. Every input it needs must be given; the inputs are read, never
     * written, and stay the caller's. Returns a new tensor per output, in signature order.
     *
     * @throws FerryException.NotFound for an input name the signature lacks
     * @throws FerryException.InvalidArgument when a dtype or shape fed contradicts the signature
     * @throws FerryException.RunFailed when the run fails on its data
     * @throws IllegalStateException when the model or a tensor is closed
     */
    public TensorMap call(Map<String, Tensor> inputs) {
        return callInto(inputs, Map.of(), RunOptions.defaults());
    }

    /**
     * {@link #call(Map)} bounded by {@code options}. Every run also stops when its thread is
     * interrupted, as interruptible I/O does: it throws {@link FerryException.Cancelled} and the
     * thread's interrupt status stays set (a thread already interrupted fails at once).
     *
     * @throws FerryException.DeadlineExceeded the run took longer than the timeout
     * @throws FerryException.Cancelled the options' {@link Cancel} was triggered, or the thread interrupted
     */
    public TensorMap call(Map<String, Tensor> inputs, RunOptions options) {
        return callInto(inputs, Map.of(), options);
    }

    /**
     * Like {@link #call}, but the outputs named in {@code outputs} are written into the caller's
     * tensors (of the right dtype and shape; e.g. {@link Tensor#wrap} over a direct buffer, for
     * results without a copy). The returned map holds those same tensors for those names and new
     * ones for the rest; closing it closes only the new ones.
     */
    public TensorMap callInto(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
        return callInto(inputs, outputs, RunOptions.defaults());
    }

    /** {@link #callInto(Map, Map)} bounded by {@code options}, as {@link #call(Map, RunOptions)}. */
    public TensorMap callInto(Map<String, Tensor> inputs, Map<String, Tensor> outputs, RunOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        int n = inputs.size();
        byte[][] names = new byte[n][];
        Tensor[] given = new Tensor[n];
        int i = 0;
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            names[i] = FerryNative.bytes(requireKey(e.getKey(), "input"));
            given[i++] = requireValue(e.getValue(), e.getKey());
        }
        Tensor[] into = new Tensor[outputNames.length];
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            int k = List.of(outputNames).indexOf(requireKey(e.getKey(), "output"));
            if (k < 0) {
                throw new IllegalArgumentException("signature '" + key + "' has no output '" + e.getKey()
                        + "'; its outputs are " + List.of(outputNames));
            }
            Tensor t = requireValue(e.getValue(), e.getKey());
            if (!t.isWritable()) {
                throw new IllegalArgumentException("output '" + e.getKey() + "': " + t + " is not writable");
            }
            into[k] = t;
        }
        List<Tensor> acquired = new ArrayList<>(n + into.length);
        model.acquire();
        try {
            long[] in = new long[n];
            for (i = 0; i < n; i++) {
                in[i] = given[i].acquire();
                acquired.add(given[i]);
            }
            long[] out = new long[into.length];
            for (i = 0; i < into.length; i++) {
                if (into[i] != null) {
                    out[i] = into[i].acquire();
                    acquired.add(into[i]);
                }
            }
            long[] got = BoundedRun.run(options,
                    (timeout, cancel) -> FerryNative.signatureRun(pointer, names, in, out, timeout, cancel));
            return wrapOutputs(got, into);
        } finally {
            for (Tensor t : acquired) {
                t.release();
            }
            model.release();
        }
    }

    private TensorMap wrapOutputs(long[] got, Tensor[] into) {
        // New tensors are the non-zero handles the caller did not provide.
        long[] fresh = new long[got.length];
        int nf = 0;
        for (int i = 0; i < got.length; i++) {
            if (into[i] == null) {
                fresh[nf++] = got[i];
            }
        }
        Tensor[] adopted = Tensor.adoptAll(java.util.Arrays.copyOf(fresh, nf));
        LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        int k = 0;
        for (int i = 0; i < got.length; i++) {
            Tensor t = into[i] != null ? into[i] : adopted[k++];
            if (into[i] == null) {
                owned.add(t);
            }
            map.put(outputNames[i], t);
        }
        return new TensorMap(map, owned);
    }

    private static String requireKey(String k, String what) {
        if (k == null) {
            throw new NullPointerException(what + " name is null");
        }
        return k;
    }

    private static Tensor requireValue(Tensor t, String name) {
        if (t == null) {
            throw new NullPointerException("tensor for '" + name + "' is null");
        }
        return t;
    }

    @Override
    public String toString() {
        return "Signature(" + key + ": " + inputs.values() + " -> " + outputs.values() + ")";
    }
}
