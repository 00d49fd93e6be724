/*
 * Ferry: load TensorFlow models and checkpoints, and run them, without TensorFlow.
 *
 * This header is Ferry's whole contract. Conventions, once for every function:
 *
 * - Names: functions and types start with `ferry_`, macros with `FERRY_`.
 *   Handles are opaque; only structs documented as "borrowed view" are read
 *   field by field, and those are always allocated by Ferry, so new fields may
 *   be appended to them in later minor versions.
 * - Out-parameters come first. A value returned through `**out` belongs to the
 *   caller, who frees it with the matching `_free`. A pointer returned directly
 *   is borrowed: it is valid until its parent handle is freed.
 * - Every fallible function returns a `ferry_status`. `err` may be NULL;
 *   otherwise `*err` must be NULL on entry. When the call fails, `*err`
 *   receives a new `ferry_error` (caller frees it with `ferry_error_free`);
 *   on success `*err` is left NULL. A call given a non-NULL `*err` fails with
 *   FERRY_ERR_INVALID_ARGUMENT at once and leaves `*err` as it was, so an
 *   earlier error is never lost or leaked. A failing call leaves its
 *   out-parameters untouched and leaks nothing. There is no thread-local
 *   "last error".
 * - Getters that take a handle (`ferry_tensor_dtype`, `ferry_model_signature`,
 *   ...) accept NULL and then return 0, NULL or "" as their type allows;
 *   getters that take an index return NULL when it is out of range.
 * - Option structs start with a `version` member: set it with the `_INIT`
 *   macro. The library accepts every version from 1 to the one it was built
 *   with and reads only the members that version has, so programs built
 *   against an older header keep working; a version newer than the library's
 *   fails with FERRY_ERR_INVALID_ARGUMENT.
 * - Destructors (`_free`) accept NULL, return nothing and never fail.
 * - Strings are UTF-8 (paths: bytes as the OS takes them), NUL-terminated
 *   unless given with an explicit size. Ferry never changes what a caller
 *   passes in unless a parameter is documented as written.
 *
 * Threading: a loaded `ferry_model` may be run from many threads at once.
 * Its graph and constants are read-only after load. Variables are the
 * one piece of mutable state: each model owns its own variable values (as a
 * TensorFlow session does), and a run whose plan assigns a variable (counters,
 * `Assign` in the serving path, training steps) holds the model's state lock
 * for its duration, so such runs are serialised against each other and
 * against runs that read variables; runs of plans that write no state never
 * take that lock. Each plan keeps a memory layout per set of input shapes
 * and one block of memory per run in progress (taken under a short lock at
 * the start and end of a run), so concurrent runs never share working
 * memory; tensors returned to the caller are never in such a block.
 * A `ferry_checkpoint` is read-only and may be shared by
 * threads. Runs never write their inputs, so one tensor may be fed to runs
 * on several threads at once; otherwise tensors, errors and checkpoint
 * writers belong to one thread at a time. A model or checkpoint must not be
 * freed while a call on it is in progress: to end a long run early, trigger
 * its `ferry_cancel` handle or give it a timeout (`ferry_run_options`), wait
 * for the run to return, then free.
 */
#ifndef FERRY_FERRY_H
#define FERRY_FERRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_VERSION_MAJOR 0
#define FERRY_VERSION_MINOR 1
#define FERRY_VERSION_PATCH 0
#define FERRY_VERSION_NUMBER \
    (FERRY_VERSION_MAJOR * 10000 + FERRY_VERSION_MINOR * 100 + FERRY_VERSION_PATCH)

#if defined(_WIN32) && defined(FERRY_BUILDING_SHARED)
#define FERRY_API __declspec(dllexport)
#elif defined(_WIN32) && defined(FERRY_SHARED)
#define FERRY_API __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define FERRY_API __attribute__((visibility("default")))
#else
#define FERRY_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */

/* The library's version as "MAJOR.MINOR.PATCH". Static string. */
FERRY_API const char *ferry_version(void);

/* FERRY_VERSION_NUMBER of the library actually loaded at run time. */
FERRY_API unsigned ferry_version_number(void);

/* ------------------------------------------------------------------------ */
/* Status and errors                                                         */

/* Values are fixed; new values may be appended in later versions, so treat
 * any unknown non-zero value as a failure. */
