package dev.ferry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded TensorFlow model: a SavedModel directory, a MetaGraphDef file (its variables restored
 * from a checkpoint) or a frozen GraphDef, binary or text.
 *
 * <pre>{@code
 * try (Model model = Model.load("examples/models/half_plus_two");
 *      Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
 *      TensorMap out = model.signature("serving_default").call(Map.of("x", x))) {
 *     float[] y = out.get("y").asFloatArray(); // 2.5, 3, 3.5
 * }
 * }</pre>
 *
 * <p>A model may be run from many threads at once. Runs that assign variables are serialised by
 * Ferry against each other and against runs reading variables. {@link #close()} waits for runs
 * in progress to return; later calls throw {@link IllegalStateException}.
 */
public final class Model extends NativeHandle {
    /** Set once by load(), before the model is handed out. */
    private volatile Map<String, Signature> signatures;

    private Model(long pointer, long printSink) {
        super(pointer, freeing(printSink), null, "Model");
    }

    /** Frees the model, then the print sink it calls (the lambda holds no Model). */
    private static java.util.function.LongConsumer freeing(long printSink) {
        if (printSink == 0) {
            return FerryNative::modelFree;
        }
        return p -> {
            FerryNative.modelFree(p);
            FerryNative.printSinkFree(printSink);
        };
    }

    private void readSignatures() {
        long p = acquire();
        try {
            LinkedHashMap<String, Signature> m = new LinkedHashMap<>();
            for (long s : FerryNative.modelSignatures(p)) {
                Signature sig = new Signature(this, s);
                m.put(sig.key(), sig);
            }
            signatures = Collections.unmodifiableMap(m);
        } finally {
            release();
        }
    }

    /** Loads the model at {@code path} with the default options. */
    public static Model load(String path) {
        return load(path, LoadOptions.defaults());
    }

    public static Model load(Path path) {
        return load(path.toString(), LoadOptions.defaults());
    }

    public static Model load(Path path, LoadOptions options) {
        return load(path.toString(), options);
    }

    /**
     * Loads a model, detecting its format; imports the graph, restores variables, runs init ops
     * and prepares every signature (unless {@link LoadOptions.Builder#metadataOnly()}).
     *
     * @throws FerryException.NotFound no model there, or no such tag set (the message lists those present)
     * @throws FerryException.Unsupported the model needs ops Ferry lacks (the message lists them)
     * @throws FerryException corrupt files, refused ops, I/O failures
     */
    public static Model load(String path, LoadOptions options) {
        if (path == null || options == null) {
            throw new NullPointerException(path == null ? "path" : "options");
        }
        Map<String, String> map = options.restoreMap();
        byte[][] vars = new byte[map.size()][];
        byte[][] keys = new byte[map.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            vars[i] = FerryNative.bytes(e.getKey());
            keys[i++] = FerryNative.bytes(e.getValue());
        }
        long sink = options.printSink() == null ? 0 : FerryNative.printSinkNew(options.printSink());
        long p;
        try {
            p = FerryNative.modelLoad(FerryNative.bytes(path), FerryNative.bytes(options.tags()),
                    FerryNative.bytes(options.checkpoint()), vars, keys, options.restoreOnlyMapped(),
                    options.intraOpThreads(), options.flags(), options.memoryLimit(), options.maxGraphNodes(), sink);
        } catch (RuntimeException | Error e) {
            FerryNative.printSinkFree(sink);
            throw e;
        }
        Model model = new Model(p, sink);
        try {
            model.readSignatures();
            return model;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** The file format the model came from. */
    public ModelFormat format() {
        long p = acquire();
        try {
            return ModelFormat.of(FerryNative.modelFormat(p));
        } finally {
            release();
        }
    }

    /** The TensorFlow version recorded in the file ("" when absent). */
    public String tensorflowVersion() {
        long p = acquire();
        try {
            return FerryNative.modelTensorflowVersion(p);
        } finally {
            release();
        }
    }

    /** The tag sets of every MetaGraph in the file, in file order; empty for frozen graphs. */
    public List<Set<String>> tagSets() {
        long p = acquire();
        try {
            List<Set<String>> out = new ArrayList<>();
            for (String s : FerryNative.modelTagSets(p)) {
                out.add(tagSet(s));
            }
            return Collections.unmodifiableList(out);
        } finally {
            release();
        }
    }

    /** The tag set that was loaded; empty for a frozen graph. */
    public Optional<Set<String>> loadedTagSet() {
        long p = acquire();
        try {
            String s = FerryNative.modelLoadedTagSet(p);
            return s == null ? Optional.empty() : Optional.of(tagSet(s));
        } finally {
            release();
        }
    }

    private static Set<String> tagSet(String commaSeparated) {
        if (commaSeparated.isEmpty()) {
            return Set.of();
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(commaSeparated.split(","))));
    }

    /** The loaded MetaGraph's signatures by key, sorted by key. */
    public Map<String, Signature> signatures() {
        acquire();
        release();
        return signatures;
    }

    /**
     * The signature with this key.
     *
     * @throws FerryException.NotFound naming the key and listing the keys present
     */
    public Signature signature(String key) {
        Signature s = signatures.get(key);
        long p = acquire();
        try {
            if (s == null) {
                // Ferry's own error, which lists the keys present.
                FerryNative.modelFindSignature(p, FerryNative.bytes(key));
                throw new IllegalStateException("signature '" + key + "' found by Ferry but not listed");
            }
            return s;
        } finally {
            release();
        }
    }

    /**
     * TF1 {@code Session.run}: feeds tensors by name ("x:0"), fetches tensors by name and runs
     * target nodes. Plans are prepared on first use of a combination and cached.
     *
     * @return the fetched tensors, in fetch order (close them, or the list)
     */
    public TensorList run(Map<String, Tensor> feeds, List<String> fetches, List<String> targets) {
        return run(feeds, fetches, targets, RunOptions.defaults());
    }

    /**
     * {@link #run(Map, List, List)} bounded by {@code options}, and stopped by an interrupt, as
     * {@link Signature#call(Map, RunOptions)}.
     */
    public TensorList run(Map<String, Tensor> feeds, List<String> fetches, List<String> targets,
            RunOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        int n = feeds.size();
        byte[][] names = new byte[n][];
        Tensor[] given = new Tensor[n];
        int i = 0;
        for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("null feed name or tensor");
            }
            names[i] = FerryNative.bytes(e.getKey());
            given[i++] = e.getValue();
        }
        byte[][] fetchNames = FerryNative.bytes(fetches);
        byte[][] targetNames = FerryNative.bytes(targets);
        long p = acquire();
        int acquired = 0;
        try {
            long[] in = new long[n];
            for (; acquired < n; acquired++) {
                in[acquired] = given[acquired].acquire();
            }
            return new TensorList(Tensor.adoptAll(BoundedRun.run(options,
                    (timeout, cancel) -> FerryNative.modelRun(p, names, in, fetchNames, targetNames, timeout, cancel))));
        } finally {
            for (int j = 0; j < acquired; j++) {
                given[j].release();
            }
            release();
        }
    }

    /** {@link #run(Map, List, List)} without targets. */
    public TensorList run(Map<String, Tensor> feeds, List<String> fetches) {
        return run(feeds, fetches, List.of());
    }

    /** Sorted op types used by the graph and every function in its library. */
    public List<String> ops() {
        long p = acquire();
        try {
            return List.of(FerryNative.modelOps(p, false));
        } finally {
            release();
        }
    }

    /** The op names in the MetaGraph's stripped_op_list (sorted). */
    public List<String> strippedOps() {
        long p = acquire();
        try {
            return List.of(FerryNative.modelOps(p, true));
        } finally {
            release();
        }
    }

    /** The nodes of the loaded graph (top level, before inlining). */
    public List<NodeInfo> nodes() {
        long p = acquire();
        try {
            return List.of(FerryNative.modelNodes(p));
        } finally {
            release();
        }
    }

    /** The MetaGraph's collections. */
    public List<CollectionInfo> collections() {
        long p = acquire();
        try {
            return List.of(FerryNative.modelCollections(p));
        } finally {
            release();
        }
    }

    /** The MetaGraph's SaverDef, if it has one. */
    public Optional<SaverInfo> saver() {
        long p = acquire();
        try {
            return Optional.ofNullable(FerryNative.modelSaver(p));
        } finally {
            release();
        }
    }

    /** The SavedModel's asset files. */
    public List<AssetInfo> assets() {
        long p = acquire();
        try {
            return List.of(FerryNative.modelAssets(p));
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "Model(" + (isClosed() ? "closed" : signatures.keySet().toString()) + ")";
    }
}
