package dev.ferry;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link Model#load(String, LoadOptions)} loads a model ({@code ferry_model_options}).
 * Immutable; make one with {@link #builder()}.
 *
 * <pre>{@code
 * LoadOptions opts = LoadOptions.builder().tags("serve").checkpoint("ckpt/model-100")
 *         .restoreMap(Map.of("dense/kernel", "old_dense/kernel")).build();
 * }</pre>
 */
public final class LoadOptions {
    static final int FLAG_METADATA_ONLY = 0x1;
    static final int FLAG_ALLOW_FILE_OPS = 0x2;
    static final int FLAG_DISCARD_PRINT = 0x4;

    private static final LoadOptions DEFAULTS = builder().build();

    private final String tags;
    private final String checkpoint;
    private final Map<String, String> restoreMap;
    private final boolean restoreOnlyMapped;
    private final int intraOpThreads;
    private final int flags;
    private final long memoryLimit;
    private final long maxGraphNodes;
    private final Consumer<String> printSink;

    private LoadOptions(Builder b) {
        this.tags = b.tags;
        this.checkpoint = b.checkpoint;
        this.restoreMap = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.restoreMap));
        this.restoreOnlyMapped = b.restoreOnlyMapped;
        this.intraOpThreads = b.intraOpThreads;
        this.flags = b.flags;
        this.memoryLimit = b.memoryLimit;
        this.maxGraphNodes = b.maxGraphNodes;
        this.printSink = b.printSink;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: tag set "serve", the model's own checkpoint, all cores, a full load. */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /** The tag set as Ferry takes it (comma-separated), or null for the default. */
    public String tags() {
        return tags;
    }

    public String checkpoint() {
        return checkpoint;
    }

    /** Graph variable name to the checkpoint key it is restored from. */
    public Map<String, String> restoreMap() {
        return restoreMap;
    }

    public boolean restoreOnlyMapped() {
        return restoreOnlyMapped;
    }

    public int intraOpThreads() {
        return intraOpThreads;
    }

    public boolean metadataOnly() {
        return (flags & FLAG_METADATA_ONLY) != 0;
    }

    public boolean allowFileOps() {
        return (flags & FLAG_ALLOW_FILE_OPS) != 0;
    }

    /** Bytes the tensors of all the model's runs may hold at once; 0 for no limit. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /** Most nodes the graph may have once its functions are inlined; 0 for the library's default. */
    public long maxGraphNodes() {
        return maxGraphNodes;
    }

    /** Where Print and PrintV2 write, or null for standard error. */
    public Consumer<String> printSink() {
        return printSink;
    }

    public boolean discardPrint() {
        return (flags & FLAG_DISCARD_PRINT) != 0;
    }

    int flags() {
        return flags;
    }

    /** Builds {@link LoadOptions}. */
    public static final class Builder {
        private String tags;
        private String checkpoint;
        private final Map<String, String> restoreMap = new LinkedHashMap<>();
        private boolean restoreOnlyMapped;
        private int intraOpThreads;
        private int flags;
        private long memoryLimit;
        private long maxGraphNodes;
        private Consumer<String> printSink;

        private Builder() {}

        /**
         * The MetaGraph to load, by its exact tag set, e.g. {@code tags("serve")} or {@code
         * tags("serve", "gpu")}; {@code tags()} with no tags picks the MetaGraph with the empty
         * tag set. Not calling this means "serve" (with {@link #metadataOnly()}: "serve" if
         * present, else the first MetaGraph).
         */
        public Builder tags(String... tags) {
            return tags(java.util.Arrays.asList(tags));
        }

        /** See {@link #tags(String...)}. */
        public Builder tags(Collection<String> tags) {
            StringBuilder s = new StringBuilder();
            for (String t : tags) {
                Objects.requireNonNull(t, "tag");
                if (t.isEmpty() || t.indexOf(',') >= 0) {
                    throw new IllegalArgumentException("bad tag '" + t + "': tags are non-empty and have no commas");
                }
                s.append(s.length() == 0 ? "" : ",").append(t);
            }
            this.tags = s.toString();
            return this;
        }

        /**
         * For MetaGraph files: the checkpoint to restore (a prefix, a directory with a {@code
         * checkpoint} state file, or an {@code .index} file). Default: the .meta's own prefix,
         * else the latest checkpoint in its directory.
         */
        public Builder checkpoint(String checkpoint) {
            this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /** See {@link #checkpoint(String)}. */
        public Builder checkpoint(Path checkpoint) {
            return checkpoint(checkpoint.toString());
        }

        /**
         * Renames for restoring: each entry maps a graph <b>variable name</b> to the <b>checkpoint
         * key</b> it takes its value from (the direction of the C ABI's {@code ferry_name_pair};
         * TensorFlow's {@code Saver(var_list={key: variable})} dict is the inverse). Entries add
         * to those given before.
         */
        public Builder restoreMap(Map<String, String> variableToCheckpointKey) {
            for (Map.Entry<String, String> e : variableToCheckpointKey.entrySet()) {
                restoreMap.put(Objects.requireNonNull(e.getKey(), "variable"),
                        Objects.requireNonNull(e.getValue(), "checkpoint key"));
            }
            return this;
        }

        /** When true, restore only the variables named in the {@link #restoreMap}. */
        public Builder restoreOnlyMapped(boolean only) {
            this.restoreOnlyMapped = only;
            return this;
        }

        /** Threads one run may use; 0 (the default) means the number of cores. */
        public Builder intraOpThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0");
            }
            this.intraOpThreads = threads;
            return this;
        }

        /** Parse and describe only: no restore, no plans; runs fail. */
        public Builder metadataOnly() {
            flags |= FLAG_METADATA_ONLY;
            return this;
        }

        /** Allow ops that read or write files or print (refused by default). */
        public Builder allowFileOps() {
            flags |= FLAG_ALLOW_FILE_OPS;
            return this;
        }

        /**
         * The most bytes the tensors made by the model's runs may hold at once, all runs together;
         * a run that would pass it throws {@link FerryException.OutOfMemory}. 0 (the default): no
         * limit but the system's.
         */
        public Builder memoryLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memoryLimit must be >= 0");
            }
            this.memoryLimit = bytes;
            return this;
        }

        /**
         * The most nodes the graph may have once its functions are inlined; a bigger model is
         * refused with {@link FerryException.Unsupported}. 0 (the default): 1,000,000.
         */
        public Builder maxGraphNodes(long nodes) {
            if (nodes < 0) {
                throw new IllegalArgumentException("maxGraphNodes must be >= 0");
            }
            this.maxGraphNodes = nodes;
            return this;
        }

        /**
         * Receives what the model's Print and PrintV2 ops write, one call per op run (the text
         * ends with the op's line end) instead of standard error. Called on the thread running
         * the op, possibly for several runs at once; it must not use the model. What it throws
         * goes to the thread's uncaught-exception handler; the run goes on.
         */
        public Builder printSink(Consumer<String> sink) {
            this.printSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Print and PrintV2 write nothing. */
        public Builder discardPrint() {
            flags |= FLAG_DISCARD_PRINT;
            return this;
        }

        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