typedef enum ferry_status {
    FERRY_OK = 0,
    FERRY_ERR_INVALID_ARGUMENT = 1, /* the caller passed a bad value: NULL, wrong dtype or shape fed */
    FERRY_ERR_NOT_FOUND = 2,        /* a file, tensor, variable, signature or tag set does not exist */
    FERRY_ERR_IO = 3,               /* the operating system failed a read, write, map or rename */
    FERRY_ERR_CORRUPT = 4,          /* a file is malformed: bad magic, checksum, protobuf, offsets */
    FERRY_ERR_UNSUPPORTED = 5,      /* valid TensorFlow input that Ferry cannot handle (an op, a dtype) */
    FERRY_ERR_OUT_OF_MEMORY = 6,
    FERRY_ERR_REFUSED = 7,          /* refused by policy: file/network ops, paths escaping a model */
    FERRY_ERR_RUNTIME = 8,          /* a run failed on its data (e.g. a bad index fed to a gather) */
    FERRY_ERR_INTERNAL = 9,         /* a bug in Ferry; please report it */
    FERRY_ERR_DEADLINE_EXCEEDED = 10, /* a run took longer than its ferry_run_options.timeout_ms */
    FERRY_ERR_CANCELLED = 11        /* a run's ferry_cancel handle was triggered */
} ferry_status;

typedef struct ferry_error ferry_error;

/* The status code the error carries. */
FERRY_API ferry_status ferry_error_code(const ferry_error *err);

/* One line naming what failed and where (file, node, op or tensor).
 * Borrowed; valid until the error is freed. */
FERRY_API const char *ferry_error_message(const ferry_error *err);

FERRY_API void ferry_error_free(ferry_error *err);

/* A short constant name for a status, e.g. "not found". Static string. */
FERRY_API const char *ferry_status_name(ferry_status status);

/* ------------------------------------------------------------------------ */
/* Data types: values equal TensorFlow's DataType enum numbers.              */

typedef enum ferry_dtype {
    FERRY_DT_INVALID = 0,
    FERRY_DT_FLOAT = 1,
    FERRY_DT_DOUBLE = 2,
    FERRY_DT_INT32 = 3,
    FERRY_DT_UINT8 = 4,
    FERRY_DT_INT16 = 5,
    FERRY_DT_INT8 = 6,
    FERRY_DT_STRING = 7,
    FERRY_DT_COMPLEX64 = 8,
    FERRY_DT_INT64 = 9,
    FERRY_DT_BOOL = 10,
    FERRY_DT_QINT8 = 11,
    FERRY_DT_QUINT8 = 12,
    FERRY_DT_QINT32 = 13,
    FERRY_DT_BFLOAT16 = 14,
    FERRY_DT_QINT16 = 15,
    FERRY_DT_QUINT16 = 16,
    FERRY_DT_UINT16 = 17,
    FERRY_DT_COMPLEX128 = 18,
    FERRY_DT_HALF = 19,
    FERRY_DT_RESOURCE = 20,
    FERRY_DT_VARIANT = 21,
    FERRY_DT_UINT32 = 22,
    FERRY_DT_UINT64 = 23,
    /* Narrow types, one element per byte. INT4/INT2 elements are int8
     * values (sign-extended), UINT4/UINT2 uint8 values; float8/float4
     * elements are their bit patterns. */
    FERRY_DT_FLOAT8_E5M2 = 24,
    FERRY_DT_FLOAT8_E4M3FN = 25,
    FERRY_DT_FLOAT8_E4M3FNUZ = 26,
    FERRY_DT_FLOAT8_E4M3B11FNUZ = 27,
    FERRY_DT_FLOAT8_E5M2FNUZ = 28,
    FERRY_DT_INT4 = 29,
    FERRY_DT_UINT4 = 30,
    FERRY_DT_INT2 = 31,
    FERRY_DT_UINT2 = 32,
    FERRY_DT_FLOAT4_E2M1FN = 33
} ferry_dtype;

/* Values may be appended to ferry_dtype as TensorFlow adds types. */

/* Bytes per element; 0 for STRING, RESOURCE, VARIANT and unknown values. */
FERRY_API size_t ferry_dtype_size(ferry_dtype dtype);

/* TensorFlow's Python name ("float32", "half" is "float16", "string", ...),
 * or "invalid" for unknown values. Static string. */
FERRY_API const char *ferry_dtype_name(ferry_dtype dtype);

/* ------------------------------------------------------------------------ */
/* Tensors                                                                   */

typedef struct ferry_tensor ferry_tensor;

/* One element of a STRING tensor: bytes, not necessarily NUL-terminated. */
typedef struct ferry_string {
    const char *data;
    size_t size;
} ferry_string;

/* Called once when a tensor that wraps caller memory no longer needs it. */
typedef void (*ferry_release_fn)(void *data, void *context);

/* Highest rank a tensor may have. */
#define FERRY_MAX_RANK 32

/* A new tensor owned by the library: numeric elements are zero, string
 * elements empty. `dims` may be NULL when rank is 0. Errors: INVALID_ARGUMENT
 * for a negative dim, rank above FERRY_MAX_RANK, RESOURCE/VARIANT or an
 * unknown dtype; OUT_OF_MEMORY when the element count overflows or cannot be
 * allocated. */
FERRY_API ferry_status ferry_tensor_new(ferry_tensor **out, ferry_dtype dtype,
                                        const int64_t *dims, int rank, ferry_error **err);

/* A tensor over caller memory, without copying. `data` must hold exactly
 * `size` bytes = element count x ferry_dtype_size(dtype) (numeric and bool
 * dtypes only). On success the tensor borrows `data` and calls
 * `release(data, context)` when freed (release may be NULL). On failure
 * release is not called and the caller keeps ownership. Ferry never writes
 * into wrapped memory unless the tensor is passed as a run output buffer. */
FERRY_API ferry_status ferry_tensor_wrap(ferry_tensor **out, ferry_dtype dtype,
                                         const int64_t *dims, int rank, void *data, size_t size,
                                         ferry_release_fn release, void *context,
                                         ferry_error **err);

FERRY_API void ferry_tensor_free(ferry_tensor *tensor);

FERRY_API ferry_dtype ferry_tensor_dtype(const ferry_tensor *tensor);
FERRY_API int ferry_tensor_rank(const ferry_tensor *tensor);

/* Borrowed array of `rank` dims; valid until the tensor is freed. */
FERRY_API const int64_t *ferry_tensor_dims(const ferry_tensor *tensor);
FERRY_API int64_t ferry_tensor_element_count(const ferry_tensor *tensor);

/* Element bytes of a numeric or bool tensor (row-major, native byte order),
 * or NULL for STRING tensors. Borrowed; valid until the tensor is freed.
 * Writable only for tensors made by ferry_tensor_new or returned to the
 * caller; never write to a tensor while a run reads it. */
FERRY_API void *ferry_tensor_data(ferry_tensor *tensor);
FERRY_API size_t ferry_tensor_byte_size(const ferry_tensor *tensor);

/* Elements of a STRING tensor, or NULL for other dtypes. Borrowed; valid
 * until the tensor is freed or the element is set again. */
FERRY_API const ferry_string *ferry_tensor_strings(const ferry_tensor *tensor);

/* Copies `size` bytes into element `index` of a STRING tensor made by
 * ferry_tensor_new. Errors: INVALID_ARGUMENT for another dtype or an index
 * out of range. */
FERRY_API ferry_status ferry_tensor_set_string(ferry_tensor *tensor, int64_t index,
                                               const void *data, size_t size, ferry_error **err);

/* ------------------------------------------------------------------------ */
/* Checkpoints: TF1 Saver bundles (V2 and legacy V1), TF2 object-based       */
/* checkpoints, Keras save_weights TF-format checkpoints.                    */

typedef struct ferry_checkpoint ferry_checkpoint;

/* A variable stored in a checkpoint. Borrowed view. */
typedef struct ferry_variable_info {
    const char *name;           /* the key to read it by (bundle key) */
    ferry_dtype dtype;
    int rank;
    const int64_t *dims;        /* full shape, also for partitioned variables */
    const char *full_name;      /* TF1-style variable name; equals name for TF1 bundles */
    const char *object_path;    /* TF2: path in the object graph, e.g. "model/layer_with_weights-0/kernel"; else NULL */
    const char *slot_of;        /* optimizer slots: object path of the variable the slot belongs to; else NULL */
    const char *slot_name;      /* optimizer slots: e.g. "m", "v", "momentum"; else NULL */
    const char *optimizer;      /* optimizer slots: object path of the optimizer; else NULL */
    int partitioned;            /* 1 when stored as slices and reassembled on read */
} ferry_variable_info;

/* Opens a checkpoint. `path` may be a prefix ("dir/model.ckpt-100"), a
 * directory (its `checkpoint` state file names the latest checkpoint, as
 * tf.train.latest_checkpoint does), a `.index` file, or a legacy V1 file.
 * Only the index is read; data shards are memory-mapped on demand.
 * Errors: NOT_FOUND (no such checkpoint, missing shard), CORRUPT (bad magic,
 * checksum, index entry), UNSUPPORTED, IO. */
FERRY_API ferry_status ferry_checkpoint_open(ferry_checkpoint **out, const char *path,
                                             ferry_error **err);

FERRY_API void ferry_checkpoint_free(ferry_checkpoint *ckpt);

/* The resolved checkpoint prefix (or V1 file). Borrowed. */
FERRY_API const char *ferry_checkpoint_prefix(const ferry_checkpoint *ckpt);

/* Variables, sorted by name (bytewise). Slice entries of partitioned
 * variables are not listed; the assembled variable is. */
FERRY_API size_t ferry_checkpoint_variable_count(const ferry_checkpoint *ckpt);
/* Borrowed; NULL when index is out of range. */
FERRY_API const ferry_variable_info *ferry_checkpoint_variable(const ferry_checkpoint *ckpt,
                                                               size_t index);
/* Borrowed; NULL when there is no variable of that name. */
FERRY_API const ferry_variable_info *ferry_checkpoint_find(const ferry_checkpoint *ckpt,
                                                           const char *name);

/* Reads a whole variable into a new library-owned tensor, verifying its
 * checksum. Errors: NOT_FOUND, CORRUPT (checksum, size), IO. */
FERRY_API ferry_status ferry_checkpoint_read(ferry_tensor **out, const ferry_checkpoint *ckpt,
                                             const char *name, ferry_error **err);

/* Reads a numeric variable into caller memory of exactly its byte size
 * (one copy). Errors as ferry_checkpoint_read, plus INVALID_ARGUMENT for a
 * STRING variable or a wrong size. */
FERRY_API ferry_status ferry_checkpoint_read_into(const ferry_checkpoint *ckpt, const char *name,
                                                  void *buffer, size_t size, ferry_error **err);

/* Reads the box [start, start + length) of a variable (rank values each;
 * a length of -1 means "to the end of that dim"). */
FERRY_API ferry_status ferry_checkpoint_read_slice(ferry_tensor **out,
                                                   const ferry_checkpoint *ckpt, const char *name,
                                                   const int64_t *start, const int64_t *length,
                                                   int rank, ferry_error **err);

/* Zero-copy: `*data` points at the variable's bytes inside the mapped shard,
 * after its checksum was verified. Borrowed; valid until the checkpoint is
 * freed. Only for numeric variables stored whole, in host byte order, at an
 * address aligned for the dtype; otherwise UNSUPPORTED (use
 * ferry_checkpoint_read). */
FERRY_API ferry_status ferry_checkpoint_view(const void **data, size_t *size,
                                             const ferry_checkpoint *ckpt, const char *name,
                                             ferry_error **err);

/* Writing V2 bundles that TensorFlow reads. */
typedef struct ferry_checkpoint_writer ferry_checkpoint_writer;

typedef struct ferry_writer_options {
    unsigned version;             /* FERRY_WRITER_OPTIONS_VERSION */
    int num_shards;               /* data shards to spread tensors over; 0 means 1 */
    int update_state_file;        /* nonzero: make this the latest in `<dir>/checkpoint` */
} ferry_writer_options;

/* Versions accepted: 1 to FERRY_WRITER_OPTIONS_VERSION. */
#define FERRY_WRITER_OPTIONS_VERSION 1
#define FERRY_WRITER_OPTIONS_INIT { FERRY_WRITER_OPTIONS_VERSION, 1, 1 }

/* Starts a checkpoint at `prefix` (e.g. "out/model.ckpt-5"). Nothing under
 * the final names exists until ferry_checkpoint_writer_finish succeeds.
 * `options` may be NULL for defaults. */
FERRY_API ferry_status ferry_checkpoint_writer_new(ferry_checkpoint_writer **out,
                                                   const char *prefix,
                                                   const ferry_writer_options *options,
                                                   ferry_error **err);

/* Adds a tensor under `name` (copied; caller keeps ownership). Errors:
 * INVALID_ARGUMENT for a duplicate or empty name, IO. */
FERRY_API ferry_status ferry_checkpoint_writer_add(ferry_checkpoint_writer *writer,
                                                   const char *name, const ferry_tensor *tensor,
                                                   ferry_error **err);

/* Adds one slice of a partitioned variable of shape `full_dims`; `slice`
 * holds the box [start, start + shape of slice). */
FERRY_API ferry_status ferry_checkpoint_writer_add_slice(ferry_checkpoint_writer *writer,
                                                         const char *name, const int64_t *full_dims,
                                                         int rank, const int64_t *start,
                                                         const ferry_tensor *slice,
                                                         ferry_error **err);

/* Writes the index and renames every file into place. */
FERRY_API ferry_status ferry_checkpoint_writer_finish(ferry_checkpoint_writer *writer,
                                                      ferry_error **err);

/* Frees the writer; an unfinished checkpoint's temporary files are removed. */
FERRY_API void ferry_checkpoint_writer_free(ferry_checkpoint_writer *writer);

/* ------------------------------------------------------------------------ */
/* Models: SavedModel directories, MetaGraphDef files (+ checkpoint),        */
/* frozen GraphDefs, binary or text.                                         */

typedef struct ferry_model ferry_model;

typedef enum ferry_model_format {
    FERRY_FORMAT_SAVED_MODEL = 1,
    FERRY_FORMAT_META_GRAPH = 2,
    FERRY_FORMAT_FROZEN_GRAPH = 3
} ferry_model_format;

/* Rename map for restoring variables: variable `variable` takes its value
 * from checkpoint entry `key`. */
typedef struct ferry_name_pair {
    const char *variable;
    const char *key;
} ferry_name_pair;

/* Load flags. */
#define FERRY_LOAD_METADATA_ONLY 0x1u  /* parse and describe; no restore, no plan; runs fail */
#define FERRY_LOAD_ALLOW_FILE_OPS 0x2u /* allow ops that read or write files (ReadFile, WriteFile,
                                          SaveV2, PrintV2 to a file://...) */
#define FERRY_LOAD_DISCARD_PRINT 0x4u  /* Print and PrintV2 write nothing */

/* Where a model's Print and PrintV2 ops write: `size` bytes of `text` (not
 * NUL-terminated), one call per op run, ending with the op's own line end.
 * `stream` is the op's output stream ("stderr", "stdout", "log(info)", ...).
 * Called on the thread that runs the op, possibly from several runs at
 * once; it must not call back into the model. */
typedef void (*ferry_print_fn)(void *context, const char *stream, const char *text, size_t size);

typedef struct ferry_model_options {
    unsigned version;            /* FERRY_MODEL_OPTIONS_VERSION */
    const char *tags;            /* comma-separated tag set, e.g. "serve,gpu"; "" = the empty set;
                                    NULL = "serve" (with METADATA_ONLY: "serve" if present, else
                                    the first MetaGraph) */
    const char *checkpoint;      /* MetaGraph files: checkpoint to restore (prefix, dir or .index);
                                    NULL = the .meta's own prefix, else the latest in its dir */
    const ferry_name_pair *restore_map; /* optional renames, restore_map_count entries */
    size_t restore_map_count;
    int restore_only_mapped;     /* nonzero: restore only the variables named in restore_map */
    int intra_op_threads;        /* threads one run may use (0..256); 0 = number of cores.
                                    A run that finds them busy with another run of the
                                    same model uses its own thread alone. Ferry does its
                                    own threading, so it sets the process's OpenBLAS to
                                    one thread. */
    unsigned flags;              /* FERRY_LOAD_* */
    /* Version 2 and later. */
    ferry_print_fn print;        /* where Print/PrintV2 write; NULL: standard error (stdout for
                                    PrintV2's "stdout" stream) */
    void *print_context;         /* passed to print */
    int64_t memory_limit;        /* most bytes the tensors made by this model's runs may hold at
                                    once, all runs together; a run that would pass it fails with
                                    OUT_OF_MEMORY. 0: no limit but the system's */
    int64_t max_graph_nodes;     /* most nodes the graph may have once its functions are inlined
                                    (each function's body as often as it is called); a model that
                                    needs more is refused (UNSUPPORTED). 0: 1,000,000 */
} ferry_model_options;

/* Versions accepted: 1 to FERRY_MODEL_OPTIONS_VERSION. */
#define FERRY_MODEL_OPTIONS_VERSION 2
#define FERRY_MODEL_OPTIONS_INIT { FERRY_MODEL_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, 0, 0 }

/* Loads the model at `path`, detecting its format: a SavedModel directory,
 * a MetaGraphDef file (binary or text; its variables restored from a
 * checkpoint), or a frozen GraphDef (.pb or .pbtxt). Imports the graph and
 * functions, restores variables, runs init ops and prepares every signature
 * to run. `options` may be NULL for defaults. Errors: NOT_FOUND (no model,
 * no such tag set: the message lists those present), CORRUPT, UNSUPPORTED
 * (the message lists every op Ferry lacks, with node names), REFUSED, IO. */
FERRY_API ferry_status ferry_model_load(ferry_model **out, const char *path,
                                        const ferry_model_options *options, ferry_error **err);

/* Frees the model. No run may be in progress on it. */
FERRY_API void ferry_model_free(ferry_model *model);

FERRY_API ferry_model_format ferry_model_get_format(const ferry_model *model);

/* TensorFlow version recorded in the file ("" when absent). Borrowed. */
FERRY_API const char *ferry_model_tensorflow_version(const ferry_model *model);

/* Tag sets of every MetaGraph in the file, each comma-separated (sorted
 * tags). Frozen graphs have none. Borrowed. */
FERRY_API size_t ferry_model_tag_set_count(const ferry_model *model);
FERRY_API const char *ferry_model_tag_set(const ferry_model *model, size_t index);

/* The tag set that was loaded (comma-separated), or NULL for a frozen graph. */
FERRY_API const char *ferry_model_loaded_tag_set(const ferry_model *model);

typedef enum ferry_tensor_encoding {
    FERRY_ENCODING_DENSE = 0,     /* one graph tensor */
    FERRY_ENCODING_COO_SPARSE = 1,/* values, indices and dense-shape tensors */
    FERRY_ENCODING_COMPOSITE = 2  /* a composite (ragged...) tensor; not runnable */
} ferry_tensor_encoding;

/* A tensor a signature takes or gives. Borrowed view. */
typedef struct ferry_tensor_info {
    const char *name;           /* logical name, e.g. "x" */
    const char *tensor;         /* graph tensor, e.g. "serving_default_x:0" (sparse: the values) */
    ferry_dtype dtype;
    int rank;                   /* -1 when unknown */
    const int64_t *dims;        /* rank entries, -1 for an unknown dim */
    ferry_tensor_encoding encoding;
    const char *indices_tensor;     /* COO_SPARSE only, else NULL */
    const char *dense_shape_tensor; /* COO_SPARSE only, else NULL */
} ferry_tensor_info;

typedef struct ferry_signature ferry_signature;

/* Signatures of the loaded MetaGraph, sorted by key. Borrowed. */
FERRY_API size_t ferry_model_signature_count(const ferry_model *model);
FERRY_API const ferry_signature *ferry_model_signature(const ferry_model *model, size_t index);

/* Errors: NOT_FOUND, naming the key and listing the keys present. */
FERRY_API ferry_status ferry_model_find_signature(const ferry_signature **out,
                                                  const ferry_model *model, const char *key,
                                                  ferry_error **err);

FERRY_API const char *ferry_signature_key(const ferry_signature *sig);
FERRY_API const char *ferry_signature_method(const ferry_signature *sig);
/* Inputs and outputs, each sorted by logical name. Borrowed. */
FERRY_API size_t ferry_signature_input_count(const ferry_signature *sig);
FERRY_API const ferry_tensor_info *ferry_signature_input(const ferry_signature *sig, size_t index);
FERRY_API size_t ferry_signature_output_count(const ferry_signature *sig);
FERRY_API const ferry_tensor_info *ferry_signature_output(const ferry_signature *sig, size_t index);

/* Runs a signature. `inputs[i]` is fed to the input named `input_names[i]`
 * (caller keeps ownership; Ferry reads them without copying and never
 * writes them); every input the signature needs must be given. `outputs`
 * has ferry_signature_output_count() slots in signature order: a NULL slot
 * receives a new library-owned tensor (caller frees it); a non-NULL slot is a
 * caller tensor of the right dtype and shape that the result is written
 * into (`outputs` may be NULL when there are no outputs). On failure new
 * tensors are freed and their slots left NULL. Signatures with sparse or
 * composite inputs or outputs cannot run here (UNSUPPORTED): feed and fetch
 * their component tensors with ferry_model_run. Dtypes fed are checked
 * against the graph; declared shapes of rank 1 or more are checked, a
 * declared scalar is not (TensorFlow does not enforce it either).
 * Errors: NOT_FOUND (input name), INVALID_ARGUMENT (dtype or shape fed
 * contradicts the signature: the message names the input, expected and
 * given), RUNTIME (e.g. an uninitialized variable), UNSUPPORTED. */
FERRY_API ferry_status ferry_signature_run(ferry_tensor **outputs, const ferry_signature *sig,
                                           const char *const *input_names,
                                           const ferry_tensor *const *inputs, size_t input_count,
                                           ferry_error **err);

/* ---- Bounding a run ------------------------------------------------------ */

/* A flag that stops runs: a run given it checks it between steps and at
 * every loop iteration, and fails with FERRY_ERR_CANCELLED once it is set.
 * One handle may be given to several runs; it stays set once triggered. */
typedef struct ferry_cancel ferry_cancel;

/* A new, untriggered handle (caller frees it). Errors: OUT_OF_MEMORY. */
FERRY_API ferry_status ferry_cancel_new(ferry_cancel **out, ferry_error **err);

/* Sets the flag. Safe from any thread and from a signal handler; NULL is
 * ignored. Runs in progress notice it at their next check. */
FERRY_API void ferry_cancel_trigger(ferry_cancel *cancel);

/* Nonzero once triggered (0 for NULL). */
FERRY_API int ferry_cancel_is_triggered(const ferry_cancel *cancel);

/* Frees the handle; no run given it may still be in progress. */
FERRY_API void ferry_cancel_free(ferry_cancel *cancel);

typedef struct ferry_run_options {
    unsigned version;            /* FERRY_RUN_OPTIONS_VERSION */
    int64_t timeout_ms;          /* > 0: the run fails with DEADLINE_EXCEEDED once it has run this
                                    long; 0: no timeout */
    ferry_cancel *cancel;        /* optional; borrowed, must outlive the run */
} ferry_run_options;

/* Versions accepted: 1 to FERRY_RUN_OPTIONS_VERSION. */
#define FERRY_RUN_OPTIONS_VERSION 1
#define FERRY_RUN_OPTIONS_INIT { FERRY_RUN_OPTIONS_VERSION, 0, NULL }

/* ferry_signature_run bounded by `options` (NULL: unbounded, as
 * ferry_signature_run). Timeouts and cancellation are noticed between steps
 * and loop iterations, so one long kernel (a huge product) runs to its end
 * first. A run ended this way changes no variable it had not yet assigned;
 * assignments it made before stay, as in TensorFlow. Errors: those of
 * ferry_signature_run, DEADLINE_EXCEEDED, CANCELLED. */
FERRY_API ferry_status ferry_signature_run_v2(ferry_tensor **outputs, const ferry_signature *sig,
                                              const char *const *input_names,
                                              const ferry_tensor *const *inputs, size_t input_count,
                                              const ferry_run_options *options, ferry_error **err);

/* TF1 Session.run style: feed tensors by name ("x:0"), fetch tensors by
 * name, and run target nodes. `outputs` has fetch_count slots, filled as in
 * ferry_signature_run. Plans are prepared on first use of a feed/fetch/target
 * combination and cached. */
FERRY_API ferry_status ferry_model_run(ferry_tensor **outputs, const ferry_model *model,
                                       const char *const *feed_names,
                                       const ferry_tensor *const *feeds, size_t feed_count,
                                       const char *const *fetch_names, size_t fetch_count,
                                       const char *const *target_names, size_t target_count,
                                       ferry_error **err);

/* ferry_model_run bounded by `options` (NULL: unbounded), as
 * ferry_signature_run_v2. */
FERRY_API ferry_status ferry_model_run_v2(ferry_tensor **outputs, const ferry_model *model,
                                          const char *const *feed_names,
                                          const ferry_tensor *const *feeds, size_t feed_count,
                                          const char *const *fetch_names, size_t fetch_count,
                                          const char *const *target_names, size_t target_count,
                                          const ferry_run_options *options, ferry_error **err);

/* ---- Introspection, for tools ------------------------------------------ */

/* The op types this library can run, sorted (bytewise). Static strings;
 * NULL when index is out of range. Internal ops are not listed. */
FERRY_API size_t ferry_supported_op_count(void);
FERRY_API const char *ferry_supported_op(size_t index);

/* Nonzero when this library can run ops of type `op_type`. */
FERRY_API int ferry_op_is_supported(const char *op_type);

/* A node of the loaded graph (top level, before inlining). Borrowed view. */
typedef struct ferry_node_info {
    const char *name;
    const char *op;
    const char *device;
    size_t input_count;
    const char *const *inputs;  /* "node", "node:1" or "^node" */
} ferry_node_info;

FERRY_API size_t ferry_model_node_count(const ferry_model *model);
FERRY_API const ferry_node_info *ferry_model_node(const ferry_model *model, size_t index);

/* Sorted op types used by the graph and every function in its library. */
FERRY_API size_t ferry_model_op_count(const ferry_model *model);
FERRY_API const char *ferry_model_op(const ferry_model *model, size_t index);

/* Nonzero for op types that read or write files (ReadFile, WriteFile,
 * SaveV2, ...). A load refuses a graph whose signatures need one unless
 * FERRY_LOAD_ALLOW_FILE_OPS is set; savers and other unused parts of a file
 * may hold them harmlessly. Print and PrintV2 are not among them: they write
 * through ferry_model_options.print, and a PrintV2 node whose stream is a
 * "file://" path counts as a file op on its own. */
FERRY_API int ferry_op_touches_outside(const char *op_type);

/* Op names in the MetaGraph's stripped_op_list (sorted). */
FERRY_API size_t ferry_model_stripped_op_count(const ferry_model *model);
FERRY_API const char *ferry_model_stripped_op(const ferry_model *model, size_t index);

typedef enum ferry_collection_kind {
    FERRY_COLLECTION_NODE_LIST = 1,
    FERRY_COLLECTION_BYTES_LIST = 2,
    FERRY_COLLECTION_INT64_LIST = 3,
    FERRY_COLLECTION_FLOAT_LIST = 4,
    FERRY_COLLECTION_ANY_LIST = 5
} ferry_collection_kind;

/* A CollectionDef. Borrowed view; only the array matching `kind` is set:
 * NODE_LIST and BYTES_LIST in `values`, ANY_LIST in `type_urls` + `values`
 * (the packed message bytes), INT64_LIST in `ints`, FLOAT_LIST in `floats`. */
typedef struct ferry_collection {
    const char *name;
    ferry_collection_kind kind;
    size_t count;
    const ferry_string *values;
    const char *const *type_urls;
    const int64_t *ints;
    const float *floats;
} ferry_collection;

FERRY_API size_t ferry_model_collection_count(const ferry_model *model);
FERRY_API const ferry_collection *ferry_model_collection(const ferry_model *model, size_t index);

/* The MetaGraph's SaverDef, or NULL when it has none. Borrowed view. */
typedef struct ferry_saver_info {
    const char *filename_tensor;
    const char *save_tensor;
    const char *restore_op;
    int max_to_keep;
    int sharded;
    float keep_checkpoint_every_n_hours;
    int format_version;          /* 0 LEGACY, 1 V1, 2 V2 */
} ferry_saver_info;

FERRY_API const ferry_saver_info *ferry_model_saver(const ferry_model *model);

/* Asset files of a SavedModel, each resolved inside <dir>/assets. Borrowed view. */
typedef struct ferry_asset_info {
    const char *filename;        /* as recorded, e.g. "vocab.txt" */
    const char *tensor;          /* graph tensor fed with the path */
    const char *path;            /* resolved absolute-or-relative path on disk */
} ferry_asset_info;

FERRY_API size_t ferry_model_asset_count(const ferry_model *model);
FERRY_API const ferry_asset_info *ferry_model_asset(const ferry_model *model, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_FERRY_H */
